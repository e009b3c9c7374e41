package org.longnet.engine.device.jvm;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.api.DoubleArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.LongArray;

/**
 * How the JVM launcher of a kernel with a {@code @Reduce} parameter ends a slice: the slice's partial
 * result, built in a local, joins the array element under the array's lock, so concurrent slices all
 * count. One call per slice, so the lock is never contended for long. {@code op} is one of
 * {@code + * max min}, as the translator found it in the kernel.
 */
public final class JvmReductions {
    private JvmReductions() {
    }

    public static void combine(Object array, long index, String op, float value) {
        FloatArray a = (FloatArray) engineArray(array);
        synchronized (a) {
            float old = a.get(index);
            a.set(index, switch (op) {
                case "+" -> old + value;
                case "*" -> old * value;
                case "max" -> Math.max(old, value);
                default -> Math.min(old, value);
            });
        }
    }

    public static void combine(Object array, long index, String op, double value) {
        DoubleArray a = (DoubleArray) engineArray(array);
        synchronized (a) {
            double old = a.get(index);
            a.set(index, switch (op) {
                case "+" -> old + value;
                case "*" -> old * value;
                case "max" -> Math.max(old, value);
                default -> Math.min(old, value);
            });
        }
    }

    public static void combine(Object array, long index, String op, int value) {
        IntArray a = (IntArray) engineArray(array);
        synchronized (a) {
            int old = a.get(index);
            a.set(index, switch (op) {
                case "+" -> old + value;
                case "*" -> old * value;
                case "max" -> Math.max(old, value);
                default -> Math.min(old, value);
            });
        }
    }

    public static void combine(Object array, long index, String op, long value) {
        LongArray a = (LongArray) engineArray(array);
        synchronized (a) {
            long old = a.get(index);
            a.set(index, switch (op) {
                case "+" -> old + value;
                case "*" -> old * value;
                case "max" -> Math.max(old, value);
                default -> Math.min(old, value);
            });
        }
    }

    private static DeviceArray engineArray(Object array) {
        return DeviceArrayView.of(array);
    }
}
