package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.Int8Array;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.utils.QuantizationUtils;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TornadoVM's 8-bit quantized values in kernels, on every test device against plain Java sums: {@code Int8Array}, both
 * {@code QuantizationUtils.dp4a} overloads (the second reading a byte work-group local array), {@code dp4a_packed} and
 * {@code dequantizeFusedResult}.
 */
@DeviceTest
class TornadoQuantizationTest {
    private static final int GROUP = 32, TILE = 128, ROWS = 40, COLUMNS = 300;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** Row r's products from {@code dp4a} on the arrays, {@code dp4a_packed} on packed words, and its float value. */
    static void rowDots(Int8Array w, Int8Array x, IntArray direct, IntArray packed, FloatArray scaled, int columns, float wScale, float xScale) {
        for (@Parallel int r = 0; r < direct.getSize(); r++) {
            int sum = 0;
            int packedSum = 0;
            for (int j = 0; j + 3 < columns; j += 4) {
                sum = QuantizationUtils.dp4a(w, r * columns + j, x, j, sum);
                int wWord = (w.get(r * columns + j) & 0xFF) | (w.get(r * columns + j + 1) & 0xFF) << 8
                        | (w.get(r * columns + j + 2) & 0xFF) << 16 | (w.get(r * columns + j + 3) & 0xFF) << 24;
                int xWord = (x.get(j) & 0xFF) | (x.get(j + 1) & 0xFF) << 8 | (x.get(j + 2) & 0xFF) << 16 | (x.get(j + 3) & 0xFF) << 24;
                packedSum = QuantizationUtils.dp4a_packed(wWord, xWord, packedSum);
            }
            direct.set(r, sum);
            packed.set(r, packedSum);
            scaled.set(r, QuantizationUtils.dequantizeFusedResult(sum, wScale, xScale));
        }
    }

    /** One work-group per row: x in tiles of a byte local array, each work-item's products through the local dp4a. */
    static void rowDotsFromLocalTiles(KernelContext context, Int8Array w, Int8Array x, IntArray partial, int columns) {
        int row = context.groupIdx;
        int lid = context.localIdx;
        byte[] tile = context.allocateByteLocalArray(TILE);
        int sum = 0;
        for (int start = 0; start < columns; start += TILE) {
            for (int i = lid; i < TILE; i += GROUP) {
                tile[i] = start + i < columns ? x.get(start + i) : 0;
            }
            context.localBarrier();
            for (int j = lid * 4; j < TILE && start + j + 3 < columns; j += GROUP * 4) {
                sum = QuantizationUtils.dp4a(w, row * columns + start + j, tile, j, sum);
            }
            context.localBarrier();
        }
        partial.set(row * GROUP + lid, sum);
    }

    @ParameterizedTest(name = "dp4a on {0}")
    @MethodSource("devices")
    void quantizedDotsEqualPlainJavaSums(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(10);
        Int8Array w = new Int8Array(ROWS * COLUMNS), x = new Int8Array(COLUMNS);
        for (int i = 0; i < w.getSize(); i++) {
            w.set(i, (byte) r.nextInt(256));
        }
        for (int i = 0; i < x.getSize(); i++) {
            x.set(i, (byte) r.nextInt(256));
        }
        IntArray direct = new IntArray(ROWS), packed = new IntArray(ROWS), partial = new IntArray(ROWS * GROUP);
        FloatArray scaled = new FloatArray(ROWS);
        float wScale = 0.02f, xScale = 0.5f;
        WorkerGrid1D grid = new WorkerGrid1D(ROWS * GROUP);
        grid.setLocalWork(GROUP, 1, 1);
        TaskGraph graph = new TaskGraph("q").transferToDevice(DataTransferMode.EVERY_EXECUTION, w, x)
                .task("rows", TornadoQuantizationTest::rowDots, w, x, direct, packed, scaled, COLUMNS, wScale, xScale)
                .task("tiles", TornadoQuantizationTest::rowDotsFromLocalTiles, new KernelContext(), w, x, partial, COLUMNS)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, direct, packed, scaled, partial);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("q.tiles", grid)).execute();
        }
        for (int row = 0; row < ROWS; row++) {
            int want = 0;
            for (int j = 0; j < COLUMNS; j++) {
                want += w.get(row * COLUMNS + j) * x.get(j);
            }
            int tiles = 0;
            for (int lid = 0; lid < GROUP; lid++) {
                tiles += partial.get(row * GROUP + lid);
            }
            assertEquals(want, direct.get(row), "dp4a, row " + row);
            assertEquals(want, packed.get(row), "dp4a_packed, row " + row);
            assertEquals(want, tiles, "dp4a with a local tile, row " + row);
            assertEquals((float) want * wScale * xScale, scaled.get(row), "dequantizeFusedResult, row " + row);
        }
    }
}
