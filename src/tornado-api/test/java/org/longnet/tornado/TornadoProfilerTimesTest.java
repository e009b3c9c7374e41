package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoProfilerResult;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.tornado.TornadoApiTest.device;

/**
 * The profiler's compile and dispatch times: measured on a plan's first execution (the device's program build among the
 * compile time where the device builds one), none compiled on a later one, consistent with each other and with the
 * execution's total, copy times measured on every device (jvm included), and all 0 without the profiler. Random inputs,
 * results compared with plain Java.
 */
@DeviceTest
class TornadoProfilerTimesTest {
    private static final int N = 4099;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** Used by {@link #firstExecutionBuildsAndDispatches} alone, so that its program is built there on a device that builds. */
    static final class BuiltOnce {
        private BuiltOnce() {
        }

        static void scaleAdd(FloatArray x, FloatArray y, FloatArray out) {
            for (@Parallel int i = 0; i < out.getSize(); i++) {
                out.set(i, 2f * x.get(i) + y.get(i));
            }
        }
    }

    private static void scaleSub(FloatArray x, FloatArray y, FloatArray out) {
        for (@Parallel int i = 0; i < out.getSize(); i++) {
            out.set(i, 3f * x.get(i) - y.get(i));
        }
    }

    /** out = 3 x - y, its inputs copied once. */
    private static TaskGraph scaleSubGraph(String name, FloatArray x, FloatArray y, FloatArray out) {
        return new TaskGraph(name).transferToDevice(DataTransferMode.FIRST_EXECUTION, x, y)
                .task("t", TornadoProfilerTimesTest::scaleSub, x, y, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out);
    }

    private static FloatArray random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatArray a = new FloatArray(N);
        for (int i = 0; i < N; i++) {
            a.set(i, (float) r.nextDouble(-1, 1));
        }
        return a;
    }

    private static boolean builds(String id) {
        return !TestDevices.open(id).info().backend().equals("jvm");
    }

    /** Times that must hold for any profiled execution: the parts add up and none exceeds the execution's host time. */
    private static void assertConsistent(TornadoProfilerResult r) {
        String times = "compile " + r.getCompileTime() + ", tornado " + r.getTornadoCompilerTime() + ", install " + r.getDriverInstallTime()
                + ", kernel dispatch " + r.getKernelDispatchTime() + ", copy dispatch " + r.getDataTransferDispatchTime() + ", total " + r.getTotalTime();
        assertEquals(r.getCompileTime(), r.getTornadoCompilerTime() + r.getDriverInstallTime(), times);
        assertTrue(r.getTornadoCompilerTime() >= 0 && r.getDriverInstallTime() >= 0, times);
        assertTrue(r.getCompileTime() + r.getKernelDispatchTime() + r.getDataTransferDispatchTime() <= r.getTotalTime(), times);
        assertTrue(r.getKernelDispatchTime() > 0 && r.getDataTransferDispatchTime() > 0, "a kernel and copies ran: " + times);
        // each execution copies its output back, and every device measures its copies (jvm too: the host's clock around the call)
        assertTrue(r.getDeviceReadTime() > 0, "a copy to the host was measured: " + r.getDeviceReadTime());
        assertEquals(r.getDeviceReadTime() + r.getDeviceWriteTime(), r.getDataTransfersTime());
    }

    private static void assertComputed(FloatArray x, FloatArray y, FloatArray out, float scale, float sign) {
        for (int i = 0; i < N; i++) {
            assertEquals(scale * x.get(i) + sign * y.get(i), out.get(i), 1e-5f, "element " + i);
        }
    }

    @ParameterizedTest(name = "a first execution times its build and dispatches, a second compiles nothing, on {0}")
    @MethodSource("devices")
    void firstExecutionBuildsAndDispatches(String id) throws Exception {
        FloatArray x = random(1), y = random(2), out = new FloatArray(N);
        TaskGraph g = new TaskGraph("built").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                .task("t", BuiltOnce::scaleAdd, x, y, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(g.snapshot())) {
            TornadoProfilerResult first = plan.withDevice(device(id)).withProfiler(ProfilerMode.SILENT).execute().getProfilerResult();
            assertComputed(x, y, out, 2f, 1f);
            assertConsistent(first);
            assertTrue(first.getTornadoCompilerTime() > 0, "readying the launch takes time: " + first.getTornadoCompilerTime());
            if (builds(id)) {
                assertTrue(first.getDriverInstallTime() > 0, "the program was built: " + first.getDriverInstallTime());
            } else {
                assertEquals(0, first.getDriverInstallTime(), "the jvm device builds nothing");
            }
            assertTrue(first.getProfileLog().contains("building programs"), first.getProfileLog());

            TornadoProfilerResult second = plan.execute().getProfilerResult();
            assertComputed(x, y, out, 2f, 1f);
            assertConsistent(second);
            assertEquals(0, second.getCompileTime(), "the launch was readied by the first execution");
            assertEquals(0, second.getDriverInstallTime());
        }
    }

    @ParameterizedTest(name = "a new plan readies its launch, with the program built before, on {0}")
    @MethodSource("devices")
    void programBuiltBeforeIsNotInstalledAgain(String id) throws Exception {
        FloatArray x = random(3), y = random(4), out = new FloatArray(N);
        for (int p = 0; p < 2; p++) {
            try (TornadoExecutionPlan plan = new TornadoExecutionPlan(scaleSubGraph("again" + p, x, y, out).snapshot())) {
                TornadoProfilerResult r = plan.withDevice(device(id)).withProfiler(ProfilerMode.SILENT).execute().getProfilerResult();
                assertComputed(x, y, out, 3f, -1f);
                assertConsistent(r);
                assertTrue(r.getCompileTime() > 0, "plan " + p + " readied its launch");
                if (p == 1) {
                    assertEquals(0, r.getDriverInstallTime(), "the device had the program from the first plan");
                }
            }
        }
    }

    @ParameterizedTest(name = "without the profiler every time reads 0, on {0}")
    @MethodSource("devices")
    void withoutProfilerEverythingIsZero(String id) throws Exception {
        FloatArray x = random(5), y = random(6), out = new FloatArray(N);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(scaleSubGraph("off", x, y, out).snapshot())) {
            TornadoProfilerResult r = plan.withDevice(device(id)).withoutProfiler().execute().getProfilerResult();
            assertComputed(x, y, out, 3f, -1f);
            List<Long> times = List.of(r.getTotalTime(), r.getCompileTime(), r.getTornadoCompilerTime(), r.getDriverInstallTime(),
                    r.getKernelDispatchTime(), r.getDataTransferDispatchTime(), r.getDeviceKernelTime(), r.getDataTransfersTime());
            assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), times);
        }
    }
}
