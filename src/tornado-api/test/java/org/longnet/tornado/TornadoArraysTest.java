package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The host side of TornadoVM's arrays: factories, copies, slices and conversions, for every element type. */
class TornadoArraysTest {
    @Test
    void floatArrayFactoriesCopiesAndSlices() {
        FloatArray a = FloatArray.fromElements(1f, 2f, 3f, 4f);
        assertEquals(4, a.getSize());
        assertEquals(Float.BYTES, a.getElementSize());
        assertEquals(16, a.getNumBytesOfSegment());
        assertEquals(a.getNumBytesOfSegment(), a.getNumBytesOfSegmentWithHeader());
        assertArrayEquals(new float[] {2f, 3f}, a.slice(1, 2).toHeapArray());
        assertThrows(IllegalArgumentException.class, () -> a.slice(3, 2));
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 9f}, FloatArray.concat(a, FloatArray.fromElements(9f)).toHeapArray());
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, FloatArray.fromSegment(a.getSegment().asSlice(0, 16)).toHeapArray());
        a.slice(0, 1).set(0, 7f);
        assertEquals(1f, a.get(0), "a slice is a copy");
        FloatArray.initialize(a, 0.5f);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, a.toHeapArray());
        a.clear();
        assertArrayEquals(new float[4], a.toHeapArray());
        assertEquals(0, new FloatArray(0).toHeapArray().length);
        assertThrows(IllegalArgumentException.class, () -> new FloatArray(-1));
    }

    @Test
    void buffersAreReadByValueFromTheirPositionWithoutMovingIt() {
        FloatBuffer bigEndian = ByteBuffer.allocateDirect(5 * Float.BYTES).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
        bigEndian.put(new float[] {1f, 2f, 3f, 4f, 5f}).position(2);
        assertArrayEquals(new float[] {3f, 4f, 5f}, FloatArray.fromFloatBuffer(bigEndian).toHeapArray());
        assertEquals(2, bigEndian.position());
    }

    @Test
    void halfFloatArrayHoldsFp16Bits() {
        HalfFloatArray h = HalfFloatArray.fromElements(new HalfFloat(1.5f), new HalfFloat(-2f));
        assertEquals(2, h.getSize());
        assertEquals(Short.BYTES, h.getElementSize());
        assertEquals(-2f, h.get(1).getFloat32());
        assertArrayEquals(new short[] {Float.floatToFloat16(1.5f), Float.floatToFloat16(-2f)}, h.toShortArray());
        assertEquals(1.5f, HalfFloatArray.fromSegment(h.getSegment().asSlice(0, 4)).get(0).getFloat32());
        HalfFloatArray.initialize(h, new HalfFloat(3f));
        assertEquals(3f, h.toHeapArray()[1].getFloat32());
        h.clear();
        assertEquals(0f, h.get(0).getFloat32());
        assertEquals(h.getSegment(), h.deviceArray().segment());
    }

    /** Each primitive array through its own element type, by reflection: Byte, Char, Short, Int, Long, Float, Double. */
    @ParameterizedTest(name = "{0}Array")
    @ValueSource(strings = {"Byte", "Char", "Short", "Int", "Long", "Float", "Double"})
    void everyPrimitiveArrayRoundTrips(String name) throws Exception {
        Class<?> cls = Class.forName("uk.ac.manchester.tornado.api.types.arrays." + name + "Array");
        Class<?> heapType = cls.getMethod("toHeapArray").getReturnType();
        Class<?> element = heapType.getComponentType();
        Object values = Array.newInstance(element, 5);
        for (int i = 0; i < 5; i++) {
            Array.set(values, i, element(element, 10 + i));
        }
        TornadoNativeArray a = (TornadoNativeArray) cls.getMethod("fromArray", heapType).invoke(null, values);
        assertEquals(5, a.getSize());
        assertEquals(5L * a.getElementSize(), a.getNumBytesOfSegment());
        assertArrayEquals(new Object[] {values}, new Object[] {cls.getMethod("toHeapArray").invoke(a)}, "fromArray, toHeapArray");
        assertEquals(element(element, 12), cls.getMethod("get", int.class).invoke(a, 2));
        cls.getMethod("set", int.class, element).invoke(a, 2, element(element, 99));
        assertEquals(element(element, 99), cls.getMethod("get", int.class).invoke(a, 2));
        Object slice = cls.getMethod("slice", int.class, int.class).invoke(a, 1, 3);
        assertEquals(3, ((TornadoNativeArray) slice).getSize());
        assertEquals(element(element, 99), cls.getMethod("get", int.class).invoke(slice, 1));
        Object both = Array.newInstance(cls, 2);
        Array.set(both, 0, a);
        Array.set(both, 1, slice);
        TornadoNativeArray joined = (TornadoNativeArray) cls.getMethod("concat", both.getClass()).invoke(null, both);
        assertEquals(8, joined.getSize());
        assertEquals(element(element, 11), cls.getMethod("get", int.class).invoke(joined, 5));
        TornadoNativeArray copy = (TornadoNativeArray) cls.getMethod("fromSegment", MemorySegment.class).invoke(null, joined.getSegment()
                .asSlice(0, joined.getNumBytesOfSegment()));
        assertEquals(element(element, 13), cls.getMethod("get", int.class).invoke(copy, 7));
        Method fromBuffer = cls.getMethod("from" + name + "Buffer", bufferType(name));
        Buffer buffer = bufferOf(name, values);
        TornadoNativeArray fromBuffer1 = (TornadoNativeArray) fromBuffer.invoke(null, buffer.position(1));
        assertEquals(4, fromBuffer1.getSize());
        assertEquals(element(element, 11), cls.getMethod("get", int.class).invoke(fromBuffer1, 0));
        cls.getMethod("init", element).invoke(copy, element(element, 3));
        assertEquals(element(element, 3), cls.getMethod("get", int.class).invoke(copy, 4));
        cls.getMethod("clear").invoke(copy);
        assertEquals(element(element, 0), cls.getMethod("get", int.class).invoke(copy, 4));
    }

    private static Object element(Class<?> type, int v) {
        return switch (type.getName()) {
            case "byte" -> (byte) v;
            case "char" -> (char) v;
            case "short" -> (short) v;
            case "int" -> v;
            case "long" -> (long) v;
            case "float" -> (float) v;
            default -> (double) v;
        };
    }

    private static Class<?> bufferType(String name) throws ClassNotFoundException {
        return Class.forName("java.nio." + name + "Buffer");
    }

    /** A heap buffer of {@code name}'s type wrapping {@code values}. */
    private static Buffer bufferOf(String name, Object values) throws Exception {
        return (Buffer) bufferType(name).getMethod("wrap", values.getClass()).invoke(null, values);
    }
}
