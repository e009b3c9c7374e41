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
import uk.ac.manchester.tornado.api.common.TornadoFunctions;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link TornadoLanguageKernels} on every test device, over random inputs and a size that is no multiple of a
 * work-group, into outputs poisoned beforehand, against the same methods run as plain Java.
 */
@DeviceTest
class TornadoLanguageTest {
    private static final int N = 1003;

    static List<String> devices() {
        return TestDevices.ids();
    }

    private static IntArray randomInts(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        IntArray a = new IntArray(N);
        for (int i = 0; i < N; i++) {
            a.set(i, r.nextInt(-50, 50));
        }
        return a;
    }

    private static void run(String id, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
    }

    /**
     * {@code kernel} from random ints into an output poisoned beforehand, as the task of {@code graph} (which names the method
     * in its task call, where the translator finds kernels), against the same method run as plain Java.
     */
    private static void assertAgreesWithJava(String id, long seed, TornadoFunctions.Task2<IntArray, IntArray> kernel,
                                             BiFunction<IntArray, IntArray, TaskGraph> graph, String what) throws Exception {
        IntArray in = randomInts(seed), out = new IntArray(N), expected = new IntArray(N);
        out.init(0xDEADBEEF);
        run(id, graph.apply(in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        kernel.apply(in, expected);
        for (int i = 0; i < N; i++) {
            assertEquals(expected.get(i), out.get(i), what + " at " + i + " (input " + in.get(i) + ")");
        }
    }

    @ParameterizedTest(name = "switch statements on {0}")
    @MethodSource("devices")
    void switchesAgreeWithJava(String id) throws Exception {
        assertAgreesWithJava(id, 1, TornadoLanguageKernels::switches,
                (in, out) -> new TaskGraph("s").task("t", TornadoLanguageKernels::switches, in, out), "switches");
    }

    @ParameterizedTest(name = "private arrays with their elements given on {0}")
    @MethodSource("devices")
    void initializedArraysAgreeWithJava(String id) throws Exception {
        FloatArray in = TornadoApiTest.random(N, 2), out = new FloatArray(N), expected = new FloatArray(N);
        out.init(Float.NaN);
        run(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t", TornadoLanguageKernels::initializedArrays, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        TornadoLanguageKernels.initializedArrays(in, expected);
        for (int i = 0; i < N; i++) {
            assertEquals(expected.get(i), out.get(i), 1e-6f, "initializedArrays at " + i);
        }
    }

    @ParameterizedTest(name = "a private array variable given another array on {0}")
    @MethodSource("devices")
    void reassignedArraysAgreeWithJava(String id) throws Exception {
        assertAgreesWithJava(id, 3, TornadoLanguageKernels::reassignedArrays,
                (in, out) -> new TaskGraph("s").task("t", TornadoLanguageKernels::reassignedArrays, in, out), "reassignedArrays");
    }

    @ParameterizedTest(name = "overloaded helpers on {0}")
    @MethodSource("devices")
    void overloadedHelpersAgreeWithJava(String id) throws Exception {
        IntArray in = randomInts(4);
        FloatArray out = new FloatArray(N), expected = new FloatArray(N);
        out.init(Float.NaN);
        run(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t", TornadoLanguageKernels::overloadedHelpers, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        TornadoLanguageKernels.overloadedHelpers(in, expected);
        for (int i = 0; i < N; i++) {
            assertEquals(expected.get(i), out.get(i), "overloadedHelpers at " + i);
        }
    }

    @ParameterizedTest(name = "private arrays sized by a parameter on {0}")
    @MethodSource("devices")
    void parameterSizedPrivateArraysAgreeWithJava(String id) throws Exception {
        FloatArray in = TornadoApiTest.random(N, 5), out = new FloatArray(N), expected = new FloatArray(N);
        out.init(Float.NaN);
        run(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t", TornadoLanguageKernels::windows, in, out, 5).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        TornadoLanguageKernels.windows(in, expected, 5);
        for (int i = 0; i < N; i++) {
            assertEquals(expected.get(i), out.get(i), 1e-4f, "windows at " + i);
        }
    }

    @ParameterizedTest(name = "private arrays sized by a parameter or bounded, through a KernelContext, on {0}")
    @MethodSource("devices")
    void contextPrivateArraysAgreeWithJava(String id) throws Exception {
        FloatArray in = TornadoApiTest.random(N, 6), out = new FloatArray(N);
        out.init(Float.NaN);
        int width = 7;
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t", TornadoLanguageKernels::contextWindows, new KernelContext(), in, out, width)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        WorkerGrid grid = new WorkerGrid1D((N + 63) / 64 * 64);
        grid.setLocalWork(64, 1, 1);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("s.t", grid)).execute();
        }
        int counts = N % 8;
        for (int i = 0; i < N; i++) {
            float sum = counts;
            for (int k = 0; k < width; k++) {
                sum = sum * 0.5f + in.get((i + k) % N) + k % counts;
            }
            assertEquals(sum, out.get(i), 1e-4f, "contextWindows at " + i);
        }
    }

    @ParameterizedTest(name = "a helper's own local arrays, one per call, on {0}")
    @MethodSource("devices")
    void helperLocalArraysAgreeWithJava(String id) throws Exception {
        int group = 64, groups = (N + group - 1) / group;
        FloatArray in = TornadoApiTest.random(N, 7), sums = new FloatArray(groups), squares = new FloatArray(groups);
        sums.init(Float.NaN);
        squares.init(Float.NaN);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t", TornadoLanguageKernels::groupSums, new KernelContext(), in, sums, squares, group)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sums, squares);
        WorkerGrid grid = new WorkerGrid1D(groups * group);
        grid.setLocalWork(group, 1, 1);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("s.t", grid)).execute();
        }
        for (int g = 0; g < groups; g++) {
            double sum = 0, square = 0;
            for (int i = g * group; i < Math.min(N, (g + 1) * group); i++) {
                sum += in.get(i);
                square += in.get(i) * in.get(i);
            }
            assertEquals(sum, sums.get(g), 1e-4, "sum of group " + g);
            assertEquals(square, squares.get(g), 1e-4, "sum of squares of group " + g);
        }
    }
}
