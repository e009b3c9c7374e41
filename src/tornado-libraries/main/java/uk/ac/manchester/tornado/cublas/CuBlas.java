package uk.ac.manchester.tornado.cublas;

import org.longnet.tornado.libraries.Bindings;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.types.arrays.BFloat16Array;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.cublas.enums.CuBlasMathMode;

/**
 * cuBLAS calls for {@code TaskGraph.libraryTask}, with cuBLAS's conventions: matrices are column-major (element
 * {@code (i, j)} at {@code i + j * ld}), transposes are {@code CuBlasOperation} values, and
 * {@code C = alpha * op(A) * op(B) + beta * C} (C is not read where beta is 0). A row-major product {@code C = A * B}
 * is the column-major {@code C^T = B^T * A^T}: pass B first, with m and n swapped.
 * <pre>{@code graph.libraryTask("mm", CuBlas::cublasSgemm, CUBLAS_OP_N.operation(), CUBLAS_OP_N.operation(), n, m, k, 1f, b, n, a, k, 0f, c, n); }</pre>
 */
public final class CuBlas {
    public static final String LIBRARY_NAME = "nvidia/cublas";

    private CuBlas() {
    }

    /** {@code y = alpha * op(A) * x + beta * y}, A m x n column-major; x and y step by incx and incy (negative: from the end). */
    public static LibraryTaskDescriptor cublasSgemv(int operation, int m, int n, float alpha, FloatArray matrix, int lda, FloatArray vector, int incx,
            float beta, FloatArray output, int incy) {
        return Bindings.call(LIBRARY_NAME, "cublasSgemv", 9, beta != 0, operation, m, n, alpha, matrix, lda, vector, incx, beta, output, incy);
    }

    /** fp32 {@code C = alpha * op(A) * op(B) + beta * C}; op(A) m x k, op(B) k x n, C m x n, all column-major. */
    public static LibraryTaskDescriptor cublasSgemm(int transa, int transb, int m, int n, int k, float alpha, FloatArray matrixA, int lda,
            FloatArray matrixB, int ldb, float beta, FloatArray matrixC, int ldc) {
        return Bindings.call(LIBRARY_NAME, "cublasSgemm", 11, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta, matrixC, ldc);
    }

    /** As {@link #cublasSgemm}, letting the inputs round to TF32 (10 mantissa bits) for tensor cores; fp32 accumulation. */
    public static LibraryTaskDescriptor cublasSgemmTF32(int transa, int transb, int m, int n, int k, float alpha, FloatArray matrixA, int lda,
            FloatArray matrixB, int ldb, float beta, FloatArray matrixC, int ldc) {
        return cublasSgemm(transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta, matrixC, ldc)
                .withTuning(new CuBlasOptions().withMathMode(CuBlasMathMode.CUBLAS_TF32_TENSOR_OP_MATH));
    }

    /** {@link #cublasSgemm} on {@code batchCount} matrices, matrix i of each array {@code i * stride} elements into it. */
    public static LibraryTaskDescriptor cublasSgemmStridedBatched(int transa, int transb, int m, int n, int k, float alpha, FloatArray matrixA,
            int lda, long strideA, FloatArray matrixB, int ldb, long strideB, float beta, FloatArray matrixC, int ldc, long strideC, int batchCount) {
        return Bindings.call(LIBRARY_NAME, "cublasSgemmStridedBatched", 13, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, strideA,
                matrixB, ldb, strideB, beta, matrixC, ldc, strideC, batchCount);
    }

    /** {@code cublasGemmEx} on fp16 A, B and C, accumulating in fp32; C rounded to fp16 as it is written. */
    public static LibraryTaskDescriptor cublasGemmExFP16(int transa, int transb, int m, int n, int k, float alpha, HalfFloatArray matrixA, int lda,
            HalfFloatArray matrixB, int ldb, float beta, HalfFloatArray matrixC, int ldc) {
        return Bindings.call(LIBRARY_NAME, "cublasGemmExFP16", 11, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta,
                matrixC, ldc);
    }

    /** {@code cublasGemmEx} on fp16 A and B, accumulating in fp32 into an fp32 C. */
    public static LibraryTaskDescriptor cublasGemmExFP16FP32(int transa, int transb, int m, int n, int k, float alpha, HalfFloatArray matrixA,
            int lda, HalfFloatArray matrixB, int ldb, float beta, FloatArray matrixC, int ldc) {
        return Bindings.call(LIBRARY_NAME, "cublasGemmExFP16FP32", 11, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta,
                matrixC, ldc);
    }

    /** {@code cublasGemmEx} on bf16 A, B and C, accumulating in fp32; C rounded to bf16 as it is written. */
    public static LibraryTaskDescriptor cublasGemmExBF16(int transa, int transb, int m, int n, int k, float alpha, BFloat16Array matrixA, int lda,
            BFloat16Array matrixB, int ldb, float beta, BFloat16Array matrixC, int ldc) {
        return Bindings.call(LIBRARY_NAME, "cublasGemmExBF16", 11, beta != 0, transa, transb, m, n, k, alpha, matrixA, lda, matrixB, ldb, beta,
                matrixC, ldc);
    }
}
