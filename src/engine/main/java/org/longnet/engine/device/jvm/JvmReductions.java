package org.longnet.engine.device.jvm;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * How the JVM launcher of a kernel with a {@code @Reduce} parameter ends a slice: the slice's partial
 * result, built in a local, joins the array element under the array's lock, so concurrent slices all
 * count. One call per slice, so the lock is never contended for long. {@code op} is one of
 * {@code + * max min}, as the translator found it in the kernel. The array is an engine array, a view of one, or a
 * Java array ({@code float[]}, ...), which the kernel on this device reads and writes itself; each is read and written
 * as a memory segment.
 */
public final class JvmReductions {
    private JvmReductions() {
    }

    public static void combine(Object array, long index, String op, float value) {
        MemorySegment s = segment(array);
        synchronized (lock(array)) {
            s.setAtIndex(JAVA_FLOAT, index, apply(op, s.getAtIndex(JAVA_FLOAT, index), value));
        }
    }

    public static void combine(Object array, long index, String op, double value) {
        MemorySegment s = segment(array);
        synchronized (lock(array)) {
            s.setAtIndex(JAVA_DOUBLE, index, apply(op, s.getAtIndex(JAVA_DOUBLE, index), value));
        }
    }

    public static void combine(Object array, long index, String op, int value) {
        MemorySegment s = segment(array);
        synchronized (lock(array)) {
            // int + and * wrap as long ones do in their low 32 bits; max and min of ints are ints
            s.setAtIndex(JAVA_INT, index, (int) apply(op, s.getAtIndex(JAVA_INT, index), value));
        }
    }

    public static void combine(Object array, long index, String op, long value) {
        MemorySegment s = segment(array);
        synchronized (lock(array)) {
            s.setAtIndex(JAVA_LONG, index, apply(op, s.getAtIndex(JAVA_LONG, index), value));
        }
    }

    private static float apply(String op, float old, float value) {
        return op.equals("+") ? old + value : op.equals("*") ? old * value : op.equals("max") ? Math.max(old, value) : Math.min(old, value);
    }

    private static double apply(String op, double old, double value) {
        return op.equals("+") ? old + value : op.equals("*") ? old * value : op.equals("max") ? Math.max(old, value) : Math.min(old, value);
    }

    private static long apply(String op, long old, long value) {
        return op.equals("+") ? old + value : op.equals("*") ? old * value : op.equals("max") ? Math.max(old, value) : Math.min(old, value);
    }

    /** The elements: a Java array's own, or the engine array's host memory (which is this device's). */
    private static MemorySegment segment(Object array) {
        return switch (array) {
            case float[] a -> MemorySegment.ofArray(a);
            case double[] a -> MemorySegment.ofArray(a);
            case int[] a -> MemorySegment.ofArray(a);
            case long[] a -> MemorySegment.ofArray(a);
            default -> DeviceArrayView.of(array).segment();
        };
    }

    /** What slices combining into one array synchronize on: the Java array, or the engine array behind a view. */
    private static Object lock(Object array) {
        DeviceArray engine = array instanceof float[] || array instanceof double[] || array instanceof int[] || array instanceof long[]
                ? null : DeviceArrayView.of(array);
        return engine == null ? array : engine;
    }
}
