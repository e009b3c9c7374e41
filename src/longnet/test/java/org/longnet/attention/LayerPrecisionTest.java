package org.longnet.attention;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's layer (heads of 64, one pair w 64 r 2) scaled down, in each precision, run as the seed times it (input
 * uploaded, forward on the device, output copied back), against the float64 layer on the unrounded input and
 * weights. The error is max |y - ref| / max |ref|: what docs/attention-precision.md states for each choice.
 */
@DeviceTest
class LayerPrecisionTest {
    static final int B = 2, N = 150, D_MODEL = 128, HEADS = 2;

    record Case(String device, Precision precision, boolean tf32, boolean causal, int segment, Positions positions, double bound) {
        @Override
        public String toString() {
            return precision.label() + (tf32 ? " (TF32 allowed)" : "") + (causal ? " causal" : "") + " w " + segment
                    + (positions == Positions.NONE ? "" : " " + positions) + " on " + device;
        }
    }

    /**
     * The bounds are about twice the errors measured on jvm and opencl (fp16 4.6e-4, bf16 3.8e-3; fp32's 2.3e-7 gets
     * room for other summation orders); TF32 on cuda rounds the fp32 products' operands to fp16's 10 mantissa bits, so
     * its bound is fp16's, doubled again for four products.
     */
    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            for (boolean causal : new boolean[] {false, true}) {
                out.add(new Case(d, Precision.FP32, false, causal, 64, Positions.NONE, 2e-6));
                out.add(new Case(d, Precision.FP32, true, causal, 64, Positions.NONE, d.startsWith("cuda") ? 4e-3 : 2e-6));
                out.add(new Case(d, Precision.FP16, false, causal, 64, Positions.NONE, 1e-3));
                out.add(new Case(d, Precision.BF16, false, causal, 64, Positions.NONE, 8e-3));
            }
            // 16-bit layers whose attention runs on the fp32 kernels: 64-row blocks, rotated positions
            out.add(new Case(d, Precision.FP16, false, false, 128, Positions.NONE, 1e-3));
            out.add(new Case(d, Precision.BF16, false, true, 64, Positions.ROTARY, 8e-3));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void seedLayerWithinItsPrecision(Case c) {
        int[] lengths = {c.segment()}, rates = {2};
        try (MultiheadDilatedAttention layer = new MultiheadDilatedAttention(D_MODEL, HEADS, lengths, rates, c.causal(), c.positions(), 5)
                .withPrecision(c.precision(), c.tf32())) {
            SplittableRandom r = new SplittableRandom(3);
            List<FloatArray> params = layer.parameters();
            for (int i = 4; i < 8; i++) {
                for (long e = 0; e < params.get(i).getSize(); e++) {
                    params.get(i).set(e, (float) r.nextDouble(-0.5, 0.5));
                }
            }
            double[] x = AttentionRuns.random(r, (long) B * N * D_MODEL);
            Device device = TestDevices.open(c.device());
            DeviceArray in = layer.input(device, B, N);
            for (int i = 0; i < x.length; i++) {
                Precision.set(in, i, (float) x[i]);
            }
            DeviceArray out = layer.output();
            for (long i = 0; i < out.getSize(); i++) {
                Precision.set(out, i, Float.NaN);
            }
            layer.upload(false);
            layer.forwardOnDevice();
            layer.download(false);
            double[][] p = new double[8][];
            for (int i = 0; i < 8; i++) {
                p[i] = AttentionRuns.doubles(params.get(i));
            }
            double[] ref = LayerReference.forward(x, p, B, N, D_MODEL, HEADS, lengths, rates, c.causal(), c.positions());
            double worst = 0, scale = 0;
            for (int i = 0; i < ref.length; i++) {
                double got = Precision.get(out, i);
                assertTrue(Double.isFinite(got), c + ": element " + i + " is " + got);
                worst = Math.max(worst, Math.abs(got - ref[i]));
                scale = Math.max(scale, Math.abs(ref[i]));
            }
            System.out.printf("layer precision %s: max error %.2e of max |y|%n", c, worst / scale);
            assertTrue(worst / scale <= c.bound(), c + ": max error " + worst / scale + " of max |y|, bound " + c.bound());
        }
    }

    @Test
    void sixteenBitLayersRunForwardOnly() {
        try (MultiheadDilatedAttention layer = new MultiheadDilatedAttention(D_MODEL, HEADS, new int[] {64}, new int[] {2}, false,
                Positions.NONE, 5).withPrecision(Precision.BF16, false)) {
            FloatArray y = layer.forward(TestDevices.open("jvm"), new FloatArray((long) N * D_MODEL), 1, N);
            assertEquals((long) N * D_MODEL, y.getSize());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> layer.backward(new FloatArray(y.getSize())));
            assertEquals("backward needs precision fp32; this layer stores bf16", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("--precision", "fp8"));
        assertEquals("--precision must be one of fp32, fp16, bf16; was 'fp8'", e.getMessage());
    }
}
