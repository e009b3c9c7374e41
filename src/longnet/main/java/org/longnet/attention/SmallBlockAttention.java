package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;

import static org.longnet.attention.SmallBlocks.GROUP;
import static org.longnet.attention.SmallBlocks.ROWS;
import static org.longnet.attention.SmallBlocks.STRIDE;

// This file is the fp32 kernel. The kernel language has no arrays generic over their storage, so the build writes the
// fp16 and bf16 kernels (SmallBlockAttentionHalf.forwardHalf, SmallBlockAttentionBf16.forwardBf16) from it, the storage
// of Q, K, V and O renamed: src/longnet/build/GenerateStorageVariants.java. Its variants leave out these lines.
/**
 * One pair's forward for blocks of at most {@value SmallBlocks#ROWS} rows (the seed's segment 64 with dilation 2:
 * 32 rows) and heads of at most {@value SmallBlocks#MAX_D}, in fp32, fp16 or bf16 storage with fp32 math. Such a
 * block is small enough that one work-group holds all of its Q, K and V in local memory, so it reads each row of
 * Q, K and V once, with neighbouring work-items on neighbouring elements, and writes each element of O once: the
 * pass is memory-bound, and this is its minimum traffic. One work-group per block (batch, segment, head); the
 * arithmetic is {@link SmallBlocks}'s.
 * <p>
 * With {@code first} 1 the pair overwrites O and LSE over its whole segment for its head: rows the pair covers get
 * its attention, the others 0 and -inf (what the mixture holds before any pair), so no reset pass is needed.
 * Later pairs merge into O and LSE by log-sum-exp weights ({@link OnlineSoftmax}).
 * <p>
 * The biases of Q, K and V ({@code H D} each) are added as a block is loaded: a layer whose projections write 16-bit
 * Q, K, V adds its biases here, in fp32, instead of in three passes over them; zeros where Q, K, V hold them already.
 */
public final class SmallBlockAttention {
    private SmallBlockAttention() {
    }

    /** The forward: Q, K, V and O in fp32 storage, math in fp32. */
    @Kernel(groupSize = GROUP)
    public static void forwardFloat(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray out, FloatArray lse,
                                    FloatArray biasQ, FloatArray biasK, FloatArray biasV, int n, int h, int d, int w, int r, int causal,
                                    float scale, int first) {
        float[] qo = ctx.allocateFloatLocalArray(ROWS * STRIDE);
        float[] keys = ctx.allocateFloatLocalArray(ROWS * STRIDE);
        float[] values = ctx.allocateFloatLocalArray(ROWS * STRIDE);
        float[] scores = ctx.allocateFloatLocalArray(SmallBlocks.SCORES);
        float[] weights = ctx.allocateFloatLocalArray(2 * ROWS);
        int lid = ctx.localIdx;
        int rows = SmallBlocks.rows(ctx.groupIdx, n, h, w, r);
        int span = SmallBlocks.span(ctx.groupIdx, n, h, w);
        for (int i = lid; i < rows * d; i += GROUP) {
            long at = SmallBlocks.elementOfRow(ctx.groupIdx, i / d, i % d, n, h, d, w, r);
            int slot = i / d * STRIDE + i % d;
            int bias = SmallBlocks.biasAt(ctx.groupIdx, i % d, h, d);
            qo[slot] = q.get(at) + biasQ.get(bias);
            keys[slot] = k.get(at) + biasK.get(bias);
            values[slot] = v.get(at) + biasV.get(bias);
        }
        SmallBlocks.attend(ctx, qo, keys, values, scores, weights, lse, rows, d, n, h, w, r, causal, scale, first);
        for (int i = lid; i < span * d; i += GROUP) {
            int row = SmallBlocks.rowAt(ctx.groupIdx, i / d, h, r);
            if (row >= 0 || first == 1) {
                long at = SmallBlocks.elementOfPosition(ctx.groupIdx, i / d, i % d, n, h, d, w);
                out.set(at, SmallBlocks.mixed(qo, weights, row, i % d, first == 1 ? 0f : out.get(at)));
            }
        }
    }
}
