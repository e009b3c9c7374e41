package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.FP8;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FP8Array;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TornadoVM's warp matrix products (KernelContext.mma and its bf16, int8 and fp8 kin, their loads, stores and async copies)
 * on every test device: random matrices of several tiles each way ({@link TornadoWarpMatrixKernels}), against a float64
 * product of the same rounded inputs plus the accumulator's start, within what float accumulation over k can lose (int8
 * exactly). The output starts as NaN, so an element no lane stores shows.
 */
@DeviceTest
class TornadoWarpMatricesTest {
    private static final int M = 32, N = 32, K = 64;
    private static final float INIT = 0.75f;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** A[i][j] and B[j][col] as the device reads them, exactly. */
    private interface Matrix {
        double at(int row, int col);
    }

    private static double[] product(Matrix a, Matrix b, double init) {
        double[] c = new double[M * N];
        for (int i = 0; i < M; i++) {
            for (int col = 0; col < N; col++) {
                double sum = init;
                for (int j = 0; j < K; j++) {
                    sum += a.at(i, j) * b.at(j, col);
                }
                c[i * N + col] = sum;
            }
        }
        return c;
    }

    /** Each element within the error of a float sum of K + 1 terms in some order: K units in the last place of their magnitudes. */
    private static void check(double[] want, FloatArray got, Matrix a, Matrix b, String where) {
        for (int i = 0; i < M; i++) {
            for (int col = 0; col < N; col++) {
                double magnitude = Math.abs(INIT);
                for (int j = 0; j < K; j++) {
                    magnitude += Math.abs(a.at(i, j) * b.at(j, col));
                }
                float value = got.get(i * N + col);
                assertTrue(!Float.isNaN(value), where + ": C[" + i + "][" + col + "] was not stored");
                assertEquals(want[i * N + col], value, (K + 1) * Math.ulp((float) magnitude), where + ": C[" + i + "][" + col + "]");
            }
        }
    }

    private static FloatArray poisoned() {
        FloatArray c = new FloatArray(M * N);
        c.init(Float.NaN);
        return c;
    }

    private static void run(String id, TaskGraph graph, int localSize, int groups) {
        WorkerGrid grid = new WorkerGrid1D(localSize * groups);
        grid.setLocalWork(localSize, 1, 1);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("w.t", grid)).execute();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Tiles of C: one a warp. */
    private static final int TILES = M / 16 * (N / 8);

    private static HalfFloatArray halves(int n, SplittableRandom r) {
        HalfFloatArray h = new HalfFloatArray(n);
        for (int i = 0; i < n; i++) {
            h.set(i, new HalfFloat((float) r.nextDouble(-2, 2)));
        }
        return h;
    }

    @ParameterizedTest(name = "fp16 products through byte-offset loads and async copies, and with B from a swizzled fp16 tile, on {0}")
    @MethodSource("devices")
    void fp16(String id) {
        for (boolean swizzled : new boolean[] {false, true}) {
            SplittableRandom r = new SplittableRandom(swizzled ? 17 : 16);
            HalfFloatArray a = halves(M * K, r), b = halves(K * N, r);
            FloatArray c = poisoned();
            TaskGraph graph = new TaskGraph("w").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b);
            if (swizzled) {
                run(id, graph.task("t", TornadoWarpMatrixKernels::f16Swizzled, new KernelContext(), a, b, c, N, K, INIT)
                        .transferToHost(DataTransferMode.EVERY_EXECUTION, c), 32, TILES);
            } else {
                run(id, graph.task("t", TornadoWarpMatrixKernels::sixteenBit, new KernelContext(), a, b, c, N, K, INIT, false)
                        .transferToHost(DataTransferMode.EVERY_EXECUTION, c), 32 * TornadoWarpMatrixKernels.WARPS, TILES / TornadoWarpMatrixKernels.WARPS);
            }
            Matrix ma = (i, j) -> a.get(i * K + j).getFloat32(), mb = (j, col) -> b.get(j * N + col).getFloat32();
            check(product(ma, mb, INIT), c, ma, mb, (swizzled ? "swizzled fp16 on " : "fp16 on ") + id);
        }
    }

    @ParameterizedTest(name = "bf16 products (bf16 bits in fp16 words) on {0}")
    @MethodSource("devices")
    void bf16(String id) {
        SplittableRandom r = new SplittableRandom(18);
        int[] aBits = new int[M * K], bBits = new int[K * N];
        for (int i = 0; i < aBits.length; i++) {
            aBits[i] = Float.floatToIntBits((float) r.nextDouble(-3, 3)) >>> 16;
            bBits[i] = Float.floatToIntBits((float) r.nextDouble(-3, 3)) >>> 16;
        }
        HalfFloatArray a = new HalfFloatArray(M * K), b = new HalfFloatArray(K * N);
        for (int i = 0; i < aBits.length; i++) {
            a.set(i, new HalfFloat((short) aBits[i]));
            b.set(i, new HalfFloat((short) bBits[i]));
        }
        FloatArray c = poisoned();
        run(id, new TaskGraph("w").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("t", TornadoWarpMatrixKernels::sixteenBit, new KernelContext(), a, b, c, N, K, INIT, true)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c), 32 * TornadoWarpMatrixKernels.WARPS, TILES / TornadoWarpMatrixKernels.WARPS);
        Matrix ma = (i, j) -> Float.intBitsToFloat(aBits[i * K + j] << 16), mb = (j, col) -> Float.intBitsToFloat(bBits[j * N + col] << 16);
        check(product(ma, mb, INIT), c, ma, mb, "bf16 on " + id);
    }

    /** Row-major {@code bytes} (K x N) interleaved as the int8 and fp8 B loads read them (TornadoWarpMatrixKernels.s8). */
    private static int interleaved(int j, int col) {
        return j / 2 * 2 * N + 2 * col + j % 2;
    }

    @ParameterizedTest(name = "int8 products on {0}")
    @MethodSource("devices")
    void int8(String id) {
        SplittableRandom r = new SplittableRandom(19);
        byte[] aBytes = new byte[M * K], bBytes = new byte[K * N];
        ByteArray a = new ByteArray(M * K), b = new ByteArray(K * N);
        for (int i = 0; i < aBytes.length; i++) {
            aBytes[i] = (byte) r.nextInt(256);
            bBytes[i] = (byte) r.nextInt(256);
            a.set(i, aBytes[i]);
        }
        for (int j = 0; j < K; j++) {
            for (int col = 0; col < N; col++) {
                b.set(interleaved(j, col), bBytes[j * N + col]);
            }
        }
        IntArray c = new IntArray(M * N);
        c.init(Integer.MIN_VALUE);
        int init = -12345;
        run(id, new TaskGraph("w").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("t", TornadoWarpMatrixKernels::s8, new KernelContext(), a, b, c, N, K, init)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c), 32, TILES);
        for (int i = 0; i < M; i++) {
            for (int col = 0; col < N; col++) {
                int want = init;
                for (int j = 0; j < K; j++) {
                    want += aBytes[i * K + j] * bBytes[j * N + col];
                }
                assertEquals(want, c.get(i * N + col), "int8 on " + id + ": C[" + i + "][" + col + "]");
            }
        }
    }

    @ParameterizedTest(name = "fp8 E4M3 and E5M2 products on {0}")
    @MethodSource("devices")
    void fp8(String id) {
        for (boolean e4m3 : new boolean[] {true, false}) {
            SplittableRandom r = new SplittableRandom(e4m3 ? 20 : 21);
            byte[] aCodes = new byte[M * K], bCodes = new byte[K * N];
            for (int i = 0; i < aCodes.length; i++) {
                aCodes[i] = finiteFp8(r, e4m3);
                bCodes[i] = finiteFp8(r, e4m3);
            }
            FP8Array a = new FP8Array(M * K), b = new FP8Array(K * N);
            for (int j = 0; j < K; j++) {
                for (int i = 0; i < M; i++) {
                    a.set(i * K + j, aCodes[i * K + j]);
                }
                for (int col = 0; col < N; col++) {
                    b.set(interleaved(j, col), bCodes[j * N + col]);
                }
            }
            FloatArray c = poisoned();
            run(id, new TaskGraph("w").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                    .task("t", TornadoWarpMatrixKernels::fp8, new KernelContext(), a, b, c, N, K, INIT, e4m3)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, c), 32, TILES);
            Matrix ma = (i, j) -> fp8(aCodes[i * K + j], e4m3), mb = (j, col) -> fp8(bCodes[j * N + col], e4m3);
            check(product(ma, mb, INIT), c, ma, mb, (e4m3 ? "E4M3" : "E5M2") + " on " + id);
        }
    }

    private static double fp8(byte code, boolean e4m3) {
        return e4m3 ? FP8.e4m3ToFloat(code) : FP8.e5m2ToFloat(code);
    }

    /** A random fp8 code that is a finite number (not E4M3's NaN, not E5M2's infinities and NaNs). */
    private static byte finiteFp8(SplittableRandom r, boolean e4m3) {
        while (true) {
            byte code = (byte) r.nextInt(256);
            if (Double.isFinite(fp8(code, e4m3))) {
                return code;
            }
        }
    }
}
