package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.tornado.TornadoApiTest.device;

/** What a plan tells about itself: the trace of its settings, the device memory it holds, its results by execution. */
@DeviceTest
class TornadoPlanIntrospectionTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    private static void scaled(IntArray in, FloatArray out, float factor) {
        for (@Parallel int i = 0; i < out.getSize(); i++) {
            out.set(i, in.get(i) * factor);
        }
    }

    private static IntArray randomInts(int n, Random random) {
        IntArray a = new IntArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, random.nextInt(2000) - 1000);
        }
        return a;
    }

    private static TaskGraph scaledGraph(String name, IntArray in, FloatArray out, float factor) {
        return new TaskGraph(name).transferToDevice(DataTransferMode.EVERY_EXECUTION, in).task("t", TornadoPlanIntrospectionTest::scaled, in, out, factor)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
    }

    private static void assertScaled(IntArray in, FloatArray out, float factor) {
        for (int i = 0; i < in.getSize(); i++) {
            assertEquals(in.get(i) * factor, out.get(i), "element " + i);
        }
    }

    @ParameterizedTest(name = "the trace lists the plan's settings in order on {0}")
    @MethodSource("devices")
    void traceListsTheSettingsInOrder(String id) throws Exception {
        TornadoDevice device = device(id);
        IntArray in = randomInts(300, new Random(11));
        FloatArray out = new FloatArray(300);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(scaledGraph("g", in, out, 3f).snapshot())) {
            assertEquals("Root", plan.getTraceExecutionPlan());
            TornadoExecutionPlan chained = plan.withDevice(device).withProfiler(ProfilerMode.SILENT).withThreadInfo().withoutThreadInfo();
            String beforeRun = "Root\n -> withDevice(" + device.getId() + " " + device.getDeviceName() + ")\n -> withProfiler(SILENT)"
                    + "\n -> withThreadInfo\n -> withoutThreadInfo";
            assertEquals(beforeRun, plan.getTraceExecutionPlan());
            assertEquals(plan.getTraceExecutionPlan(), chained.getTraceExecutionPlan(), "every setting returns the same plan");
            TornadoExecutionResult result = plan.execute();
            assertScaled(in, out, 3f);
            assertEquals(beforeRun, plan.getTraceExecutionPlan(), "executing is no setting");
            plan.withGraph(0).withMemoryLimit("64MB").freeDeviceMemory().withAllGraphs();
            assertEquals(beforeRun + "\n -> withGraph(0)\n -> withMemoryLimit(64MB)\n -> freeDeviceMemory\n -> withAllGraphs",
                    plan.getTraceExecutionPlan());
            assertEquals(beforeRun, result.getProfilerResult().getTraceExecutionPlan(), "a result keeps the trace of its own execution");
        }
    }

    @ParameterizedTest(name = "device memory of arrays of known sizes on {0}")
    @MethodSource("devices")
    void deviceMemoryIsTheBytesOfThePlansArrays(String id) throws Exception {
        Random random = new Random(id.hashCode());
        int n = 1000 + random.nextInt(9000), m = 1000 + random.nextInt(9000);
        IntArray in0 = randomInts(n, random), in1 = randomInts(m, random);
        FloatArray out0 = new FloatArray(n), out1 = new FloatArray(m);
        long graph0 = (long) n * (Integer.BYTES + Float.BYTES), graph1 = (long) m * (Integer.BYTES + Float.BYTES);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(scaledGraph("g0", in0, out0, 2f).snapshot(),
                scaledGraph("g1", in1, out1, -1f).snapshot())) {
            plan.withDevice(device(id)).withProfiler(ProfilerMode.SILENT);
            assertEquals(0, plan.getCurrentDeviceMemoryUsage(), "nothing is on the device before the first execution");

            TornadoExecutionResult first = plan.withGraph(0).execute();
            assertScaled(in0, out0, 2f);
            assertEquals(graph0, first.getProfilerResult().getTotalDeviceMemoryUsage());
            assertEquals(graph0, plan.getCurrentDeviceMemoryUsage(), "graph 1 has not run");

            TornadoExecutionResult both = plan.withAllGraphs().execute();
            assertScaled(in1, out1, -1f);
            assertEquals(graph1, both.getProfilerResult().getTotalDeviceMemoryUsage(), "graph 0's buffers were there already");
            assertEquals(graph0 + graph1, plan.getCurrentDeviceMemoryUsage());
            assertEquals(0, plan.execute().getProfilerResult().getTotalDeviceMemoryUsage(), "a later execution allocates nothing");

            plan.freeDeviceMemory();
            assertEquals(0, plan.getCurrentDeviceMemoryUsage(), "freeDeviceMemory gives the device memory back");
            assertEquals(graph0 + graph1, plan.execute().getProfilerResult().getTotalDeviceMemoryUsage(), "everything is allocated again");
            assertEquals(graph0 + graph1, plan.getCurrentDeviceMemoryUsage());

            assertEquals(0, plan.withoutProfiler().execute().getProfilerResult().getTotalDeviceMemoryUsage(), "profiler values need a profiler");
            assertEquals(graph0 + graph1, plan.getCurrentDeviceMemoryUsage(), "the plan's own usage needs none");
        }
    }

    @ParameterizedTest(name = "plan results by index on {0}")
    @MethodSource("devices")
    void planResultsByExecution(String id) throws Exception {
        IntArray in = randomInts(500, new Random(5));
        FloatArray out = new FloatArray(500);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(scaledGraph("g", in, out, 0.5f).snapshot())) {
            plan.withDevice(device(id));
            TornadoRuntimeException none = assertThrows(TornadoRuntimeException.class, () -> plan.getPlanResult(0));
            assertTrue(none.getMessage().contains("execute the plan first"), none.getMessage());
            TornadoExecutionResult first = plan.execute();
            plan.withWarmUpIterations(2);
            TornadoExecutionResult second = plan.withProfiler(ProfilerMode.SILENT).execute();
            TornadoExecutionResult third = plan.execute();
            assertScaled(in, out, 0.5f);
            assertSame(first, plan.getPlanResult(0));
            assertSame(second, plan.getPlanResult(1), "warm-up executions are not among the results");
            assertSame(third, plan.getPlanResult(2));
            assertFalse(plan.getPlanResult(0).getProfilerResult().getTraceExecutionPlan().contains("withProfiler"));
            assertTrue(plan.getPlanResult(1).getProfilerResult().getTraceExecutionPlan().endsWith("withProfiler(SILENT)"));
            assertTrue(plan.getPlanResult(1).getProfilerResult().getTotalTime() > 0);
            TornadoRuntimeException past = assertThrows(TornadoRuntimeException.class, () -> plan.getPlanResult(3));
            assertTrue(past.getMessage().contains("must be 0 to 2"), past.getMessage());
            assertThrows(TornadoRuntimeException.class, () -> plan.getPlanResult(-1));
        }
    }

    @ParameterizedTest(name = "withThreadInfo prints each launch on {0}")
    @MethodSource("devices")
    void threadInfoPrintsLaunches(String id) throws Exception {
        IntArray in = randomInts(1000, new Random(8));
        FloatArray out = new FloatArray(1000);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(scaledGraph("info", in, out, 2f).snapshot())) {
            plan.withDevice(device(id));
            String with = printed(() -> plan.withThreadInfo().execute());
            assertTrue(with.contains("task info.t on " + device(id).getId()) && with.contains("1 dimension(s), global ["), with);
            assertEquals("", printed(() -> plan.withoutThreadInfo().execute()));
            assertScaled(in, out, 2f);
        }
    }

    private static String printed(Runnable action) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true));
        try {
            action.run();
        } finally {
            System.setOut(stdout);
        }
        return bytes.toString();
    }
}
