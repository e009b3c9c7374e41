package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.JavaArrays;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Java array of arrays given alone to a transfer ({@code transferToHost(mode, a)} with {@code int[][] a}) reaches it as its
 * rows, since {@code int[][]} is an {@code Object[]} and Java passes it as the varargs array itself. TornadoVM's programs
 * write such calls, meaning the array of arrays: here rows that belong to an array of arrays a task takes stand for that
 * array, and rows named by {@code transferToDevice} before the task that takes their array give that array their mode.
 */
final class LoneArraysOfArrays {
    private LoneArraysOfArrays() {
    }

    /**
     * {@code objects}, where some are rows of an array of arrays among {@code taskArguments}, with those rows replaced by
     * that array (once); {@code objects} itself where none is.
     */
    static Object[] whole(Object[] objects, Collection<Object> taskArguments) {
        Map<Object, Object> holder = new IdentityHashMap<>();
        for (Object a : taskArguments) {
            if (a instanceof Object[] rows && JavaArrays.isJavaArray(a)) {
                for (Object row : rows) {
                    holder.putIfAbsent(row, a);
                }
            }
        }
        List<Object> out = new ArrayList<>();
        boolean replaced = false;
        for (Object o : objects) {
            Object whole = o == null || o instanceof Object[] ? null : holder.get(o);
            replaced |= whole != null;
            Object item = whole != null ? whole : o;
            if (out.stream().noneMatch(x -> x == item)) {
                out.add(item);
            }
        }
        return replaced ? out.toArray() : objects;
    }

    /** The mode under which a transfer named every row of {@code array} (an array of arrays with rows), else null. */
    static Integer modeOfRows(Object array, Map<Object, Integer> transferredRows) {
        if (!(array instanceof Object[] rows) || rows.length == 0 || !JavaArrays.isJavaArray(array)) {
            return null;
        }
        Integer mode = transferredRows.get(rows[0]);
        for (Object row : rows) {
            if (mode == null || !mode.equals(transferredRows.get(row))) {
                return null;
            }
        }
        return mode;
    }
}
