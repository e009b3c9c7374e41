package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Java's arrays of arrays of a primitive ({@code float[][]}, {@code int[][]}, ... of the element types {@link JavaArrays}
 * takes) as kernel arguments. Rows may differ in length. On the {@code jvm} device a kernel reads and writes the caller's
 * arrays themselves; a device with memory of its own gets the whole array as one engine array of the element type (the
 * mirror), laid out as the translator reads it:
 * <ul>
 * <li>a row table of 64-bit words at the start: word 0 holds the number of rows n, words 1 to n + 1 where each row starts
 * and, for the last, where the elements end, counted in elements from the start of the mirror;</li>
 * <li>then the rows' elements, one row after another. The table is a whole number of 8-byte words, so the first row
 * starts aligned for every element type.</li>
 * </ul>
 * Row {@code i} is elements {@code [table[i + 1], table[i + 2])}. The shape (the number of rows and each row's length) is
 * fixed when the mirror is made. The structure is read again at every copy: a copy to the device gathers the rows that the
 * outer array holds at that moment, and a copy back scatters into the rows it holds then, so rows the host replaced
 * between executions are the ones read and written. A row replaced by one of another length, or a null row, is refused
 * with the row's index, and so, at the copies, are two rows that are one array (the device would hold two copies of it;
 * on the JVM the kernel runs on the caller's arrays, so Java's meaning holds there).
 */
final class JaggedArrays {
    private JaggedArrays() {
    }

    /** Whether {@code argument} is an array of arrays of one of the primitives a kernel takes. */
    static boolean isJagged(Object argument) {
        return argument instanceof float[][] || argument instanceof int[][] || argument instanceof double[][] || argument instanceof long[][]
                || argument instanceof short[][] || argument instanceof char[][] || argument instanceof byte[][];
    }

    /** Elements of the row table before the first row's: (rows + 2) 64-bit words. */
    static long tableElements(int rows, int elementBytes) {
        return (rows + 2L) * Long.BYTES / elementBytes;
    }

    /** The row lengths of {@code array} (a {@link #isJagged} array); a null row is refused. */
    static int[] shape(Object array) {
        Object[] rows = (Object[]) array;
        int[] lengths = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                throw new IllegalArgumentException("row " + i + " of a " + typeName(array) + " kernel argument is null; every row must be an array");
            }
            lengths[i] = java.lang.reflect.Array.getLength(rows[i]);
        }
        return lengths;
    }

    /** The mirror's length in elements for rows of {@code lengths}. */
    static long mirrorLength(Object array, int[] lengths, int elementBytes) {
        long total = tableElements(lengths.length, elementBytes);
        for (int length : lengths) {
            total += length;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a " + typeName(array) + " kernel argument of " + lengths.length + " rows needs " + total
                    + " elements on a device, more than an engine array's " + Integer.MAX_VALUE);
        }
        return total;
    }

    /** The rows' elements and the row table into {@code mirror}, whose shape is {@code lengths}. */
    static void copyIn(Object array, int[] lengths, DeviceArray mirror) {
        Object[] rows = checkedRows(array, lengths);
        int bytes = elementBytes(array);
        MemorySegment m = mirror.segment();
        m.setAtIndex(ValueLayout.JAVA_LONG, 0, rows.length);
        long at = tableElements(rows.length, bytes);
        for (int i = 0; i < rows.length; i++) {
            m.setAtIndex(ValueLayout.JAVA_LONG, i + 1, at);
            MemorySegment.copy(JavaArrays.heap(rows[i]), 0, m, at * bytes, (long) lengths[i] * bytes);
            at += lengths[i];
        }
        m.setAtIndex(ValueLayout.JAVA_LONG, rows.length + 1L, at);
    }

    /** The rows' elements from {@code mirror} into the rows {@code array} holds now. */
    static void copyOut(Object array, int[] lengths, DeviceArray mirror) {
        Object[] rows = checkedRows(array, lengths);
        int bytes = elementBytes(array);
        long at = tableElements(rows.length, bytes);
        for (int i = 0; i < rows.length; i++) {
            MemorySegment.copy(mirror.segment(), at * bytes, JavaArrays.heap(rows[i]), 0, (long) lengths[i] * bytes);
            at += lengths[i];
        }
    }

    /** The rows of {@code array} now, refused where its shape is no longer {@code lengths}. */
    private static Object[] checkedRows(Object array, int[] lengths) {
        Object[] rows = (Object[]) array;
        if (rows.length != lengths.length) {
            throw new IllegalArgumentException("a " + typeName(array) + " kernel argument had " + lengths.length + " rows and has "
                    + rows.length + "; an array of arrays keeps its shape on a device (it cannot change its length)");
        }
        int[] now = shape(array);
        Map<Object, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < rows.length; i++) {
            Integer other = seen.put(rows[i], i);
            if (other != null) {
                // on the JVM a kernel writes the caller's arrays, where one row under two indices is Java's meaning
                throw new IllegalArgumentException("rows " + other + " and " + i + " of a " + typeName(array) + " kernel argument are one array; "
                        + "a device holds each row apart, so give each row its own array");
            }
            if (now[i] != lengths[i]) {
                throw new IllegalArgumentException("row " + i + " of a " + typeName(array) + " kernel argument was replaced by one of "
                        + now[i] + " elements; it had " + lengths[i] + ": an array of arrays keeps each row's length from its first use by a "
                        + "task (replace rows by rows of the same length, or use a new array of arrays)");
            }
        }
        return rows;
    }

    static int elementBytes(Object array) {
        return switch (array) {
            case double[][] x -> 8;
            case long[][] x -> 8;
            case float[][] x -> 4;
            case int[][] x -> 4;
            case short[][] x -> 2;
            case char[][] x -> 2;
            default -> 1;
        };
    }

    private static String typeName(Object array) {
        return array.getClass().getComponentType().getComponentType().getName() + "[][]";
    }
}
