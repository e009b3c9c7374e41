package org.longnet.attention;

import java.util.List;

/**
 * The multi-head dilated-attention layer ({@link MultiheadDilatedAttention}) in float64, for the tests of every
 * precision: Q, K, V projections, positions (absolute, before selection), the mixture of {@link Reference}, the
 * output projection. Parameters {@code p} are the layer's: the four weights {@code [dModel][dModel]}, then the four biases.
 */
final class LayerReference {
    private LayerReference() {
    }

    /** The layer's output for {@code x}, {@code [batch][n][dModel]} flattened. */
    static double[] forward(double[] x, double[][] p, int batch, int n, int dModel, int heads, int[] lengths, int[] rates,
                            boolean causal, Positions positions) {
        int tokens = batch * n, hd = dModel / heads;
        double[] q = affine(x, p[0], p[4], tokens, dModel), k = affine(x, p[1], p[5], tokens, dModel);
        double[] v = affine(x, p[2], p[6], tokens, dModel);
        if (positions != Positions.NONE) {
            RotaryReference.rotate(q, n, heads, hd, positions == Positions.XPOS, 1, false, Positions.DEFAULT_ROTARY_BASE);
            RotaryReference.rotate(k, n, heads, hd, positions == Positions.XPOS, -1, false, Positions.DEFAULT_ROTARY_BASE);
        }
        List<DilatedPair> pairs = DilatedAttentionConfig.of(lengths, rates, causal).pairs();
        return affine(Reference.mixture(q, k, v, batch, n, heads, hd, pairs, causal), p[3], p[7], tokens, dModel);
    }

    /** {@code in w + b} for {@code rows} rows of {@code dModel}. */
    private static double[] affine(double[] in, double[] w, double[] b, int rows, int dModel) {
        double[] out = new double[rows * dModel];
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < dModel; col++) {
                double s = b[col];
                for (int i = 0; i < dModel; i++) {
                    s += in[row * dModel + i] * w[i * dModel + col];
                }
                out[row * dModel + col] = s;
            }
        }
        return out;
    }
}
