package org.longnet.attention;

import org.longnet.engine.DeviceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.longnet.attention.AttentionRuns.assertClose;
import static org.longnet.attention.AttentionRuns.random;
import static org.longnet.attention.AttentionRuns.run;
import static org.longnet.attention.AttentionRuns.runInPlace;

/** The oracles of docs/longnet-math.md §9 on every test device, and finite-difference gradient checks. */
@DeviceTest
class DilatedAttentionTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    // ---------------------------------------------------------------- §7.1 worked example

    static double[][] workedExample(int n) {
        int h = 2, d = 2;
        double[] q = new double[n * h * d], k = new double[n * h * d], v = new double[n * h * d];
        for (int p = 0; p < n; p++) {
            for (int j = 0; j < h; j++) {
                for (int e = 0; e < d; e++) {
                    int i = (p * h + j) * d + e;
                    q[i] = Math.sin(0.7 * p + 1.3 * j + 0.5 * e + 0.1);
                    k[i] = Math.cos(0.3 * p - 0.9 * j + 1.1 * e + 0.2);
                    v[i] = Math.sin(1.7 * p + 0.4 * j - 0.8 * e + 0.3);
                }
            }
        }
        return new double[][] {q, k, v};
    }

    static final DilatedAttentionConfig EXAMPLE_CAUSAL = DilatedAttentionConfig.of(new int[] {4, 8}, new int[] {1, 2}, true);
    static final DilatedAttentionConfig EXAMPLE_FULL = DilatedAttentionConfig.of(new int[] {4, 8}, new int[] {1, 2}, false);

    static final double[][] CAUSAL_8 = {
            {0.295520, -0.479426, 0.644218, -0.099833}, {0.563622, 0.137110, 0.665313, 0.642428},
            {0.179115, 0.006581, 0.144356, 0.247592}, {0.083005, -0.023340, -0.020198, -0.111112},
            {0.305463, -0.045527, 0.938000, 0.404850}, {0.650652, 0.545558, 0.312434, 0.501565},
            {-0.120400, 0.057977, -0.030290, 0.162167}, {-0.107874, -0.151596, 0.125796, 0.084197}};
    static final double[][] FULL_8 = {
            {0.001926, -0.093161, 0.062621, 0.011217}, {0.130742, -0.015312, 0.078984, 0.052418},
            {0.095155, -0.086550, -0.016325, -0.070762}, {0.083005, -0.023340, 0.033719, -0.092942},
            {-0.025376, -0.071126, -0.083907, -0.211605}, {-0.054625, -0.097617, -0.004889, -0.172129},
            {-0.169173, -0.142442, -0.010689, -0.100258}, {-0.107874, -0.151596, 0.125796, 0.084197}};
    static final double[][] FULL_6 = {
            {0.085986, -0.076132, 0.062621, 0.011217}, {0.130742, -0.015312, 0.081580, 0.095110},
            {0.130439, -0.079846, -0.016325, -0.070762}, {0.083005, -0.023340, 0.033751, 0.103210},
            {0.360817, 0.159463, 0.523822, 0.665336}, {0.650652, 0.545558, 0.312434, 0.501565}};

    @ParameterizedTest(name = "worked example §7.1 (causal, non-causal, padded N=6) on {0}")
    @MethodSource("devices")
    void workedExampleOfTheSpec(String device) {
        double[][] in8 = workedExample(8);
        AttentionShape s8 = new AttentionShape(1, 8, 2, 2);
        double[] causal = run(device, s8, EXAMPLE_CAUSAL, in8[0], in8[1], in8[2], null)[0];
        double[] full = run(device, s8, EXAMPLE_FULL, in8[0], in8[1], in8[2], null)[0];
        expectTable("causal N=8", CAUSAL_8, causal);
        expectTable("non-causal N=8", FULL_8, full);
        double sum = 0, abs = 0;
        for (double x : causal) {
            sum += x;
            abs += Math.abs(x);
        }
        assertEquals(6.5079232472, sum, 1e-5, "causal checksum");
        assertEquals(8.8871140053, abs, 1e-5, "causal |.| checksum");
        double[][] in6 = workedExample(6);
        AttentionShape s6 = new AttentionShape(1, 6, 2, 2);
        expectTable("non-causal padded N=6", FULL_6, run(device, s6, EXAMPLE_FULL, in6[0], in6[1], in6[2], null)[0]);
        double[] causal6 = run(device, s6, EXAMPLE_CAUSAL, in6[0], in6[1], in6[2], null)[0];
        for (int i = 0; i < causal6.length; i++) {
            assertEquals(causal[i], causal6[i], 1e-6, "causal N=6 must equal the first rows of N=8 (prefix consistency), element " + i);
        }
    }

    private static void expectTable(String what, double[][] table, double[] got) {
        for (int p = 0; p < table.length; p++) {
            for (int c = 0; c < 4; c++) {
                if (Math.abs(table[p][c] - got[p * 4 + c]) > 1e-5) {
                    fail(what + ": row " + p + " column " + c + " is " + got[p * 4 + c] + ", the spec says " + table[p][c]);
                }
            }
        }
    }

    // ---------------------------------------------------------------- O1–O6 on random inputs

    record Case(String device, String name, AttentionShape shape, DilatedAttentionConfig config) {
        @Override
        public String toString() {
            return name + " " + shape.batch() + "x" + shape.seqLen() + "x" + shape.heads() + "x" + shape.headDim() + " "
                    + config.pairs() + (config.causal() ? " causal" : "") + " on " + device;
        }
    }

    static List<Case> randomCases() {
        List<Case> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            for (boolean causal : new boolean[] {true, false}) {
                out.add(new Case(d, "O1 vanilla (w >= N, r = 1)", new AttentionShape(2, 37, 2, 8),
                        DilatedAttentionConfig.of(new int[] {64}, new int[] {1}, causal)));
                out.add(new Case(d, "O2 block diagonal", new AttentionShape(1, 48, 3, 16),
                        DilatedAttentionConfig.of(new int[] {16}, new int[] {1}, causal)));
                out.add(new Case(d, "O3 mixture, padded, r does not divide w", new AttentionShape(2, 75, 4, 24),
                        DilatedAttentionConfig.of(new int[] {10, 24, 60}, new int[] {1, 3, 7}, causal)));
                out.add(new Case(d, "O3 paper-like rates, more rows than a tile", new AttentionShape(1, 200, 12, 8),
                        DilatedAttentionConfig.of(new int[] {32, 64, 128, 256}, new int[] {1, 2, 4, 6}, causal)));
                out.add(new Case(d, "O3 wide head", new AttentionShape(1, 45, 2, 128),
                        DilatedAttentionConfig.of(new int[] {8, 50}, new int[] {1, 5}, causal)));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomCases")
    void matchesTheDenseCountBiasReference(Case c) {
        AttentionShape s = c.shape();
        SplittableRandom r = new SplittableRandom(c.name().hashCode());
        double[] q = random(r, s.elements()), k = random(r, s.elements()), v = random(r, s.elements());
        double[] got = run(c.device(), s, c.config(), q, k, v, null)[0];
        double[] ref = Reference.countBias(q, k, v, s.batch(), s.seqLen(), s.heads(), s.headDim(), c.config().pairs(), c.config().causal());
        double[] direct = Reference.mixture(q, k, v, s.batch(), s.seqLen(), s.heads(), s.headDim(), c.config().pairs(), c.config().causal());
        assertClose("float64 mixture vs count-bias", ref, direct, 1e-12);
        if (c.name().startsWith("O1")) {
            assertClose("count-bias vs vanilla attention", Reference.vanilla(q, k, v, s.batch(), s.seqLen(), s.heads(), s.headDim(),
                    c.config().causal()), ref, 1e-12);
        }
        assertClose(c.toString(), ref, got, 2e-5);
    }

    @ParameterizedTest(name = "O4 convex combination (V = 1) on {0}")
    @MethodSource("devices")
    void convexCombination(String device) {
        AttentionShape s = new AttentionShape(1, 90, 4, 8);
        DilatedAttentionConfig config = DilatedAttentionConfig.of(new int[] {16, 40}, new int[] {1, 4}, true);
        SplittableRandom r = new SplittableRandom(4);
        double[] ones = new double[(int) s.elements()];
        java.util.Arrays.fill(ones, 1.0);
        double[] got = run(device, s, config, random(r, s.elements()), random(r, s.elements()), ones, null)[0];
        for (int i = 0; i < got.length; i++) {
            assertEquals(1.0, got[i], 1e-5, "element " + i);
        }
    }

    @ParameterizedTest(name = "O5 causality (later tokens never change earlier outputs) on {0}")
    @MethodSource("devices")
    void causality(String device) {
        AttentionShape s = new AttentionShape(1, 64, 2, 8);
        DilatedAttentionConfig config = DilatedAttentionConfig.of(new int[] {8, 32}, new int[] {1, 4}, true);
        SplittableRandom r = new SplittableRandom(5);
        double[] q = random(r, s.elements()), k = random(r, s.elements()), v = random(r, s.elements());
        double[] before = run(device, s, config, q, k, v, null)[0];
        int t = 41, row = t * s.heads() * s.headDim();
        for (int i = row; i < q.length; i++) {
            q[i] += 1;
            k[i] -= 2;
            v[i] *= 3;
        }
        double[] after = run(device, s, config, q, k, v, null)[0];
        for (int i = 0; i < row; i++) {
            assertEquals(before[i], after[i], 0.0, "output before position " + t + " changed at element " + i);
        }
    }

    // ---------------------------------------------------------------- matrix-unit forward

    static List<Case> matrixUnitCases() {
        List<Case> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            for (boolean causal : new boolean[] {true, false}) {
                // the (313, 2) blocks hold 157 and 156 rows: a whole first row group, then a key tile cut 3 or 4 keys short
                out.add(new Case(d, "matrix units, padded, r does not divide w, several key tiles", new AttentionShape(2, 313, 3, 64),
                        DilatedAttentionConfig.of(new int[] {20, 100, 313}, new int[] {1, 3, 2}, causal)));
            }
            // The passkey preset's shape: six heads, one per offset of the last pair, whose segment is longer than the
            // sequence and so cut to it (W = N = 698, blocks of 117 and 116 rows), N = 2 modulo 6 as in 128K sequences.
            out.add(new Case(d, "matrix units, last segment cut to N, r = heads", new AttentionShape(1, 698, 6, 64),
                    DilatedAttentionConfig.of(new int[] {20, 80, 200, 4096}, new int[] {1, 2, 4, 6}, true)));
            // Every pair through the TMA-fed kernels' maps (r divides W, W divides N): blocks of 96, 112 and 672 rows, so
            // row tiles of 128 and 192 and key tiles of 128 cut short, up to 11 key tiles through the forwards' rings of 4
            // stages and 11 query windows through the backward's ring of 2 (a stage's barriers through both parities and
            // back); causal with two batch elements, and not causal (every key group sees every window).
            for (boolean causal : new boolean[] {true, false}) {
                out.add(new Case(d, "matrix units, every pair through tensor maps", new AttentionShape(causal ? 2 : 1, 1344, 2, 64),
                        DilatedAttentionConfig.of(new int[] {96, 448, 1344}, new int[] {1, 4, 2}, causal)));
            }
            // No pair of dilation 1: the kernels merge into a reset output and add to zeroed gradients (a first pair
            // of dilation 1 writes them instead), and some rows are in no block at all.
            out.add(new Case(d, "matrix units, first pair dilated", new AttentionShape(1, 150, 3, 64),
                    DilatedAttentionConfig.of(new int[] {40, 150}, new int[] {2, 3}, true)));
        }
        return out;
    }

    /** The matrix-unit cases with each schedule of the kernels (in the forward and the backward alike). */
    static Stream<Arguments> matrixUnitScheduleCases() {
        return matrixUnitCases().stream().flatMap(c -> Stream.of(MatrixUnitSchedule.values()).map(schedule -> Arguments.of(c, schedule)));
    }

    /** The same with the schedules that have backward kernels of their own (the FlashAttention-3-shaped forwards run tma's). */
    static Stream<Arguments> backwardScheduleCases() {
        return matrixUnitScheduleCases().filter(a -> ((MatrixUnitSchedule) a.get()[1]).backward());
    }

    /** The tensor-core forward (each kernel) against float64: bf16 operands, so the relative error norm must stay within 1e-2. */
    @ParameterizedTest(name = "{0}, {1} forward")
    @MethodSource("matrixUnitScheduleCases")
    void matrixUnitForwardMatchesTheReference(Case c, MatrixUnitSchedule forward) {
        AttentionShape s = c.shape();
        SplittableRandom r = new SplittableRandom(91);
        double[] q = random(r, s.elements()), k = random(r, s.elements()), v = random(r, s.elements());
        double[] got = run(c, forward, q, k, v, null, true)[0];
        double[] ref = Reference.countBias(q, k, v, s.batch(), s.seqLen(), s.heads(), s.headDim(), c.config().pairs(), c.config().causal());
        double relative = Check.relativeError(c.toString(), ref, got);
        assertTrue(relative < 1e-2, c + ": relative error " + relative);
        assertTrue(relative > 1e-6, c + ": relative error " + relative + " is too small for bf16 operands: were the matrix units used?");
    }

    /**
     * Padding never takes part: every query is near +u and every key near -u, so each real score is
     * about -|u|^2 / 8 = -8, and a padded key (zero, score 0) that slipped past a mask would outweigh
     * all real keys of its row e^8 times over, in the forward and in the backward's recomputed
     * probabilities. Random data alone would hide such a leak within bf16's tolerance.
     */
    @ParameterizedTest(name = "padding never counts, {0}, {1} kernels")
    @MethodSource("matrixUnitScheduleCases")
    void matrixUnitPaddingNeverCounts(Case c, MatrixUnitSchedule schedule) {
        AttentionShape s = c.shape();
        SplittableRandom r = new SplittableRandom(93);
        double[] q = new double[(int) s.elements()], k = new double[q.length], v = random(r, s.elements());
        for (int i = 0; i < q.length; i++) {
            q[i] = 1 + 0.1 * r.nextDouble(-1, 1);
            k[i] = -1 + 0.1 * r.nextDouble(-1, 1);
        }
        // A forward without a backward of its own runs tma's, whose case checks it on these inputs (the forwards' bits agree).
        double[] g = schedule.backward() ? random(r, s.elements()) : null;
        double[][] fast = run(c, schedule, q, k, v, g, true);
        double[] ref = Reference.countBias(q, k, v, s.batch(), s.seqLen(), s.heads(), s.headDim(), c.config().pairs(), c.config().causal());
        double relative = Check.relativeError(c.toString(), ref, fast[0]);
        assertTrue(relative < 1e-2, c + ": relative error " + relative);
        if (g == null) {
            return;
        }
        double[][] exact = run(c, schedule, q, k, v, g, false);
        String[] names = {"O", "dQ", "dK", "dV"};
        // dK and dV against the fp32 backward, which the gradient checks validate. Not dQ: its rows sum
        // dS (which adds up to 0 over a row) times keys that all share -u, so the shared part cancels
        // and bf16 keys, exact to 2^-8 of u, leave a 5% error in what remains.
        for (int i = 2; i < 4; i++) {
            relative = Check.relativeError(names[i], exact[i], fast[i]);
            assertTrue(relative < 1e-2, c + " " + names[i] + ": relative error " + relative);
        }
    }

    /**
     * The backward with matrix units (dQ, dK, dV on tensor cores) against the fp32 backward, which the
     * finite-difference checks below validate: within a 1e-2 relative error norm, and not exactly
     * equal (bf16 operands must show); the same from bf16 dO with dQ written over O, with dQ added
     * atomically and from its own kernel (deterministic: the same bits on a second run; for the schedules that have such
     * kernels, {@link MatrixUnitSchedule#deterministicBackward}); with each schedule of the kernels.
     */
    @ParameterizedTest(name = "backward {0}, {1} kernels")
    @MethodSource("backwardScheduleCases")
    void matrixUnitBackwardMatchesTheFp32Backward(Case c, MatrixUnitSchedule schedule) {
        AttentionShape s = c.shape();
        SplittableRandom r = new SplittableRandom(92);
        double[] q = random(r, s.elements()), k = random(r, s.elements()), v = random(r, s.elements()), g = random(r, s.elements());
        double[][] exact = run(c.device(), s, c.config(), q, k, v, g, false);
        double[][] fast = run(c, schedule, q, k, v, g, true);
        double[][] inPlace = runInPlace(c, schedule, q, k, v, g, false);
        // The bit-reproducible plan of a schedule without kernels of its own for it runs those of the one it names, checked there.
        boolean ownDeterministic = schedule.deterministicBackward() == schedule;
        double[][] deterministic = ownDeterministic ? runInPlace(c, schedule, q, k, v, g, true) : null;
        double[][] again = ownDeterministic ? runInPlace(c, schedule, q, k, v, g, true) : null;
        String[] names = {"O", "dQ", "dK", "dV"};
        for (int i = 0; i < 4; i++) {
            double relative = Check.relativeError(names[i], exact[i], fast[i]);
            assertTrue(relative < 1e-2, c + " " + names[i] + ": relative error " + relative);
            assertTrue(relative > 1e-6, c + " " + names[i] + ": relative error " + relative + " is too small for bf16 operands");
            if (i > 0) { // the smallest plan: bf16 dO, dQ written over O
                relative = Check.relativeError(names[i] + " (bf16 dO, dQ over O)", exact[i], inPlace[i - 1]);
                assertTrue(relative < 1e-2, c + " " + names[i] + " from bf16 dO, dQ over O: relative error " + relative);
                if (!ownDeterministic) {
                    continue;
                }
                relative = Check.relativeError(names[i] + " (deterministic)", exact[i], deterministic[i - 1]);
                assertTrue(relative < 1e-2, c + " " + names[i] + " deterministic: relative error " + relative);
                assertArrayEquals(deterministic[i - 1], again[i - 1], 0.0, c + " " + names[i] + " deterministic: a second run differs");
            }
        }
    }

    // ---------------------------------------------------------------- O8 gradients

    static List<Case> gradientCases() {
        List<Case> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            out.add(new Case(d, "causal", new AttentionShape(1, 16, 4, 3), DilatedAttentionConfig.of(new int[] {4, 8, 16}, new int[] {1, 2, 4}, true)));
            out.add(new Case(d, "non-causal", new AttentionShape(2, 16, 4, 3), DilatedAttentionConfig.of(new int[] {4, 8, 16}, new int[] {1, 2, 4}, false)));
            out.add(new Case(d, "padded N", new AttentionShape(1, 13, 2, 4), DilatedAttentionConfig.of(new int[] {4, 8}, new int[] {1, 2}, false)));
            out.add(new Case(d, "r does not divide w", new AttentionShape(1, 20, 3, 4), DilatedAttentionConfig.of(new int[] {6, 15}, new int[] {1, 4}, true)));
            out.add(new Case(d, "rows beyond one tile", new AttentionShape(1, 70, 1, 2), DilatedAttentionConfig.of(new int[] {70}, new int[] {1}, true)));
        }
        return out;
    }

    /**
     * dQ, dK, dV of loss = sum(O * G) from the kernels against central differences of the float64
     * reference (eps 1e-6) on every element: the exact §2.3 gradient, mixing weights included.
     */
    @ParameterizedTest(name = "O8 gradient check {0}")
    @MethodSource("gradientCases")
    void gradientsMatchFiniteDifferences(Case c) {
        AttentionShape s = c.shape();
        SplittableRandom r = new SplittableRandom(c.name().hashCode() * 31L);
        double[] q = random(r, s.elements()), k = random(r, s.elements()), v = random(r, s.elements()), g = random(r, s.elements());
        double[][] got = run(c.device(), s, c.config(), q, k, v, g);
        double[][] inputs = {q, k, v};
        String[] names = {"dQ", "dK", "dV"};
        for (int which = 0; which < 3; which++) {
            double[] x = inputs[which];
            double[] numeric = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double keep = x[i];
                x[i] = keep + 1e-6;
                double up = loss(s, c.config(), q, k, v, g);
                x[i] = keep - 1e-6;
                double down = loss(s, c.config(), q, k, v, g);
                x[i] = keep;
                numeric[i] = (up - down) / 2e-6;
            }
            assertClose(names[which] + " " + c, numeric, got[which + 1], 1e-4);
        }
    }

    private static double loss(AttentionShape s, DilatedAttentionConfig config, double[] q, double[] k, double[] v, double[] g) {
        double[] o = Reference.mixture(q, k, v, s.batch(), s.seqLen(), s.heads(), s.headDim(), config.pairs(), config.causal());
        double l = 0;
        for (int i = 0; i < o.length; i++) {
            l += o[i] * g[i];
        }
        return l;
    }

    // ---------------------------------------------------------------- configuration errors

    @Test
    void badConfigurationsFailBeforeAnyWork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DilatedAttentionConfig.of(new int[] {8, 8}, new int[] {1, 2}, true));
        assertTrue(e.getMessage().contains("segment lengths must strictly increase, but 8 follows 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DilatedAttentionConfig.of(new int[] {4}, new int[] {5}, true));
        assertTrue(e.getMessage().contains("dilation rate must be in 1..segment length (4), was 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DilatedAttentionConfig.of(new int[] {4, 8}, new int[] {1}, true));
        assertTrue(e.getMessage().contains("same count"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new AttentionShape(1, 8, 2, 256));
        assertTrue(e.getMessage().contains("head dimension must be <= 128, was 256"), e.getMessage());
        AttentionShape small = new AttentionShape(1, 8, 2, 32);
        BFloat16Array x = new BFloat16Array(small.elements());
        FloatArray out = new FloatArray(small.elements()), lse = new FloatArray(small.rows());
        DilatedAttentionCore core = new DilatedAttentionCore(small, DilatedAttentionConfig.of(new int[] {4}, new int[] {1}, true));
        e = assertThrows(IllegalArgumentException.class, () -> core.appendForward(new TaskGraph("g"), x, x, x, out, lse));
        assertTrue(e.getMessage().contains("matrix-unit attention (bf16 q, k, v) needs head dimension 64, was 32"), e.getMessage());
        // A block's offsets are ints in the matrix-unit kernels: 3M-position segments with 12 heads pass 2^31 (checked before the arrays).
        AttentionShape huge = new AttentionShape(1, 3_000_000, 12, 64);
        DilatedAttentionCore tooLong = new DilatedAttentionCore(huge, DilatedAttentionConfig.of(new int[] {3_000_000}, new int[] {1}, true));
        e = assertThrows(IllegalArgumentException.class, () -> tooLong.appendForward(new TaskGraph("g"), x, x, x, out, lse));
        assertTrue(e.getMessage().contains("segment length 3000000 (dilation 1) with 12 heads is too long"), e.getMessage());
    }
}
