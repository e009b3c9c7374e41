package org.longnet.attention;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;

/**
 * The arithmetic of {@link SmallBlockAttention}, whatever the storage: which block a work-group owns, where its
 * rows lie, and attention on a block held in local memory (scores, softmax, P V, the merge into the mixture).
 * A work-group owns block (batch b, segment s, head j) of one pair; {@code group} = (b x segments + s) x H + j,
 * as {@link AttentionBlocks} numbers blocks. Row m of the block is position s W + (j mod r) + m r.
 */
@DeviceFunctions
public final class SmallBlocks {
    /** Rows of a block that one work-group holds, and the largest head dimension. */
    public static final int ROWS = 32, MAX_D = 64;
    /** Work-items per group: four warps, each element of the block touched by one of them at a time. */
    public static final int GROUP = 128;
    /** Floats per row of a local tile: one more than the head, so a warp reading a column hits 32 different banks. */
    static final int STRIDE = MAX_D + 1;
    /** Floats of the local score matrix, rows padded by one as the tiles are. */
    static final int SCORES = ROWS * (ROWS + 1);

    private SmallBlocks() {
    }

    /** Rows (query and key alike) of the group's block. */
    static int rows(int group, int n, int h, int w, int r) {
        int seg = AttentionBlocks.segmentLength(w, n);
        int block = group % AttentionBlocks.blocksPerBatch(n, seg, h);
        return AttentionBlocks.rowsInBlock(n, seg, r, block / h, block % h % r);
    }

    /** Positions of the group's segment (W, or fewer in the last segment). */
    static int span(int group, int n, int h, int w) {
        int seg = AttentionBlocks.segmentLength(w, n);
        int s = group % AttentionBlocks.blocksPerBatch(n, seg, h) / h;
        return KernelMath.min(seg, n - s * seg);
    }

    /** The block row at position p of the segment, or -1 where the head's dilation skips p. */
    static int rowAt(int group, int p, int h, int r) {
        int o = group % h % r;
        return p >= o && (p - o) % r == 0 ? (p - o) / r : -1;
    }

    /** Index of element e of the group's head in a bias of H D elements. */
    static int biasAt(int group, int e, int h, int d) {
        return group % h * d + e;
    }

    /** Index in [B][N][H] of the group's head at position p of its segment. */
    static long rowOfPosition(int group, int p, int n, int h, int w) {
        int seg = AttentionBlocks.segmentLength(w, n);
        int blocks = AttentionBlocks.blocksPerBatch(n, seg, h);
        int block = group % blocks;
        return AttentionBlocks.rowIndex(group / blocks, block / h * seg + p, block % h, n, h);
    }

    /** Index in [B][N][H][D] of element e of the group's head at position p of its segment. */
    static long elementOfPosition(int group, int p, int e, int n, int h, int d, int w) {
        return rowOfPosition(group, p, n, h, w) * d + e;
    }

    /** Index in [B][N][H][D] of element e of block row m. */
    static long elementOfRow(int group, int m, int e, int n, int h, int d, int w, int r) {
        return elementOfPosition(group, group % h % r + m * r, e, n, h, d, w);
    }

    /**
     * Attention on the block in local memory (Q in {@code qo}, K, V), one pair's: replaces Q by the pair's output
     * (normalized), leaves each row's weights in the mixture (previous O's, then this pair's) in {@code weights}
     * and writes the merged LSE; with {@code first}, -inf for the segment's positions the pair skips. Starts and
     * ends with a barrier, so the caller's loads are visible and its stores see the results.
     */
    static void attend(KernelContext ctx, float[] qo, float[] keys, float[] values, float[] scores, float[] weights, FloatArray lse,
                       int rows, int d, int n, int h, int w, int r, int causal, float scale, int first) {
        int lid = ctx.localIdx;
        ctx.localBarrier();
        for (int i = lid; i < rows * rows; i += GROUP) {
            int m = i / rows;
            int t = i % rows;
            float z = 0f;
            for (int e = 0; e < d; e++) {
                z += qo[m * STRIDE + e] * keys[t * STRIDE + e];
            }
            scores[m * (ROWS + 1) + t] = causal == 1 && t > m ? Float.NEGATIVE_INFINITY : z * scale;
        }
        ctx.localBarrier();
        for (int m = lid; m < rows; m += GROUP) {
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < rows; t++) {
                max = KernelMath.max(max, scores[m * (ROWS + 1) + t]);
            }
            float sum = 0f;
            for (int t = 0; t < rows; t++) {
                float p = KernelMath.exp(scores[m * (ROWS + 1) + t] - max);
                scores[m * (ROWS + 1) + t] = p;
                sum += p;
            }
            for (int t = 0; t < rows; t++) {
                scores[m * (ROWS + 1) + t] = scores[m * (ROWS + 1) + t] / sum;
            }
            long row = rowOfPosition(ctx.groupIdx, ctx.groupIdx % h % r + m * r, n, h, w);
            float pairLse = max + KernelMath.log(sum);
            float previous = first == 1 ? Float.NEGATIVE_INFINITY : lse.get(row);
            float merged = OnlineSoftmax.mergedLse(previous, pairLse);
            weights[m] = KernelMath.exp(previous - merged);
            weights[ROWS + m] = KernelMath.exp(pairLse - merged);
            lse.set(row, merged);
        }
        if (first == 1) {
            int span = span(ctx.groupIdx, n, h, w);
            for (int p = lid; p < span; p += GROUP) {
                if (rowAt(ctx.groupIdx, p, h, r) < 0) {
                    lse.set(rowOfPosition(ctx.groupIdx, p, n, h, w), Float.NEGATIVE_INFINITY);
                }
            }
        }
        ctx.localBarrier();
        for (int i = lid; i < rows * d; i += GROUP) {
            int m = i / d;
            int e = i % d;
            float acc = 0f;
            for (int t = 0; t < rows; t++) {
                acc += scores[m * (ROWS + 1) + t] * values[t * STRIDE + e];
            }
            qo[m * STRIDE + e] = acc;
        }
        ctx.localBarrier();
    }

    /** Element e of a position's output in the mixture: {@code previous} O weighted with this pair's (row -1: skipped). */
    static float mixed(float[] qo, float[] weights, int row, int e, float previous) {
        return row < 0 ? previous : previous * weights[row] + qo[row * STRIDE + e] * weights[ROWS + row];
    }
}
