package org.longnet.tornado.libraries;

/**
 * One GEMM as cuBLAS defines it: for each of {@code batch} matrices (the i-th {@code i * stride} elements into each
 * array), {@code C = activation(alpha * op(A) * op(B) + beta * C + bias)}, column-major (element {@code (i, j)} at
 * {@code i + j * ld}), op(A) m x k, op(B) k x n, C m x n, {@code bias[i]} added to row i, C not read where beta is 0.
 * The arrays are TornadoVM's ({@link Elements}); {@code tf32} rounds fp32 inputs to TF32 first, as tensor cores do.
 */
public record GemmCall(String name, boolean transA, boolean transB, int m, int n, int k, float alpha, Object a, int lda, long strideA,
                       Object b, int ldb, long strideB, float beta, Object c, int ldc, long strideC, int batch, Object bias,
                       Activation activation, boolean tf32) {

    public GemmCall {
        nonNegative(name, "m", m);
        nonNegative(name, "n", n);
        nonNegative(name, "k", k);
        nonNegative(name, "batch", batch);
        atLeast(name, "lda", lda, transA ? k : m);
        atLeast(name, "ldb", ldb, transB ? n : k);
        atLeast(name, "ldc", ldc, m);
        if (strideA < 0 || strideB < 0 || strideC < 0) {
            throw new IllegalArgumentException(name + ": batch strides must be >= 0, were " + strideA + ", " + strideB + ", " + strideC);
        }
    }

    /** The 13 parameters of cuBLAS's {@code gemm}: transa, transb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc. */
    public static GemmCall of(Call call) {
        return new GemmCall(call.name(), transposed(call, 0), transposed(call, 1), call.integer(2), call.integer(3), call.integer(4),
                call.real(5), call.param(6, Object.class), call.integer(7), 0, call.param(8, Object.class), call.integer(9), 0, call.real(10),
                call.param(11, Object.class), call.integer(12), 0, 1, null, Activation.IDENTITY, false);
    }

    /** The 17 of {@code gemmStridedBatched}: transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batch. */
    public static GemmCall stridedBatched(Call call) {
        return new GemmCall(call.name(), transposed(call, 0), transposed(call, 1), call.integer(2), call.integer(3), call.integer(4),
                call.real(5), call.param(6, Object.class), call.integer(7), call.whole(8), call.param(9, Object.class), call.integer(10),
                call.whole(11), call.real(12), call.param(13, Object.class), call.integer(14), call.whole(15), call.integer(16), null,
                Activation.IDENTITY, false);
    }

    /**
     * A row-major product of {@code batch} packed matrices, {@code C (m x n) = alpha * A (m x k) * B (k x n) + beta * C}, as CUTLASS
     * takes it: the column-major {@code C^T = B^T * A^T}, so B comes first and m and n swap.
     */
    public static GemmCall rowMajor(String name, int m, int n, int k, float alpha, Object a, Object b, float beta, Object c, int batch) {
        return new GemmCall(name, false, false, n, m, k, alpha, b, Math.max(1, n), (long) k * n, a, Math.max(1, k), (long) m * k, beta, c,
                Math.max(1, n), (long) m * n, batch, null, Activation.IDENTITY, false);
    }

    public GemmCall withBias(Object vector) {
        return new GemmCall(name, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch, vector, activation, tf32);
    }

    public GemmCall then(Activation f) {
        return new GemmCall(name, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch, bias, f, tf32);
    }

    public GemmCall roundingToTf32() {
        return new GemmCall(name, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch, bias, activation, true);
    }

    /** Whether this is a plain product (no bias, no activation), which the engine's GEMM computes as well. */
    public boolean plain() {
        return bias == null && activation == Activation.IDENTITY;
    }

    /** A cuBLAS operation value: N (0) as stored, T (1) or C (2, the same for real matrices) transposed. */
    private static boolean transposed(Call call, int i) {
        int op = call.integer(i);
        if (op < 0 || op > 2) {
            throw new IllegalArgumentException(call.name() + ": parameter " + (i + 1) + " (trans" + (char) ('a' + i) + ") must be a CuBlasOperation "
                    + "value (0 N, 1 T, 2 C), was " + op);
        }
        return op != 0;
    }

    private static void nonNegative(String name, String what, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + ": " + what + " must be >= 0, was " + v);
        }
    }

    private static void atLeast(String name, String what, int v, int rows) {
        if (v < Math.max(1, rows)) {
            throw new IllegalArgumentException(name + ": " + what + " must be >= max(1, " + rows + "), the rows of the matrix as stored, was " + v);
        }
    }
}
