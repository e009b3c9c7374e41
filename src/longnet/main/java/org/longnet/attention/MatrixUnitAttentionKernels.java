package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;

/**
 * Dilated attention on matrix units: the kernels of one (segment length, dilation) pair, the
 * forward and the backward (dQ, dK and dV in one kernel; apart, bit-reproducible, on request) for bf16 Q, K, V and dO with head dimension {@link #MMA_HEAD_DIM}, multiplying with
 * the warpgroup matrix-multiply intrinsics of {@link KernelContext} (wgmma on the H200's tensor cores)
 * and accumulating in fp32. They compute what the fp32 {@link DilatedAttentionKernels} compute (same
 * layouts, blocks, launch order and mixing by log-sum-exp), up to bf16 rounding of the products'
 * operands. Each product is one warpgroup (four warps, 64 rows) at a time. Tiles sit in local memory
 * in chunk layout ({@link KernelContext#chunkLayoutIndex}), loaded once per tile by the helpers at the
 * end of the class, and the tensor cores read them from there either way round: as the n dimension
 * (K in Q·K^T) or as the k dimension (V in P·V), so no tile is ever transposed or held in registers.
 * (One class for all: a kernel calls only its own class's static methods, and they share the tile helpers.)
 */
public final class MatrixUnitAttentionKernels {
    /**
     * Tiles of the matrix-unit products: rows per warp, warps per work-group, keys per tile of dQ (and
     * queries per step of dK/dV), the fixed head dimension.
     */
    public static final int MMA_ROWS = 16, MMA_WARPS = 8, MMA_KEYS = 32, MMA_HEAD_DIM = 64, MMA_WARP = 32;
    public static final int MMA_GROUP_ROWS = MMA_ROWS * MMA_WARPS, MMA_GROUP_SIZE = MMA_WARP * MMA_WARPS;
    /**
     * Keys per tile of the forward: its two warpgroups (8 warps x 16 rows) share each tile (57 KB of local memory:
     * 48 KB of tiles, Q and two of K and V, and 9 KB where jvm and opencl exchange registers). Against 32 keys at three
     * groups per SM, 64 at two took the H200's dense pair at 1M from 13.3 to 13.0 ms (half the barriers and row-max
     * exchanges per key); in session 8, before the tiles were fetched ahead, the two measured the same.
     */
    static final int FWD_KEYS = 64;
    /**
     * Warps per work-group of the matrix-unit dQ kernel: two warpgroups of 16 query rows per warp share
     * each key tile (56 KB of local memory: 48 KB of tiles, 8 KB of register exchange for jvm and
     * opencl). With one, every 64 rows streamed the keys and values once more, and L2 bandwidth bound
     * the kernel (88% in ncu).
     */
    public static final int MMA_DQ_WARPS = 8, MMA_DQ_ROWS = MMA_ROWS * MMA_DQ_WARPS, MMA_DQ_SIZE = MMA_WARP * MMA_DQ_WARPS;
    /**
     * Warps per work-group of the matrix-unit dK/dV kernel: two warpgroups of 16 keys per warp share each
     * query tile (57 KB of local memory: 48.5 KB of tiles and row statistics, 8 KB of register exchange),
     * for the same reason as dQ.
     */
    public static final int MMA_KV_WARPS = 8, MMA_KV_KEYS = MMA_ROWS * MMA_KV_WARPS, MMA_KV_SIZE = MMA_WARP * MMA_KV_WARPS;
    /**
     * Key and value tiles the dQ kernel keeps in local memory: one being multiplied, two being
     * fetched. With two, the next tile's copy had one step to land, and ncu on the H200 showed dQ's
     * warps waiting for it (long scoreboard) more than for anything else; three took the dense pair at
     * 1M from 15.8 to 14.9 ms. The forward and dK/dV, with more warps per SM, measured slower with three.
     */
    static final int PREFETCH_BUFFERS = 3;
    /** Rows of one warpgroup product (four warps of 16 rows). */
    static final int WARPGROUP_ROWS = KernelContext.WARPGROUP_ROWS;
    /** bf16 pairs per row of a head (32): the matrix-unit kernels' tiles are packed in pairs. */
    static final int HEAD_PAIRS = MMA_HEAD_DIM / 2;
    /**
     * log2(e) and ln(2): the kernels keep scores and LSE in base 2 (scores times scale · log2(e)), so
     * each probability is one exp2 of one fused multiply-add, and LSE goes back to base e when stored.
     */
    static final float LOG2E = 1.44269504f, LN2 = 0.6931471806f;

    private MatrixUnitAttentionKernels() {
    }

    // The translator compiles each kernel class on its own (a kernel calls static methods of its own
    // class only), so these two one-line index helpers repeat DilatedAttentionKernels'.

    /** Rows of the block (segment s, head offset o) for segment length seg: offset < seg and position < n. */
    static int rowsInBlock(int n, int seg, int r, int s, int o) {
        int limit = KernelMath.min(seg, n - s * seg) - o;
        return limit <= 0 ? 0 : (limit + r - 1) / r;
    }

    /** Index of (b, position, head) in a [B][N][H] array. */
    static long rowIndex(int b, int position, int j, int n, int h) {
        return ((long) b * n + position) * h + j;
    }

    /** The first query row of a block this launch computes (see DilatedAttentionKernels' block geometry). */
    static int queryBegin(int o, int r, int rows, int chunk, int chunkIndex) {
        int x = chunkIndex * chunk - o;
        return chunk == 0 || x <= 0 ? 0 : KernelMath.min(rows, (x + r - 1) / r);
    }

    /** One past the last query row of a block this launch computes. */
    static int queryEnd(int o, int r, int rows, int chunk, int chunkIndex) {
        int x = (chunkIndex + 1) * chunk - o;
        return chunk == 0 ? rows : x <= 0 ? 0 : KernelMath.min(rows, (x + r - 1) / r);
    }

    /** Groups of {@code tileRows} query rows per block. */
    static int queryTiles(int seg, int r, int chunk, int tileRows) {
        int span = chunk == 0 ? seg : chunk;
        return ((span + r - 1) / r + tileRows - 1) / tileRows;
    }

    /** Row 0 of a block's keys in the rows of K and V: dense, or gathered into {@code keyRows} rows per batch element. */
    static long keyRowAt(int b, int s, int seg, int o, int j, int n, int h, int keyRows) {
        return keyRows == 0 ? rowIndex(b, s * seg + o, j, n, h) : rowIndex(b, 0, j, keyRows, h);
    }

    /** Row 0 of a block's queries in the rows of Q, O, LSE, Delta and dQ. */
    static long queryRowAt(int b, int s, int seg, int o, int j, int n, int h, int keyRows, int chunk, int chunkIndex) {
        return chunk == 0 ? keyRowAt(b, s, seg, o, j, n, h, keyRows) : rowIndex(b, o - chunkIndex * chunk, j, chunk, h);
    }

    /**
     * The first query row that sees key {@code key} ({@code rows} for none); queries from it to the
     * block's end see it. Computed once per key, it makes each score's mask in dK/dV two comparisons.
     * (The forward and dQ test each score of the tiles that need a mask: precomputed bounds are two
     * more live values, which cost spills at their register bounds.)
     */
    static int firstVisibleQuery(int key, int rows, int causal) {
        return key >= rows ? rows : causal == 1 ? key : 0;
    }

    /**
     * Whether every score of a warp's tile is visible: its rows ({@code rowCount} from {@code firstRow},
     * below {@code queryLimit}) and keys ({@code keyCount} from {@code firstKey}, below {@code rows}) all inside the block, and with the causal mask no
     * key after its first row. All tiles but those on the diagonal or at the block's end are, and they
     * skip the per-score mask; a masked score becomes -infinity, whose exp2 is 0.
     */
    static boolean wholeTile(int firstRow, int rowCount, int firstKey, int keyCount, int queryLimit, int rows, int causal) {
        return firstRow + rowCount <= queryLimit && firstKey + keyCount <= rows && (causal == 0 || firstKey + keyCount <= firstRow + 1);
    }

    /**
     * The forward of one pair on matrix units, for head dimension {@link #MMA_HEAD_DIM}: the same
     * result as {@link DilatedAttentionKernels#forwardPair} up to bf16 rounding of the probabilities (Q, K, V are bf16),
     * with Q·K^T computed by {@link KernelContext#mmaBf16Warpgroup} and P·V by
     * {@link KernelContext#mmaBf16WarpgroupRegisters} (fp32 accumulation).
     * A work-group of {@link #MMA_WARPS} warps owns {@link #MMA_GROUP_ROWS} rows of a block, 16 per
     * warp (launch: one dimension of (row tile, segment x head, batch) groups), so each tile of
     * {@link #FWD_KEYS} keys and values loaded into local memory serves both its warpgroups: K's rows
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
    // nvcc -Xptxas -v (sm_90a): 115 registers, no spills, two groups per SM (at three: 80 registers, spills, and wgmma
    // serialised). On the H200, the dense pair at 1M: 13.0 ms (32-key tiles at three groups per SM: 13.3; with mma.sync 21.7).
    @Kernel(groupSize = MMA_GROUP_SIZE, minGroupsPerUnit = 2)
    public static void forwardPairMma(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out,
                                      FloatArray lse, int n, int h, int w, int r, int causal, float scaleLog2, int first, int keyRows,
                                      int chunk, int chunkIndex) {
        int[] qs = ctx.allocateIntLocalArray(MMA_GROUP_ROWS * HEAD_PAIRS);
        // Two key and value tiles: while the products work on one, the next one's copy lands in the other.
        int[] ks = ctx.allocateIntLocalArray(2 * FWD_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(2 * FWD_KEYS * HEAD_PAIRS);
        // Where warps exchange registers on devices without warp shuffles (jvm, opencl); unused on cuda.
        float[] lanes = ctx.allocateFloatLocalArray(MMA_GROUP_SIZE);
        int[] fragments = ctx.allocateIntLocalArray(MMA_GROUP_SIZE * 8);
        int[] probs = new int[8]; // P packed in pairs: the A registers of P·V
        float[] scores = new float[FWD_KEYS / 2];
        float[] acc = new float[32];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int lane = lid % MMA_WARP;
        int seg = KernelMath.min(w, n);
        int tiles = queryTiles(seg, r, chunk, MMA_GROUP_ROWS);
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        int queryLimit = queryEnd(o, r, rows, chunk, chunkIndex);
        // Key m of the block is row rowAt + m * rowStep of K and V, query a row queryAt + a * queryStep of Q, O and
        // LSE (the same rows on one device): 64 elements from row * 64 in the [B][N][H][64] arrays.
        long rowAt = keyRowAt(b, s, seg, o, j, n, h, keyRows);
        int rowStep = keyRows == 0 ? r * h : h;
        long queryAt = queryRowAt(b, s, seg, o, j, n, h, keyRows, chunk, chunkIndex);
        int queryStep = chunk == 0 ? rowStep : r * h;
        int a0 = queryBegin(o, r, rows, chunk, chunkIndex) + tile * MMA_GROUP_ROWS;
        int g = lane / 4;
        int t = lane % 4;
        int top = warp * MMA_ROWS + g;
        int bottom = top + 8;
        // Running max (of raw scores) and this work-item's part of the running sum, for rows top and bottom.
        float maxTop = Float.NEGATIVE_INFINITY, maxBottom = Float.NEGATIVE_INFINITY, sumTop = 0f, sumBottom = 0f;
        int lastKey = causal == 1 ? KernelMath.min(rows - 1, a0 + MMA_GROUP_ROWS - 1) : rows - 1;
        loadRowTile(ctx, q, qs, 0, a0, MMA_GROUP_ROWS, queryLimit, queryAt, queryStep, MMA_GROUP_SIZE);
        loadRowTile(ctx, k, ks, 0, 0, FWD_KEYS, rows, rowAt, rowStep, MMA_GROUP_SIZE);
        loadRowTile(ctx, v, vs, 0, 0, FWD_KEYS, rows, rowAt, rowStep, MMA_GROUP_SIZE);
        for (int t0 = 0; t0 <= lastKey; t0 += FWD_KEYS) {
            int buffer = t0 / FWD_KEYS % 2 * FWD_KEYS; // this tile's first row in ks and vs
            ctx.waitChunks();
            ctx.localBarrier(); // this tile has landed, and every warp is done with the other buffer
            if (t0 + FWD_KEYS <= lastKey) {
                loadRowTile(ctx, k, ks, FWD_KEYS - buffer, t0 + FWD_KEYS, FWD_KEYS, rows, rowAt, rowStep, MMA_GROUP_SIZE);
                loadRowTile(ctx, v, vs, FWD_KEYS - buffer, t0 + FWD_KEYS, FWD_KEYS, rows, rowAt, rowStep, MMA_GROUP_SIZE);
            }
            ctx.mmaBf16Warpgroup(qs, warp / 4 * WARPGROUP_ROWS, ks, buffer, FWD_KEYS, scores, false);
            if (!wholeTile(a0 + warp * MMA_ROWS, MMA_ROWS, t0, FWD_KEYS, queryLimit, rows, causal)) {
                for (int e = 0; e < FWD_KEYS / 2; e++) {
                    int key = t0 + e / 4 * 8 + 2 * t + (e & 1);
                    int a = a0 + (e % 4 >= 2 ? bottom : top);
                    if (a >= queryLimit || key >= rows || causal == 1 && key > a) {
                        scores[e] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
            // Row maxima of the raw scores (the scale is positive, so they are the maxima of the scaled ones):
            // each probability is then one fused multiply-add and one exp2.
            float tileTop = Float.NEGATIVE_INFINITY, tileBottom = Float.NEGATIVE_INFINITY;
            for (int e = 0; e < FWD_KEYS / 2; e++) {
                if (e % 4 >= 2) {
                    tileBottom = KernelMath.max(tileBottom, scores[e]);
                } else {
                    tileTop = KernelMath.max(tileTop, scores[e]);
                }
            }
            // The four work-items of a row (lanes 4g .. 4g + 3) agree on its max.
            tileTop = KernelMath.max(tileTop, ctx.shuffleXor(lanes, tileTop, 1));
            tileTop = KernelMath.max(tileTop, ctx.shuffleXor(lanes, tileTop, 2));
            tileBottom = KernelMath.max(tileBottom, ctx.shuffleXor(lanes, tileBottom, 1));
            tileBottom = KernelMath.max(tileBottom, ctx.shuffleXor(lanes, tileBottom, 2));
            float newTop = KernelMath.max(maxTop, tileTop);
            float newBottom = KernelMath.max(maxBottom, tileBottom);
            // Rescale the running sum and output only when a row's max grew (FlashAttention-2): after the
            // first tiles of a row it seldom does, and the 34 multiplies are a tenth of a tile's work.
            if (newTop > maxTop || newBottom > maxBottom) {
                float keepTop = maxTop == Float.NEGATIVE_INFINITY ? 0f : KernelMath.exp2((maxTop - newTop) * scaleLog2);
                float keepBottom = maxBottom == Float.NEGATIVE_INFINITY ? 0f : KernelMath.exp2((maxBottom - newBottom) * scaleLog2);
                sumTop *= keepTop;
                sumBottom *= keepBottom;
                for (int nt = 0; nt < 8; nt++) {
                    acc[nt * 4] *= keepTop;
                    acc[nt * 4 + 1] *= keepTop;
                    acc[nt * 4 + 2] *= keepBottom;
                    acc[nt * 4 + 3] *= keepBottom;
                }
            }
            maxTop = newTop;
            maxBottom = newBottom;
            // A row with no visible key yet has max -infinity: shift 0 keeps its masked scores' exp2 at 0 (not NaN).
            float shiftTop = newTop == Float.NEGATIVE_INFINITY ? 0f : newTop * scaleLog2;
            float shiftBottom = newBottom == Float.NEGATIVE_INFINITY ? 0f : newBottom * scaleLog2;
            for (int e = 0; e < FWD_KEYS / 2; e++) {
                scores[e] = KernelMath.exp2(scores[e] * scaleLog2 - (e % 4 >= 2 ? shiftBottom : shiftTop));
            }
            for (int nt = 0; nt < FWD_KEYS / 8; nt++) {
                sumTop += scores[nt * 4] + scores[nt * 4 + 1];
                sumBottom += scores[nt * 4 + 2] + scores[nt * 4 + 3];
            }
            // P·V with P straight from the score accumulators (keys 16c .. 16c + 15 are accumulator tiles
            // 2c and 2c + 1, the A registers) and V's rows as the k dimension.
            for (int half = 0; half < FWD_KEYS / 32; half++) {
                for (int i = 0; i < 8; i++) {
                    probs[i] = ctx.packBf16(scores[16 * half + 2 * i], scores[16 * half + 2 * i + 1]);
                }
                ctx.mmaBf16WarpgroupRegisters(fragments, probs, vs, buffer + 32 * half, acc);
            }
        }
        ctx.waitChunks(); // copies still in flight only where a group had no tile to work on
        sumTop += ctx.shuffleXor(lanes, sumTop, 1);
        sumTop += ctx.shuffleXor(lanes, sumTop, 2);
        sumBottom += ctx.shuffleXor(lanes, sumBottom, 1);
        sumBottom += ctx.shuffleXor(lanes, sumBottom, 2);
        // Merge into the running output (§2.1). The four work-items of a row read its old LSE before
        // the one with t = 0 writes the new one: each reads, then a barrier, then the write.
        float keepRow0 = 0f, takeRow0 = 0f, mergedRow0 = 0f, keepRow1 = 0f, takeRow1 = 0f, mergedRow1 = 0f;
        for (int half2 = 0; half2 < 2; half2++) {
            int local = half2 == 0 ? top : bottom;
            int a = a0 + local;
            if (a < queryLimit) {
                long at = queryAt + (long) a * queryStep;
                float sum = half2 == 0 ? sumTop : sumBottom;
                float pairLse = (half2 == 0 ? maxTop : maxBottom) * scaleLog2 * LN2 + KernelMath.log(sum);
                float previous = first == 1 ? Float.NEGATIVE_INFINITY : lse.get(at);
                float high = KernelMath.max(previous, pairLse);
                float merged = high + KernelMath.log(KernelMath.exp(previous - high) + KernelMath.exp(pairLse - high));
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

    /**
     * Starts copying rows {@code first .. first + rowCount - 1} of a block (its row m is row
     * {@code rowAt + m * rowStep} of the [B][N][H] rows) into {@code tile} from its row {@code tileRow} on, in chunk layout
     * ({@link KernelContext#chunkLayoutIndex}); rows at or past {@code rows} become zeros. The copies
     * go on in the background ({@link KernelContext#loadChunkAsync}): the tile is ready after
     * {@code ctx.waitChunks()} and a barrier. Called by all {@code groupSize} work-items; groupSize is
     * a multiple of 64, rowCount of groupSize / 8 and tileRow of 8.
     */
    static void loadRowTile(KernelContext ctx, BFloat16Array x, int[] tile, int tileRow, int first, int rowCount, int rows, long rowAt,
                            int rowStep, int groupSize) {
        // Work-item i copies chunk i of the tile, then chunk i + groupSize, ...: always the same 16
        // channels, rowStep rows further on, so its address steps by a constant and the loop has a trip
        // count known after inlining, and neighbours write neighbouring local memory. Offsets within the
        // block are ints (blockOffsetsFit): no 64-bit multiply per tile.
        int lid = ctx.localIdx;
        int row = (lid >> 6) * 8 + (lid & 7);
        int rowsPerStep = groupSize / 8;
        int stride = rowStep * MMA_HEAD_DIM;
        int at = (first + row) * stride + ((lid >> 3) & 7) * 8;
        for (int step = 0; step < rowCount / rowsPerStep; step++) {
            ctx.loadChunkAsync(x, rowAt * MMA_HEAD_DIM + (at + step * rowsPerStep * stride), tile,
                    tileRow * HEAD_PAIRS + (lid + step * groupSize) * 4, first + row + step * rowsPerStep < rows);
        }
    }

    /**
     * Whether the element offsets within one block of a pair fit an int, as {@link #loadRowTile} needs:
     * its rows, and a tile's worth past them, times r h 64. True up to segments of about 2^31 / (64 h)
     * positions (2.8M with 12 heads).
     */
    public static boolean blockOffsetsFit(int segment, int dilation, int heads) {
        return ((long) segment + (MMA_GROUP_ROWS + 1L) * dilation) * heads * MMA_HEAD_DIM <= Integer.MAX_VALUE;
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
        int warp = ctx.localIdx / MMA_WARP;
        int g = ctx.localIdx % MMA_WARP / 4;
        int t = ctx.localIdx % 4;
        int channel = warp / 4 * 32;
        ctx.mmaBf16WarpgroupTransposedA(dsT, dsRow, ks, 0, channel, 32, dq, false);
        ctx.mmaBf16WarpgroupTransposedA(dsT, dsRow + WARPGROUP_ROWS, ks, WARPGROUP_ROWS, channel, 32, dq, true);
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

    /** L (in base 2: times log2(e)) and Delta of rows {@code first .. first + count - 1} of a block into local memory (0 past {@code rows}). */
    static void loadRowStats(KernelContext ctx, FloatArray lse, FloatArray delta, float[] rowLse, float[] rowDelta, int first,
                             int count, int rows, long rowAt, int rowStep) {
        int lid = ctx.localIdx;
        if (lid < count) {
            rowLse[lid] = rowValue(lse, LOG2E, first + lid, rows, rowAt, rowStep);
            rowDelta[lid] = rowValue(delta, 1f, first + lid, rows, rowAt, rowStep);
        }
    }

    /** Row {@code a}'s element of a per-row array ([B][N][H]) times {@code factor}; 0 at or past {@code rows}. */
    static float rowValue(FloatArray x, float factor, int a, int rows, long rowAt, int rowStep) {
        return a < rows ? x.get(rowAt + a * rowStep) * factor : 0f;
    }


    /**
     * dQ of one pair on matrix units (head dimension {@link #MMA_HEAD_DIM}), the same result as
     * {@link DilatedAttentionKernels#backwardQuery} up to bf16 rounding: per 32-key tile, S = Q K^T and dP = dO V^T
     * together by {@link KernelContext#mmaBf16WarpgroupPair}, dS = P (dP - Delta) with P = exp(c S - L) element by
     * element in the accumulator fragments (L and Delta are known, so no row reductions), then
     * dQ += c dS K with dS as the A registers of {@link KernelContext#mmaBf16WarpgroupRegisters}, K's rows
     * the k dimension. Two warpgroups of 64 rows per work-group. With {@code first} = 1 (a first pair of dilation 1) it
     * writes dQ instead of adding to it, so dQ needs no zeroing.
     */
    // nvcc -Xptxas -v (sm_90a): 104 registers, no spills, two groups of 256 per SM; on the H200 the dense pair at
    // 1M takes 15.9 ms (one warpgroup per group: 23.9; with mma.sync: 26.3).
    @Kernel(groupSize = MMA_DQ_SIZE, minGroupsPerUnit = 2)
    public static void backwardQueryMma(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                                        FloatArray delta, FloatArray lse, FloatArray gradQ,
                                        int n, int h, int w, int r, int causal, float scale, int first, int keyRows, int chunk,
                                        int chunkIndex) {
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
        int seg = KernelMath.min(w, n);
        int tiles = queryTiles(seg, r, chunk, MMA_DQ_ROWS);
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        int queryLimit = queryEnd(o, r, rows, chunk, chunkIndex);
        // Key m of the block is row rowAt + m * rowStep of K and V, query a row queryAt + a * queryStep of Q, O and
        // LSE (the same rows on one device): 64 elements from row * 64 in the [B][N][H][64] arrays.
        long rowAt = keyRowAt(b, s, seg, o, j, n, h, keyRows);
        int rowStep = keyRows == 0 ? r * h : h;
        long queryAt = queryRowAt(b, s, seg, o, j, n, h, keyRows, chunk, chunkIndex);
        int queryStep = chunk == 0 ? rowStep : r * h;
        int a0 = queryBegin(o, r, rows, chunk, chunkIndex) + tile * MMA_DQ_ROWS;
        int g = lane / 4;
        int t = lane % 4;
        float scaleLog2 = scale * LOG2E;
        int warpRow = warp * MMA_ROWS;
        // L and Delta of this work-item's two rows, in registers: local memory has no room left.
        float lseTop = rowValue(lse, LOG2E, a0 + warpRow + g, queryLimit, queryAt, queryStep);
        float lseBottom = rowValue(lse, LOG2E, a0 + warpRow + g + 8, queryLimit, queryAt, queryStep);
        float deltaTop = rowValue(delta, 1f, a0 + warpRow + g, queryLimit, queryAt, queryStep);
        float deltaBottom = rowValue(delta, 1f, a0 + warpRow + g + 8, queryLimit, queryAt, queryStep);
        int lastKey = causal == 1 ? KernelMath.min(rows - 1, a0 + MMA_DQ_ROWS - 1) : rows - 1;
        loadRowTile(ctx, q, qs, 0, a0, MMA_DQ_ROWS, queryLimit, queryAt, queryStep, MMA_DQ_SIZE);
        loadRowTile(ctx, gradOut, gs, 0, a0, MMA_DQ_ROWS, queryLimit, queryAt, queryStep, MMA_DQ_SIZE);
        for (int ahead = 0; ahead < PREFETCH_BUFFERS - 1; ahead++) {
            if (ahead * MMA_KEYS <= lastKey) {
                loadRowTile(ctx, k, ks, ahead * MMA_KEYS, ahead * MMA_KEYS, MMA_KEYS, rows, rowAt, rowStep, MMA_DQ_SIZE);
                loadRowTile(ctx, v, vs, ahead * MMA_KEYS, ahead * MMA_KEYS, MMA_KEYS, rows, rowAt, rowStep, MMA_DQ_SIZE);
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
                loadRowTile(ctx, k, ks, into, ahead, MMA_KEYS, rows, rowAt, rowStep, MMA_DQ_SIZE);
                loadRowTile(ctx, v, vs, into, ahead, MMA_KEYS, rows, rowAt, rowStep, MMA_DQ_SIZE);
            }
            ctx.commitChunks(); // one batch per step, empty or not, so that waitChunks(1) always means "all but the next tile"
            ctx.mmaBf16WarpgroupPair(qs, warp / 4 * WARPGROUP_ROWS, ks, buffer, scores, gs, warp / 4 * WARPGROUP_ROWS, vs, buffer, gradP,
                    MMA_KEYS, false);
            // dS in place of dP, element by element.
            if (!wholeTile(a0 + warpRow, MMA_ROWS, t0, MMA_KEYS, queryLimit, rows, causal)) {
                for (int e = 0; e < 16; e++) {
                    int a = a0 + warpRow + g + (e % 4 >= 2 ? 8 : 0);
                    int key = t0 + e / 4 * 8 + 2 * t + (e & 1);
                    if (a >= queryLimit || key >= rows || causal == 1 && key > a) {
                        scores[e] = Float.NEGATIVE_INFINITY; // p = 0
                    }
                }
            }
            for (int e = 0; e < 16; e++) {
                boolean bottom = e % 4 >= 2;
                float p = KernelMath.exp2(scores[e] * scaleLog2 - (bottom ? lseBottom : lseTop));
                gradP[e] = p * (gradP[e] - (bottom ? deltaBottom : deltaTop)); // dS / scale: the scale goes in once, at the end
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
     * The backward of one pair on matrix units (head dimension {@link #MMA_HEAD_DIM}): dK and dV as
     * {@link #backwardKeyValueMma}, and dQ in the same pass, FlashAttention-2's way: every two query
     * steps dS^T, kept in local memory, gives dQ = c dS K for their 64 queries over the group's keys
     * ({@link #addQueryGradients}), added atomically to dQ, which must start at zero. That is one
     * product more here instead of {@link #backwardQueryMma}'s three (it recomputes S and dP), but the
     * order of the additions varies, so dQ is not bit-reproducible.
     */
    // nvcc -Xptxas -v (sm_90a): 128 registers, no spills, two groups of 256 per SM (89 KB of local memory each). On the
    // H200 the dense pair at 1M: 30.7 ms, against 14.1 + 20.1 for the two kernels of the deterministic plan (its
    // atomic additions about 4.7 ms, dQ's product 4.3, the dS^T stores and the last step's flush 2.1). The same body
    // with a runtime switch between the two plans was 2-4% slower: each kernel passes a literal instead.
    @Kernel(groupSize = MMA_KV_SIZE, minGroupsPerUnit = 2)
    public static void backwardPairMma(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                                       FloatArray delta, FloatArray lse, FloatArray gradQ, FloatArray gradK, FloatArray gradV,
                                       int n, int h, int w, int r, int causal, float scale, int first, int keyRows, int chunk,
                                       int chunkIndex) {
        int[] ks = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        // dS^T of two query steps, a key per row (channels 0..31 the even step's queries, 32..63 the odd one's): the A of
        // dQ = dS K, read transposed. Two such tiles (rows 0..127, 128..255): the steps after a pair fill one while the
        // pair's dQ reads the other.
        int[] dsT = ctx.allocateIntLocalArray(2 * MMA_KV_KEYS * HEAD_PAIRS);
        // Query-side tiles and row statistics, double-buffered as the forward's keys and values.
        int[] qs = ctx.allocateIntLocalArray(2 * MMA_KEYS * HEAD_PAIRS);
        int[] gs = ctx.allocateIntLocalArray(2 * MMA_KEYS * HEAD_PAIRS);
        float[] rowLse = ctx.allocateFloatLocalArray(2 * MMA_KEYS);
        float[] rowDelta = ctx.allocateFloatLocalArray(2 * MMA_KEYS);
        int[] fragments = ctx.allocateIntLocalArray(MMA_KV_SIZE * 8); // register exchange off cuda
        keyValueGradients(ctx, q, k, v, gradOut, delta, lse, gradQ, gradK, gradV, n, h, w, r, causal, scale, first, 1, keyRows, chunk,
                chunkIndex, ks, vs, dsT, qs, gs, rowLse, rowDelta, fragments);
    }

    /**
     * dK and dV of one pair on matrix units (head dimension {@link #MMA_HEAD_DIM}), the same result as
     * {@link DilatedAttentionKernels#backwardKeyValue} up to bf16 rounding: with {@link #backwardQueryMma}
     * the deterministic plan of the backward. See {@link #keyValueGradients}.
     */
    // nvcc -Xptxas -v (sm_90a): 127 registers, no spills, two groups of 256 per SM (128 is the bound); on the H200
    // the dense pair at 1M takes 20.1 ms (one warpgroup per group: 26.7; with mma.sync: 36.9).
    @Kernel(groupSize = MMA_KV_SIZE, minGroupsPerUnit = 2)
    public static void backwardKeyValueMma(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                                           FloatArray delta, FloatArray lse, FloatArray gradK, FloatArray gradV,
                                           int n, int h, int w, int r, int causal, float scale, int first, int keyRows, int chunk,
                                           int chunkIndex) {
        int[] ks = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        int[] unused = ctx.allocateIntLocalArray(4); // no dS^T is kept: dQ comes from its own kernel
        int[] qs = ctx.allocateIntLocalArray(2 * MMA_KEYS * HEAD_PAIRS);
        int[] gs = ctx.allocateIntLocalArray(2 * MMA_KEYS * HEAD_PAIRS);
        float[] rowLse = ctx.allocateFloatLocalArray(2 * MMA_KEYS);
        float[] rowDelta = ctx.allocateFloatLocalArray(2 * MMA_KEYS);
        int[] fragments = ctx.allocateIntLocalArray(MMA_KV_SIZE * 8); // register exchange off cuda
        // gradK stands in for dQ, which addQuery = 0 never touches
        keyValueGradients(ctx, q, k, v, gradOut, delta, lse, gradK, gradK, gradV, n, h, w, r, causal, scale, first, 0, keyRows, chunk,
                chunkIndex, ks, vs, unused, qs, gs, rowLse, rowDelta, fragments);
    }

    /**
     * The body of {@link #backwardPairMma} ({@code addQuery} = 1) and {@link #backwardKeyValueMma} (0),
     * which pass it a literal, so each compiles without the other's code: dK and dV of one pair, the
     * same result as {@link DilatedAttentionKernels#backwardKeyValue} up to bf16 rounding. A work-group owns {@link #MMA_KV_KEYS} keys of a
     * block, 16 per warp, and streams the block's queries past them 32 at a time: S^T = K Q^T and
     * dP^T = V dO^T together by {@link KernelContext#mmaBf16WarpgroupPair}, P^T = exp(c S^T - L) and
     * dS^T = P^T (dP^T - Delta) element by element in the accumulator fragments (L and Delta are per
     * query and known, so no reductions), then dV += P^T dO and dK += c dS^T Q together by
     * {@link KernelContext#mmaBf16WarpgroupRegistersPair}, P^T and dS^T as A registers, the rows of dO and Q the k dimension.
     * With {@code first} = 1 (a first pair of dilation 1) it writes dK and dV instead of adding to them.
     */
    static void keyValueGradients(KernelContext ctx, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                                  FloatArray delta, FloatArray lse, FloatArray gradQ, FloatArray gradK, FloatArray gradV, int n, int h,
                                  int w, int r, int causal, float scale, int first, int addQuery, int keyRows, int chunk, int chunkIndex,
                                  int[] ks, int[] vs, int[] dsT, int[] qs, int[] gs, float[] rowLse, float[] rowDelta, int[] fragments) {
        float[] scores = new float[16];
        int[] probs = new int[8]; // P^T and dS^T packed in pairs: the A registers of the dV and dK updates
        int[] dsPairs = new int[8];
        float[] gradP = new float[16];
        float[] dk = new float[32];
        float[] dv = new float[32];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int lane = lid % MMA_WARP;
        int seg = KernelMath.min(w, n);
        int tiles = ((seg + r - 1) / r + MMA_KV_KEYS - 1) / MMA_KV_KEYS;
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        int queryLimit = queryEnd(o, r, rows, chunk, chunkIndex);
        // Key m of the block is row rowAt + m * rowStep of K, V, dK and dV, query a row queryAt + a * queryStep of Q,
        // dO, LSE, Delta and dQ (the same rows on one device): 64 elements from row * 64 in the [B][N][H][64] arrays.
        long rowAt = keyRowAt(b, s, seg, o, j, n, h, keyRows);
        int rowStep = keyRows == 0 ? r * h : h;
        long queryAt = queryRowAt(b, s, seg, o, j, n, h, keyRows, chunk, chunkIndex);
        int queryStep = chunk == 0 ? rowStep : r * h;
        int k0 = tile * MMA_KV_KEYS;
        int g = lane / 4;
        int t = lane % 4;
        float scaleLog2 = scale * LOG2E;
        int warpKey = warp * MMA_ROWS;
        int firstTop = firstVisibleQuery(k0 + warpKey + g, rows, causal);
        int firstBottom = firstVisibleQuery(k0 + warpKey + g + 8, rows, causal);
        // Causal: queries before this group's first key see none of its keys.
        int firstQuery = KernelMath.max(causal == 1 ? k0 : 0, queryBegin(o, r, rows, chunk, chunkIndex));
        loadRowTile(ctx, k, ks, 0, k0, MMA_KV_KEYS, rows, rowAt, rowStep, MMA_KV_SIZE);
        loadRowTile(ctx, v, vs, 0, k0, MMA_KV_KEYS, rows, rowAt, rowStep, MMA_KV_SIZE);
        loadRowTile(ctx, q, qs, 0, firstQuery, MMA_KEYS, queryLimit, queryAt, queryStep, MMA_KV_SIZE);
        loadRowTile(ctx, gradOut, gs, 0, firstQuery, MMA_KEYS, queryLimit, queryAt, queryStep, MMA_KV_SIZE);
        loadRowStats(ctx, lse, delta, rowLse, rowDelta, firstQuery, MMA_KEYS, queryLimit, queryAt, queryStep);
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
                loadRowTile(ctx, q, qs, MMA_KEYS - buffer, next, MMA_KEYS, queryLimit, queryAt, queryStep, MMA_KV_SIZE);
                loadRowTile(ctx, gradOut, gs, MMA_KEYS - buffer, next, MMA_KEYS, queryLimit, queryAt, queryStep, MMA_KV_SIZE);
            }
            // The next tile's LSE and Delta: read now, stored after the products, so the reads' latency hides behind them.
            float nextLse = lid < MMA_KEYS ? rowValue(lse, LOG2E, next + lid, queryLimit, queryAt, queryStep) : 0f;
            float nextDelta = lid < MMA_KEYS ? rowValue(delta, 1f, next + lid, queryLimit, queryAt, queryStep) : 0f;
            ctx.mmaBf16WarpgroupPair(ks, warp / 4 * WARPGROUP_ROWS, qs, buffer, scores, vs, warp / 4 * WARPGROUP_ROWS, gs, buffer, gradP,
                    MMA_KEYS, false);
            // P^T and dS^T in place of S^T and dP^T, element by element; score e is query
            // a0 + 2t + e / 4 * 8 + (e & 1), visible from the key's first query to the block's end.
            if (!wholeTile(a0, MMA_KEYS, k0 + warpKey, MMA_ROWS, queryLimit, rows, causal)) {
                int fromTop = firstTop - a0 - 2 * t;
                int fromBottom = firstBottom - a0 - 2 * t;
                int upTo = queryLimit - 1 - a0 - 2 * t;
                for (int e = 0; e < 16; e++) {
                    int offset = e / 4 * 8 + (e & 1);
                    if (offset < (e % 4 >= 2 ? fromBottom : fromTop) || offset > upTo) {
                        scores[e] = Float.NEGATIVE_INFINITY; // p = 0
                    }
                }
            }
            for (int e = 0; e < 16; e++) {
                int localQuery = e / 4 * 8 + 2 * t + (e & 1);
                float p = KernelMath.exp2(scores[e] * scaleLog2 - rowLse[buffer + localQuery]);
                scores[e] = p;
                gradP[e] = p * (gradP[e] - rowDelta[buffer + localQuery]); // dS^T / scale: the scale goes in once, at the end
            }
            // dV += P^T dO and dK += dS^T Q with P^T and dS^T straight from the accumulators (queries
            // 16c .. 16c + 15 are accumulator tiles 2c and 2c + 1, the A registers) and the rows of dO
            // and Q as the k dimension.
            int dsRow = step / 2 % 2 * MMA_KV_KEYS + warpKey + g; // this step's dS^T: tile step / 2 % 2, channels 32 (step % 2) ..
            for (int i = 0; i < 8; i++) {
                probs[i] = ctx.packBf16(scores[2 * i], scores[2 * i + 1]);
                dsPairs[i] = ctx.packBf16(gradP[2 * i], gradP[2 * i + 1]);
                // pair i: key warpKey + g (+ 8 for odd i), queries 8 (i / 2) + 2t and the next
                if (addQuery == 1) {
                    dsT[KernelContext.chunkLayoutIndex(dsRow + (i & 1) * 8, step % 2 * 16 + 4 * (i >> 1) + t)] = dsPairs[i];
                }
            }
            ctx.mmaBf16WarpgroupRegistersPair(fragments, probs, gs, buffer, dv, dsPairs, qs, buffer, dk);
            if (lid < MMA_KEYS) {
                rowLse[MMA_KEYS - buffer + lid] = nextLse;
                rowDelta[MMA_KEYS - buffer + lid] = nextDelta;
            }
        }
        // dQ of the last one or two steps
        int steps = (KernelMath.max(queryLimit - firstQuery, 0) + MMA_KEYS - 1) / MMA_KEYS;
        ctx.localBarrier();
        if (addQuery == 1 && steps > 0) {
            addQueryGradients(ctx, ks, dsT, (steps - 1) / 2 % 2 * MMA_KV_KEYS, firstQuery + (steps - 1) / 2 * 2 * MMA_KEYS, gradQ, queryLimit,
                    queryAt, queryStep, scale);
        }
        ctx.waitChunks(); // copies still in flight only where a group had no tile to work on
        for (int half2 = 0; half2 < 2; half2++) {
            int key = k0 + warpKey + g + half2 * 8;
            if (key < rows) {
                long at = (rowAt + (long) key * rowStep) * MMA_HEAD_DIM;
                for (int nt = 0; nt < 8; nt++) {
                    long idx = at + nt * 8 + 2 * t;
                    int e = nt * 4 + half2 * 2;
                    if (first == 1) {
                        gradK.setPair(idx, dk[e] * scale, dk[e + 1] * scale);
                        gradV.setPair(idx, dv[e], dv[e + 1]);
                    } else {
                        // Added where the memory is (red.global on CUDA), with no reply to wait for: a load of the old
                        // values here held the group a round trip. One pair's groups own disjoint keys, so each element
                        // gets one addition per pair, in pair order: the same sums as load, add and store.
                        gradK.atomicAddPair(idx, dk[e] * scale, dk[e + 1] * scale);
                        gradV.atomicAddPair(idx, dv[e], dv[e + 1]);
                    }
                }
            }
        }
    }
}
