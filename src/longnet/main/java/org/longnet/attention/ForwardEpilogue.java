package org.longnet.attention;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Private;

import static org.longnet.attention.AttentionTiles.LN2;
import static org.longnet.attention.AttentionTiles.MMA_HEAD_DIM;

/**
 * The end of a matrix-unit forward: one pair's normalised output and log-sum-exp merged into the running mixture of
 * pairs (docs/longnet-math.md §2.1), from the accumulator fragments of the work-item's two rows and its
 * {@link TileSoftmax} row state.
 */
@DeviceFunctions
public final class ForwardEpilogue {
    private ForwardEpilogue() {
    }

    /**
     * Merges this pair's rows a0 + top and a0 + bottom (those below {@code queryLimit}) into O and LSE at query rows
     * {@code queryAt + a * queryStep}: with {@code first} = 1 (the mixture's first pair covers every row) it writes them.
     * The four work-items of a row read its old LSE before the one with t = 0 writes the new one: each reads, then a
     * barrier of the group, then the writes. Every work-item of the group calls it.
     */
    static void merge(KernelContext ctx, float[] lanes, @Private float[] acc, @Private float[] rows, FloatArray out, FloatArray lse, int a0,
                      int top, int bottom, int t, int queryLimit, long queryAt, int queryStep, float scaleLog2, int first) {
        float sumTop = OnlineSoftmax.quadSum(ctx, lanes, rows[TileSoftmax.SUM_TOP]);
        float sumBottom = OnlineSoftmax.quadSum(ctx, lanes, rows[TileSoftmax.SUM_BOTTOM]);
        float keepRow0 = 0f, takeRow0 = 0f, mergedRow0 = 0f, keepRow1 = 0f, takeRow1 = 0f, mergedRow1 = 0f;
        for (int half2 = 0; half2 < 2; half2++) {
            int a = a0 + (half2 == 0 ? top : bottom);
            if (a < queryLimit) {
                long at = queryAt + (long) a * queryStep;
                float sum = half2 == 0 ? sumTop : sumBottom;
                float pairLse = rows[half2 == 0 ? TileSoftmax.MAX_TOP : TileSoftmax.MAX_BOTTOM] * scaleLog2 * LN2 + KernelMath.log(sum);
                float previous = first == 1 ? Float.NEGATIVE_INFINITY : lse.get(at);
                float merged = OnlineSoftmax.mergedLse(previous, pairLse);
                float keep = KernelMath.exp(previous - merged);
                float take = KernelMath.exp(pairLse - merged) / sum;
                if (half2 == 0) {
                    keepRow0 = keep;
                    takeRow0 = take;
                    mergedRow0 = merged;
                } else {
                    keepRow1 = keep;
                    takeRow1 = take;
                    mergedRow1 = merged;
                }
            }
        }
        ctx.localBarrier();
        for (int half2 = 0; half2 < 2; half2++) {
            int a = a0 + (half2 == 0 ? top : bottom);
            if (a < queryLimit) {
                long at = queryAt + (long) a * queryStep;
                float keep = half2 == 0 ? keepRow0 : keepRow1;
                float take = half2 == 0 ? takeRow0 : takeRow1;
                for (int nt = 0; nt < 8; nt++) {
                    long idx = at * MMA_HEAD_DIM + nt * 8 + 2 * t; // this work-item's two neighbouring channels: one store
                    float mine0 = acc[nt * 4 + half2 * 2] * take, mine1 = acc[nt * 4 + half2 * 2 + 1] * take;
                    if (first == 1) {
                        out.setPair(idx, mine0, mine1);
                    } else {
                        out.scaleAddPair(idx, keep, mine0, mine1);
                    }
                }
                if (t == 0) {
                    lse.set(at, half2 == 0 ? mergedRow0 : mergedRow1);
                }
            }
        }
    }
}
