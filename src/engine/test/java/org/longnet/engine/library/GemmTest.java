package org.longnet.engine.library;

import org.longnet.engine.DeviceTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GEMM on every device against a float64 reference: transposes, batches, beta, 16-bit inputs, odd sizes and offsets. */
@DeviceTest
class GemmTest {
    record Case(String device, Gemm.Implementation implementation, boolean transA, boolean transB, int batch, String inputType,
                boolean narrowC, boolean tf32) {
        Case(String device, Gemm.Implementation implementation, boolean transA, boolean transB, int batch, String inputType) {
            this(device, implementation, transA, transB, batch, inputType, false, false);
        }

        @Override
        public String toString() {
            return implementation + " " + inputType + (transA ? " A^T" : " A") + (transB ? " B^T" : " B") + " batch " + batch
                    + (narrowC ? ", C in " + inputType : "") + (tf32 ? ", TF32 allowed" : "") + " on " + device;
        }
    }

    /** Every implementation that can run on each device (cuBLAS only on CUDA), in every transpose combination. */
    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            List<Gemm.Implementation> impls = new ArrayList<>(List.of(Gemm.Implementation.TILED, Gemm.Implementation.ROWS));
            if (d.startsWith("cuda")) {
                impls.add(Gemm.Implementation.CUBLAS);
            }
            for (Gemm.Implementation impl : impls) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        out.add(new Case(d, impl, ta, tb, ta == tb ? 3 : 1, "fp32"));
                    }
                }
                out.add(new Case(d, impl, false, true, 2, "bf16"));
                out.add(new Case(d, impl, true, false, 2, "bf16", true, false));
                out.add(new Case(d, impl, true, false, 1, "fp16"));
                out.add(new Case(d, impl, false, false, 2, "fp16", true, false));
                // TF32 changes cuBLAS's products only; the portable kernels must stay at fp32 accuracy
                out.add(new Case(d, impl, false, true, 1, "fp32", false, true));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesFloat64Reference(Case c) {
        Device device = TestDevices.open(c.device());
        int m = 131, n = 77, k = 145;
        int lda = (c.transA() ? m : k) + 3, ldb = (c.transB() ? k : n) + 1, ldc = n + 5;
        long strideA = (long) (c.transA() ? k : m) * lda + 7, strideB = (long) (c.transB() ? n : k) * ldb, strideC = (long) m * ldc + 2;
        GemmShape shape = new GemmShape(c.transA(), c.transB(), m, n, k, 0.75f, -0.5f, lda, ldb, ldc, strideA, strideB, strideC, c.batch());
        long offA = 11, offB = 6, offC = 13;
        DeviceArray a = input(c.inputType(), offA + shape.sizeA(), 1);
        DeviceArray b = input(c.inputType(), offB + shape.sizeB(), 2);
        // C starts random (beta reads it) and, as bf16, rounded; past its matrix its elements must come back as they were
        DeviceArray cIn = input(c.narrowC() ? c.inputType() : "fp32", offC + shape.sizeC(), 3);
        double[] ref = Check.toDoubles(cIn);
        double[] av = Check.toDoubles(a), bv = Check.toDoubles(b);
        for (int z = 0; z < c.batch(); z++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double x = av[(int) (offA + z * strideA + (c.transA() ? (long) p * lda + i : (long) i * lda + p))];
                        double y = bv[(int) (offB + z * strideB + (c.transB() ? (long) j * ldb + p : (long) p * ldb + j))];
                        s += x * y;
                    }
                    int at = (int) (offC + z * strideC + (long) i * ldc + j);
                    ref[at] = 0.75 * s - 0.5 * ref[at];
                }
            }
        }
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b, cIn)
                .library("mm", Gemm.of(shape, a, offA, b, offB, cIn, offC).using(c.implementation()).allowingTf32(c.tf32()))
                .transferToHost(DataTransferMode.EVERY_EXECUTION,
                        cIn).snapshot()).withDevice(device)) {
            plan.execute();
        }
        if (c.narrowC()) { // the product rounded once to 16 bits: 2^-9 of its size in bf16, 2^-12 in fp16; C's other elements exact
            double[] got = Check.toDoubles(cIn);
            FloatArray gotFloats = new FloatArray(got.length);
            for (int i = 0; i < got.length; i++) {
                gotFloats.set(i, (float) got[i]);
            }
            Check.close("gemm " + c, ref, gotFloats, 5e-3, 4e-3);
        } else if (c.tf32() && c.implementation() == Gemm.Implementation.CUBLAS) {
            // operands rounded to 10 mantissa bits: each term off by up to 2^-10 of itself, 145 terms of about 1/3
            Check.close("gemm " + c, ref, (FloatArray) cIn, 2e-3, 1e-2);
        } else {
            Check.close("gemm " + c, ref, (FloatArray) cIn, 1e-4, 1e-4);
        }
    }

    private static DeviceArray input(String type, long n, long seed) {
        FloatArray f = Check.random(n, seed, -1, 1);
        return switch (type) {
            case "bf16" -> {
                BFloat16Array b = new BFloat16Array(n);
                for (long i = 0; i < n; i++) {
                    b.set(i, f.get(i));
                }
                yield b;
            }
            case "fp16" -> {
                HalfFloatArray h = new HalfFloatArray(n);
                for (long i = 0; i < n; i++) {
                    h.set(i, f.get(i));
                }
                yield h;
            }
            default -> f;
        };
    }

    @org.junit.jupiter.api.Test
    void rejectsShapesThatDoNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GemmShape(false, false, 4, 4, 8, 1, 0, 4, 4, 4, 32, 32, 16, 1));
        assertTrue(e.getMessage().contains("lda must be >= k = 8, was 4"), e.getMessage());
        FloatArray small = new FloatArray(10);
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.of(GemmShape.of(2, 2, 2), small, small, small)
                .using(Gemm.Implementation.CUBLAS).run(TestDevices.open("jvm"), false));
        assertTrue(e.getMessage().contains("CUBLAS needs a cuda device"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.of(GemmShape.of(4, 4, 4), small, small, small));
        assertTrue(e.getMessage().contains("A has 10 elements but the shape needs 16"), e.getMessage());
        FloatArray sixteen = new FloatArray(16);
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.of(GemmShape.of(2, 2, 2), sixteen, 0, sixteen, 13, sixteen, 0));
        assertTrue(e.getMessage().contains("B has 16 elements but the shape needs 4 after its offset 13"), e.getMessage());
    }
}
