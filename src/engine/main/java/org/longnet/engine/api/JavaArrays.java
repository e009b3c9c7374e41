package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Java's own arrays of a primitive ({@code float[]}, {@code int[]}, {@code double[]}, {@code long[]}, {@code short[]},
 * {@code char[]}, {@code byte[]}) as kernel arguments, as TornadoVM takes them. On the {@code jvm} device a kernel reads
 * and writes the Java array itself. A device with memory of its own copies from and to an engine array of the same
 * element type, the array's mirror: one per Java array for as long as that array lives, so residency and transfers work
 * as for engine arrays. The mirror takes the Java array's elements just before it is copied to a device
 * ({@link #copyIn}), and gives them back just after the device's copy came back into it ({@link #copyOut}); nothing else
 * reads or writes it.
 * <p>
 * An {@link AtomicInteger} travels the same way, as a one-element int array (TornadoVM's kernels count in one): the
 * mirror takes its value before a copy to a device, and the object takes the device's value back after.
 */
public final class JavaArrays {
    /** Each Java array's mirror. Arrays hash and compare by identity, and no mirror refers to its array, so both can go. */
    private static final Map<Object, DeviceArray> MIRRORS = new WeakHashMap<>();
    /** Each mirror's Java array, for the copies (DeviceArray compares by identity too). */
    private static final Map<DeviceArray, WeakReference<Object>> ARRAYS = new WeakHashMap<>();

    private JavaArrays() {
    }

    /** Whether {@code argument} is a Java array of one of the seven primitives above, or an AtomicInteger. */
    public static boolean isJavaArray(Object argument) {
        return argument instanceof AtomicInteger
                || argument instanceof float[] || argument instanceof int[] || argument instanceof double[] || argument instanceof long[]
                || argument instanceof short[] || argument instanceof char[] || argument instanceof byte[];
    }

    /** The mirror of {@code array} (a Java array, {@link #isJavaArray}), made on first use; the same one for the array's life. */
    public static synchronized DeviceArray mirror(Object array) {
        return MIRRORS.computeIfAbsent(array, a -> {
            DeviceArray m = switch (a) {
                case float[] x -> new FloatArray(x.length);
                case int[] x -> new IntArray(x.length);
                case double[] x -> new DoubleArray(x.length);
                case long[] x -> new LongArray(x.length);
                case short[] x -> new ShortArray(x.length);
                case char[] x -> new CharArray(x.length);
                case byte[] x -> new ByteArray(x.length);
                case AtomicInteger x -> new IntArray(1);
                default -> throw new IllegalArgumentException("not a Java array of float, int, double, long, short, char or byte: " + a);
            };
            ARRAYS.put(m, new WeakReference<>(a));
            return m;
        });
    }

    /** Before {@code array} goes to a device: where it is a mirror, the Java array's elements go into it. */
    public static void copyIn(DeviceArray array) {
        Object java = javaArray(array);
        if (java instanceof AtomicInteger counter) {
            ((IntArray) array).set(0, counter.get());
        } else if (java != null) {
            MemorySegment.copy(heap(java), 0, array.segment(), 0, array.byteSize());
        }
    }

    /** After a device's copy of {@code array} came back: where it is a mirror, its elements go into the Java array. */
    public static void copyOut(DeviceArray array) {
        Object java = javaArray(array);
        if (java instanceof AtomicInteger counter) {
            counter.set(((IntArray) array).get(0));
        } else if (java != null) {
            MemorySegment.copy(array.segment(), 0, heap(java), 0, array.byteSize());
        }
    }

    private static MemorySegment heap(Object array) {
        return switch (array) {
            case float[] x -> MemorySegment.ofArray(x);
            case int[] x -> MemorySegment.ofArray(x);
            case double[] x -> MemorySegment.ofArray(x);
            case long[] x -> MemorySegment.ofArray(x);
            case short[] x -> MemorySegment.ofArray(x);
            case char[] x -> MemorySegment.ofArray(x);
            default -> MemorySegment.ofArray((byte[]) array);
        };
    }

    private static synchronized Object javaArray(DeviceArray array) {
        WeakReference<Object> java = ARRAYS.get(array);
        return java == null ? null : java.get();
    }
}
