package org.longnet.attention;

/** The float64 reference of {@link ProjectionKernels#rotate}, shared by the kernel and module tests. */
public final class RotaryReference {
    private RotaryReference() {
    }

    /** Float64 rotary/XPOS of spec §6 on {@code [B][N][H][D]}, in place; {@code inverse}: the transpose. */
    public static void rotate(double[] x, int n, int heads, int d, boolean xpos, int sign, boolean inverse, double base) {
        rotate(x, n, heads, d, xpos, sign, inverse, base, 0, n);
    }

    /** The same for rows that are positions {@code offset .. offset + n - 1} of a sequence of {@code total} tokens. */
    public static void rotate(double[] x, int n, int heads, int d, boolean xpos, int sign, boolean inverse, double base, int offset,
                              int total) {
        for (int row = 0; row < x.length / d; row++) {
            int position = offset + row / heads % n;
            for (int f = 0; f < d / 2; f++) {
                double angle = position * Math.pow(base, -2.0 * f / d) * (inverse ? -1 : 1);
                double scale = xpos ? Math.pow((2.0 * f + 0.4 * d) / (1.4 * d), sign * (position - total / 2) / 512.0) : 1;
                int i = row * d + 2 * f;
                double x0 = x[i], x1 = x[i + 1];
                x[i] = scale * (x0 * Math.cos(angle) - x1 * Math.sin(angle));
                x[i + 1] = scale * (x0 * Math.sin(angle) + x1 * Math.cos(angle));
            }
        }
    }
}
