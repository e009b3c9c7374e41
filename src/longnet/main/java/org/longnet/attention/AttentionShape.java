package org.longnet.attention;

/** Sizes of one attention call: batch B, sequence length N, heads H, head dimension D. */
public record AttentionShape(int batch, int seqLen, int heads, int headDim) {
    public AttentionShape {
        positive("batch", batch);
        positive("sequence length", seqLen);
        positive("heads", heads);
        positive("head dimension", headDim);
        if (headDim > AttentionTiles.MAX_D) {
            throw new IllegalArgumentException("head dimension must be <= " + AttentionTiles.MAX_D + ", was " + headDim);
        }
    }

    /** Elements of Q, K, V or O ({@code [B][N][H][D]}). */
    public long elements() {
        return rows() * headDim;
    }

    /** Rows of LSE ({@code [B][N][H]}). */
    public long rows() {
        return (long) batch * seqLen * heads;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + v);
        }
    }
}
