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
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The device memory a plan holds ({@link ExecutionPlan#deviceBytes()}) and what each execution allocates. */
@DeviceTest
class PlanDeviceMemoryTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "a plan's device bytes on {0}")
    @MethodSource("devices")
    void countsTheArraysItPlaced(String id) {
        Device device = TestDevices.open(id);
        Random random = new Random(id.hashCode());
        int n = 1000 + random.nextInt(5000), m = 1000 + random.nextInt(5000);
        FloatArray a = Check.random(n, 1, -1, 1), b = Check.random(n, 2, -1, 1), c = Check.poisoned(n);
        FloatArray x = Check.random(m, 3, -1, 1), y = Check.poisoned(m);
        TaskGraph add = new TaskGraph("add").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b)
                .task("t", ConformanceKernels::vectorAdd, a, b, c).transferToHost(DataTransferMode.EVERY_EXECUTION, c);
        TaskGraph copy = new TaskGraph("copy").transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("t", ConformanceKernels::copy, x, y).persistOnDevice(y);
        long addBytes = 3L * n * Float.BYTES, copyBytes = 2L * m * Float.BYTES;
        ExecutionPlan plan = new ExecutionPlan(add.snapshot(), copy.snapshot()).withDevice(device).withProfiler(true);
        try (plan) {
            assertEquals(0, plan.deviceBytes(), "nothing is placed before the first execution");
            assertEquals(addBytes, plan.executeGraph(0).profile().allocatedBytes());
            assertEquals(addBytes, plan.deviceBytes());
            assertEquals(copyBytes, plan.executeGraph(1).profile().allocatedBytes());
            assertEquals(addBytes + copyBytes, plan.deviceBytes());
            assertEquals(0, plan.execute().profile().allocatedBytes(), "a later execution reuses the buffers");
            assertEquals(addBytes + copyBytes, plan.deviceBytes());
        }
        assertEquals((long) m * Float.BYTES, plan.deviceBytes(), "the persisted array stays on the device after close");
        device.free(y);
        assertEquals(device.info().backend().equals("jvm") ? (long) m * Float.BYTES : 0, plan.deviceBytes(),
                "a freed array counts no more where the device has its own memory");
    }
}
