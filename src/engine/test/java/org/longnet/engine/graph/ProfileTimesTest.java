package org.longnet.engine.graph;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.conformance.ConformanceKernels;
import org.longnet.engine.device.Device;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A profile's compile and dispatch times: measured when the plan profiles (readying the launch on its first execution
 * only, dispatching on every one), within the execution's host time, and 0 when it does not profile.
 */
@DeviceTest
class ProfileTimesTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    private static TaskGraph copyGraph(FloatArray in, FloatArray out) {
        return new TaskGraph("times").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("copy", ConformanceKernels::copy, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out);
    }

    private static void assertWithinHostTime(Profile p) {
        assertTrue(p.installNanos() >= 0 && p.installNanos() <= p.compileNanos(), p.toString());
        assertTrue(p.compileNanos() + p.kernelDispatchNanos() + p.transferDispatchNanos() <= p.hostNanos(), p.toString());
        assertTrue(p.kernelDispatchNanos() > 0 && p.transferDispatchNanos() > 0, "a launch and two copies were dispatched: " + p);
    }

    @ParameterizedTest(name = "profiled executions time readying and dispatch on {0}")
    @MethodSource("devices")
    void profiledExecutionsTimeReadyingAndDispatch(String id) {
        Device device = TestDevices.open(id);
        FloatArray in = Check.random(10_000, 7, -1, 1), out = Check.poisoned(10_000);
        try (ExecutionPlan plan = new ExecutionPlan(copyGraph(in, out).snapshot()).withDevice(device).withProfiler(true)) {
            Profile first = plan.execute().profile();
            assertEquals(in.get(9_999), out.get(9_999));
            assertWithinHostTime(first);
            assertTrue(first.compileNanos() > 0, "the first execution readies the launch: " + first);
            assertTrue(first.toString().contains("readying launches") && first.toString().contains("dispatch (host)"), first.toString());

            Profile second = plan.execute().profile();
            assertWithinHostTime(second);
            assertEquals(0, second.compileNanos(), "the launch is ready: " + second);
            assertEquals(0, second.installNanos());
        }
    }

    @ParameterizedTest(name = "an execution without the profiler measures none of them on {0}")
    @MethodSource("devices")
    void unprofiledExecutionMeasuresNothing(String id) {
        Device device = TestDevices.open(id);
        FloatArray in = Check.random(1000, 8, -1, 1), out = Check.poisoned(1000);
        try (ExecutionPlan plan = new ExecutionPlan(copyGraph(in, out).snapshot()).withDevice(device)) {
            Profile p = plan.execute().profile();
            assertEquals(in.get(999), out.get(999));
            assertEquals(List.of(0L, 0L, 0L, 0L), List.of(p.compileNanos(), p.installNanos(), p.kernelDispatchNanos(), p.transferDispatchNanos()));
            assertTrue(p.events().isEmpty(), p.toString());
        }
    }
}
