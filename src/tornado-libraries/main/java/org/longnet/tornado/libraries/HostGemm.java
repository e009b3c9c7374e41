package org.longnet.tornado.libraries;

/** {@link GemmCall}s computed on the host: products summed in double, each result rounded once to C's type. */
public final class HostGemm {
    private HostGemm() {
    }

    public static void run(GemmCall g) {
        Elements a = Elements.of(g.name() + " A", g.a()), b = Elements.of(g.name() + " B", g.b()), c = Elements.of(g.name() + " C", g.c());
        if (g.m() == 0 || g.n() == 0 || g.batch() == 0) {
            return;
        }
        a.needs(g.name() + " A", extent(g.batch(), g.strideA(), g.transA() ? g.k() : g.m(), g.transA() ? g.m() : g.k(), g.lda()));
        b.needs(g.name() + " B", extent(g.batch(), g.strideB(), g.transB() ? g.n() : g.k(), g.transB() ? g.k() : g.n(), g.ldb()));
        c.needs(g.name() + " C", extent(g.batch(), g.strideC(), g.m(), g.n(), g.ldc()));
        Elements bias = g.bias() == null ? null : Elements.of(g.name() + " bias", g.bias()).needs(g.name() + " bias", g.m());
        int m = g.m(), n = g.n(), k = g.k();
        double[] opA = new double[m * k], opB = new double[n * k];
        for (int batch = 0; batch < g.batch(); batch++) {
            long offA = batch * g.strideA(), offB = batch * g.strideB(), offC = batch * g.strideC();
            // op(A) row i and op(B) column j, each contiguous in k, for the inner products.
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    opA[i * k + p] = input(a, offA + (g.transA() ? p + (long) i * g.lda() : i + (long) p * g.lda()), g.tf32());
                }
            }
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    opB[j * k + p] = input(b, offB + (g.transB() ? j + (long) p * g.ldb() : p + (long) j * g.ldb()), g.tf32());
                }
            }
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        sum += opA[i * k + p] * opB[j * k + p];
                    }
                    int at = Math.toIntExact(offC + i + (long) j * g.ldc());
                    double v = g.alpha() * sum + (g.beta() == 0 ? 0 : g.beta() * c.get(at)) + (bias == null ? 0 : bias.get(i));
                    c.set(at, g.activation().apply(v));
                }
            }
        }
    }

    /** Elements from a batch's first to the last matrix's last, inclusive. */
    static long extent(int batch, long stride, int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (batch - 1) * stride + (long) (cols - 1) * ld + rows;
    }

    private static double input(Elements x, long at, boolean tf32) {
        double v = x.get(Math.toIntExact(at));
        return tf32 ? tf32((float) v) : v;
    }

    /** {@code v} rounded to TF32 (fp32 with 10 mantissa bits), to nearest even; infinities and NaNs stay. */
    static float tf32(float v) {
        if (!Float.isFinite(v)) {
            return v;
        }
        int bits = Float.floatToRawIntBits(v);
        int rounded = bits + 0xFFF + ((bits >>> 13) & 1);
        return Float.intBitsToFloat(rounded & ~0x1FFF);
    }
}
