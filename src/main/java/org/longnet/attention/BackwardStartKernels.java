package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;

/**
 * The start of the matrix-unit backward in one pass over dO: Delta = dot(dO, O) per row, and dO
 * rounded to bf16 for the products. Apart, the two read dO twice, and the fp32 Delta kernel (a row
 * per work-item, so neighbouring work-items read addresses 256 bytes apart) ran at a quarter of the
 * H200's bandwidth.
 */
public final class BackwardStartKernels {
    /** Rows per work-group: one per warp. */
    public static final int ROWS_PER_GROUP = 8, GROUP_SIZE = 32 * ROWS_PER_GROUP;

    private BackwardStartKernels() {
    }

    /**
     * A warp per row of head dimension {@link MatrixUnitAttentionKernels#MMA_HEAD_DIM}: each work-item
     * reads two neighbouring channels of dO and O (the warp reads each row in one coalesced sweep),
     * writes them to {@code gradOut16} and the warp sums its products by shuffles. Launch: one
     * dimension of {@code ceil(rows / ROWS_PER_GROUP)} groups of {@link #GROUP_SIZE}.
     */
    @Kernel(groupSize = GROUP_SIZE)
    public static void deltasAndBf16(KernelContext ctx, FloatArray out, FloatArray gradOut, BFloat16Array gradOut16, FloatArray delta) {
        float[] lanes = ctx.allocateFloatLocalArray(GROUP_SIZE); // register exchange off cuda
        int lane = ctx.localIdx % 32;
        long row = (long) ctx.groupIdx * ROWS_PER_GROUP + ctx.localIdx / 32;
        boolean inside = row < delta.getSize();
        long at = row * MatrixUnitAttentionKernels.MMA_HEAD_DIM + 2 * lane;
        float g0 = inside ? gradOut.get(at) : 0f;
        float g1 = inside ? gradOut.get(at + 1) : 0f;
        float dot = inside ? g0 * out.get(at) + g1 * out.get(at + 1) : 0f;
        // Every work-item of the group takes part in the shuffles, inside or not.
        for (int mask = 16; mask >= 1; mask /= 2) {
            dot += ctx.shuffleXor(lanes, dot, mask);
        }
        if (inside) {
            gradOut16.set(at, g0);
            gradOut16.set(at + 1, g1);
            if (lane == 0) {
                delta.set(row, dot);
            }
        }
    }
}
