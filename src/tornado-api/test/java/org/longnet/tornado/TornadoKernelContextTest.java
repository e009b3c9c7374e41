package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TornadoVM's KernelContext methods beyond ids and barriers, on every test device against host references: atomic
 * sums into an IntArray (a histogram, exact) and a FloatArray, and work-group sums in double and long local arrays.
 * The sizes are no multiples of the work-group's 64.
 */
@DeviceTest
class TornadoKernelContextTest {
    private static final int GROUP = 64, N = 10_007, BINS = 37;

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void histogram(KernelContext context, IntArray values, IntArray bins, FloatArray total) {
        int i = context.globalIdx;
        if (i < values.getSize()) {
            context.atomicAdd(bins, values.get(i), 1);
            context.atomicAdd(total, 0, values.get(i) * 0.5f);
        }
    }

    static void groupSums(KernelContext context, DoubleArray x, LongArray y, DoubleArray xSums, LongArray ySums) {
        int gid = context.globalIdx;
        int lid = context.localIdx;
        double[] xs = context.allocateDoubleLocalArray(GROUP);
        long[] ys = context.allocateLongLocalArray(GROUP);
        xs[lid] = gid < x.getSize() ? x.get(gid) : 0;
        ys[lid] = gid < y.getSize() ? y.get(gid) : 0;
        for (int stride = context.localGroupSizeX / 2; stride > 0; stride /= 2) {
            context.localBarrier();
            if (lid < stride) {
                xs[lid] += xs[lid + stride];
                ys[lid] += ys[lid + stride];
            }
        }
        if (lid == 0) {
            xSums.set(context.groupIdx, xs[0]);
            ySums.set(context.groupIdx, ys[0]);
        }
    }

    private static void run(String id, TaskGraph graph, String task) throws Exception {
        TornadoApiTest.runOnGrid(id, graph, task, (N + GROUP - 1) / GROUP * GROUP, GROUP);
    }

    @ParameterizedTest(name = "atomicAdd on {0}")
    @MethodSource("devices")
    void atomicAddsAllCount(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        IntArray values = new IntArray(N), bins = new IntArray(BINS);
        FloatArray total = FloatArray.fromElements(0.25f);
        int[] want = new int[BINS];
        double wantTotal = 0.25;
        for (int i = 0; i < N; i++) {
            values.set(i, r.nextInt(BINS));
            want[values.get(i)]++;
            wantTotal += values.get(i) * 0.5;
        }
        run(id, new TaskGraph("h").transferToDevice(DataTransferMode.EVERY_EXECUTION, values, bins, total)
                .task("histogram", TornadoKernelContextTest::histogram, new KernelContext(), values, bins, total)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, bins, total), "h.histogram");
        for (int b = 0; b < BINS; b++) {
            assertEquals(want[b], bins.get(b), "bin " + b);
        }
        assertEquals(wantTotal, total.get(0), wantTotal * 1e-5, "total");
    }

    @ParameterizedTest(name = "double and long local arrays on {0}")
    @MethodSource("devices")
    void doubleAndLongLocalArrays(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(6);
        int groups = (N + GROUP - 1) / GROUP;
        DoubleArray x = new DoubleArray(N), xSums = new DoubleArray(groups);
        LongArray y = new LongArray(N), ySums = new LongArray(groups);
        for (int i = 0; i < N; i++) {
            x.set(i, r.nextDouble(-1, 1));
            y.set(i, r.nextLong(1L << 40));
        }
        xSums.init(Double.NaN);
        ySums.init(Long.MIN_VALUE);
        run(id, new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                .task("sums", TornadoKernelContextTest::groupSums, new KernelContext(), x, y, xSums, ySums)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, xSums, ySums), "g.sums");
        for (int g = 0; g < groups; g++) {
            double wantX = 0;
            long wantY = 0;
            for (int i = g * GROUP; i < Math.min(N, (g + 1) * GROUP); i++) {
                wantX += x.get(i);
                wantY += y.get(i);
            }
            assertEquals(wantX, xSums.get(g), 1e-12, "double sum of group " + g);
            assertEquals(wantY, ySums.get(g), "long sum of group " + g);
        }
    }
}
