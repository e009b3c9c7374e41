package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.longnet.tornado.SimdgroupMatrixKernels.TILE;

/**
 * TornadoVM's SIMD-group matrices on every test device: C = A B over random matrices of 3 x 5 tiles of 8 x 8 (k = 48),
 * C poisoned with NaN first. Each result is within rounding of a float64 product, and equal bit for bit to Java's float
 * loop {@code sum += a * b} over k in order, which is what the tiles compute (a product rounded, then added).
 */
@DeviceTest
class TornadoSimdgroupMatrixTest {
    private static final int M = 24, N = 40, K = 48, TILES = M / TILE * (N / TILE);

    static List<String> devices() {
        return TestDevices.ids();
    }

    private record Inputs(FloatArray a, FloatArray b, FloatArray c) {
        Inputs(long seed) {
            this(TornadoApiTest.random(M * K, seed), TornadoApiTest.random(K * N, seed + 1), new FloatArray(M * N));
            c.init(Float.NaN);
        }

        void check() {
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    float sum = 0;
                    double exact = 0;
                    for (int p = 0; p < K; p++) {
                        sum += a.get(i * K + p) * b.get(p * N + j);
                        exact += (double) a.get(i * K + p) * b.get(p * N + j);
                    }
                    float got = c.get(i * N + j);
                    assertEquals(exact, got, 1e-4, "C(" + i + ", " + j + ") against float64");
                    assertEquals(Float.floatToRawIntBits(sum), Float.floatToRawIntBits(got), "C(" + i + ", " + j + ") = " + got
                            + " against Java's float loop, " + sum);
                }
            }
        }
    }

    @ParameterizedTest(name = "matrixMultiply8x8 on {0}")
    @MethodSource("devices")
    void wholeTileCalls(String id) throws Exception {
        Inputs in = new Inputs(11);
        TornadoApiTest.runOnGrid(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in.a(), in.b(), in.c())
                .task("t", SimdgroupMatrixKernels::wholeTiles, new KernelContext(), in.a(), in.b(), in.c(), M, N, K)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, in.c()), "s.t", TILES, 4);
        in.check();
    }

    @ParameterizedTest(name = "zero, load, multiply-accumulate, store and get on {0}")
    @MethodSource("devices")
    void primitives(String id) throws Exception {
        Inputs in = new Inputs(12);
        FloatArray corner = new FloatArray(TILES);
        corner.init(Float.NaN);
        TornadoApiTest.runOnGrid(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in.a(), in.b(), in.c(), corner)
                .task("t", SimdgroupMatrixKernels::primitiveTiles, new KernelContext(), in.a(), in.b(), in.c(), corner, M, N, K)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, in.c(), corner), "s.t", TILES, 4);
        in.check();
        for (int t = 0; t < TILES; t++) {
            int at = (t / (N / TILE) * TILE + 7) * N + t % (N / TILE) * TILE + 3;
            assertEquals(in.c().get(at), corner.get(t), "element (7, 3) of tile " + t);
        }
    }

    @ParameterizedTest(name = "loads from local and private arrays on {0}")
    @MethodSource("devices")
    void stagedLoads(String id) throws Exception {
        Inputs in = new Inputs(13);
        TornadoApiTest.runOnGrid(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in.a(), in.b(), in.c())
                .task("t", SimdgroupMatrixKernels::stagedTiles, new KernelContext(), in.a(), in.b(), in.c(), M, N, K)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, in.c()), "s.t", TILES, N / TILE);
        in.check();
    }
}
