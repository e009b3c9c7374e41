package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.CharArray;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TornadoVM's API through the compatibility module, on every test device: graphs, plans, grids, reductions, types, profiles. */
@DeviceTest
class TornadoApiTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    /** The TornadoVM device whose engine id is {@code id} or starts with {@code id:} (opencl is opencl:0:0). */
    static TornadoDevice device(String id) {
        return TornadoTestDevices.device(id);
    }

    private static void run(String id, TaskGraph graph, GridScheduler grids) throws TornadoExecutionPlanException {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(device(id));
            if (grids != null) {
                plan.withGridScheduler(grids);
            }
            plan.execute();
        }
    }

    /** Runs {@code graph} once on device {@code id}, its task {@code task} over {@code items} work-items in groups of {@code group}. */
    static void runOnGrid(String id, TaskGraph graph, String task, int items, int group) throws TornadoExecutionPlanException {
        WorkerGrid grid = new WorkerGrid1D(items);
        grid.setLocalWork(group, 1, 1);
        run(id, graph, new GridScheduler(task, grid));
    }

    static FloatArray random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatArray a = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, (float) r.nextDouble(-1, 1));
        }
        return a;
    }

    /** c = a · b for n x n matrices row by row, against float64 sums. */
    private static void assertProduct(FloatArray a, FloatArray b, FloatArray c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0;
                for (int k = 0; k < n; k++) {
                    ref += (double) a.get(i * n + k) * b.get(k * n + j);
                }
                assertEquals(ref, c.get(i * n + j), 1e-4, "C[" + i + "][" + j + "]");
            }
        }
    }

    @ParameterizedTest(name = "vectorAdd on {0}")
    @MethodSource("devices")
    void vectorAddOfPrivateUnannotatedKernel(String id) throws Exception {
        int n = 10_007;
        FloatArray a = random(n, 1), b = random(n, 2), c = new FloatArray(n);
        c.init(Float.NaN);
        run(id, new TaskGraph("s0").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b)
                .task("t0", TornadoKernels::vectorAdd, a, b, c).transferToHost(DataTransferMode.EVERY_EXECUTION, c), null);
        for (int i = 0; i < n; i++) {
            assertEquals(a.get(i) + b.get(i), c.get(i), 1e-6, "element " + i);
        }
    }

    private static final float OFFSET = 0.25f;

    /** A private kernel with a private helper and a private constant, as TornadoVM's examples write them. */
    private static void offsetSquares(FloatArray x, FloatArray y) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            y.set(i, square(x.get(i)) + OFFSET);
        }
    }

    private static float square(float v) {
        return v * v;
    }

    @ParameterizedTest(name = "private kernel on {0}")
    @MethodSource("devices")
    void privateKernelWithPrivateHelperAndConstant(String id) throws Exception {
        int n = 5000;
        FloatArray x = random(n, 10), y = new FloatArray(n);
        run(id, new TaskGraph("s").transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                .task("sq", TornadoApiTest::offsetSquares, x, y).transferToHost(DataTransferMode.EVERY_EXECUTION, y), null);
        for (int i = 0; i < n; i++) {
            assertEquals(x.get(i) * x.get(i) + OFFSET, y.get(i), 1e-6, "element " + i);
        }
    }

    @ParameterizedTest(name = "2D matrixMultiply on {0}")
    @MethodSource("devices")
    void matrixMultiplyOverTwoParallelLoops(String id) throws Exception {
        int n = 67;
        FloatArray a = random(n * n, 3), b = random(n * n, 4), c = new FloatArray(n * n);
        run(id, new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("mxm", TornadoKernels::matrixMultiply, a, b, c, n).transferToHost(DataTransferMode.EVERY_EXECUTION, c), null);
        assertProduct(a, b, c, n);
    }

    @ParameterizedTest(name = "oversized work-group of a @Parallel task on {0}")
    @MethodSource("devices")
    void oversizedGroupOfParallelTaskRunsWithTheDefaultButKernelContextIsRefused(String id) throws Exception {
        int n = 67;
        FloatArray a = random(n * n, 11), b = random(n * n, 12), c = new FloatArray(n * n);
        c.init(Float.NaN);
        WorkerGrid2D huge = new WorkerGrid2D(n, n);
        huge.setLocalWork(256, 256, 1); // 65,536 work-items a group: more than any device has
        run(id, new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("mxm", TornadoKernels::matrixMultiply, a, b, c, n).transferToHost(DataTransferMode.EVERY_EXECUTION, c),
                new GridScheduler("s0.mxm", huge));
        assertProduct(a, b, c, n);
        FloatArray in = random(n * n, 13), out = new FloatArray(n * n);
        WorkerGrid2D hugeContext = new WorkerGrid2D(n, n);
        hugeContext.setLocalWork(256, 256, 1);
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> run(id, new TaskGraph("t")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, in).task("tr", TornadoKernels::transpose, new KernelContext(), in, out, n, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out), new GridScheduler("t.tr", hugeContext)));
        assertTrue(String.valueOf(refused.getMessage()).contains("exceeds the maximum"), refused.getMessage());
    }

    @ParameterizedTest(name = "KernelContext task with no grid runs as one work-item on {0}")
    @MethodSource("devices")
    void kernelContextTaskWithoutGridRunsAsOneWorkItem(String id) throws Exception {
        int n = 1001;
        FloatArray in = random(n, 14), out = new FloatArray(n);
        out.init(Float.NaN);
        IntArray sizes = new IntArray(2);
        sizes.init(-1);
        run(id, new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, in, sizes)
                .task("sum", TornadoKernels::runningSumOneThread, new KernelContext(), in, out, sizes)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out, sizes), null);
        assertEquals(1, sizes.get(0), "global size");
        assertEquals(1, sizes.get(1), "local size");
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += in.get(i);
            assertEquals(sum, out.get(i), "running sum element " + i);
        }
    }

    @ParameterizedTest(name = "@Reduce on {0}")
    @MethodSource("devices")
    void reductionsKeepTheElementsValueAndAddEveryIteration(String id) throws Exception {
        int n = 1 << 20;
        FloatArray ones = new FloatArray(n);
        ones.init(1f);
        FloatArray sum = FloatArray.fromElements(5f);
        IntArray ints = new IntArray(n - 3);
        DoubleArray doubles = new DoubleArray(1000);
        LongArray longs = new LongArray(n);
        long expectedLongs = 0;
        int expectedMax = Integer.MIN_VALUE;
        double expectedSquares = 0;
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < ints.getSize(); i++) {
            ints.set(i, r.nextInt(-1_000_000, 1_000_000));
            expectedMax = Math.max(expectedMax, ints.get(i));
        }
        for (int i = 0; i < doubles.getSize(); i++) {
            doubles.set(i, i * 0.5);
            expectedSquares += i * 0.5 * (i * 0.5);
        }
        for (int i = 0; i < n; i++) {
            longs.set(i, 1_000_000_007L * i);
            expectedLongs += 1_000_000_007L * i;
        }
        IntArray max = IntArray.fromElements(Integer.MIN_VALUE);
        DoubleArray squares = new DoubleArray(1);
        LongArray total = new LongArray(1);
        run(id, new TaskGraph("r").transferToDevice(DataTransferMode.EVERY_EXECUTION, ones, sum, ints, max, doubles, squares, longs, total)
                .task("sum", TornadoKernels::sum, ones, sum).task("max", TornadoKernels::max, ints, max)
                .task("squares", TornadoKernels::sumOfSquares, doubles, squares).task("longs", TornadoKernels::sumLongs, longs, total)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sum, max, squares, total), null);
        assertEquals(n + 5f, sum.get(0), "sum of 2^20 ones after 5 (a race loses additions)");
        assertEquals(expectedMax, max.get(0));
        assertEquals(expectedSquares, squares.get(0), 1e-9 * expectedSquares);
        assertEquals(expectedLongs, total.get(0));
    }

    @ParameterizedTest(name = "local memory and GridScheduler on {0}")
    @MethodSource("devices")
    void kernelContextReducesThroughLocalMemory(String id) throws Exception {
        int groups = 37, n = groups * 64 - 5;
        FloatArray input = random(n, 6), sums = new FloatArray(groups);
        WorkerGrid grid = new WorkerGrid1D(groups * 64);
        grid.setLocalWork(64, 1, 1);
        run(id, new TaskGraph("g").transferToDevice(DataTransferMode.FIRST_EXECUTION, input)
                .task("sums", TornadoKernels::groupSums, new KernelContext(), input, sums)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sums), new GridScheduler("g.sums", grid));
        for (int g = 0; g < groups; g++) {
            double ref = 0;
            for (int i = g * 64; i < Math.min(n, (g + 1) * 64); i++) {
                ref += input.get(i);
            }
            assertEquals(ref, sums.get(g), 1e-4, "group " + g);
        }
    }

    @ParameterizedTest(name = "2D grid on {0}")
    @MethodSource("devices")
    void twoDimensionalGridWithDefaultLocalSizes(String id) throws Exception {
        int rows = 30, cols = 45;
        FloatArray in = random(rows * cols, 7), out = new FloatArray(rows * cols);
        run(id, new TaskGraph("t").transferToDevice(DataTransferMode.FIRST_EXECUTION, in)
                .task("tr", TornadoKernels::transpose, new KernelContext(), in, out, rows, cols)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out), new GridScheduler("t.tr", new WorkerGrid2D(cols, rows)));
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertEquals(in.get(r * cols + c), out.get(c * rows + r));
            }
        }
    }

    @ParameterizedTest(name = "double, long, short, byte, char on {0}")
    @MethodSource("devices")
    void everyElementTypeRunsAsJavaComputesIt(String id) throws Exception {
        int n = 300;
        DoubleArray d = new DoubleArray(n);
        LongArray l = new LongArray(n);
        ShortArray s = new ShortArray(n);
        ByteArray b = new ByteArray(n);
        CharArray c = new CharArray(n);
        for (int i = 0; i < n; i++) {
            d.set(i, i * 1.25);
            l.set(i, i - 150);
            s.set(i, (short) (i * 200 - 30_000));
            b.set(i, (byte) i);
            c.set(i, (char) (65_500 + i));
        }
        run(id, new TaskGraph("m").transferToDevice(DataTransferMode.FIRST_EXECUTION, d, l, s, b, c)
                .task("mixed", TornadoKernels::mixed, d, l, s, b, c).transferToHost(DataTransferMode.EVERY_EXECUTION, d, l, s, b, c), null);
        for (int i = 0; i < n; i++) {
            assertEquals(Math.sqrt(i * 1.25) + 0.5, d.get(i), 1e-12, "double " + i);
            assertEquals((i - 150) * 3_000_000_000L, l.get(i), "long " + i);
            assertEquals((short) (i * 200 - 30_000 - 1000), s.get(i), "short " + i);
            assertEquals((byte) ((byte) i * 3), b.get(i), "byte " + i);
            assertEquals((char) ((char) (65_500 + i) + 1), c.get(i), "char " + i);
        }
    }

    @ParameterizedTest(name = "profiler and UNDER_DEMAND on {0}")
    @MethodSource("devices")
    void profilerCountsCopiesAndOnDemandCopiesComeBack(String id) throws Exception {
        int n = 4096;
        FloatArray a = random(n, 8), b = random(n, 9), c = new FloatArray(n);
        TaskGraph graph = new TaskGraph("p").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("add", TornadoKernels::vectorAdd, a, b, c).transferToHost(DataTransferMode.UNDER_DEMAND, c);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            TornadoExecutionResult result = plan.withDevice(device(id)).withProfiler(ProfilerMode.SILENT).execute();
            // c, which no transfer names, goes to the device once, before the first execution; a and b every time
            assertEquals(3L * n * Float.BYTES, result.getProfilerResult().getTotalBytesCopyIn());
            result = plan.execute();
            assertEquals(2L * n * Float.BYTES, result.getProfilerResult().getTotalBytesCopyIn());
            assertEquals(0, result.getProfilerResult().getTotalBytesCopyOut(), "UNDER_DEMAND copies nothing by itself");
            assertTrue(result.getProfilerResult().getTotalTime() > 0);
            assertTrue(result.getProfilerResult().getDeviceKernelTime() >= 0);
            result.transferToHost(c);
            assertEquals(a.get(n - 1) + b.get(n - 1), c.get(n - 1), 1e-6);
            assertEquals(device(id).getId(), plan.getDevice(0).getId());
        }
    }
}
