package org.longnet.attention;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;

/**
 * The online softmax (FlashAttention's): a running max and sum per query row, rescaled when the max
 * grows, and the merge of one pair's (output, log-sum-exp) into the running mixture of pairs by their
 * log-sum-exp weights (docs/longnet-math.md §3), which is exactly the paper's mixture. In the
 * matrix-unit kernels the four work-items that hold a row's accumulators (lanes 4g .. 4g + 3) agree on
 * its max and sum with warp shuffles.
 */
@DeviceFunctions
public final class OnlineSoftmax {
    private OnlineSoftmax() {
    }

    /** The largest of the four lanes' values of a row (lanes 4g .. 4g + 3); {@code lanes} is the exchange off cuda. */
    static float quadMax(KernelContext ctx, float[] lanes, float value) {
        float v = KernelMath.max(value, ctx.shuffleXor(lanes, value, 1));
        return KernelMath.max(v, ctx.shuffleXor(lanes, v, 2));
    }

    /** The sum of the four lanes' values of a row. */
    static float quadSum(KernelContext ctx, float[] lanes, float value) {
        float v = value + ctx.shuffleXor(lanes, value, 1);
        return v + ctx.shuffleXor(lanes, v, 2);
    }

    /** What a row's running sum and output are multiplied by when its max grows from {@code old} to {@code grown} (0 from none). */
    static float rescale(float old, float grown, float scaleLog2) {
        return old == Float.NEGATIVE_INFINITY ? 0f : KernelMath.exp2((old - grown) * scaleLog2);
    }

    /**
     * The shift of a row's exponents, its max times the scale: 0 for a row with no visible key yet (max -infinity),
     * which keeps its masked scores' exp2 at 0 rather than NaN.
     */
    static float shift(float max, float scaleLog2) {
        return max == Float.NEGATIVE_INFINITY ? 0f : max * scaleLog2;
    }

    /** The log-sum-exp of two: a row's mixture so far and one more pair's (either may be -infinity, not both). */
    static float mergedLse(float previous, float pairLse) {
        float high = KernelMath.max(previous, pairLse);
        return high + KernelMath.log(KernelMath.exp(previous - high) + KernelMath.exp(pairLse - high));
    }
}
