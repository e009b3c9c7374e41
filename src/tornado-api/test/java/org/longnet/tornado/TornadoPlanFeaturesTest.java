package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.DataRange;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.longnet.tornado.TornadoApiTest.device;

/** The execution plan's graph selection, partial copies back and hints, on every test device. */
@DeviceTest
class TornadoPlanFeaturesTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    private static void addOne(IntArray a) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            a.set(i, a.get(i) + 1);
        }
    }

    private static void scaled(FloatArray in, FloatArray out, float factor) {
        for (@Parallel int i = 0; i < out.getSize(); i++) {
            out.set(i, in.get(i) * factor);
        }
    }

    private static IntArray filled(int n, int value) {
        IntArray a = new IntArray(n);
        a.init(value);
        return a;
    }

    private static TaskGraph increment(String name, IntArray a) {
        return new TaskGraph(name).transferToDevice(DataTransferMode.FIRST_EXECUTION, a).task("t", TornadoPlanFeaturesTest::addOne, a)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, a);
    }

    @ParameterizedTest(name = "withGraph runs the selected graph alone on {0}")
    @MethodSource("devices")
    void withGraphRunsOnlyTheSelectedGraph(String id) throws Exception {
        IntArray x = filled(1000, 10), y = filled(1000, 20);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(increment("gx", x).snapshot(), increment("gy", y).snapshot())) {
            plan.withDevice(device(id));
            for (int i = 0; i < 3; i++) {
                plan.withGraph(0).execute();
            }
            assertEquals(13, x.get(999));
            assertEquals(20, y.get(0), "graph 1 was not selected");
            plan.withGraph(1).execute();
            assertEquals(13, x.get(0), "graph 0 was not selected");
            assertEquals(21, y.get(999));
            plan.withAllGraphs().execute();
            assertEquals(14, x.get(500));
            assertEquals(22, y.get(500));
            assertThrows(IllegalArgumentException.class, () -> plan.withGraph(2));
        }
    }

    @ParameterizedTest(name = "a graph's first run copies its FIRST_EXECUTION inputs on {0}")
    @MethodSource("devices")
    void eachGraphCopiesItsFirstExecutionInputsOnItsOwnFirstRun(String id) throws Exception {
        FloatArray in = new FloatArray(256), first = new FloatArray(256), second = new FloatArray(256);
        in.init(1f);
        TaskGraph g0 = new TaskGraph("g0").transferToDevice(DataTransferMode.FIRST_EXECUTION, in)
                .task("t", TornadoPlanFeaturesTest::scaled, in, first, 2f).transferToHost(DataTransferMode.EVERY_EXECUTION, first);
        TaskGraph g1 = new TaskGraph("g1").transferToDevice(DataTransferMode.FIRST_EXECUTION, in)
                .task("t", TornadoPlanFeaturesTest::scaled, in, second, 3f).transferToHost(DataTransferMode.EVERY_EXECUTION, second);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(g0.snapshot(), g1.snapshot())) {
            plan.withDevice(device(id));
            plan.withGraph(0).execute();
            in.init(5f); // before graph 1's first run, which copies it
            plan.withGraph(1).execute();
        }
        assertEquals(2f, first.get(255));
        assertEquals(15f, second.get(0));
    }

    @ParameterizedTest(name = "DataRange copies part of an array back on {0}")
    @MethodSource("devices")
    void dataRangeCopiesItsElementsBack(String id) throws Exception {
        int n = 1024;
        IntArray a = filled(n, 7);
        TaskGraph graph = new TaskGraph("s0").transferToDevice(DataTransferMode.FIRST_EXECUTION, a)
                .task("t", TornadoPlanFeaturesTest::addOne, a).transferToHost(DataTransferMode.UNDER_DEMAND, a);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            TornadoExecutionResult result = plan.withDevice(device(id)).execute();
            DataRange range = new DataRange(a).withOffset(100).withSize(200);
            result.transferToHost(range);
            assertEquals(100 * Integer.BYTES, range.getOffset());
            assertEquals(200 * Integer.BYTES, range.getPartialSize());
            for (int i = 100; i < 300; i++) {
                assertEquals(8, a.get(i), "element " + i);
            }
            if (!id.equals("jvm")) { // on jvm the host's memory is the device's: nothing stays behind
                assertEquals(7, a.get(99));
                assertEquals(7, a.get(300));
            }
            result.transferToHost(new DataRange(a).withOffset(900)); // no size: to the end
            assertEquals(8, a.get(1023));
        }
    }

    @ParameterizedTest(name = "stream and CUDA-graph hints keep the results on {0}")
    @MethodSource("devices")
    void hintsKeepResults(String id) throws Exception {
        FloatArray in = new FloatArray(4096), mid = new FloatArray(4096), out = new FloatArray(4096);
        for (int i = 0; i < in.getSize(); i++) {
            in.set(i, i);
        }
        TaskGraph graph = new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t0", TornadoPlanFeaturesTest::scaled, in, mid, 2f).task("t1", TornadoPlanFeaturesTest::scaled, mid, out, 0.25f)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(device(id)).withIntraPlanConcurrency().withStagedTransfers().withCUDAGraph().execute();
            in.set(4095, 100f);
            plan.withoutIntraPlanConcurrency().withoutStagedTransfers().execute();
        }
        assertEquals(1000 * 0.5f, out.get(1000));
        assertEquals(50f, out.get(4095));
    }

    /** withCUDAGraph reaches the engine: on cuda, executions 2 to 4 replay a recorded graph, which must see each execution's new input. */
    @ParameterizedTest(name = "a CUDA-graph plan gives each execution's result on {0}")
    @MethodSource("devices")
    void cudaGraphPlanFollowsNewInputs(String id) throws Exception {
        int n = 1000; // no multiple of a work-group size
        FloatArray in = new FloatArray(n), mid = new FloatArray(n), out = new FloatArray(n);
        TaskGraph graph = new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t0", TornadoPlanFeaturesTest::scaled, in, mid, 3f).task("t1", TornadoPlanFeaturesTest::scaled, mid, out, -0.5f)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot()).withDevice(device(id)).withCUDAGraph()) {
            for (int e = 0; e < 4; e++) {
                for (int i = 0; i < n; i++) {
                    in.set(i, (i * 7 + e * 13) % 101 - 50f);
                    out.set(i, Float.NaN);
                }
                plan.execute();
                for (int i = 0; i < n; i++) {
                    assertEquals(-1.5f * ((i * 7 + e * 13) % 101 - 50f), out.get(i), 1e-4f, "execution " + (e + 1) + ", element " + i);
                }
            }
        }
    }
}
