package org.longnet.engine.device.jvm;

import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.api.DoubleArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.LongArray;

/**
 * How the JVM launcher of a kernel with a {@code @Reduce} parameter ends a slice: the slice's partial
 * result, built in a local, joins the array element under the array's lock, so concurrent slices all
 * count. One call per slice, so the lock is never contended for long. {@code op} is one of
 * {@code + * max min}, as the translator found it in the kernel. The array is an engine array, a view of one, or a
 * Java array ({@code float[]}, ...), which the kernel on this device reads and writes itself.
 */
public final class JvmReductions {
    private JvmReductions() {
    }

    public static void combine(Object array, long index, String op, float value) {
        if (array instanceof float[] a) {
            synchronized (a) {
                a[Math.toIntExact(index)] = apply(op, a[Math.toIntExact(index)], value);
            }
            return;
        }
        FloatArray a = (FloatArray) DeviceArrayView.of(array);
        synchronized (a) {
            a.set(index, apply(op, a.get(index), value));
        }
    }

    public static void combine(Object array, long index, String op, double value) {
        if (array instanceof double[] a) {
            synchronized (a) {
                a[Math.toIntExact(index)] = apply(op, a[Math.toIntExact(index)], value);
            }
            return;
        }
        DoubleArray a = (DoubleArray) DeviceArrayView.of(array);
        synchronized (a) {
            a.set(index, apply(op, a.get(index), value));
        }
    }

    public static void combine(Object array, long index, String op, int value) {
        if (array instanceof int[] a) {
            synchronized (a) {
                a[Math.toIntExact(index)] = (int) apply(op, a[Math.toIntExact(index)], value);
            }
            return;
        }
        IntArray a = (IntArray) DeviceArrayView.of(array);
        synchronized (a) {
            a.set(index, (int) apply(op, a.get(index), value));
        }
    }

    public static void combine(Object array, long index, String op, long value) {
        if (array instanceof long[] a) {
            synchronized (a) {
                a[Math.toIntExact(index)] = apply(op, a[Math.toIntExact(index)], value);
            }
            return;
        }
        LongArray a = (LongArray) DeviceArrayView.of(array);
        synchronized (a) {
            a.set(index, apply(op, a.get(index), value));
        }
    }

    private static float apply(String op, float old, float value) {
        return switch (op) {
            case "+" -> old + value;
            case "*" -> old * value;
            case "max" -> Math.max(old, value);
            default -> Math.min(old, value);
        };
    }

    private static double apply(String op, double old, double value) {
        return switch (op) {
            case "+" -> old + value;
            case "*" -> old * value;
            case "max" -> Math.max(old, value);
            default -> Math.min(old, value);
        };
    }

    /** An int element's combine too: int + and * wrap as long ones do in their low 32 bits, and max, min of ints are ints. */
    private static long apply(String op, long old, long value) {
        return switch (op) {
            case "+" -> old + value;
            case "*" -> old * value;
            case "max" -> Math.max(old, value);
            default -> Math.min(old, value);
        };
    }
}
