package org.longnet.tornado.libraries;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.BFloat16Array;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.cublas.CuBlas;

import java.util.List;
import java.util.SplittableRandom;

import static org.longnet.tornado.libraries.LibraryTests.assertClose;
import static org.longnet.tornado.libraries.LibraryTests.bf16s;
import static org.longnet.tornado.libraries.LibraryTests.floats;
import static org.longnet.tornado.libraries.LibraryTests.halves;
import static org.longnet.tornado.libraries.LibraryTests.poisoned;
import static org.longnet.tornado.libraries.LibraryTests.poisonedHalves;
import static org.longnet.tornado.libraries.LibraryTests.run;
import static org.longnet.tornado.libraries.LibraryTests.values;

/** cuBLAS's calls through libraryTask on every test device, against float64 column-major references. */
@DeviceTest
class CuBlasTest {
    static List<String> devices() {
        return LibraryTests.devices();
    }

    private static final int EVERY = DataTransferMode.EVERY_EXECUTION;

    @ParameterizedTest(name = "sgemm, every transpose pair, padded leading dimensions, beta 0 and not, on {0}")
    @MethodSource("devices")
    void sgemm(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        int m = 13, n = 7, k = 9;
        for (int op = 0; op < 4; op++) {
            boolean ta = (op & 1) != 0, tb = (op & 2) != 0;
            int lda = (ta ? k : m) + 2, ldb = (tb ? n : k) + 1, ldc = m + 3;
            FloatArray a = floats(r, lda * (ta ? m : k)), b = floats(r, ldb * (tb ? k : n));
            for (float beta : new float[] {0f, 0.75f}) {
                FloatArray c = beta == 0 ? poisoned(ldc * n) : floats(r, ldc * n);
                double[] want = values(c);
                Reference.gemm(ta, tb, m, n, k, 1.5, values(a), 0, lda, values(b), 0, ldb, beta, want, 0, ldc);
                if (beta == 0) {
                    for (int j = 0; j < n; j++) {
                        for (int i = m; i < ldc; i++) {
                            want[i + j * ldc] = Double.NaN; // rows past m are not C's: left as they were
                        }
                    }
                }
                run(id, new TaskGraph("g").transferToDevice(EVERY, a, b, c)
                        .libraryTask("mm", CuBlas::cublasSgemm, ta ? 1 : 0, tb ? 2 : 0, m, n, k, 1.5f, a, lda, b, ldb, beta, c, ldc)
                        .transferToHost(EVERY, c), 1);
                assertClose(want, c, 1e-5);
            }
        }
    }

    @ParameterizedTest(name = "sgemv, both operations, strides 2 and -1, beta, on {0}")
    @MethodSource("devices")
    void sgemv(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(2);
        int m = 11, n = 6, lda = 12;
        FloatArray a = floats(r, lda * n);
        for (int op = 0; op < 2; op++) {
            int rows = op == 0 ? m : n, cols = op == 0 ? n : m;
            FloatArray x = floats(r, 2 * cols), y = floats(r, rows);
            double[] want = values(y), av = values(a), xv = values(x);
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int q = 0; q < cols; q++) {
                    s += (op == 0 ? av[i + q * lda] : av[q + i * lda]) * xv[2 * q];
                }
                int at = rows - 1 - i; // incy -1: element i is at rows - 1 - i
                want[at] = -0.5 * s + 2 * want[at];
            }
            run(id, new TaskGraph("g").transferToDevice(EVERY, a, x, y)
                    .libraryTask("mv", CuBlas::cublasSgemv, op, m, n, -0.5f, a, lda, x, 2, 2f, y, -1).transferToHost(EVERY, y), 1);
            assertClose(want, y, 1e-5);
        }
    }

    @ParameterizedTest(name = "sgemmStridedBatched with gaps between the matrices, on {0}")
    @MethodSource("devices")
    void stridedBatched(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        int m = 5, n = 4, k = 6, batch = 3, sa = m * k + 3, sb = k * n + 1, sc = m * n + 2;
        FloatArray a = floats(r, sa * batch), b = floats(r, sb * batch), c = floats(r, sc * batch);
        double[] want = values(c);
        for (int i = 0; i < batch; i++) {
            Reference.gemm(true, false, m, n, k, 1, values(a), i * sa, k, values(b), i * sb, k, 0.5, want, i * sc, m);
        }
        run(id, new TaskGraph("g").transferToDevice(EVERY, a, b, c).libraryTask("bmm", CuBlas::cublasSgemmStridedBatched, 1, 0, m, n, k, 1f,
                a, k, (long) sa, b, k, (long) sb, 0.5f, c, m, (long) sc, batch).transferToHost(EVERY, c), 1);
        assertClose(want, c, 1e-5);
    }

    @ParameterizedTest(name = "gemmEx fp16, fp16 to fp32, bf16, TF32 sgemm, on {0}")
    @MethodSource("devices")
    void lowPrecision(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(4);
        int m = 24, n = 16, k = 40;
        HalfFloatArray ha = halves(r, m * k), hb = halves(r, k * n), hc = poisonedHalves(m * n);
        FloatArray fc = poisoned(m * n);
        BFloat16Array ba = bf16s(r, m * k), bb = bf16s(r, k * n), bc = new BFloat16Array(m * n);
        FloatArray ta = floats(r, m * k), tb = floats(r, k * n), tc = poisoned(m * n);
        run(id, new TaskGraph("g").transferToDevice(EVERY, ha, hb, ba, bb, ta, tb)
                .libraryTask("h", CuBlas::cublasGemmExFP16, 0, 0, m, n, k, 1f, ha, m, hb, k, 0f, hc, m)
                .libraryTask("hf", CuBlas::cublasGemmExFP16FP32, 0, 0, m, n, k, 1f, ha, m, hb, k, 0f, fc, m)
                .libraryTask("b", CuBlas::cublasGemmExBF16, 0, 0, m, n, k, 1f, ba, m, bb, k, 0f, bc, m)
                .libraryTask("t", CuBlas::cublasSgemmTF32, 0, 0, m, n, k, 1f, ta, m, tb, k, 0f, tc, m)
                .transferToHost(EVERY, hc, fc, bc, tc), 1);
        double[] half = new double[m * n], bf = new double[m * n], tf = new double[m * n];
        Reference.gemm(false, false, m, n, k, 1, values(ha), 0, m, values(hb), 0, k, 0, half, 0, m);
        Reference.gemm(false, false, m, n, k, 1, values(ba), 0, m, values(bb), 0, k, 0, bf, 0, m);
        Reference.gemm(false, false, m, n, k, 1, tf32(values(ta)), 0, m, tf32(values(tb)), 0, k, 0, tf, 0, m);
        assertClose(half, fc, 1e-5);
        assertClose(half, hc, 1e-3); // fp16 keeps 11 bits
        assertClose(bf, bc, 8e-3); // bf16 keeps 8
        assertClose(tf, tc, 1e-5); // the product of TF32-rounded inputs, summed in fp32 or better
    }

    @ParameterizedTest(name = "a kernel before and after sgemv, the graph run twice, on {0}")
    @MethodSource("devices")
    void kernelsAroundTheCall(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        int m = 33, n = 17;
        FloatArray a = floats(r, m * n), x = floats(r, n), x1 = poisoned(n), y = poisoned(m);
        double[] av = values(a), xv = values(x);
        run(id, new TaskGraph("g").transferToDevice(EVERY, a, x)
                .task("pre", LibraryTests::plusOne, x, x1)
                .libraryTask("mv", CuBlas::cublasSgemv, 0, m, n, 1f, a, m, x1, 1, 0f, y, 1)
                .task("post", LibraryTests::addOne, y)
                .transferToHost(EVERY, y), 2);
        double[] want = new double[m];
        for (int i = 0; i < m; i++) {
            for (int q = 0; q < n; q++) {
                want[i] += av[i + q * m] * (xv[q] + 1);
            }
            want[i] += 1;
        }
        assertClose(want, y, 1e-5);
        if (!id.equals("jvm")) { // the jvm device computes in the host's memory; elsewhere the host's copy waits for a transfer
            assertClose(values(poisoned(n)), x1, 0);
        }
    }

    private static double[] tf32(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int bits = Float.floatToIntBits((float) v[i]), kept = bits >>> 13, dropped = bits & 0x1FFF;
            if (dropped > 0x1000 || dropped == 0x1000 && (kept & 1) == 1) {
                kept++; // to nearest, ties to even
            }
            out[i] = Float.intBitsToFloat(kept << 13);
        }
        return out;
    }
}
