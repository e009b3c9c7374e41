package org.longnet.attention;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The small-block forward ({@link SmallBlockAttention}) on every test device, in fp32, fp16 and bf16 storage, against
 * the float64 mixture of docs/longnet-math.md on the same (rounded) Q, K, V plus their biases: outputs and LSE poisoned first,
 * sequences that end mid-segment, heads and blocks that are not multiples of the work-group size.
 */
@DeviceTest
class SmallBlockAttentionTest {
    record Case(String device, Precision precision, boolean causal, String pattern) {
        @Override
        public String toString() {
            return precision.label() + (causal ? " causal " : " ") + pattern + " on " + device;
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            for (Precision p : Precision.values()) {
                for (boolean causal : new boolean[] {false, true}) {
                    out.add(new Case(d, p, causal, "seed"));
                    out.add(new Case(d, p, causal, "mixture"));
                }
            }
        }
        return out;
    }

    /**
     * The seed's pair (w 64, r 2: 32-row blocks) on 2 x 203 tokens (the last segment 11 long), or three pairs mixed
     * (rows 8, 8, 32; the last segment of w 24 cut short, blocks with no rows where the offset passes its end).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesFloat64Mixture(Case c) {
        boolean seed = c.pattern().equals("seed");
        int b = 2, n = seed ? 203 : 70, h = seed ? 3 : 5, d = seed ? 40 : 64;
        List<DilatedPair> pairs = seed ? List.of(new DilatedPair(64, 2))
                : List.of(new DilatedPair(8, 1), new DilatedPair(24, 3), new DilatedPair(64, 2));
        DilatedAttentionConfig config = new DilatedAttentionConfig(pairs, c.causal());
        AttentionShape shape = new AttentionShape(b, n, h, d);
        SplittableRandom random = new SplittableRandom(11);
        DeviceArray q = stored(c.precision(), AttentionRuns.random(random, shape.elements()));
        DeviceArray k = stored(c.precision(), AttentionRuns.random(random, shape.elements()));
        DeviceArray v = stored(c.precision(), AttentionRuns.random(random, shape.elements()));
        double[][] biases = new double[3][];
        FloatArray[] biasArrays = new FloatArray[3];
        for (int i = 0; i < 3; i++) {
            biases[i] = AttentionRuns.random(random, (long) h * d);
            biasArrays[i] = AttentionRuns.floats(biases[i]);
        }
        DeviceArray out = poisoned(c.precision(), shape.elements());
        FloatArray lse = AttentionRuns.poisoned(shape.rows());
        DilatedAttentionCore core = new DilatedAttentionCore(shape, config);
        assertTrue(core.smallBlocks(), "the case must fit the small-block kernels");
        TaskGraph g = new TaskGraph("small").transferToDevice(DataTransferMode.EVERY_EXECUTION, q, k, v, out, lse)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, biasArrays);
        core.appendSmallBlockForward(g, q, k, v, out, lse, biasArrays).transferToHost(DataTransferMode.EVERY_EXECUTION, out, lse);
        Device device = TestDevices.open(c.device());
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device)) {
            plan.execute();
        }
        double[] ref = Reference.mixture(biased(values(q), biases[0]), biased(values(k), biases[1]), biased(values(v), biases[2]), b, n, h, d,
                pairs, c.causal());
        // fp32 math on the stored inputs; the output rounded once per pair into its storage (2^-24, 2^-11, 2^-8 relative)
        double tolerance = switch (c.precision()) {
            case FP32 -> 2e-5;
            case FP16 -> 2e-3;
            case BF16 -> 1.6e-2;
        };
        double[] got = values(out);
        for (int i = 0; i < ref.length; i++) {
            if (!(Math.abs(got[i] - ref[i]) <= tolerance * (1 + Math.abs(ref[i])))) {
                fail(c + ": element " + i + " is " + got[i] + ", reference " + ref[i]);
            }
        }
        for (long i = 0; i < lse.getSize(); i++) { // every row written: a finite LSE, or -inf where no pair covers it
            if (Float.isNaN(lse.get(i)) || lse.get(i) == Float.POSITIVE_INFINITY) {
                fail(c + ": LSE of row " + i + " is " + lse.get(i));
            }
        }
    }

    @Test
    void refusesBlocksTooLargeOrMixedFormats() {
        AttentionShape shape = new AttentionShape(1, 128, 2, 64);
        DilatedAttentionCore large = new DilatedAttentionCore(shape, DilatedAttentionConfig.of(new int[] {128}, new int[] {2}, false));
        FloatArray x = new FloatArray(shape.elements());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> large.appendSmallBlockForward(new TaskGraph("g"), x, x, x, x, new FloatArray(shape.rows()), null));
        assertTrue(e.getMessage().contains("blocks of at most 32 rows"), e.getMessage());
        DilatedAttentionCore seed = new DilatedAttentionCore(shape, DilatedAttentionConfig.of(new int[] {64}, new int[] {2}, false));
        HalfFloatArray half = new HalfFloatArray(shape.elements());
        e = assertThrows(IllegalArgumentException.class,
                () -> seed.appendSmallBlockForward(new TaskGraph("g"), x, x, x, half, new FloatArray(shape.rows()), null));
        assertTrue(e.getMessage().contains("q, k, v and out in one format"), e.getMessage());
    }

    /** x ([B][N][H D]) plus the bias of its row's elements, in fp32 as the kernels add it. */
    private static double[] biased(double[] x, double[] bias) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i] + (float) bias[i % bias.length];
        }
        return out;
    }

    private static DeviceArray stored(Precision p, double[] x) {
        DeviceArray a = p.allocate(x.length);
        for (int i = 0; i < x.length; i++) {
            Precision.set(a, i, (float) x[i]);
        }
        return a;
    }

    private static DeviceArray poisoned(Precision p, long n) {
        DeviceArray a = p.allocate(n);
        for (long i = 0; i < n; i++) {
            Precision.set(a, i, Float.NaN);
        }
        return a;
    }

    private static double[] values(DeviceArray a) {
        double[] x = new double[(int) a.getSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = Precision.get(a, i);
        }
        return x;
    }
}
