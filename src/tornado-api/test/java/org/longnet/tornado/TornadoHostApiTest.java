package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.DataRange;
import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoDeviceMap;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoTargetDevice;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.exceptions.TornadoBackendNotFound;
import uk.ac.manchester.tornado.api.exceptions.TornadoDeviceNotFound;
import uk.ac.manchester.tornado.api.exceptions.TornadoInternalError;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.profiler.ChromeEventTracer;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TornadoVM's host-side API that runs no kernel: device queries, ranges, half-float arrays, errors, the tracer. */
class TornadoHostApiTest {
    @Test
    void deviceMapListsTheRuntimesBackendsAndFindsDevices() {
        var runtime = TornadoRuntimeProvider.getTornadoRuntime();
        TornadoDeviceMap map = TornadoExecutionPlan.getTornadoDeviceMap();
        assertEquals(runtime.getNumBackends(), map.getNumBackends());
        List<TornadoBackend> backends = map.getAllBackends();
        for (int b = 0; b < backends.size(); b++) {
            assertEquals(runtime.getBackend(b).getName(), backends.get(b).getName());
        }
        TornadoDevice first = backends.getFirst().getDevice(0);
        String name = first.getPhysicalDevice().getDeviceName();
        assertTrue(map.getDevicesByName(name.toUpperCase()).anyMatch(d -> d.getId().equals(first.getId())));
        assertEquals(0, map.getDevicesByName("no device has this name").count());
        assertTrue(map.getDevicesByType(first.getDeviceType()).anyMatch(d -> d.getId().equals(first.getId())));
        assertEquals(List.of(backends.getFirst()), map.getBackendsWithDevicePredicate(d -> d.getId().equals(first.getId())));
        assertEquals(backends, map.getBackendsWithPredicate(b -> b.getNumDevices() >= 1));
    }

    @Test
    void physicalDeviceReportsWhatTheEngineKnows() {
        TornadoDevice device = TornadoExecutionPlan.getDevice(0, 0);
        TornadoTargetDevice physical = device.getPhysicalDevice();
        assertEquals(device.getDeviceName(), physical.getDeviceName());
        assertEquals(device.getMaxGlobalMemory(), physical.getDeviceGlobalMemorySize());
        assertEquals(device.getMaxAllocMemory(), physical.getDeviceMaxAllocationSize());
        assertEquals(device.getDeviceLocalMemorySize(), physical.getDeviceLocalMemorySize());
        assertEquals(device.getMaxThreadsPerBlock(), physical.getDeviceMaxWorkGroupSize()[0]);
        assertTrue(physical.getDeviceMaxComputeUnits() >= 1);
        var unknown = assertThrows(UnsupportedOperationException.class, physical::getDeviceMaxClockFrequency);
        assertEquals("the engine does not record the clock frequency of " + device.getId(), unknown.getMessage());
    }

    @Test
    void indexesThatNameNoBackendOrDeviceThrowTornadoVMsExceptions() {
        assertThrows(TornadoBackendNotFound.class, () -> TornadoExecutionPlan.getDevice(100, 0));
        var e = assertThrows(TornadoDeviceNotFound.class, () -> TornadoExecutionPlan.getDevice(0, 100));
        assertTrue(e.getMessage().endsWith("was 100"), e.getMessage());
    }

    @Test
    void dataRangeChecksItsBounds() {
        IntArray a = new IntArray(10);
        DataRange range = new DataRange(a).withOffset(4).withSize(7);
        var e = assertThrows(TornadoRuntimeException.class, range::materialize);
        assertEquals("DataRange of 7 elements from element 4 does not fit in an array of 10 elements", e.getMessage());
        assertThrows(TornadoRuntimeException.class, () -> new DataRange(a).getOffset());
        DataRange tail = new DataRange(a).withOffset(4);
        tail.materialize();
        assertEquals(4 * Integer.BYTES, tail.getOffset());
        assertEquals(6 * Integer.BYTES, tail.getPartialSize());
    }

    @Test
    void halfFloatArraysConcatenateAndSlice() {
        HalfFloatArray a = new HalfFloatArray(3), b = new HalfFloatArray(2);
        a.init(new HalfFloat(1.5f));
        b.set(0, new HalfFloat(-2f));
        b.set(1, new HalfFloat(4f));
        HalfFloatArray c = HalfFloatArray.concat(a, b);
        assertEquals(5, c.getSize());
        assertEquals(1.5f, c.get(2).getFloat32());
        assertEquals(-2f, c.get(3).getFloat32());
        HalfFloatArray s = c.slice(2, 3);
        assertEquals(3, s.getSize());
        assertEquals(1.5f, s.get(0).getFloat32());
        assertEquals(4f, s.get(2).getFloat32());
        assertThrows(IllegalArgumentException.class, () -> c.slice(4, 2));
    }

    @Test
    void internalErrorHelpersThrowWithTheirMessages() {
        var e = assertThrows(TornadoInternalError.class, () -> TornadoInternalError.unimplemented("%d lanes", 16));
        assertEquals("unimplemented: 16 lanes", e.getMessage());
        assertEquals("should not reach here: 100% sure", assertThrows(TornadoInternalError.class,
                () -> TornadoInternalError.shouldNotReachHere("100% sure")).getMessage());
        TornadoInternalError.guarantee(true, "never thrown");
        var g = assertThrows(TornadoInternalError.class, () -> TornadoInternalError.guarantee(false, "size %s", "n"));
        assertEquals("failed guarantee: size n", g.getMessage());
        assertEquals(List.of("graph: s0"), g.addContext("graph", "s0").getContext());
    }

    @Test
    void chromeTracerRecordsEventsOnlyWhenEnabled() {
        String before = ChromeEventTracer.toJson();
        ChromeEventTracer.enqueueTaskIfEnabled("not recorded", 0, 1000);
        assertEquals(before, ChromeEventTracer.toJson());
        System.setProperty(ChromeEventTracer.CHROME_EVENT_TRACER_FILENAME_KEY, "target/chrome-trace-test.json");
        System.setProperty(ChromeEventTracer.CHROME_EVENT_TRACER_ENABLED_KEY, "true");
        try {
            ChromeEventTracer.enqueueWriteIfEnabled("copy \"a\"", 4096, 2_000, 5_500);
            String json = ChromeEventTracer.toJson();
            assertTrue(json.startsWith("{\"traceEvents\": ["), json);
            assertTrue(json.contains("\"name\": \"copy \\\"a\\\"\", \"cat\": \"write\", \"ph\": \"X\", \"ts\": 2.000, \"dur\": 3.500"), json);
            assertTrue(json.contains("\"args\": {\"bytes\": 4096}"), json);
            assertFalse(json.contains("not recorded"), json);
        } finally {
            System.clearProperty(ChromeEventTracer.CHROME_EVENT_TRACER_ENABLED_KEY);
            System.clearProperty(ChromeEventTracer.CHROME_EVENT_TRACER_FILENAME_KEY);
        }
    }
}
