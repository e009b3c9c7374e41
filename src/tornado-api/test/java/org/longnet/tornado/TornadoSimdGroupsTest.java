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
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * KernelContext's SIMD-group operations (TornadoVM's simdSum, simdShuffleDown, simdBroadcastFirst) on every test device, on
 * random inputs, against plain Java in float64: a SIMD group is 32 work-items of consecutive linear local ids, and a
 * work-group whose size is no multiple of 32 ends with a smaller one.
 */
@DeviceTest
class TornadoSimdGroupsTest {
    private static final int WIDTH = 32;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** Each work-item's three results, at its linear global index (x fastest). */
    static void lanes(KernelContext context, FloatArray in, FloatArray sum, FloatArray down, FloatArray first, int delta) {
        int g = context.globalIdy * context.globalGroupSizeX + context.globalIdx;
        float v = in.get(g);
        sum.set(g, context.simdSum(v));
        down.set(g, context.simdShuffleDown(v, delta));
        first.set(g, context.simdBroadcastFirst(v));
    }

    /**
     * A row of w times x per work-group of 32: lanes stride over the row, then SIMD sums in a loop (the total over 32,
     * three times), and lane 0 reports what the last lane left in a local array of the kernel's own.
     */
    static void rows(KernelContext context, FloatArray x, FloatArray w, FloatArray out, int n) {
        float[] last = context.allocateFloatLocalArray(WIDTH);
        int row = context.groupIdx;
        int lane = context.localIdx;
        float partial = 0f;
        for (int j = lane; j < n; j += context.localGroupSizeX) {
            partial += w.get(row * n + j) * x.get(j);
        }
        for (int step = 0; step < 3; step++) {
            partial = context.simdSum(partial) / WIDTH;
        }
        last[lane] = partial * WIDTH;
        context.localBarrier();
        if (lane == 0) {
            out.set(row, last[WIDTH - 1]);
        }
    }

    /** What {@link #lanes} must give, the work-groups {@code size} work-items long (linear local ids), each ending with its smaller SIMD group. */
    private static void check(FloatArray in, FloatArray sum, FloatArray down, FloatArray first, int delta, int size,
            String where) {
        for (int g = 0; g < in.getSize(); g++) {
            int local = g % size, base = g - local + local / WIDTH * WIDTH, lane = local % WIDTH;
            int lanes = Math.min(WIDTH, size - local / WIDTH * WIDTH);
            double total = 0, magnitude = 0;
            for (int j = 0; j < lanes; j++) {
                total += in.get(base + j);
                magnitude += Math.abs(in.get(base + j));
            }
            assertEquals(total, sum.get(g), 1e-6 * magnitude, where + ": simdSum at " + g);
            float expectedDown = delta >= 0 && lane + delta < lanes ? in.get(g + delta) : in.get(g);
            assertEquals(expectedDown, down.get(g), where + ": simdShuffleDown(" + delta + ") at " + g);
            assertEquals(in.get(base), first.get(g), where + ": simdBroadcastFirst at " + g);
        }
    }

    private static FloatArray random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatArray a = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, (float) r.nextDouble(-10, 10));
        }
        return a;
    }

    private static void runLanes(String id, WorkerGrid grid, int n, int delta, int groupSize, String where) throws Exception {
        FloatArray in = random(n, 31L * n + delta), sum = new FloatArray(n), down = new FloatArray(n), first = new FloatArray(n);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t", TornadoSimdGroupsTest::lanes, new KernelContext(), in, sum, down, first, delta)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sum, down, first);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("s.t", grid)).execute();
        }
        check(in, sum, down, first, delta, groupSize, where + " on " + id);
    }

    @ParameterizedTest(name = "SIMD groups of whole work-groups on {0}")
    @MethodSource("devices")
    void groupsOfThirtyTwoSumShuffleAndBroadcast(String id) throws Exception {
        for (int delta : new int[] {0, 1, 5, 16, 31, 32, -1}) {
            WorkerGrid grid = new WorkerGrid1D(3 * 64);
            grid.setLocalWork(64, 1, 1);
            runLanes(id, grid, 3 * 64, delta, 64, "work-groups of 64, delta " + delta);
        }
    }

    @ParameterizedTest(name = "a last SIMD group of fewer lanes on {0}")
    @MethodSource("devices")
    void aWorkGroupOfNoMultipleOfThirtyTwoEndsWithASmallerSimdGroup(String id) throws Exception {
        for (int delta : new int[] {1, 8, 15, 16}) {
            WorkerGrid grid = new WorkerGrid1D(4 * 48);
            grid.setLocalWork(48, 1, 1);
            runLanes(id, grid, 4 * 48, delta, 48, "work-groups of 48, delta " + delta);
        }
    }

    @ParameterizedTest(name = "SIMD groups of a 2D work-group, x fastest, on {0}")
    @MethodSource("devices")
    void twoDimensionalWorkGroupsFormSimdGroupsXFastest(String id) throws Exception {
        // a global 16 x 12 grid in work-groups of 16 x 4: 64 work-items each, the rows of a group consecutive in memory
        WorkerGrid grid = new WorkerGrid2D(16, 12);
        grid.setLocalWork(16, 4, 1);
        runLanes(id, grid, 16 * 12, 3, 64, "2D work-groups of 16 x 4");
    }

    @ParameterizedTest(name = "SIMD sums in a loop beside a local array on {0}")
    @MethodSource("devices")
    void simdSumsInALoopGiveRowDotProducts(String id) throws Exception {
        int rows = 37, n = 300;
        FloatArray x = random(n, 1), w = random(rows * n, 2), out = new FloatArray(rows);
        WorkerGrid grid = new WorkerGrid1D(rows * WIDTH);
        grid.setLocalWork(WIDTH, 1, 1);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, w)
                .task("t", TornadoSimdGroupsTest::rows, new KernelContext(), x, w, out, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("s.t", grid)).execute();
        }
        for (int r = 0; r < rows; r++) {
            double dot = 0, magnitude = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) w.get(r * n + j) * x.get(j);
                magnitude += Math.abs((double) w.get(r * n + j) * x.get(j));
            }
            assertEquals(dot, out.get(r), 1e-5 * magnitude, "row " + r + " on " + id);
        }
    }
}
