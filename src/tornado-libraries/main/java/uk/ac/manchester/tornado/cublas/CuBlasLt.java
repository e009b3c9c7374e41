package uk.ac.manchester.tornado.cublas;

import org.longnet.tornado.libraries.Bindings;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;

/**
 * cuBLASLt matmuls for {@code TaskGraph.libraryTask}: cuBLAS's column-major {@code C = alpha * op(A) * op(B) + beta * C}
 * (see {@link CuBlas}), accumulating in fp32, with fused epilogues: a bias per row of C (a column of a row-major result)
 * added after the product, then GELU (tanh form) where named.
 */
public final class CuBlasLt {
    public static final String LIBRARY_NAME = "nvidia/cublaslt";

    private CuBlasLt() {
    }

    public static LibraryTaskDescriptor ltMatmulFP32(int transa, int transb, int m, int n, int k, float alpha, FloatArray matrixA, int lda,
            FloatArray matrixB, int ldb, float beta, FloatArray matrixC, int ldc) {
        return Bindings.call(LIBRARY_NAME, "ltMatmulFP32", 11, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta, matrixC, ldc);
    }

    public static LibraryTaskDescriptor ltMatmulFP16(int transa, int transb, int m, int n, int k, float alpha, HalfFloatArray matrixA, int lda,
            HalfFloatArray matrixB, int ldb, float beta, HalfFloatArray matrixC, int ldc) {
        return Bindings.call(LIBRARY_NAME, "ltMatmulFP16", 11, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta, matrixC, ldc);
    }

    /** A and B as FP8 E4M3 bytes ({@code FP8.e4m3FromFloat}), C fp16; cuBLASLt takes FP8 in the TN form alone (op(A) = A^T, op(B) = B). */
    public static LibraryTaskDescriptor ltMatmulFP8(int transa, int transb, int m, int n, int k, float alpha, ByteArray matrixA, int lda,
            ByteArray matrixB, int ldb, float beta, HalfFloatArray matrixC, int ldc) {
        return Bindings.call(LIBRARY_NAME, "ltMatmulFP8", 11, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta, matrixC, ldc);
    }

    /** {@link #ltMatmulFP16} plus {@code bias[i]} on row i of C (m values). */
    public static LibraryTaskDescriptor ltMatmulBiasFP16(int transa, int transb, int m, int n, int k, float alpha, HalfFloatArray matrixA, int lda,
            HalfFloatArray matrixB, int ldb, float beta, HalfFloatArray matrixC, int ldc, HalfFloatArray bias) {
        return Bindings.call(LIBRARY_NAME, "ltMatmulBiasFP16", 11, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta,
                matrixC, ldc, bias);
    }

    /** {@link #ltMatmulBiasFP16}, then GELU (tanh form) of each element. */
    public static LibraryTaskDescriptor ltMatmulGeluBiasFP16(int transa, int transb, int m, int n, int k, float alpha, HalfFloatArray matrixA,
            int lda, HalfFloatArray matrixB, int ldb, float beta, HalfFloatArray matrixC, int ldc, HalfFloatArray bias) {
        return Bindings.call(LIBRARY_NAME, "ltMatmulGeluBiasFP16", 11, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta,
                matrixC, ldc, bias);
    }
}
