package org.longnet.attention;

import org.longnet.engine.DeviceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.attention.AttentionRuns.assertClose;

/** The whole layer (projections, positions, mixture) against a float64 reference, values and gradients. */
@DeviceTest
class MultiheadDilatedAttentionTest {
    record Case(String device, Positions positions, boolean causal) {
        @Override
        public String toString() {
            return positions + (causal ? " causal" : " non-causal") + " on " + device;
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            out.add(new Case(d, Positions.NONE, false));
            out.add(new Case(d, Positions.ROTARY, true));
            out.add(new Case(d, Positions.XPOS, true));
        }
        return out;
    }

    static final int B = 2, N = 11, D_MODEL = 8, HEADS = 2;
    static final int[] LENGTHS = {4, 8}, RATES = {1, 2};

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valuesAndGradientsMatchTheFloat64Layer(Case c) {
        try (MultiheadDilatedAttention layer = new MultiheadDilatedAttention(D_MODEL, HEADS, LENGTHS, RATES, c.causal(), c.positions(), 7)) {
            SplittableRandom r = new SplittableRandom(11);
            List<FloatArray> params = layer.parameters();
            for (int i = 4; i < 8; i++) { // biases start at zero; make them matter
                for (long e = 0; e < params.get(i).getSize(); e++) {
                    params.get(i).set(e, (float) r.nextDouble(-0.5, 0.5));
                }
            }
            double[] x = AttentionRuns.random(r, (long) B * N * D_MODEL), g = AttentionRuns.random(r, x.length);
            double[][] p = new double[8][];
            for (int i = 0; i < 8; i++) {
                p[i] = AttentionRuns.doubles(params.get(i));
            }
            FloatArray y = layer.forward(TestDevices.open(c.device()), AttentionRuns.floats(x), B, N);
            assertClose("output " + c, layer(x, p, c), AttentionRuns.doubles(y), 2e-5);
            FloatArray gx = layer.backward(AttentionRuns.floats(g));
            assertClose("dx " + c, numeric(x, x, p, g, c), AttentionRuns.doubles(gx), 1e-4);
            String[] names = {"dWq", "dWk", "dWv", "dWo", "dbq", "dbk", "dbv", "dbo"};
            for (int i = 0; i < 8; i++) {
                assertClose(names[i] + " " + c, numeric(p[i], x, p, g, c), AttentionRuns.doubles(layer.gradients().get(i)), 1e-4);
            }
        }
    }

    /**
     * The layer on matrix units (bf16 Q, K, V; heads of 64) against the same layer on the fp32
     * kernels: output, dx and every parameter gradient that depends on attention within a 2% relative
     * error norm, and not equal.
     */
    @ParameterizedTest(name = "matrix units follow the fp32 layer on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void matrixUnitsFollowTheFp32Layer(String device) {
        int dModel = 128, heads = 2, n = 37;
        SplittableRandom r = new SplittableRandom(12);
        double[] x = AttentionRuns.random(r, (long) n * dModel), g = AttentionRuns.random(r, x.length);
        List<double[]> exact = null;
        for (boolean units : new boolean[] {false, true}) {
            try (MultiheadDilatedAttention layer = new MultiheadDilatedAttention(dModel, heads, new int[] {8, 32}, new int[] {1, 4}, true,
                    Positions.ROTARY, 3).withMatrixUnits(units)) {
                List<double[]> got = new ArrayList<>();
                got.add(AttentionRuns.doubles(layer.forward(TestDevices.open(device), AttentionRuns.floats(x), 1, n)));
                got.add(AttentionRuns.doubles(layer.backward(AttentionRuns.floats(g))));
                layer.gradients().forEach(a -> got.add(AttentionRuns.doubles(a)));
                if (exact == null) {
                    exact = got;
                    continue;
                }
                for (int i = 0; i < got.size(); i++) {
                    double relative = Check.relativeError("array " + i, exact.get(i), got.get(i));
                    if (i == got.size() - 1) { // dbo, the column sums of dy, does not see attention at all
                        assertEquals(0.0, relative, "the output bias gradient");
                    } else {
                        assertTrue(relative < 2e-2 && relative > 1e-6, "array " + i + " (output, dx, then the gradients): relative " + relative);
                    }
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiheadDilatedAttention(8, 2, LENGTHS, RATES, true, Positions.NONE, 1).withMatrixUnits(true));
        assertTrue(e.getMessage().contains("matrix units need dModel / numHeads = 64, was 4"), e.getMessage());
    }

    /** Central differences of sum(layer(x) * g) with respect to every element of {@code of}. */
    private static double[] numeric(double[] of, double[] x, double[][] p, double[] g, Case c) {
        double[] out = new double[of.length];
        for (int i = 0; i < of.length; i++) {
            double keep = of[i];
            of[i] = keep + 1e-6;
            double up = dot(layer(x, p, c), g);
            of[i] = keep - 1e-6;
            double down = dot(layer(x, p, c), g);
            of[i] = keep;
            out[i] = (up - down) / 2e-6;
        }
        return out;
    }

    /** The layer in float64 ({@link LayerReference}) with this test's pairs. */
    static double[] layer(double[] x, double[][] p, Case c) {
        return LayerReference.forward(x, p, B, N, D_MODEL, HEADS, LENGTHS, RATES, c.causal(), c.positions());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void seedModuleAndBadConfigurations() {
        try (DilatedAttention seed = new DilatedAttention(512, 8, 2, 64)) {
            assertEquals(512, seed.dModel());
            assertEquals(List.of(new DilatedPair(64, 2)), seed.config().pairs());
        }
        try (DilatedAttention seed = new DilatedAttention(512, 8, 2, 64)) {
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> seed.forward(TestDevices.open("jvm"), new FloatArray(512), 1 << 20, 1 << 20));
            assertTrue(tooLong.getMessage().contains("needs") && tooLong.getMessage().contains("free"), tooLong.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DilatedAttention(512, 7, 2, 64));
        assertTrue(e.getMessage().contains("dModel (512) must be a positive multiple of numHeads (7)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DilatedAttention(512, 8, 65, 64));
        assertTrue(e.getMessage().contains("dilation rate must be in 1..segment length (64), was 65"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiheadDilatedAttention(512, 8, new int[] {64, 32},
                new int[] {1, 2}, true, Positions.NONE, 0));
        assertTrue(e.getMessage().contains("segment lengths must strictly increase"), e.getMessage());
    }
}
