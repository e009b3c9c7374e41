package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.WarpgroupMma;

import static org.longnet.attention.AttentionTiles.FWD_KEYS;
import static org.longnet.attention.AttentionTiles.HEAD_PAIRS;
import static org.longnet.attention.AttentionTiles.FWD_GROUPS_PER_UNIT;
import static org.longnet.attention.AttentionTiles.FWD_GROUP_ROWS;
import static org.longnet.attention.AttentionTiles.FWD_GROUP_SIZE;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_WARP;
import static org.longnet.attention.AttentionTiles.WARPGROUP_ROWS;

/**
 * The forward of one (segment length, dilation) pair on matrix units, for bf16 Q, K, V with head dimension
 * 64: the same result as {@link DilatedAttentionKernels#forwardPair} up to bf16 rounding of the products'
 * operands, with fp32 accumulation, softmax and output. Each product is one warpgroup (four warps, 64 rows)
 * at a time, on tiles in local memory in chunk layout ({@link KernelContext#chunkLayoutIndex}) that the
 * tensor cores read either way round: K's rows as the n dimension of Q·K^T, V's as the k dimension of P·V,
 * so no tile is transposed or held in registers. Which rows a work-group owns is {@link AttentionBlocks}'s
 * answer, which scores it may see {@link AttentionMasks}', each tile's softmax {@link TileSoftmax}', the merge {@link ForwardEpilogue}'s, the tile
 * copies {@link TileLoads}', and the sizes {@link AttentionTiles}'.
 */
public final class MatrixUnitForward {
    private MatrixUnitForward() {
    }

    /**
     * The forward of one pair on matrix units, for head dimension {@link AttentionTiles#MMA_HEAD_DIM}: the same
     * result as {@link DilatedAttentionKernels#forwardPair} up to bf16 rounding of the probabilities (Q, K, V are bf16),
     * with Q·K^T computed by {@link KernelContext#mmaBf16Warpgroup} and P·V by
     * {@link KernelContext#mmaBf16WarpgroupRegisters} (fp32 accumulation).
     * A work-group of {@link AttentionTiles#FWD_WARPS} warps owns {@link AttentionTiles#FWD_GROUP_ROWS} rows of a block, 16 per
     * warp (launch: one dimension of (row tile, segment x head, batch) groups), so each tile of
     * {@link AttentionTiles#FWD_KEYS} keys and values loaded into local memory serves all its warpgroups: K's rows
     * are the n dimension of Q·K^T, V's the k dimension of P·V. The online softmax runs in the accumulator fragments, FlashAttention-2 style:
     * each work-item holds 16 scores of rows g and g + 8 of its warp's tile, the four work-items of a
     * row agree on its running max with warp shuffles, and each keeps its own part of the row sum
     * and of the 16 x 64 output until the end. The probabilities stay in registers: packed in pairs
     * they are the A operand of P·V (two products of 32 keys), so a key tile needs two
     * work-group barriers (around its loads) and no other. With {@code first} = 1 (the mixture's first
     * pair, of dilation 1, which covers every row) it writes O and LSE instead of merging into them,
     * so they need no reset. {@code scaleLog2} is the softmax scale times log2(e) (a parameter rather
     * than computed here: at the register bound one more live value costs spills).
     */
    @Kernel(groupSize = FWD_GROUP_SIZE, minGroupsPerUnit = FWD_GROUPS_PER_UNIT)
    public static void forwardPairMma(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out,
                                      FloatArray lse, int n, int h, int w, int r, int causal, float scaleLog2, int first, int keyRows,
                                      int chunk, int chunkIndex) {
        forward(ctx, q, k, v, out, lse, n, h, w, r, causal, scaleLog2, first, keyRows, chunk, chunkIndex, 0);
    }

    /**
     * {@link #forwardPairMma} with the products of a warpgroup pipelined, FlashAttention-3 style: Q·K^T of a key tile and
     * P·V of the tile before it are issued together ({@link WarpgroupMma}), and the softmax of the new scores runs while
     * the tensor cores do P·V. So P·V runs a tile behind: the values are copied a tile after their keys (the same two
     * buffers), P is kept packed for the next step (16 registers rather than 8), and the last tile's step ends with its
     * own P·V. Same inputs, outputs and merge, and the same arithmetic in the same order, so the same results.
     */
    @Kernel(groupSize = FWD_GROUP_SIZE, minGroupsPerUnit = FWD_GROUPS_PER_UNIT)
    public static void forwardPairMmaPipelined(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out,
                                               FloatArray lse, int n, int h, int w, int r, int causal, float scaleLog2, int first,
                                               int keyRows, int chunk, int chunkIndex) {
        forward(ctx, q, k, v, out, lse, n, h, w, r, causal, scaleLog2, first, keyRows, chunk, chunkIndex, 1);
    }

    /**
     * Both forwards, on local arrays of their own (each kernel's call gets them in its constant-size local memory): with
     * {@code pipelined} 0 each product is waited for where it is issued, with 1 the products are issued a step ahead
     * ({@link #forwardPairMmaPipelined}). A literal at each call, so the compiler keeps only one schedule in each kernel.
     */
    static void forward(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out, FloatArray lse, int n, int h,
                        int w, int r, int causal, float scaleLog2, int first, int keyRows, int chunk, int chunkIndex, int pipelined) {
        int[] qs = ctx.allocateIntLocalArray(FWD_GROUP_ROWS * HEAD_PAIRS);
        // Two key and value tiles: while the products work on one, the next one's copy lands in the other.
        int[] ks = ctx.allocateIntLocalArray(2 * FWD_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(2 * FWD_KEYS * HEAD_PAIRS);
        // Where warps exchange registers on devices without warp shuffles (jvm, opencl); unused on cuda.
        float[] lanes = ctx.allocateFloatLocalArray(FWD_GROUP_SIZE);
        int[] fragments = ctx.allocateIntLocalArray(FWD_GROUP_SIZE * 8);
        int[] probs = new int[8]; // P packed in pairs: the A registers of P·V, keys 0 .. 31 of the tile
        int[] probsHigh = new int[8]; // and keys 32 .. 63
        float[] scores = new float[FWD_KEYS / 2];
        float[] acc = new float[32];
        float[] state = new float[TileSoftmax.STATE];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int lane = lid % MMA_WARP;
        int[] place = new int[BlockPlace.SIZE];
        BlockPlace.ofQueryTile(ctx, n, h, w, r, chunk, chunkIndex, FWD_GROUP_ROWS, place);
        int rows = place[BlockPlace.ROWS];
        int queryLimit = place[BlockPlace.QUERY_END];
        long rowAt = BlockPlace.keyRowAt(place, n, h, w, r, keyRows);
        int rowStep = AttentionBlocks.keyRowStep(r, h, keyRows);
        long queryAt = BlockPlace.queryRowAt(place, n, h, w, r, keyRows, chunk, chunkIndex);
        int queryStep = AttentionBlocks.queryRowStep(r, h, keyRows, chunk);
        int a0 = place[BlockPlace.QUERY_BEGIN] + place[BlockPlace.TILE] * FWD_GROUP_ROWS;
        int g = lane / 4;
        int t = lane % 4;
        int top = warp * MMA_ROWS + g;
        int bottom = top + 8;
        TileSoftmax.start(state);
        int lastKey = AttentionBlocks.lastKey(rows, a0, FWD_GROUP_ROWS, causal);
        TileLoads.loadRowTile(ctx, q, qs, 0, a0, FWD_GROUP_ROWS, queryLimit, queryAt, queryStep, FWD_GROUP_SIZE);
        TileLoads.loadRowTile(ctx, k, ks, 0, 0, FWD_KEYS, rows, rowAt, rowStep, FWD_GROUP_SIZE);
        if (pipelined == 0) {
            TileLoads.loadRowTile(ctx, v, vs, 0, 0, FWD_KEYS, rows, rowAt, rowStep, FWD_GROUP_SIZE);
        }
        for (int t0 = 0; t0 <= lastKey; t0 += FWD_KEYS) {
            int buffer = t0 / FWD_KEYS % 2 * FWD_KEYS; // this tile's first row in ks and vs
            ctx.waitChunks();
            ctx.localBarrier(); // this step's tiles have landed, and every warp is done with the other buffers
            if (t0 + FWD_KEYS <= lastKey) {
                TileLoads.loadRowTile(ctx, k, ks, FWD_KEYS - buffer, t0 + FWD_KEYS, FWD_KEYS, rows, rowAt, rowStep, FWD_GROUP_SIZE);
            }
            // The values of the next tile, or pipelined those of this one (its P·V is the next step's).
            int valueTile = t0 + (1 - pipelined) * FWD_KEYS;
            if (valueTile <= lastKey) {
                TileLoads.loadRowTile(ctx, v, vs, valueTile / FWD_KEYS % 2 * FWD_KEYS, valueTile, FWD_KEYS, rows, rowAt, rowStep, FWD_GROUP_SIZE);
            }
            if (pipelined == 0) {
                ctx.mmaBf16Warpgroup(qs, warp / 4 * WARPGROUP_ROWS, ks, buffer, FWD_KEYS, scores, false);
            } else {
                WarpgroupMma.issue(ctx, qs, warp / 4 * WARPGROUP_ROWS, ks, buffer, FWD_KEYS, scores, false);
                if (t0 > 0) { // the previous tile's P·V, from the other value buffer, runs during this tile's softmax
                    WarpgroupMma.issueRegisters(ctx, fragments, probs, vs, FWD_KEYS - buffer, acc);
                    WarpgroupMma.issueRegisters(ctx, fragments, probsHigh, vs, FWD_KEYS - buffer + 32, acc);
                    WarpgroupMma.wait(ctx, 2, scores); // the scores are in; both halves of P·V may still run
                } else {
                    WarpgroupMma.wait(ctx, 0, scores);
                }
            }
            TileSoftmax.mask(scores, a0, warp, t0, top, bottom, t, queryLimit, rows, causal);
            boolean grew = TileSoftmax.exponentiate(ctx, lanes, scores, state, scaleLog2);
            if (pipelined == 1) {
                WarpgroupMma.wait(ctx, 0, acc); // the previous tile's P·V is in: acc may be rescaled, P replaced
            }
            if (grew) {
                TileSoftmax.rescale(acc, state);
            }
            // P·V with V's rows as the k dimension, now or (pipelined) in the next step.
            TileSoftmax.pack(ctx, scores, 0, probs);
            if (pipelined == 0) {
                ctx.mmaBf16WarpgroupRegisters(fragments, probs, vs, buffer, acc);
            }
            TileSoftmax.pack(ctx, scores, 1, probsHigh);
            if (pipelined == 0) {
                ctx.mmaBf16WarpgroupRegisters(fragments, probsHigh, vs, buffer + 32, acc);
            }
            // The last tile's P·V, once its values have landed. (Here rather than after the loop: there ptxas needs
            // more registers than the launch bounds leave a work-item.)
            if (pipelined == 1 && t0 + FWD_KEYS > lastKey) {
                ctx.waitChunks();
                ctx.localBarrier();
                WarpgroupMma.issueRegisters(ctx, fragments, probs, vs, buffer, acc);
                WarpgroupMma.issueRegisters(ctx, fragments, probsHigh, vs, buffer + 32, acc);
                WarpgroupMma.wait(ctx, 0, acc);
            }
        }
        ctx.waitChunks(); // copies still in flight only where a group had no tile to work on
        ForwardEpilogue.merge(ctx, lanes, acc, state, out, lse, a0, top, bottom, t, queryLimit, queryAt, queryStep, scaleLog2, first);
    }
}
