package org.longnet.engine.library;

/**
 * A batched, strided, row-major GEMM: for each batch b,
 * {@code C_b = alpha * op(A_b) * op(B_b) + beta * C_b} with op(A) of size m x k, op(B) k x n.
 * Leading dimensions and batch strides are in elements.
 */
public record GemmShape(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                        int lda, int ldb, int ldc, long strideA, long strideB, long strideC, int batch) {
    public GemmShape {
        positive("m", m);
        positive("n", n);
        positive("k", k);
        positive("batch", batch);
        atLeast("lda", lda, transA ? m : k, transA ? "m (A is transposed)" : "k");
        atLeast("ldb", ldb, transB ? k : n, transB ? "k (B is transposed)" : "n");
        atLeast("ldc", ldc, n, "n");
        if (batch > 1 && (strideA < 0 || strideB < 0 || strideC < (long) m * ldc)) {
            throw new IllegalArgumentException("batch strides must be >= 0 and strideC >= m * ldc = " + (long) m * ldc
                    + " so batches do not overlap in C; were " + strideA + ", " + strideB + ", " + strideC);
        }
    }

    /** A plain m x k times k x n product, densely packed, one batch. */
    public static GemmShape of(int m, int n, int k) {
        return new GemmShape(false, false, m, n, k, 1f, 0f, k, n, n, (long) m * k, (long) k * n, (long) m * n, 1);
    }

    /** Elements A must hold. */
    /** Elements from A's first to its last, inclusive: a matrix may be some columns of wider rows, its last row short. */
    long sizeA() {
        return (batch - 1) * strideA + extent(transA ? k : m, transA ? m : k, lda);
    }

    long sizeB() {
        return (batch - 1) * strideB + extent(transB ? n : k, transB ? k : n, ldb);
    }

    long sizeC() {
        return (batch - 1) * strideC + extent(m, n, ldc);
    }

    private static long extent(int rows, int cols, int ld) {
        return (long) (rows - 1) * ld + cols;
    }

    public double flops() {
        return 2.0 * m * n * k * batch;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("GEMM " + name + " must be >= 1, was " + v);
        }
    }

    private static void atLeast(String name, int v, int min, String what) {
        if (v < min) {
            throw new IllegalArgumentException("GEMM " + name + " must be >= " + what + " = " + min + ", was " + v);
        }
    }
}
