package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;

import static org.longnet.model.NormFunctions.groupSum;
import static org.longnet.model.NormFunctions.input;

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
