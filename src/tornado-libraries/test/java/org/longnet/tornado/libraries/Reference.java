package org.longnet.tornado.libraries;

/** Float64 references the tests compare with, written from the definitions and independent of the library's code. */
final class Reference {
    private Reference() {
    }

    /** Column-major {@code C = alpha * op(A) op(B) + beta * C} (C read only where beta != 0), in place in {@code c}. */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int offA, int lda, double[] b, int offB, int ldb,
            double beta, double[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[offA + p + i * lda] : a[offA + i + p * lda]) * (tb ? b[offB + j + p * ldb] : b[offB + p + j * ldb]);
                }
                int at = offC + i + j * ldc;
                c[at] = alpha * s + (beta == 0 ? 0 : beta * c[at]);
            }
        }
    }

    /** Row-major {@code C (m x n) = A (m x k) B (k x n)}. */
    static double[] rowMajor(int m, int n, int k, double[] a, double[] b) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }
}
