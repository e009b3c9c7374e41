package org.longnet.engine.graph;

import org.longnet.engine.DeviceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.conformance.ConformanceKernels;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a task graph promises about transfers, residency, sharing, profiling and errors. */
@DeviceTest
class TaskGraphTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    /** Executes a plan once and closes it. */
    private static void executeOnce(ExecutionPlan plan) {
        try (plan) {
            plan.execute();
        }
    }

    /** The jvm device computes on the host arrays themselves; others keep separate copies. */
    private static boolean sharesHostMemory(Device d) {
        return d.info().backend().equals("jvm");
    }

    @ParameterizedTest(name = "transfer modes on {0}")
    @MethodSource("devices")
    void transferModes(String id) {
        Device device = TestDevices.open(id);
        int n = 1001;
        FloatArray a = Check.random(n, 1, -1, 1), b = Check.random(n, 2, -1, 1), c = Check.poisoned(n);
        TaskGraph g = new TaskGraph("g")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, a)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, b)
                .task("add", ConformanceKernels::vectorAdd, a, b, c)
                .transferToHost(DataTransferMode.UNDER_DEMAND, c);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device)) {
            float a0 = a.get(0), b0 = b.get(0);
            ExecutionResult first = plan.execute();
            if (!sharesHostMemory(device)) {
                assertTrue(Float.isNaN(c.get(0)), "UNDER_DEMAND output must stay on the device until asked for");
            }
            first.transferToHost(c);
            assertEquals(a0 + b0, c.get(0), 1e-6);
            a.set(0, 100f);
            b.set(0, 10f);
            plan.execute().transferToHost(c);
            float expectedA = sharesHostMemory(device) ? 100f : a0; // FIRST_EXECUTION: the device kept its first copy
            assertEquals(expectedA + 10f, c.get(0), 1e-5, "EVERY_EXECUTION input must be sent again");
        }
    }

    @ParameterizedTest(name = "graphs share device buffers on {0}")
    @MethodSource("devices")
    void persistAndConsume(String id) {
        Device device = TestDevices.open(id);
        int n = 777;
        FloatArray x = Check.random(n, 3, -1, 1), y = Check.poisoned(n), z = Check.poisoned(n);
        TaskGraph producer = new TaskGraph("producer").transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                .task("double", ConformanceKernels::vectorAdd, x, x, y).persistOnDevice(y);
        TaskGraph consumer = new TaskGraph("consumer").consumeFromDevice(y)
                .task("double", ConformanceKernels::vectorAdd, y, y, z).transferToHost(DataTransferMode.EVERY_EXECUTION, z);
        executeOnce(new ExecutionPlan(producer.snapshot()).withDevice(device));
        assertTrue(device.isResident(y), "a persisted array outlives its plan");
        executeOnce(new ExecutionPlan(consumer.snapshot()).withDevice(device));
        for (int i = 0; i < n; i++) {
            assertEquals(4.0 * x.get(i), z.get(i), 1e-5, "element " + i);
        }
        device.free(y);
        if (!sharesHostMemory(device)) {
            DeviceException e = assertThrows(DeviceException.class, () -> executeOnce(new ExecutionPlan(consumer.snapshot()).withDevice(device)));
            assertTrue(e.getMessage().contains("persistOnDevice"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "profiler on {0}")
    @MethodSource("devices")
    void profilerReportsEveryKernelAndCopy(String id) {
        Device device = TestDevices.open(id);
        FloatArray in = Check.random(100_000, 4, 0, 1), out = Check.poisoned(100_000);
        TaskGraph g = new TaskGraph("p").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("copy", ConformanceKernels::copy, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device).withProfiler(true)) {
            Profile p = plan.execute().profile();
            assertEquals(List.of(Profile.Kind.COPY_IN, Profile.Kind.KERNEL, Profile.Kind.COPY_OUT),
                    p.events().stream().map(Profile.Event::kind).toList());
            assertTrue(p.events().get(1).deviceNanos() > 0, "kernel time: " + p);
            // measured on every device, jvm included, where the device is the host and its copy's time is the call's
            assertTrue(p.events().get(0).deviceNanos() > 0 && p.events().get(2).deviceNanos() > 0, "copy times: " + p);
            assertTrue(p.events().get(0).deviceNanos() + p.events().get(2).deviceNanos() < p.hostNanos(), "copies within the execution: " + p);
            assertTrue(p.hostNanos() > 0);
            assertTrue(p.toString().contains("p.copy"), p.toString());
        }
    }

    @ParameterizedTest(name = "clear errors on {0}")
    @MethodSource("devices")
    void clearErrors(String id) {
        Device device = TestDevices.open(id);
        FloatArray x = Check.random(10, 5, 0, 1), sums = Check.poisoned(1);
        TaskGraph g = new TaskGraph("e").task("sum", ConformanceKernels::groupSum, new KernelContext(), x, sums);
        IllegalArgumentException noGrid = assertThrows(IllegalArgumentException.class,
                () -> executeOnce(new ExecutionPlan(g.snapshot()).withDevice(device)));
        assertTrue(noGrid.getMessage().contains("withGrid(\"e.sum\""), noGrid.getMessage());
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> executeOnce(new ExecutionPlan(g.snapshot()).withDevice(device).withGrid("e.sum", WorkerGrid.of(1 << 20, 1 << 20))));
        assertTrue(tooBig.getMessage().contains("exceeds the maximum of " + device.info().maxWorkGroupSize()), tooBig.getMessage());
    }

    @Test
    void lambdasAreRejectedClearly() {
        FloatArray x = new FloatArray(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TaskGraph("l").task("t", (FloatArray a) -> a.set(0, 1f), x));
        assertTrue(e.getMessage().contains("not a lambda"), e.getMessage());
    }

    /** Device binaries land in the kernel cache (set to target/kernel-cache by the build). */
    @ParameterizedTest(name = "compiled code is cached on disk for {0}")
    @MethodSource("devices")
    void compiledCodeIsCachedOnDisk(String id) throws IOException {
        Device device = TestDevices.open(id);
        FloatArray a = Check.random(10, 6, 0, 1), c = Check.poisoned(10);
        executeOnce(new ExecutionPlan(new TaskGraph("c").task("t", ConformanceKernels::vectorAdd, a, a, c).snapshot()).withDevice(device));
        if (sharesHostMemory(device)) {
            return; // the jvm device runs Java bytecode: nothing to compile or cache
        }
        Path cache = Path.of(System.getProperty("longnet.cache"));
        try (Stream<Path> files = Files.list(cache)) {
            assertFalse(files.filter(f -> f.toString().endsWith(".clbin") || f.toString().endsWith(".cubin")).toList().isEmpty(),
                    "no compiled kernels in " + cache);
        }
    }
}
