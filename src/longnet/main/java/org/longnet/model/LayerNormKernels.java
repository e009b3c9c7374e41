package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;

import static org.longnet.model.NormFunctions.first;
import static org.longnet.model.NormFunctions.geluOf;
import static org.longnet.model.NormFunctions.groupSum;
import static org.longnet.model.NormFunctions.input;
import static org.longnet.model.NormFunctions.second;

/**
 * LayerNorm over the last dimension of {@code [rows][cols]}: y = (u - mean) / sqrt(var + eps) * w + b, where
 * the normalized input u is x itself or, with {@code gelu} 1, the feed-forward's hidden activation
 * gelu(x + inBias) computed on the fly from its product x (see {@link NormFunctions#input}).
 * The forward keeps each row's mean and 1/std for the backward ({@link LayerNormBackwardKernels}).
 */
public final class LayerNormKernels {
    public static final float EPS = 1e-5f;

    private LayerNormKernels() {
    }

    /** Largest work-group per row; the group size is a power of two up to this (1 on CPUs, where one work-item per row is best). */
    public static final int MAX_ROW_GROUP = 256;

    /** Where {@link #rowStats} leaves the row's mean and 1/std in the kernels' local array of {@code MAX_ROW_GROUP + 2} floats. */
    static final int MEAN = MAX_ROW_GROUP, RSTD = MAX_ROW_GROUP + 1;

    /**
     * One work-group of {@code groupSize} per row: the work-items stride over the row's columns, so
     * neighbours read neighbouring elements, and sum through local memory. {@code inBias} is read only
     * with {@code gelu} 1.
     */
    @Kernel
    public static void forward(KernelContext ctx, FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray b, FloatArray y,
                               FloatArray mean, FloatArray rstd, int cols, int groupSize) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP + 2);
        long base = rowStats(ctx, local, x, inBias, gelu, mean, rstd, cols, groupSize);
        for (int c = ctx.localIdx; c < cols; c += groupSize) {
            y.set(base + c, normalized(input(x, inBias, gelu, base, c), w, b, local, c));
        }
    }

    /**
     * {@link #forward} writing y in bf16: where the normalized row is only a bf16 GEMM's input (the
     * feed-forward's inner norm), it is rounded as it is written instead of in a pass of its own.
     */
    @Kernel
    public static void forwardBf16(KernelContext ctx, FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray b,
                                   BFloat16Array y, FloatArray mean, FloatArray rstd, int cols, int groupSize) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP + 2);
        long base = rowStats(ctx, local, x, inBias, gelu, mean, rstd, cols, groupSize);
        for (int c = ctx.localIdx; c < cols; c += groupSize) {
            y.set(base + c, normalized(input(x, inBias, gelu, base, c), w, b, local, c));
        }
    }

    /**
     * Columns of a row that {@link #forwardOfGeluCached} keeps in local memory between its passes (the base
     * model's 3072 and up to this), so that it computes each GELU once and reads the row once.
     */
    public static final int CACHED_COLS = 4096;

    /**
     * The feed-forward's inner norm on the bf16 GEMM path: y = LN(gelu(x + inBias)) in bf16 from fc1's product
     * x in bf16 (written so by its GEMM: half the bytes of fp32 for this pass and the backward's two), for rows
     * of at most {@link #CACHED_COLS} and an even number of columns. Each GELU is computed once, with the
     * statistics, and kept in local memory for the output pass. Work-items take columns in pairs, one 4-byte
     * load or store for two bf16 values.
     */
    @Kernel
    public static void forwardOfGeluCached(KernelContext ctx, BFloat16Array x, FloatArray inBias, FloatArray w, FloatArray b,
                                           BFloat16Array y, FloatArray mean, FloatArray rstd, int cols, int groupSize) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP + 2);
        float[] hidden = ctx.allocateFloatLocalArray(CACHED_COLS);
        long base = (long) ctx.groupIdx * cols;
        // One pass of sums around the row's first value, as rowStats; each work-item reads back only the columns it wrote.
        float shift = geluOf(x.get(base) + inBias.get(0));
        float sum = 0f;
        float squares = 0f;
        for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
            int pair = x.getPair(base + c);
            float u0 = geluOf(first(pair) + inBias.get(c)) - shift;
            float u1 = geluOf(second(pair) + inBias.get(c + 1)) - shift;
            hidden[c / 2] = u0; // pairs split in two halves: neighbouring work-items in neighbouring banks
            hidden[CACHED_COLS / 2 + c / 2] = u1;
            sum += u0 + u1;
            squares += u0 * u0 + u1 * u1;
        }
        float offset = groupSum(ctx, local, sum, groupSize) / cols;
        float variance = KernelMath.max(groupSum(ctx, local, squares, groupSize) / cols - offset * offset, 0f);
        float s = KernelMath.rsqrt(variance + EPS);
        if (ctx.localIdx == 0) {
            mean.set(ctx.groupIdx, shift + offset);
            rstd.set(ctx.groupIdx, s);
        }
        for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
            y.setPair(base + c, (hidden[c / 2] - offset) * s * w.get(c) + b.get(c),
                    (hidden[CACHED_COLS / 2 + c / 2] - offset) * s * w.get(c + 1) + b.get(c + 1));
        }
    }

    /**
     * The mean and 1/std of the group's row, kept for the backward and left in {@code local[MEAN]},
     * {@code local[RSTD]} for every work-item; returns the row's offset. One pass over the row (the
     * feed-forward's norm computes each GELU once for it): sums of u - u0 and of its square around
     * the row's first value u0, whose mean is within the row's spread, so the variance does not cancel.
     */
    static long rowStats(KernelContext ctx, float[] local, FloatArray x, FloatArray inBias, int gelu, FloatArray mean, FloatArray rstd,
                         int cols, int groupSize) {
        long base = (long) ctx.groupIdx * cols;
        float shift = input(x, inBias, gelu, base, 0);
        float sum = 0f;
        float squares = 0f;
        for (int c = ctx.localIdx; c < cols; c += groupSize) {
            float d = input(x, inBias, gelu, base, c) - shift;
            sum += d;
            squares += d * d;
        }
        float offset = groupSum(ctx, local, sum, groupSize) / cols;
        float variance = KernelMath.max(groupSum(ctx, local, squares, groupSize) / cols - offset * offset, 0f);
        float m = shift + offset;
        float s = KernelMath.rsqrt(variance + EPS);
        if (ctx.localIdx == 0) {
            local[MEAN] = m;
            local[RSTD] = s;
            mean.set(ctx.groupIdx, m);
            rstd.set(ctx.groupIdx, s);
        }
        ctx.localBarrier();
        return base;
    }

    /** Value u of column c normalized with the row's statistics in {@code local}, gain and bias applied. */
    static float normalized(float u, FloatArray w, FloatArray b, float[] local, int c) {
        return (u - local[MEAN]) * local[RSTD] * w.get(c) + b.get(c);
    }
}
