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
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TornadoVM's swizzled local tiles on every test device: each work-item stores its element through a swizzled accessor and
 * reads the tile back plainly at its own index, so the output is the input permuted by the swizzle itself (a store and a
 * load through the same accessor would meet under any permutation, and prove nothing). The permutation expected is
 * written here from its definition: the byte offset of (row, col) with bits 4-6 (3-5 for the stride-16 fp16 form) flipped
 * by bits 7-9 (6-8).
 */
@DeviceTest
class TornadoSwizzledTilesTest {
    private static final int TILE = 512, GROUPS = 3;

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void permute(KernelContext context, HalfFloatArray halves, ByteArray bytes, HalfFloatArray wide, HalfFloatArray narrow,
            ByteArray int8) {
        int g = context.globalIdx;
        int l = context.localIdx;
        HalfFloat[] wideTile = context.allocateHalfFloatLocalArray(TILE);
        HalfFloat[] narrowTile = context.allocateHalfFloatLocalArray(TILE);
        byte[] byteTile = context.allocateByteLocalArray(TILE);
        context.swizzleStoreFp16Stride32(wideTile, l / 16, l % 16, 16, halves.get(g));
        context.swizzleStoreFp16Stride16(narrowTile, l / 8, l % 8, 8, halves.get(g));
        context.swizzleStoreInt8(byteTile, l / 32, l % 32, 32, bytes.get(g));
        context.localBarrier();
        wide.set(g, wideTile[l]);
        narrow.set(g, narrowTile[l]);
        int8.set(g, byteTile[l]);
        // and back through the loads: the input again
        HalfFloat wideBack = context.swizzleLoadFp16Stride32(wideTile, l / 16, l % 16, 16);
        halves.set(g, HalfFloat.add(wideBack, context.swizzleLoadFp16Stride16(narrowTile, l / 8, l % 8, 8)));
        bytes.set(g, context.swizzleLoadInt8(byteTile, l / 32, l % 32, 32));
    }

    /** Where element {@code index} of elementBytes-byte elements lands: its byte offset, bits flipped by its line. */
    private static int landing(int index, int elementBytes, int lineShift, int flipShift) {
        int offset = index * elementBytes;
        return (offset ^ (((offset >> lineShift) & 7) << flipShift)) / elementBytes;
    }

    @ParameterizedTest(name = "swizzled tiles on {0}")
    @MethodSource("devices")
    void swizzledStoresLandWhereTornadoVMPutsThem(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(21);
        int n = TILE * GROUPS;
        HalfFloatArray halves = new HalfFloatArray(n), wide = new HalfFloatArray(n), narrow = new HalfFloatArray(n);
        ByteArray bytes = new ByteArray(n), int8 = new ByteArray(n);
        for (int i = 0; i < n; i++) {
            halves.set(i, new HalfFloat((float) r.nextDouble(-100, 100)));
            bytes.set(i, (byte) r.nextInt(256));
        }
        HalfFloatArray halvesIn = HalfFloatArray.concat(halves);
        ByteArray bytesIn = ByteArray.concat(bytes);
        WorkerGrid grid = new WorkerGrid1D(n);
        grid.setLocalWork(TILE, 1, 1);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, halves, bytes)
                .task("t", TornadoSwizzledTilesTest::permute, new KernelContext(), halves, bytes, wide, narrow, int8)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, halves, bytes, wide, narrow, int8);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("s.t", grid)).execute();
        }
        for (int group = 0; group < GROUPS; group++) {
            for (int l = 0; l < TILE; l++) {
                int g = group * TILE + l;
                int wideAt = group * TILE + landing(l, 2, 7, 4), narrowAt = group * TILE + landing(l, 2, 6, 3);
                int byteAt = group * TILE + landing(l, 1, 7, 4);
                assertEquals(halvesIn.get(g).getHalfFloatValue(), wide.get(wideAt).getHalfFloatValue(), "stride-32 fp16 tile, element " + g);
                assertEquals(halvesIn.get(g).getHalfFloatValue(), narrow.get(narrowAt).getHalfFloatValue(), "stride-16 fp16 tile, element " + g);
                assertEquals(bytesIn.get(g), int8.get(byteAt), "int8 tile, element " + g);
                assertEquals(HalfFloat.add(halvesIn.get(g), halvesIn.get(g)).getHalfFloatValue(), halves.get(g).getHalfFloatValue(), "loads " + g);
                assertEquals(bytesIn.get(g), bytes.get(g), "int8 load " + g);
            }
        }
    }
}
