package org.longnet.model;

import org.longnet.engine.api.DeviceArray;

/**
 * A row-major matrix inside a device array, as a GEMM takes it: element (r, c) at
 * {@code offset + r * stride + c}. Lets one array hold several matrices side by side (the attention
 * projections' Q, K and V parts of one row) that GEMMs take one by one or together.
 */
record MatrixView(DeviceArray array, long offset, int stride) {
    /** All of {@code array}, rows of {@code cols}. */
    static MatrixView rowsOf(DeviceArray array, int cols) {
        return new MatrixView(array, 0, cols);
    }

    /** The same matrix from row {@code row} on. */
    MatrixView fromRow(long row) {
        return new MatrixView(array, offset + row * stride, stride);
    }
}
