package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.TensorMap;

/**
 * The tensor maps through which {@link TmaForward} reads a pair's blocks: a [B][N][H][64] bf16 array seen as
 * (64 channels, r·H, N / r, B), innermost first, so that the rows s W + o + m r of head j (a block's row m) are one
 * stride apart: row s W / r + m ({@link AttentionBlocks#mapRow}) of column o H + j ({@link AttentionBlocks#mapColumn}).
 * Boxes of 64 rows of one column, under the 128-byte swizzle the matrix units read. That view needs r to divide the
 * segment length W and W to divide N ({@link #fits}); elsewhere a block's rows would cross segments and the last ones the
 * array's end.
 */
final class TmaMaps {
    /** bf16 elements of one row of a head, and the swizzle span (bytes) they fill. */
    private static final int ROW = AttentionTiles.MMA_HEAD_DIM, SWIZZLE = 128;

    private TmaMaps() {
    }

    /** Whether a pair of segment length {@code seg} (already capped at n) and dilation r can be read through block maps. */
    static boolean fits(int n, int seg, int r) {
        return seg % r == 0 && n % seg == 0;
    }

    /** The block map of {@code array} ([batch][n][heads][64]) for dilation r, in boxes of {@code boxRows} rows. */
    static TensorMap of(BFloat16Array array, AttentionShape shape, int r, int boxRows) {
        long n = shape.seqLen(), h = shape.heads();
        return TensorMap.of(array, 0, new long[] {ROW, r * h, n / r, shape.batch()}, new long[] {ROW, r * h * ROW, n * h * ROW},
                new int[] {ROW, 1, boxRows, 1}).withSwizzle(SWIZZLE);
    }
}
