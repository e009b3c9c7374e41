package org.longnet.tornado.libraries;

/**
 * cuBLAS's {@code gemv} on the host: {@code y = alpha * op(A) * x + beta * y}, A m x n column-major, x and y stepping
 * by incx and incy (a negative step walks the vector from its end, as BLAS does); y is not read where beta is 0.
 */
final class HostGemv {
    private HostGemv() {
    }

    /** Parameters: operation, m, n, alpha, A, lda, x, incx, beta, y, incy. */
    static void run(Call call) {
        int op = call.integer(0), m = call.integer(1), n = call.integer(2), lda = call.integer(5), incx = call.integer(7), incy = call.integer(10);
        float alpha = call.real(3), beta = call.real(8);
        if (op < 0 || op > 2) {
            throw new IllegalArgumentException(call.name() + ": operation must be a CuBlasOperation value (0 N, 1 T, 2 C), was " + op);
        }
        if (m < 0 || n < 0 || lda < Math.max(1, m) || incx == 0 || incy == 0) {
            throw new IllegalArgumentException(call.name() + ": needs m, n >= 0, lda >= max(1, m) and incx, incy != 0; were m " + m + ", n " + n
                    + ", lda " + lda + ", incx " + incx + ", incy " + incy);
        }
        boolean t = op != 0;
        int rows = t ? n : m, cols = t ? m : n;
        if (rows == 0) {
            return;
        }
        Elements a = call.elements(4).needs(call.name() + " A", m == 0 || n == 0 ? 0 : (long) (n - 1) * lda + m);
        Elements x = call.elements(6).needs(call.name() + " x", cols == 0 ? 0 : 1 + (long) (cols - 1) * Math.abs(incx));
        Elements y = call.elements(9).needs(call.name() + " y", 1 + (long) (rows - 1) * Math.abs(incy));
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int q = 0; q < cols; q++) {
                sum += a.get(t ? q + r * lda : r + q * lda) * x.get(at(q, cols, incx));
            }
            int out = at(r, rows, incy);
            y.set(out, alpha * sum + (beta == 0 ? 0 : beta * y.get(out)));
        }
    }

    /** Where element i of a vector of {@code length} elements stepping by {@code inc} is. */
    private static int at(int i, int length, int inc) {
        return inc > 0 ? i * inc : (length - 1 - i) * -inc;
    }
}
