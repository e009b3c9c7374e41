package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Private;
import org.longnet.engine.api.WarpgroupMma;

import static org.longnet.attention.AttentionTiles.HEAD_PAIRS;
import static org.longnet.attention.AttentionTiles.LOG2E;
import static org.longnet.attention.AttentionTiles.MMA_DQ_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_DQ_SIZE;
import static org.longnet.attention.AttentionTiles.MMA_HEAD_DIM;
import static org.longnet.attention.AttentionTiles.MMA_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_KV_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_KV_SIZE;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_WARP;
import static org.longnet.attention.AttentionTiles.PREFETCH_BUFFERS;
import static org.longnet.attention.AttentionTiles.WARPGROUP_ROWS;

/**
 * The backward of one (segment length, dilation) pair on matrix units, for bf16 Q, K, V, dO with head
 * dimension 64: dK and dV with dQ in the same kernel ({@link #backwardPairMma}, FlashAttention-2's plan,
 * dQ added atomically), or dQ and dK/dV in kernels of their own ({@link #backwardQueryMma},
 * {@link #backwardKeyValueMma}: bit-reproducible). The same results as {@link DilatedAttentionKernels}'
 * backward up to bf16 rounding; the block, mask and tile helpers are the forward's ({@link MatrixUnitForward}).
 * <p>
 * Each kernel has a pipelined twin ({@code ...Pipelined}, chosen by {@link MatrixUnitSchedule}) that shares its body: the
 * body takes a literal {@code pipelined}, 0 to wait for each product where it is issued, 1 to issue a step's products with
 * {@link WarpgroupMma} and wait for each only where its result is needed, so that the warpgroup's element-by-element work
 * runs while its tensor cores finish the others. Per step, S and dP are issued as two groups and only S is waited for, so
 * the mask and P = exp(c S - L) are formed while dP runs; in dK/dV, dV += P^T dO and dK += dS^T Q are issued together and
 * waited for at the step's end, after the next step's LSE and Delta are stored. Two limits shape this: issuing dV before dS
 * is formed would keep P's packed registers alive through dS, more than the 128 registers of two groups per
 * multiprocessor hold (ptxas then serializes the products and spills), and a product still running at the loop's back
 * edge is serialized too, so each step waits for its own products before the next step's copies replace their operands.
 * The arithmetic and its order are the standard kernels', so the results are the same bits.
 */
public final class MatrixUnitBackward {
    private MatrixUnitBackward() {
    }

    /**
     * dQ of one pair on matrix units (head dimension {@link AttentionTiles#MMA_HEAD_DIM}), the same result as
     * {@link DilatedAttentionKernels#backwardQuery} up to bf16 rounding: per 32-key tile, S = Q K^T and dP = dO V^T
     * together by {@link KernelContext#mmaBf16WarpgroupPair}, dS = P (dP - Delta) with P = exp(c S - L) element by
     * element in the accumulator fragments (L and Delta are known, so no row reductions), then
     * dQ += c dS K with dS as the A registers of {@link KernelContext#mmaBf16WarpgroupRegisters}, K's rows
     * the k dimension. Two warpgroups of 64 rows per work-group. With {@code first} = 1 (a first pair of dilation 1) it
     * writes dQ instead of adding to it, so dQ needs no zeroing.
     */
    @Kernel(groupSize = MMA_DQ_SIZE, minGroupsPerUnit = 2)
    public static void backwardQueryMma(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                                        FloatArray delta, FloatArray lse, FloatArray gradQ,
                                        int n, int h, int w, int r, int causal, float scale, int first, int keyRows, int chunk,
                                        int chunkIndex) {
        queryGradients(ctx, q, k, v, gradOut, delta, lse, gradQ, n, h, w, r, causal, scale, first, keyRows, chunk, chunkIndex, 0);
    }

    /** {@link #backwardQueryMma} with its products pipelined (see the class comment): the same inputs, outputs and bits. */
    @Kernel(groupSize = MMA_DQ_SIZE, minGroupsPerUnit = 2)
    public static void backwardQueryMmaPipelined(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v,
                                                 BFloat16Array gradOut, FloatArray delta, FloatArray lse, FloatArray gradQ,
                                                 int n, int h, int w, int r, int causal, float scale, int first, int keyRows, int chunk,
                                                 int chunkIndex) {
        queryGradients(ctx, q, k, v, gradOut, delta, lse, gradQ, n, h, w, r, causal, scale, first, keyRows, chunk, chunkIndex, 1);
    }

    /**
     * The body of {@link #backwardQueryMma} ({@code pipelined} = 0) and {@link #backwardQueryMmaPipelined} (1), on local
     * arrays of its own (each kernel's call gets them in its constant-size local memory); {@code pipelined} is a literal at each
     * call, so each kernel compiles with one schedule.
     */
    static void queryGradients(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                               FloatArray delta, FloatArray lse, FloatArray gradQ, int n, int h, int w, int r, int causal, float scale,
                               int first, int keyRows, int chunk, int chunkIndex, int pipelined) {
        int[] qs = ctx.allocateIntLocalArray(MMA_DQ_ROWS * HEAD_PAIRS);
        int[] gs = ctx.allocateIntLocalArray(MMA_DQ_ROWS * HEAD_PAIRS);
        int[] ks = ctx.allocateIntLocalArray(PREFETCH_BUFFERS * MMA_KEYS * HEAD_PAIRS); // fetched two tiles ahead
        int[] vs = ctx.allocateIntLocalArray(PREFETCH_BUFFERS * MMA_KEYS * HEAD_PAIRS);
        int[] fragments = ctx.allocateIntLocalArray(MMA_DQ_SIZE * 8); // register exchange off cuda
        int[] dsPairs = new int[8]; // dS packed in pairs: the A registers of dS·K
        float[] scores = new float[16];
        float[] gradP = new float[16];
        float[] acc = new float[32];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int lane = lid % MMA_WARP;
        int[] place = new int[BlockPlace.SIZE];
        BlockPlace.ofQueryTile(ctx, n, h, w, r, chunk, chunkIndex, MMA_DQ_ROWS, place);
        int rows = place[BlockPlace.ROWS];
        int queryLimit = place[BlockPlace.QUERY_END];
        long rowAt = BlockPlace.keyRowAt(place, n, h, w, r, keyRows);
        int rowStep = AttentionBlocks.keyRowStep(r, h, keyRows);
        long queryAt = BlockPlace.queryRowAt(place, n, h, w, r, keyRows, chunk, chunkIndex);
        int queryStep = AttentionBlocks.queryRowStep(r, h, keyRows, chunk);
        int a0 = place[BlockPlace.QUERY_BEGIN] + place[BlockPlace.TILE] * MMA_DQ_ROWS;
        int g = lane / 4;
        int t = lane % 4;
        float scaleLog2 = scale * LOG2E;
        int warpRow = warp * MMA_ROWS;
        // L and Delta of this work-item's two rows, in registers: local memory has no room left.
        float lseTop = TileLoads.rowValue(lse, LOG2E, a0 + warpRow + g, queryLimit, queryAt, queryStep);
        float lseBottom = TileLoads.rowValue(lse, LOG2E, a0 + warpRow + g + 8, queryLimit, queryAt, queryStep);
        float deltaTop = TileLoads.rowValue(delta, 1f, a0 + warpRow + g, queryLimit, queryAt, queryStep);
        float deltaBottom = TileLoads.rowValue(delta, 1f, a0 + warpRow + g + 8, queryLimit, queryAt, queryStep);
        int lastKey = AttentionBlocks.lastKey(rows, a0, MMA_DQ_ROWS, causal);
        TileLoads.loadRowTile(ctx, q, qs, 0, a0, MMA_DQ_ROWS, queryLimit, queryAt, queryStep, MMA_DQ_SIZE);
        TileLoads.loadRowTile(ctx, gradOut, gs, 0, a0, MMA_DQ_ROWS, queryLimit, queryAt, queryStep, MMA_DQ_SIZE);
        for (int ahead = 0; ahead < PREFETCH_BUFFERS - 1; ahead++) {
            if (ahead * MMA_KEYS <= lastKey) {
                TileLoads.loadRowTile(ctx, k, ks, ahead * MMA_KEYS, ahead * MMA_KEYS, MMA_KEYS, rows, rowAt, rowStep, MMA_DQ_SIZE);
                TileLoads.loadRowTile(ctx, v, vs, ahead * MMA_KEYS, ahead * MMA_KEYS, MMA_KEYS, rows, rowAt, rowStep, MMA_DQ_SIZE);
            }
            ctx.commitChunks();
        }
        for (int t0 = 0; t0 <= lastKey; t0 += MMA_KEYS) {
            int step = t0 / MMA_KEYS;
            int buffer = step % PREFETCH_BUFFERS * MMA_KEYS;
            ctx.waitChunks(1); // this tile's batch has landed (PREFETCH_BUFFERS - 2: the next one's may still be on its way)
            ctx.localBarrier(); // ... for every work-item, and every warp is done with the last step's buffer
            int ahead = t0 + (PREFETCH_BUFFERS - 1) * MMA_KEYS;
            if (ahead <= lastKey) {
                int into = (step + PREFETCH_BUFFERS - 1) % PREFETCH_BUFFERS * MMA_KEYS;
                TileLoads.loadRowTile(ctx, k, ks, into, ahead, MMA_KEYS, rows, rowAt, rowStep, MMA_DQ_SIZE);
                TileLoads.loadRowTile(ctx, v, vs, into, ahead, MMA_KEYS, rows, rowAt, rowStep, MMA_DQ_SIZE);
            }
            ctx.commitChunks(); // one batch per step, empty or not, so that waitChunks(1) always means "all but the next tile"
            if (pipelined == 0) {
                ctx.mmaBf16WarpgroupPair(qs, warp / 4 * WARPGROUP_ROWS, ks, buffer, scores, gs, warp / 4 * WARPGROUP_ROWS, vs, buffer,
                        gradP, MMA_KEYS, false);
            } else {
                WarpgroupMma.issue(ctx, qs, warp / 4 * WARPGROUP_ROWS, ks, buffer, MMA_KEYS, scores, false);
                WarpgroupMma.issue(ctx, gs, warp / 4 * WARPGROUP_ROWS, vs, buffer, MMA_KEYS, gradP, false);
                WarpgroupMma.wait(ctx, 1, scores); // S is in; dP may still run while P is formed
            }
            // P in place of S, then dS in place of dP, element by element.
            if (!AttentionMasks.wholeTile(a0 + warpRow, MMA_ROWS, t0, MMA_KEYS, queryLimit, rows, causal)) {
                int laneColumn = AttentionMasks.fragmentColumn(t0, 0, t);
                int boundTop = AttentionMasks.visibleKeys(a0 + warpRow + g, queryLimit, rows, causal) - laneColumn;
                int boundBottom = AttentionMasks.visibleKeys(a0 + warpRow + g + 8, queryLimit, rows, causal) - laneColumn;
                for (int e = 0; e < 16; e++) {
                    if (AttentionMasks.pastBound(e, AttentionMasks.lowerRow(e) ? boundBottom : boundTop)) {
                        scores[e] = Float.NEGATIVE_INFINITY; // p = 0
                    }
                }
            }
            for (int e = 0; e < 16; e++) {
                scores[e] = KernelMath.exp2(scores[e] * scaleLog2 - (AttentionMasks.lowerRow(e) ? lseBottom : lseTop));
            }
            if (pipelined == 1) {
                WarpgroupMma.wait(ctx, 0, gradP); // dP is in
            }
            for (int e = 0; e < 16; e++) {
                // dS / scale: the scale goes in once, at the end
                gradP[e] = scores[e] * (gradP[e] - (AttentionMasks.lowerRow(e) ? deltaBottom : deltaTop));
            }
            // dQ += dS K with dS straight from the accumulators (keys 16c .. 16c + 15 are accumulator
            // tiles 2c and 2c + 1, the A registers) and K's rows as the k dimension.
            for (int i = 0; i < 8; i++) {
                dsPairs[i] = ctx.packBf16(gradP[2 * i], gradP[2 * i + 1]);
            }
            ctx.mmaBf16WarpgroupRegisters(fragments, dsPairs, ks, buffer, acc);
        }
        ctx.waitChunks(); // copies still in flight only where a group had no tile to work on
        for (int half2 = 0; half2 < 2; half2++) {
            int a = a0 + warpRow + g + half2 * 8;
            if (a < queryLimit) {
                long at = (queryAt + (long) a * queryStep) * MMA_HEAD_DIM;
                for (int nt = 0; nt < 8; nt++) {
                    long idx = at + nt * 8 + 2 * t;
                    float mine0 = acc[nt * 4 + half2 * 2] * scale, mine1 = acc[nt * 4 + half2 * 2 + 1] * scale;
                    if (first == 1) {
                        gradQ.setPair(idx, mine0, mine1);
                    } else {
                        gradQ.atomicAddPair(idx, mine0, mine1); // no reply to wait for, as dK and dV in keyValueGradients
                    }
                }
            }
        }
    }

    /**
     * The backward of one pair on matrix units (head dimension {@link AttentionTiles#MMA_HEAD_DIM}): dK and dV as
     * {@link #backwardKeyValueMma}, and dQ in the same pass, FlashAttention-2's way: every two query
     * steps dS^T, kept in local memory, gives dQ = c dS K for their 64 queries over the group's keys
     * ({@link #addQueryGradients}), added atomically to dQ, which must start at zero. That is one
     * product more here instead of {@link #backwardQueryMma}'s three (it recomputes S and dP), but the
     * order of the additions varies, so dQ is not bit-reproducible.
     */
    @Kernel(groupSize = MMA_KV_SIZE, minGroupsPerUnit = 2)
    public static void backwardPairMma(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                                       FloatArray delta, FloatArray lse, FloatArray gradQ, FloatArray gradK, FloatArray gradV,
                                       int n, int h, int w, int r, int causal, float scale, int first, int keyRows, int chunk,
                                       int chunkIndex) {
        keyValueGradients(ctx, q, k, v, gradOut, delta, lse, gradQ, gradK, gradV, n, h, w, r, causal, scale, first, 1,
                2 * MMA_KV_KEYS * HEAD_PAIRS, keyRows, chunk, chunkIndex, 0);
    }

    /** {@link #backwardPairMma} with its products pipelined (see the class comment): the same inputs, outputs and sums. */
    @Kernel(groupSize = MMA_KV_SIZE, minGroupsPerUnit = 2)
    public static void backwardPairMmaPipelined(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v,
                                                BFloat16Array gradOut, FloatArray delta, FloatArray lse, FloatArray gradQ, FloatArray gradK,
                                                FloatArray gradV, int n, int h, int w, int r, int causal, float scale, int first,
                                                int keyRows, int chunk, int chunkIndex) {
        keyValueGradients(ctx, q, k, v, gradOut, delta, lse, gradQ, gradK, gradV, n, h, w, r, causal, scale, first, 1,
                2 * MMA_KV_KEYS * HEAD_PAIRS, keyRows, chunk, chunkIndex, 1);
    }

    /**
     * dK and dV of one pair on matrix units (head dimension {@link AttentionTiles#MMA_HEAD_DIM}), the same result as
     * {@link DilatedAttentionKernels#backwardKeyValue} up to bf16 rounding: with {@link #backwardQueryMma}
     * the deterministic plan of the backward. See {@link #keyValueGradients}.
     */
    @Kernel(groupSize = MMA_KV_SIZE, minGroupsPerUnit = 2)
    public static void backwardKeyValueMma(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                                           FloatArray delta, FloatArray lse, FloatArray gradK, FloatArray gradV,
                                           int n, int h, int w, int r, int causal, float scale, int first, int keyRows, int chunk,
                                           int chunkIndex) {
        // gradK stands in for dQ, which addQuery = 0 never touches
        keyValueGradients(ctx, q, k, v, gradOut, delta, lse, gradK, gradK, gradV, n, h, w, r, causal, scale, first, 0, 4,
                keyRows, chunk, chunkIndex, 0);
    }

    /** {@link #backwardKeyValueMma} with its products pipelined (see the class comment): the same inputs, outputs and bits. */
    @Kernel(groupSize = MMA_KV_SIZE, minGroupsPerUnit = 2)
    public static void backwardKeyValueMmaPipelined(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v,
                                                    BFloat16Array gradOut, FloatArray delta, FloatArray lse, FloatArray gradK,
                                                    FloatArray gradV, int n, int h, int w, int r, int causal, float scale, int first,
                                                    int keyRows, int chunk, int chunkIndex) {
        keyValueGradients(ctx, q, k, v, gradOut, delta, lse, gradK, gradK, gradV, n, h, w, r, causal, scale, first, 0, 4,
                keyRows, chunk, chunkIndex, 1);
    }

    /**
     * The body of {@link #backwardPairMma} ({@code addQuery} = 1) and {@link #backwardKeyValueMma} (0),
     * which pass it a literal, so each compiles without the other's code: dK and dV of one pair, the
     * same result as {@link DilatedAttentionKernels#backwardKeyValue} up to bf16 rounding. A work-group owns {@link AttentionTiles#MMA_KV_KEYS} keys of a
     * block, 16 per warp, and streams the block's queries past them 32 at a time: S^T = K Q^T and
     * dP^T = V dO^T together by {@link KernelContext#mmaBf16WarpgroupPair}, P^T = exp(c S^T - L) and
     * dS^T = P^T (dP^T - Delta) element by element in the accumulator fragments (L and Delta are per
     * query and known, so no reductions), then dV += P^T dO and dK += c dS^T Q together by
     * {@link KernelContext#mmaBf16WarpgroupRegistersPair}, P^T and dS^T as A registers, the rows of dO and Q the k dimension.
     * With {@code first} = 1 (a first pair of dilation 1) it writes dK and dV instead of adding to them. {@code pipelined}
     * (a literal too) 1 issues the products a step holds and waits for each only where its result is needed (class comment).
     * Its local arrays are its own, as {@link #queryGradients}'.
     */
    static void keyValueGradients(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                                  FloatArray delta, FloatArray lse, FloatArray gradQ, FloatArray gradK, FloatArray gradV, int n, int h,
                                  int w, int r, int causal, float scale, int first, int addQuery, int dsTLength, int keyRows, int chunk,
                                  int chunkIndex, int pipelined) {
        int[] ks = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        // dS^T of two query steps, a key per row (channels 0..31 the even step's queries, 32..63 the odd one's): the A of
        // dQ = dS K, read transposed. Two such tiles (rows 0..127, 128..255): the steps after a pair fill one while the
        // pair's dQ reads the other. Its length, dsTLength, is 2 * MMA_KV_KEYS * HEAD_PAIRS with addQuery = 1, else 4 (no dS^T
        // is kept, and a local array's length must be positive): a parameter of its own because a helper's local array takes
        // a product of constants and parameters as its length, not a choice such as addQuery == 1 ? ... : 4.
        int[] dsT = ctx.allocateIntLocalArray(dsTLength);
        // Query-side tiles and row statistics, double-buffered as the forward's keys and values.
        int[] qs = ctx.allocateIntLocalArray(2 * MMA_KEYS * HEAD_PAIRS);
        int[] gs = ctx.allocateIntLocalArray(2 * MMA_KEYS * HEAD_PAIRS);
        float[] rowLse = ctx.allocateFloatLocalArray(2 * MMA_KEYS);
        float[] rowDelta = ctx.allocateFloatLocalArray(2 * MMA_KEYS);
        int[] fragments = ctx.allocateIntLocalArray(MMA_KV_SIZE * 8); // register exchange off cuda
        float[] scores = new float[16];
        int[] probs = new int[8]; // P^T and dS^T packed in pairs: the A registers of the dV and dK updates
        int[] dsPairs = new int[8];
        float[] gradP = new float[16];
        float[] dk = new float[32];
        float[] dv = new float[32];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int lane = lid % MMA_WARP;
        int[] place = new int[BlockPlace.SIZE];
        BlockPlace.ofKeyTile(ctx, n, h, w, r, chunk, chunkIndex, MMA_KV_KEYS, place);
        int rows = place[BlockPlace.ROWS];
        int queryLimit = place[BlockPlace.QUERY_END];
        long rowAt = BlockPlace.keyRowAt(place, n, h, w, r, keyRows);
        int rowStep = AttentionBlocks.keyRowStep(r, h, keyRows);
        long queryAt = BlockPlace.queryRowAt(place, n, h, w, r, keyRows, chunk, chunkIndex);
        int queryStep = AttentionBlocks.queryRowStep(r, h, keyRows, chunk);
        int k0 = place[BlockPlace.TILE] * MMA_KV_KEYS;
        int g = lane / 4;
        int t = lane % 4;
        float scaleLog2 = scale * LOG2E;
        int warpKey = warp * MMA_ROWS;
        int firstTop = AttentionMasks.firstVisibleQuery(k0 + warpKey + g, rows, causal);
        int firstBottom = AttentionMasks.firstVisibleQuery(k0 + warpKey + g + 8, rows, causal);
        // Causal: queries before this group's first key see none of its keys.
        int firstQuery = KernelMath.max(causal == 1 ? k0 : 0, place[BlockPlace.QUERY_BEGIN]);
        TileLoads.loadRowTile(ctx, k, ks, 0, k0, MMA_KV_KEYS, rows, rowAt, rowStep, MMA_KV_SIZE);
        TileLoads.loadRowTile(ctx, v, vs, 0, k0, MMA_KV_KEYS, rows, rowAt, rowStep, MMA_KV_SIZE);
        TileLoads.loadRowTile(ctx, q, qs, 0, firstQuery, MMA_KEYS, queryLimit, queryAt, queryStep, MMA_KV_SIZE);
        TileLoads.loadRowTile(ctx, gradOut, gs, 0, firstQuery, MMA_KEYS, queryLimit, queryAt, queryStep, MMA_KV_SIZE);
        TileLoads.loadRowStats(ctx, lse, delta, rowLse, rowDelta, firstQuery, MMA_KEYS, queryLimit, queryAt, queryStep);
        for (int a0 = firstQuery; a0 < queryLimit; a0 += MMA_KEYS) {
            int step = (a0 - firstQuery) / MMA_KEYS;
            int buffer = step % 2 * MMA_KEYS;
            int next = a0 + MMA_KEYS;
            ctx.waitChunks();
            ctx.localBarrier(); // (also: the last two steps' dS^T are all in dsT)
            if (addQuery == 1 && step % 2 == 0 && step > 0) {
                addQueryGradients(ctx, ks, dsT, (step / 2 + 1) % 2 * MMA_KV_KEYS, a0 - 2 * MMA_KEYS, gradQ, queryLimit, queryAt, queryStep,
                        scale);
            }
            if (next < queryLimit) {
                TileLoads.loadRowTile(ctx, q, qs, MMA_KEYS - buffer, next, MMA_KEYS, queryLimit, queryAt, queryStep, MMA_KV_SIZE);
                TileLoads.loadRowTile(ctx, gradOut, gs, MMA_KEYS - buffer, next, MMA_KEYS, queryLimit, queryAt, queryStep, MMA_KV_SIZE);
            }
            // The next tile's LSE and Delta: read now, stored after the products, so the reads' latency hides behind them.
            float nextLse = lid < MMA_KEYS ? TileLoads.rowValue(lse, LOG2E, next + lid, queryLimit, queryAt, queryStep) : 0f;
            float nextDelta = lid < MMA_KEYS ? TileLoads.rowValue(delta, 1f, next + lid, queryLimit, queryAt, queryStep) : 0f;
            if (pipelined == 0) {
                ctx.mmaBf16WarpgroupPair(ks, warp / 4 * WARPGROUP_ROWS, qs, buffer, scores, vs, warp / 4 * WARPGROUP_ROWS, gs, buffer,
                        gradP, MMA_KEYS, false);
            } else {
                WarpgroupMma.issue(ctx, ks, warp / 4 * WARPGROUP_ROWS, qs, buffer, MMA_KEYS, scores, false);
                WarpgroupMma.issue(ctx, vs, warp / 4 * WARPGROUP_ROWS, gs, buffer, MMA_KEYS, gradP, false);
                WarpgroupMma.wait(ctx, 1, scores); // S^T is in; dP^T may still run while P^T is formed
            }
            // P^T and dS^T in place of S^T and dP^T, element by element.
            KeyValueSteps.probabilities(scores, rowLse, buffer, a0, k0 + warpKey, firstTop, firstBottom, queryLimit, rows, causal, scaleLog2, t);
            if (pipelined == 1) {
                WarpgroupMma.wait(ctx, 0, gradP); // dP is in
            }
            KeyValueSteps.scoreGradients(scores, gradP, rowDelta, buffer, t);
            // dV += P^T dO and dK += dS^T Q with P^T and dS^T straight from the accumulators and the rows of dO and Q as the k
            // dimension; this step's dS^T goes to tile step / 2 % 2 of dsT, channels 32 (step % 2) on.
            KeyValueSteps.pack(ctx, scores, gradP, probs, dsPairs, dsT, step / 2 % 2 * MMA_KV_KEYS + warpKey + g, step % 2 * 16 + t, addQuery);
            if (pipelined == 0) {
                ctx.mmaBf16WarpgroupRegistersPair(fragments, probs, gs, buffer, dv, dsPairs, qs, buffer, dk);
            } else {
                WarpgroupMma.issueRegisters(ctx, fragments, probs, gs, buffer, dv);
                WarpgroupMma.issueRegisters(ctx, fragments, dsPairs, qs, buffer, dk);
            }
            if (lid < MMA_KEYS) {
                rowLse[MMA_KEYS - buffer + lid] = nextLse;
                rowDelta[MMA_KEYS - buffer + lid] = nextDelta;
            }
            if (pipelined == 1) {
                // dV and dK are done with this step's dO and Q before the next step's copies replace them (a wait in the next
                // step would leave products running across the loop's back edge, which ptxas serializes).
                WarpgroupMma.wait(ctx, 0, dk);
            }
        }
        // dQ of the last one or two steps
        int steps = (KernelMath.max(queryLimit - firstQuery, 0) + MMA_KEYS - 1) / MMA_KEYS;
        if (pipelined == 1) {
            WarpgroupMma.wait(ctx, 0, dv); // nothing runs now: this fences dV before the reads below
        }
        ctx.localBarrier();
        if (addQuery == 1 && steps > 0) {
            addQueryGradients(ctx, ks, dsT, (steps - 1) / 2 % 2 * MMA_KV_KEYS, firstQuery + (steps - 1) / 2 * 2 * MMA_KEYS, gradQ, queryLimit,
                    queryAt, queryStep, scale);
        }
        ctx.waitChunks(); // copies still in flight only where a group had no tile to work on
        KeyValueSteps.store(dk, dv, gradK, gradV, k0 + warpKey + g, rows, rowAt, rowStep, scale, first, t);
    }

    /**
     * dQ += c dS K for the 64 queries of two steps of the dK/dV kernel, from {@code firstQuery}: dS^T / c
     * (rows {@code dsRow ..} of {@code dsT}, a key per row) is read transposed as A, K ({@code ks}) as B,
     * over the group's 128 keys; warpgroup x computes channels 32x .. 32x + 31 of all 64 queries and adds
     * them atomically, a channel pair at a time, as the work-groups of the block's other key tiles add to
     * the same rows. Queries at or past {@code rows} are skipped (their dS^T channels may be stale).
     */
    static void addQueryGradients(KernelContext ctx, int[] ks, int[] dsT, int dsRow, int firstQuery, FloatArray gradQ, int rows, long rowAt,
                                  int rowStep, float scale) {
        float[] dq = new float[16];
        int channel = ctx.localIdx / MMA_WARP / 4 * 32;
        ctx.mmaBf16WarpgroupTransposedA(dsT, dsRow, ks, 0, channel, 32, dq, false);
        ctx.mmaBf16WarpgroupTransposedA(dsT, dsRow + WARPGROUP_ROWS, ks, WARPGROUP_ROWS, channel, 32, dq, true);
        reduceQueryGradients(ctx, dq, firstQuery, gradQ, rows, rowAt, rowStep, scale);
    }

    /**
     * Adds the work-item's part of dQ / c for 64 queries from {@code firstQuery} (channels 32x .. 32x + 31 for warpgroup x, as
     * {@link #addQueryGradients} computes them) times the scale to dQ, a channel pair at a time; queries at or past
     * {@code rows} are skipped.
     */
    static void reduceQueryGradients(KernelContext ctx, @Private float[] dq, int firstQuery, FloatArray gradQ, int rows, long rowAt, int rowStep,
                                     float scale) {
        int warp = ctx.localIdx / MMA_WARP;
        int g = ctx.localIdx % MMA_WARP / 4;
        int t = ctx.localIdx % 4;
        int channel = warp / 4 * 32;
        for (int half2 = 0; half2 < 2; half2++) {
            int query = firstQuery + warp % 4 * 16 + g + 8 * half2;
            if (query < rows) {
                long at = (rowAt + query * rowStep) * MMA_HEAD_DIM + channel + 2 * t;
                for (int i = 0; i < 4; i++) {
                    gradQ.atomicAddPair(at + 8 * i, dq[4 * i + 2 * half2] * scale, dq[4 * i + 2 * half2 + 1] * scale);
                }
            }
        }
    }
}
