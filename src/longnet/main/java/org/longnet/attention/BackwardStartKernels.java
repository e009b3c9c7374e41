package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;

/**
 * The start of the matrix-unit backward in one pass over dO: Delta = dot(dO, O) per row, and dO
 * rounded to bf16 for the products (or Delta alone, where the caller gives dO in bf16), and with
 * {@code zeroQuery} = 1 dQ zeroed for the pairs to add to atomically (it may be O itself: each row is
 * read before it is zeroed). Apart, the two would read dO twice; and a warp per row keeps neighbouring
 * work-items on neighbouring addresses, where a row per work-item would put them 256 bytes apart.
 */
public final class BackwardStartKernels {
    /** Rows per work-group: one per warp. */
    public static final int ROWS_PER_GROUP = 8, GROUP_SIZE = 32 * ROWS_PER_GROUP;

    private BackwardStartKernels() {
    }

    /**
     * A warp per row of head dimension {@link AttentionTiles#MMA_HEAD_DIM}: each work-item
     * reads two neighbouring channels of dO and O (the warp reads each row in one coalesced sweep),
     * writes them to {@code gradOut16} and the warp sums its products by shuffles. Launch: one
     * dimension of {@code ceil(rows / ROWS_PER_GROUP)} groups of {@link #GROUP_SIZE}.
     */
    @Kernel(groupSize = GROUP_SIZE)
    public static void deltasAndBf16(KernelContext ctx, FloatArray out, FloatArray gradOut, BFloat16Array gradOut16, FloatArray delta,
                                     FloatArray gradQ, int zeroQuery) {
        float[] lanes = ctx.allocateFloatLocalArray(GROUP_SIZE); // register exchange off cuda
        long row = (long) ctx.groupIdx * ROWS_PER_GROUP + ctx.localIdx / 32;
        boolean inside = row < delta.getSize();
        long at = row * AttentionTiles.MMA_HEAD_DIM + 2 * (ctx.localIdx % 32);
        float g0 = inside ? gradOut.get(at) : 0f;
        float g1 = inside ? gradOut.get(at + 1) : 0f;
        float dot = warpSum(ctx, lanes, inside ? g0 * out.get(at) + g1 * out.get(at + 1) : 0f);
        if (inside) {
            gradOut16.set(at, g0);
            gradOut16.set(at + 1, g1);
            if (zeroQuery == 1) {
                gradQ.setPair(at, 0f, 0f);
            }
            if (ctx.localIdx % 32 == 0) {
                delta.set(row, dot);
            }
        }
    }

    /** Delta alone, for callers that give dO in bf16 already; the same launch as {@link #deltasAndBf16}. */
    @Kernel(groupSize = GROUP_SIZE)
    public static void deltasOfBf16(KernelContext ctx, FloatArray out, BFloat16Array gradOut16, FloatArray delta, FloatArray gradQ,
                                    int zeroQuery) {
        float[] lanes = ctx.allocateFloatLocalArray(GROUP_SIZE); // register exchange off cuda
        long row = (long) ctx.groupIdx * ROWS_PER_GROUP + ctx.localIdx / 32;
        boolean inside = row < delta.getSize();
        long at = row * AttentionTiles.MMA_HEAD_DIM + 2 * (ctx.localIdx % 32);
        float dot = warpSum(ctx, lanes, inside ? gradOut16.get(at) * out.get(at) + gradOut16.get(at + 1) * out.get(at + 1) : 0f);
        if (inside) {
            if (zeroQuery == 1) {
                gradQ.setPair(at, 0f, 0f);
            }
            if (ctx.localIdx % 32 == 0) {
                delta.set(row, dot);
            }
        }
    }

    /** The sum of {@code x} over the warp, in every work-item; every work-item of the group calls it, inside or not. */
    static float warpSum(KernelContext ctx, float[] lanes, float x) {
        float sum = x;
        for (int mask = 16; mask >= 1; mask /= 2) {
            sum += ctx.shuffleXor(lanes, sum, mask);
        }
        return sum;
    }
}
