package org.longnet.tornado.libraries;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.BFloat16Array;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.cutlass.Cutlass;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.longnet.tornado.libraries.LibraryTests.assertClose;
import static org.longnet.tornado.libraries.LibraryTests.bf16s;
import static org.longnet.tornado.libraries.LibraryTests.floats;
import static org.longnet.tornado.libraries.LibraryTests.halves;
import static org.longnet.tornado.libraries.LibraryTests.poisoned;
import static org.longnet.tornado.libraries.LibraryTests.poisonedHalves;
import static org.longnet.tornado.libraries.LibraryTests.run;
import static org.longnet.tornado.libraries.LibraryTests.values;

/** CUTLASS's row-major GEMMs and fused epilogues through libraryTask on every test device, against float64 references. */
@DeviceTest
class CutlassTest {
    private static final int EVERY = DataTransferMode.EVERY_EXECUTION;

    static List<String> devices() {
        return LibraryTests.devices();
    }

    @ParameterizedTest(name = "sgemm with alpha and beta, hgemm, bgemm, batched hgemm, on {0}")
    @MethodSource("devices")
    void gemms(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(31);
        int m = 6, n = 8, k = 12, batch = 3;
        FloatArray a = floats(r, m * k), b = floats(r, k * n), c = floats(r, m * n);
        HalfFloatArray ha = halves(r, m * k), hb = halves(r, k * n), hc = poisonedHalves(m * n);
        HalfFloatArray xa = halves(r, batch * m * k), xb = halves(r, batch * k * n), xc = poisonedHalves(batch * m * n);
        BFloat16Array ba = bf16s(r, m * k), bb = bf16s(r, k * n), bc = new BFloat16Array(m * n);
        double[] want = Reference.rowMajor(m, n, k, values(a), values(b)), old = values(c);
        for (int i = 0; i < want.length; i++) {
            want[i] = 1.5 * want[i] - 0.5 * old[i];
        }
        run(id, new TaskGraph("g").transferToDevice(EVERY, a, b, c, ha, hb, xa, xb, ba, bb)
                .libraryTask("s", Cutlass::cutlassSgemm, m, n, k, 1.5f, a, b, -0.5f, c)
                .libraryTask("h", Cutlass::cutlassHgemm, m, n, k, 1f, ha, hb, 0f, hc)
                .libraryTask("b", Cutlass::cutlassBgemm, m, n, k, 1f, ba, bb, 0f, bc)
                .libraryTask("x", Cutlass::cutlassHgemmBatched, m, n, k, 1f, xa, xb, 0f, xc, batch)
                .transferToHost(EVERY, c, hc, bc, xc), 1);
        assertClose(want, c, 1e-5);
        assertClose(Reference.rowMajor(m, n, k, values(ha), values(hb)), hc, 1e-3);
        assertClose(Reference.rowMajor(m, n, k, values(ba), values(bb)), bc, 8e-3);
        double[] xav = values(xa), xbv = values(xb), batched = new double[batch * m * n];
        for (int i = 0; i < batch; i++) {
            double[] one = Reference.rowMajor(m, n, k, java.util.Arrays.copyOfRange(xav, i * m * k, (i + 1) * m * k),
                    java.util.Arrays.copyOfRange(xbv, i * k * n, (i + 1) * k * n));
            System.arraycopy(one, 0, batched, i * m * n, m * n);
        }
        assertClose(batched, xc, 1e-3);
    }

    @ParameterizedTest(name = "GEMM + bias + relu, gelu, silu, sigmoid, tanh, hardswish, on {0}")
    @MethodSource("devices")
    void fusedEpilogues(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(32);
        int m = 5, n = 12, k = 8;
        HalfFloatArray a = halves(r, m * k), b = halves(r, k * n), bias = halves(r, n);
        HalfFloatArray[] d = new HalfFloatArray[6];
        for (int i = 0; i < d.length; i++) {
            d[i] = poisonedHalves(m * n);
        }
        run(id, new TaskGraph("g").transferToDevice(EVERY, a, b, bias)
                .libraryTask("relu", Cutlass::cutlassGemmBiasRelu, m, n, k, a, b, bias, d[0])
                .libraryTask("gelu", Cutlass::cutlassGemmBiasGelu, m, n, k, a, b, bias, d[1])
                .libraryTask("silu", Cutlass::cutlassGemmBiasSilu, m, n, k, a, b, bias, d[2])
                .libraryTask("sigmoid", Cutlass::cutlassGemmBiasSigmoid, m, n, k, a, b, bias, d[3])
                .libraryTask("tanh", Cutlass::cutlassGemmBiasTanh, m, n, k, a, b, bias, d[4])
                .libraryTask("hardswish", Cutlass::cutlassGemmBiasHardSwish, m, n, k, a, b, bias, d[5])
                .transferToHost(EVERY, (Object[]) d), 1);
        DoubleUnaryOperator[] f = {x -> Math.max(0, x), x -> x * normalCdf(x), x -> x / (1 + Math.exp(-x)), x -> 1 / (1 + Math.exp(-x)), Math::tanh,
            x -> x * Math.min(6, Math.max(0, x + 3)) / 6};
        double[] product = Reference.rowMajor(m, n, k, values(a), values(b)), bv = values(bias);
        for (int e = 0; e < f.length; e++) {
            double[] want = new double[m * n];
            for (int i = 0; i < m * n; i++) {
                want[i] = f[e].applyAsDouble(product[i] + bv[i % n]);
            }
            assertClose(want, d[e], 1e-3);
        }
    }

    @ParameterizedTest(name = "kernel, sgemm, kernel, sgemm: each reads the one before, on {0}")
    @MethodSource("devices")
    void chainWithKernels(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(33);
        int m = 7, n = 5, k = 9;
        FloatArray a = floats(r, m * k), a1 = poisoned(m * k), b = floats(r, k * n), c = floats(r, n * n), t = poisoned(m * n), e = poisoned(m * n);
        run(id, new TaskGraph("g").transferToDevice(EVERY, a, b, c)
                .task("pre", LibraryTests::plusOne, a, a1)
                .libraryTask("mm1", Cutlass::cutlassSgemm, m, n, k, 1f, a1, b, 0f, t)
                .task("mid", LibraryTests::addOne, t)
                .libraryTask("mm2", Cutlass::cutlassSgemm, m, n, n, 1f, t, c, 0f, e)
                .transferToHost(EVERY, e), 2);
        double[] av = values(a);
        for (int i = 0; i < av.length; i++) {
            av[i] += 1;
        }
        double[] tv = Reference.rowMajor(m, n, k, av, values(b));
        for (int i = 0; i < tv.length; i++) {
            tv[i] += 1;
        }
        assertClose(Reference.rowMajor(m, n, n, tv, values(c)), e, 1e-5);
    }

    @Test
    void sixteenBitShapesMustBeMultiplesOfFour() {
        TornadoRuntimeException e = assertThrows(TornadoRuntimeException.class,
                () -> Cutlass.cutlassHgemm(4, 8, 6, 1f, new HalfFloatArray(24), new HalfFloatArray(48), 0f, new HalfFloatArray(32)));
        assertEquals("cutlassHgemm: n and k must be multiples of 4 (the 16-bit kernels load 4 elements at once), were n 8, k 6", e.getMessage());
    }

    /** Phi(x) = 1/2 + (1/sqrt(2 pi)) * integral of exp(-t^2/2) from 0 to x, by Simpson's rule. */
    private static double normalCdf(double x) {
        int steps = 2000;
        double h = x / steps, sum = 0;
        for (int i = 0; i <= steps; i++) {
            double t = i * h, w = i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2;
            sum += w * Math.exp(-t * t / 2);
        }
        return 0.5 + sum * h / 3 / Math.sqrt(2 * Math.PI);
    }
}
