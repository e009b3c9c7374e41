package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.cusparse.Cusparse;

import java.util.Map;

/** The products of {@link Cusparse} on the host, summed in double. */
public final class CusparseLibrary extends HostLibrary {
    public CusparseLibrary() {
        super(Cusparse.LIBRARY_NAME, Map.of(
                "cusparseSpMV", call -> product(call, call.integer(0), call.integer(1), 1, 3),
                "cusparseSpMM", call -> product(call, call.integer(0), call.integer(1), call.integer(2), 4)));
    }

    /**
     * {@code C (rows x n) = A (rows x k, CSR) * B (k x n)}, row-major; the CSR arrays start at parameter {@code at} (after
     * nnz), B and C follow. SpMV is the case n = 1.
     */
    private static void product(Call call, int rows, int k, int n, int at) {
        int nnz = call.integer(at - 1);
        if (rows < 0 || k < 0 || n < 0 || nnz < 0) {
            throw new IllegalArgumentException(call.name() + ": sizes must be >= 0, were rows " + rows + ", cols " + k + ", n " + n + ", nnz " + nnz);
        }
        Elements offsets = call.elements(at).needs(call.name() + " csrRowOffsets", rows + 1L);
        Elements columns = call.elements(at + 1).needs(call.name() + " csrColInd", nnz);
        Elements values = call.elements(at + 2).needs(call.name() + " csrValues", nnz);
        Elements b = call.elements(at + 3).needs(call.name() + " dense input", (long) k * n);
        Elements c = call.elements(at + 4).needs(call.name() + " output", (long) rows * n);
        double[] row = new double[n];
        for (int r = 0; r < rows; r++) {
            int from = (int) offsets.get(r), to = (int) offsets.get(r + 1);
            if (from < 0 || to < from || to > nnz) {
                throw new IllegalArgumentException(call.name() + ": csrRowOffsets must rise from 0 to nnz = " + nnz + "; row " + r + " spans "
                        + from + " .. " + to);
            }
            java.util.Arrays.fill(row, 0);
            for (int e = from; e < to; e++) {
                int col = (int) columns.get(e);
                if (col < 0 || col >= k) {
                    throw new IllegalArgumentException(call.name() + ": csrColInd[" + e + "] must be in [0, " + k + "), was " + col);
                }
                double v = values.get(e);
                for (int j = 0; j < n; j++) {
                    row[j] += v * b.get(col * n + j);
                }
            }
            for (int j = 0; j < n; j++) {
                c.set(r * n + j, row[j]);
            }
        }
    }
}
