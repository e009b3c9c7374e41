package org.longnet.engine.conformance;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.FloatArray;

/** Device functions for {@link ConformanceKernels#libraryTranspose} (see {@link ConformanceGroups}). */
@DeviceFunctions
public final class ConformanceRows {
    private ConformanceRows() {
    }

    /** Element (row, col) of a column-major matrix with {@code rows} rows: a function of the same name as ConformanceGroups'. */
    public static long index(int row, int col, int rows) {
        return (long) col * rows + row;
    }

    /** Element (row, col) of x, a row-major matrix with {@code cols} columns. */
    public static float element(FloatArray x, int row, int col, int cols) {
        return x.get(ConformanceGroups.index(row, col, cols));
    }
}
