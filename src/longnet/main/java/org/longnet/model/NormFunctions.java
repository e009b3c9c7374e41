package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.GroupReductions;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Private;

/**
 * What the LayerNorm kernels share, forward ({@link LayerNormKernels}) and backward ({@link LayerNormBackwardKernels}):
 * the feed-forward's GELU as the norm applies it, bf16 pairs read as one int, and sums over a work-group or a warp.
 */
@DeviceFunctions
public final class NormFunctions {
    /** The tanh form of GELU (as GPT-2 and llm.c): 0.5 v (1 + tanh(SCALE (v + CUBIC v^3))). */
    static final float SCALE = 0.7978845608f, CUBIC = 0.044715f; // sqrt(2 / pi)

    /** Work-items of a warp, whose butterfly exchanges the sums use. */
    static final int WARP = 32;

    private NormFunctions() {
    }

    /** The first (even) element of a pair of bf16 values read as one int ({@link BFloat16Array#getPair}). */
    static float first(int pair) {
        return KernelMath.intBitsToFloat(pair << 16);
    }

    /** The second element of a pair of bf16 values read as one int. */
    static float second(int pair) {
        return KernelMath.intBitsToFloat(pair & 0xFFFF0000);
    }

    /**
     * Column c of the row at {@code base} as the norm sees it: x, or with {@code gelu} 1 gelu(x + inBias[c]).
     * The feed-forward's bias and GELU are applied here, where the norm reads the row anyway, and again in
     * the backward, rather than in a pass that wrote both the biased product and its GELU (at 32K tokens
     * 1.2 GB per layer; the GELU costs a few instructions per read).
     */
    static float input(FloatArray x, FloatArray inBias, int gelu, long base, int c) {
        float v = x.get(base + c);
        return gelu == 1 ? geluOf(v + inBias.get(c)) : v;
    }

    /**
     * GELU's tanh form written as v sigmoid(2 SCALE (v + CUBIC v^3)), the same function (1 + tanh(z)
     * = 2 sigmoid(2z)): a fast exp and reciprocal where a device's tanh is a long routine.
     */
    static float geluOf(float v) {
        return v * geluSigmoid(v);
    }

    /**
     * gelu'(v) from v and its {@link #geluSigmoid} s: s + v s (1 - s) (2 SCALE + 6 SCALE CUBIC v^2), the polynomial in v^2
     * with its constants folded (one multiply-add), as the norms' passes are bound by their arithmetic.
     */
    static float geluSlope(float v, float s) {
        return s + v * s * (1f - s) * (LINEAR + SLOPE_SQUARE * (v * v));
    }

    /** sigmoid(2 SCALE (v + CUBIC v^3)): gelu(v) / v, with the argument as v (2 SCALE + 2 SCALE CUBIC v^2). */
    static float geluSigmoid(float v) {
        return KernelMath.sigmoid(v * (LINEAR + ARGUMENT_SQUARE * (v * v)));
    }

    /**
     * The folded constants: {@link #geluSigmoid}'s argument is v (LINEAR + ARGUMENT_SQUARE v^2), and {@link #geluSlope}'s
     * polynomial LINEAR + SLOPE_SQUARE v^2.
     */
    static final float LINEAR = 2f * SCALE, ARGUMENT_SQUARE = 2f * SCALE * CUBIC, SLOPE_SQUARE = 6f * SCALE * CUBIC;

    /**
     * The sum of {@code v} over a work-group of {@code groupSize} (a power of two), given to every work-item.
     * Groups of whole warps sum within each warp by butterfly exchanges, then over the warps: two barriers
     * where a tree through local memory takes one per halving (nine for 256 work-items).
     */
    static float groupSum(KernelContext ctx, float[] partial, float v, int groupSize) {
        int lid = ctx.localIdx;
        if (groupSize >= 2 * WARP) {
            float warpSum = laneSum(ctx, partial, v);
            if (lid % WARP == 0) {
                partial[lid / WARP] = warpSum;
            }
            ctx.localBarrier();
            float total = 0f;
            for (int warp = 0; warp < groupSize / WARP; warp++) {
                total += partial[warp];
            }
            ctx.localBarrier();
            return total;
        }
        return GroupReductions.sum(ctx, partial, v); // a tree through local memory, one barrier a level
    }

    /** The sum of {@code v} over a warp of a group of whole warps, by butterfly exchanges. */
    static float laneSum(KernelContext ctx, float[] exchange, float v) {
        float sum = v;
        for (int mask = WARP / 2; mask > 0; mask /= 2) {
            sum += ctx.shuffleXor(exchange, sum, mask);
        }
        return sum;
    }

    /**
     * The sums of {@code v[0]} and {@code v[1]} over a work-group of {@code groupSize} (a power of two), written back to
     * {@code v} for every work-item: two of {@link #groupSum} for the barriers of one, and no barrier at the end (one in all for
     * groups of whole warps on CUDA, whose exchanges need none). Calls alternate {@code slot} 0 and 1, which keep their
     * partial sums apart: the next call writes the other slot, and the one after it passes the next call's barrier first, so
     * no work-item can still be reading. {@code partial} holds {@code 5 * groupSize} floats (the warps' exchange, then two
     * slots).
     */
    static void groupSums(KernelContext ctx, float[] partial, @Private float[] v, int groupSize, int slot) {
        int lid = ctx.localIdx;
        int at = groupSize + slot * 2 * groupSize;
        if (groupSize >= 2 * WARP) {
            int warps = groupSize / WARP;
            float a = laneSum(ctx, partial, v[0]);
            float b = laneSum(ctx, partial, v[1]);
            if (lid % WARP == 0) {
                partial[at + lid / WARP] = a;
                partial[at + warps + lid / WARP] = b;
            }
            ctx.localBarrier();
            v[0] = 0f;
            v[1] = 0f;
            for (int warp = 0; warp < warps; warp++) {
                v[0] += partial[at + warp];
                v[1] += partial[at + warps + warp];
            }
            return;
        }
        partial[at + lid] = v[0];
        partial[at + groupSize + lid] = v[1];
        ctx.localBarrier();
        for (int stride = groupSize / 2; stride > 0; stride /= 2) {
            if (lid < stride) {
                partial[at + lid] += partial[at + lid + stride];
                partial[at + groupSize + lid] += partial[at + groupSize + lid + stride];
            }
            ctx.localBarrier();
        }
        v[0] = partial[at];
        v[1] = partial[at + groupSize];
    }

    /** The first row of chunk {@code chunk} of {@code chunks} equal runs of the first {@code rows} rows (the last one shorter). */
    static long chunkStart(int chunk, long rows, int chunks) {
        return KernelMath.min(rows, chunk * ((rows + chunks - 1) / chunks));
    }

    /** The row after the last of chunk {@code chunk}. */
    static long chunkEnd(int chunk, long rows, int chunks) {
        return chunkStart(chunk + 1, rows, chunks);
    }
}
