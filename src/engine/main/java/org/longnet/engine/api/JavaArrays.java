package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Java's own arrays of a primitive ({@code float[]}, {@code int[]}, {@code double[]}, {@code long[]}, {@code short[]},
 * {@code char[]}, {@code byte[]}) and arrays of them ({@code float[][]}, ..., {@link JaggedArrays}) as kernel arguments, as
 * TornadoVM takes them. On the {@code jvm} device a kernel reads and writes the Java array itself. A device with memory of
 * its own copies from and to an engine array of the same element type, the array's mirror: one per Java array for as long
 * as that array lives, so residency and transfers work as for engine arrays. The mirror takes the Java array's elements
 * just before it is copied to a device ({@link #copyIn}), and gives them back just after the device's copy came back into
 * it ({@link #copyOut}); nothing else reads or writes it.
 * <p>
 * An {@link AtomicInteger} travels the same way, as a one-element int array (TornadoVM's kernels count in one): the
 * mirror takes its value before a copy to a device, and the object takes the device's value back after.
 */
public final class JavaArrays {
    /** Each Java array's mirror. Arrays hash and compare by identity, and no mirror refers to its array, so both can go. */
    private static final Map<Object, DeviceArray> MIRRORS = new WeakHashMap<>();
    /** Each mirror's Java array, for the copies (DeviceArray compares by identity too). */
    private static final Map<DeviceArray, Mirrored> ARRAYS = new WeakHashMap<>();

    /** A mirror's Java array, and for an array of arrays the row lengths the mirror was made for (null for one row). */
    private record Mirrored(WeakReference<Object> array, int[] rowLengths) {
    }

    private JavaArrays() {
    }

    /** Whether {@code argument} is a Java array of one of the seven primitives above, an array of such arrays, or an AtomicInteger. */
    public static boolean isJavaArray(Object argument) {
        return argument instanceof AtomicInteger || isFlat(argument) || JaggedArrays.isJagged(argument);
    }

    private static boolean isFlat(Object argument) {
        return argument instanceof float[] || argument instanceof int[] || argument instanceof double[] || argument instanceof long[]
                || argument instanceof short[] || argument instanceof char[] || argument instanceof byte[];
    }

    /** The mirror of {@code array} (a Java array, {@link #isJavaArray}), made on first use; the same one for the array's life. */
    public static synchronized DeviceArray mirror(Object array) {
        return MIRRORS.computeIfAbsent(array, a -> {
            int[] rows = JaggedArrays.isJagged(a) ? JaggedArrays.shape(a) : null;
            long length = a instanceof AtomicInteger ? 1
                    : rows == null ? java.lang.reflect.Array.getLength(a) : JaggedArrays.mirrorLength(a, rows, JaggedArrays.elementBytes(a));
            DeviceArray m = switch (a) {
                case float[] x -> new FloatArray(length);
                case float[][] x -> new FloatArray(length);
                case int[] x -> new IntArray(length);
                case int[][] x -> new IntArray(length);
                case double[] x -> new DoubleArray(length);
                case double[][] x -> new DoubleArray(length);
                case long[] x -> new LongArray(length);
                case long[][] x -> new LongArray(length);
                case short[] x -> new ShortArray(length);
                case short[][] x -> new ShortArray(length);
                case char[] x -> new CharArray(length);
                case char[][] x -> new CharArray(length);
                case byte[] x -> new ByteArray(length);
                case byte[][] x -> new ByteArray(length);
                case AtomicInteger x -> new IntArray(1);
                default -> throw new IllegalArgumentException("not a Java array of float, int, double, long, short, char or byte, an "
                        + "array of such arrays, nor an AtomicInteger: " + a);
            };
            ARRAYS.put(m, new Mirrored(new WeakReference<>(a), rows));
            return m;
        });
    }

    /** Before {@code array} goes to a device: where it is a mirror, the Java array's elements go into it. */
    public static void copyIn(DeviceArray array) {
        Mirrored m = mirrored(array);
        Object java = m == null ? null : m.array().get();
        if (java instanceof AtomicInteger counter) {
            ((IntArray) array).set(0, counter.get());
        } else if (java != null && m.rowLengths() != null) {
            JaggedArrays.copyIn(java, m.rowLengths(), array);
        } else if (java != null) {
            MemorySegment.copy(heap(java), 0, array.segment(), 0, array.byteSize());
        }
    }

    /** After a device's copy of {@code array} came back: where it is a mirror, its elements go into the Java array. */
    public static void copyOut(DeviceArray array) {
        Mirrored m = mirrored(array);
        Object java = m == null ? null : m.array().get();
        if (java instanceof AtomicInteger counter) {
            counter.set(((IntArray) array).get(0));
        } else if (java != null && m.rowLengths() != null) {
            JaggedArrays.copyOut(java, m.rowLengths(), array);
        } else if (java != null) {
            MemorySegment.copy(array.segment(), 0, heap(java), 0, array.byteSize());
        }
    }

    /**
     * Refuses one kernel launch's arguments where an array reaches the kernel twice through different mirrors: a row of
     * an array of arrays that is also another argument, or a row of another array of arrays. A device would hold separate
     * copies of it, so writes through one would not be seen through the other, as they are on the JVM.
     */
    public static void checkNoSharedRows(String kernel, Object[] args) {
        Map<Object, String> holders = new IdentityHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (isFlat(args[i])) {
                holders.putIfAbsent(args[i], "argument " + (i + 1));
            }
        }
        for (int i = 0; i < args.length; i++) {
            if (!JaggedArrays.isJagged(args[i]) || sameAsEarlier(args, i)) {
                continue;
            }
            Object[] rows = (Object[]) args[i];
            for (int r = 0; r < rows.length; r++) {
                String where = "row " + r + " of argument " + (i + 1);
                String other = rows[r] == null ? null : holders.putIfAbsent(rows[r], where);
                if (other != null) {
                    throw new IllegalArgumentException(kernel + ": " + where + " is also " + other + "; a device copies each argument "
                            + "apart, so one array must not reach a kernel twice through arrays of arrays");
                }
            }
        }
    }

    private static boolean sameAsEarlier(Object[] args, int i) {
        for (int k = 0; k < i; k++) {
            if (args[k] == args[i]) {
                return true;
            }
        }
        return false;
    }

    static MemorySegment heap(Object array) {
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

    private static synchronized Mirrored mirrored(DeviceArray array) {
        return ARRAYS.get(array);
    }
}
