package uk.ac.manchester.tornado.cusparse;

import org.longnet.tornado.libraries.Bindings;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * cuSPARSE products for {@code TaskGraph.libraryTask}, fp32. A is sparse in CSR form (zero-based): row r's entries are
 * {@code csrValues[csrRowOffsets[r] .. csrRowOffsets[r + 1])} at columns {@code csrColInd[...]}; dense matrices are row-major.
 */
public final class Cusparse {
    public static final String LIBRARY_NAME = "nvidia/cusparse";

    private Cusparse() {
    }

    /** {@code y = A x}, A rows x cols with nnz entries, x cols long, y rows long. */
    public static LibraryTaskDescriptor cusparseSpMV(int rows, int cols, int nnz, IntArray csrRowOffsets, IntArray csrColInd, FloatArray csrValues,
            FloatArray x, FloatArray y) {
        return Bindings.call(LIBRARY_NAME, "cusparseSpMV", 7, false, rows, cols, nnz, csrRowOffsets, csrColInd, csrValues, x, y);
    }

    /** {@code C = A B}, A rows x k with nnz entries, B k x n, C rows x n. */
    public static LibraryTaskDescriptor cusparseSpMM(int rows, int k, int n, int nnz, IntArray csrRowOffsets, IntArray csrColInd, FloatArray csrValues,
            FloatArray b, FloatArray c) {
        return Bindings.call(LIBRARY_NAME, "cusparseSpMM", 8, false, rows, k, n, nnz, csrRowOffsets, csrColInd, csrValues, b, c);
    }
}
