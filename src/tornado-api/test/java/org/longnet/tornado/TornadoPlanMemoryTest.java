package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoBailoutRuntimeException;
import uk.ac.manchester.tornado.api.exceptions.TornadoFailureException;
import uk.ac.manchester.tornado.api.exceptions.TornadoMemoryException;
import uk.ac.manchester.tornado.api.exceptions.TornadoOutOfMemoryException;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.tornado.TornadoApiTest.device;

/** A plan's memory rules (limits, the device heap, batches) and device resets, on every test device. */
@DeviceTest
class TornadoPlanMemoryTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    private static void shifted(IntArray in, FloatArray out, float beta) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            out.set(i, in.get(i) + i * 20 + beta);
        }
    }

    private static void kernel(IntArray a) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            a.set(i, 1);
        }
    }

    /** {@code n} ints from -500 to 499, the same for one seed. */
    static IntArray random(int n, long seed) {
        Random r = new Random(seed);
        IntArray a = new IntArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, r.nextInt(1000) - 500);
        }
        return a;
    }

    private static TaskGraph shiftedGraph(IntArray in, FloatArray out, float beta) {
        return new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, in).task("t", TornadoPlanMemoryTest::shifted, in, out, beta)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
    }

    private static void assertShifted(IntArray in, FloatArray out, float beta) {
        for (int i = 0; i < in.getSize(); i++) {
            assertEquals(in.get(i) + i * 20 + beta, out.get(i), 1e-3f * Math.abs(i * 20f), "element " + i);
        }
    }

    @ParameterizedTest(name = "withMemoryLimit refuses a plan over it, and runs it under it or without it, on {0}")
    @MethodSource("devices")
    void memoryLimitRefusesWhatExceedsIt(String id) throws Exception {
        IntArray in = random(4096, 1);
        FloatArray out = new FloatArray(4096);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(shiftedGraph(in, out, 0.5f).snapshot())) {
            plan.withDevice(device(id)).withMemoryLimit("16KB");
            TornadoMemoryException refused = assertThrows(TornadoMemoryException.class, plan::execute);
            assertTrue(refused.getMessage().contains("take 32.0 KB") && refused.getMessage().contains("limit of 16.0 KB"), refused.getMessage());
            assertEquals(0f, out.get(4095), "a refused plan ran");
            plan.withMemoryLimit("32KB").execute();
            assertShifted(in, out, 0.5f);
            out.init(0f);
            plan.withMemoryLimit("1KB").withoutMemoryLimit().execute();
            assertShifted(in, out, 0.5f);
        }
    }

    @ParameterizedTest(name = "-Dtornado.device.memory is the device heap, on {0}")
    @MethodSource("devices")
    void deviceHeapPropertyRefusesWhatExceedsIt(String id) throws Exception {
        IntArray in = random(1 << 18, 2);
        FloatArray out = new FloatArray(1 << 18);
        TornadoDevice device = device(id);
        System.setProperty("tornado.device.memory", "1MB");
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(shiftedGraph(in, out, 1f).snapshot())) {
            assertEquals(1 << 20, device.getDeviceContext().getMemoryManager().getHeapSize());
            plan.withDevice(device);
            assertThrows(TornadoOutOfMemoryException.class, plan::execute);
            System.setProperty("tornado.device.memory", "3MB");
            plan.execute();
            assertShifted(in, out, 1f);
        } finally {
            System.clearProperty("tornado.device.memory");
        }
        assertEquals(device.getMaxGlobalMemory(), device.getDeviceContext().getMemoryManager().getHeapSize());
    }

    @ParameterizedTest(name = "a batched plan gives each element its own index on {0}")
    @MethodSource("devices")
    void batchedPlanKeepsEachElementsIndex(String id) throws Exception {
        IntArray in = random(300_000, 3);
        FloatArray out = new FloatArray(300_000);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(shiftedGraph(in, out, 2f).snapshot())) {
            plan.withDevice(device(id)).withBatch("256KB").execute();
            assertShifted(in, out, 2f);
        }
    }

    @ParameterizedTest(name = "batches refuse arrays of other lengths or element sizes on {0}")
    @MethodSource("devices")
    void batchesNeedArraysOfOneShape(String id) throws Exception {
        IntArray in = random(1000, 4);
        FloatArray longer = new FloatArray(1001);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(shiftedGraph(in, longer, 0f).snapshot())) {
            TornadoBailoutRuntimeException e = assertThrows(TornadoBailoutRuntimeException.class, () -> plan.withDevice(device(id)).withBatch("1KB").execute());
            assertTrue(e.getMessage().contains("1000 elements of 4 bytes and 1001 elements of 4 bytes"), e.getMessage());
        }
    }

    @Test
    void sizesMustHaveAUnit() {
        TornadoExecutionPlan plan = new TornadoExecutionPlan(shiftedGraph(new IntArray(4), new FloatArray(4), 0f).snapshot());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.withBatch("12 parsecs"));
        assertEquals("withBatch must be a whole number and a unit (B, KB, MB, GB, TB), like 512MB; was '12 parsecs'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plan.withMemoryLimit("MB"));
    }

    @ParameterizedTest(name = "a plan that ran before its device was reset fails, a new one runs, on {0}")
    @MethodSource("devices")
    void resetDeviceFailsPlansThatRanOnIt(String id) throws Exception {
        IntArray in = random(2048, 5);
        FloatArray out = new FloatArray(2048);
        TornadoDevice device = device(id);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(shiftedGraph(in, out, 3f).snapshot())) {
            plan.withDevice(device).execute();
            device.clean();
            assertThrows(TornadoFailureException.class, plan::execute);
        }
        out.init(0f);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(shiftedGraph(in, out, 3f).snapshot())) {
            plan.withDevice(device).execute();
        }
        assertShifted(in, out, 3f);
    }

    @Test
    void aMethodNamedKernelIsRefusedAsTornadoVMRefusesIt() {
        IntArray a = new IntArray(8);
        TornadoRuntimeException e = assertThrows(TornadoRuntimeException.class, () -> new TaskGraph("g").task("t", TornadoPlanMemoryTest::kernel, a));
        assertTrue(e.getMessage().contains("named kernel"), e.getMessage());
    }
}
