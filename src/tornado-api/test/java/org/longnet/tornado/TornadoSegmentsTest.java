package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TornadoVM's arrays over a caller's memory ({@code fromSegmentShallow}: TornadoNativeArray.ARRAY_HEADER bytes, none
 * here, then the elements, shared, not copied), on the host and through kernels on every test device; the
 * size check of {@code fromSegment}; and a bare MemorySegment refused as a task argument, as TornadoVM refuses it.
 */
@DeviceTest
class TornadoSegmentsTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    static void addOne(FloatArray a, FloatArray b) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            b.set(i, a.get(i) + 1f);
        }
    }

    /** Never runs: the translator writes no kernel for it, and the task graph refuses the task. */
    static void readSegment(MemorySegment segment) {
        float unused = segment.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    @ParameterizedTest(name = "{0}Array.fromSegmentShallow")
    @ValueSource(strings = {"Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Int8", "HalfFloat", "BFloat16", "FP8"})
    void shallowArraysShareTheCallersMemory(String name) throws Exception {
        Class<?> cls = Class.forName("uk.ac.manchester.tornado.api.types.arrays." + name + "Array");
        int bytes = ((TornadoNativeArray) cls.getConstructor(int.class).newInstance(1)).getElementSize();
        MemorySegment memory = Arena.ofAuto().allocate(TornadoNativeArray.ARRAY_HEADER + 7L * bytes, 8);
        TornadoNativeArray a = (TornadoNativeArray) cls.getMethod("fromSegmentShallow", MemorySegment.class).invoke(null, memory);
        assertEquals(7, a.getSize());
        assertEquals(memory.address() + TornadoNativeArray.ARRAY_HEADER, a.getSegment().address(), "the elements are the caller's, not a copy");
        memory.set(ValueLayout.JAVA_BYTE, TornadoNativeArray.ARRAY_HEADER + 3L * bytes, (byte) 5);
        assertEquals(5, a.getSegment().get(ValueLayout.JAVA_BYTE, 3L * bytes), "a write to the caller's memory is the array's");
        a.clear();
        assertEquals(0, memory.get(ValueLayout.JAVA_BYTE, TornadoNativeArray.ARRAY_HEADER + 3L * bytes), "and the array's the caller's");
        var heap = MemorySegment.ofArray(new byte[7 * bytes]);
        var refused = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> cls.getMethod("fromSegmentShallow", MemorySegment.class)
                .invoke(null, heap));
        assertTrue(refused.getCause() instanceof IllegalArgumentException && refused.getCause().getMessage().contains("native segment"),
                String.valueOf(refused.getCause()));
    }

    @Test
    void aSegmentOfPartElementsIsRefused() {
        MemorySegment memory = Arena.ofAuto().allocate(4 * 10 + 1);
        assertThrows(IllegalArgumentException.class, () -> IntArray.fromSegment(memory));
        assertThrows(IllegalArgumentException.class, () -> IntArray.fromSegmentShallow(memory));
    }

    @Test
    void aMemorySegmentIsNoTaskArgument() {
        MemorySegment segment = Arena.ofAuto().allocate(64);
        TornadoRuntimeException transfer = assertThrows(TornadoRuntimeException.class,
                () -> new TaskGraph("s").transferToDevice(DataTransferMode.FIRST_EXECUTION, segment));
        assertTrue(transfer.getMessage().contains("argument 1 is a MemorySegment"), transfer.getMessage());
        TornadoRuntimeException task = assertThrows(TornadoRuntimeException.class,
                () -> new TaskGraph("s").task("t0", TornadoSegmentsTest::readSegment, segment));
        assertTrue(task.getMessage().contains("task t0: argument 1 is a MemorySegment"), task.getMessage());
    }

    @ParameterizedTest(name = "shallow arrays through kernels on {0}")
    @MethodSource("devices")
    void kernelsReadAndWriteTheCallersMemory(String id) throws Exception {
        int n = 1000;
        MemorySegment in = Arena.ofAuto().allocate(TornadoNativeArray.ARRAY_HEADER + 4L * n, 8);
        MemorySegment out = Arena.ofAuto().allocate(TornadoNativeArray.ARRAY_HEADER + 4L * n, 8);
        SplittableRandom r = new SplittableRandom(13);
        for (int i = 0; i < n; i++) {
            in.setAtIndex(ValueLayout.JAVA_FLOAT, TornadoNativeArray.ARRAY_HEADER / 4 + i, (float) r.nextDouble(-10, 10));
        }
        FloatArray a = FloatArray.fromSegmentShallow(in), b = FloatArray.fromSegmentShallow(out);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, a)
                .task("t0", TornadoSegmentsTest::addOne, a, b).transferToHost(DataTransferMode.EVERY_EXECUTION, b);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
            for (int i = 0; i < n; i++) {
                assertEquals(in.getAtIndex(ValueLayout.JAVA_FLOAT, TornadoNativeArray.ARRAY_HEADER / 4 + i) + 1f,
                        out.getAtIndex(ValueLayout.JAVA_FLOAT, TornadoNativeArray.ARRAY_HEADER / 4 + i), "element " + i);
            }
            in.setAtIndex(ValueLayout.JAVA_FLOAT, TornadoNativeArray.ARRAY_HEADER / 4, 41f);
            plan.execute();
            assertEquals(42f, out.getAtIndex(ValueLayout.JAVA_FLOAT, TornadoNativeArray.ARRAY_HEADER / 4), "the next run reads the caller's memory again");
        }
    }
}
