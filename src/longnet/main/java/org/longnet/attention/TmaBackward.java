package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Mbarriers;
import org.longnet.engine.api.Private;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.api.Tma;
import org.longnet.engine.api.WarpgroupMma;
import org.longnet.engine.api.Warpgroups;

import static org.longnet.attention.AttentionTiles.FWD_KEYS;
import static org.longnet.attention.AttentionTiles.HEAD_PAIRS;
import static org.longnet.attention.AttentionTiles.LOG2E;
import static org.longnet.attention.AttentionTiles.MMA_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_KV_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_KV_SIZE;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_WARP;
import static org.longnet.attention.AttentionTiles.TMA_BACKWARD_STAGES;
import static org.longnet.attention.AttentionTiles.WARPGROUP_ROWS;

/**
 * The backward of one pair on matrix units with its tiles brought by the tensor memory accelerator ({@link Tma}): the
 * same result as {@link MatrixUnitBackward#backwardPairMma} (dK and dV of a group's {@link AttentionTiles#MMA_KV_KEYS} keys,
 * dQ added atomically; the same products and element-by-element steps, {@link KeyValueSteps}), with these differences:
 * <ul>
 * <li>K and V arrive once, and Q and dO a window of {@link #WINDOW} queries at a time, through the block maps the
 * TMA-fed forward reads ({@link TmaMaps}), under the 128-byte swizzle that {@link WarpgroupMma#issueSwizzled} and
 * {@link WarpgroupMma#issueRegistersSwizzled} read; one work-item issues each copy, and no work-item computes an address
 * for them. The windows go through a ring of {@link AttentionTiles#TMA_BACKWARD_STAGES} stages with a "full" barrier each.</li>
 * <li>A window is two query steps of {@link AttentionTiles#MMA_KEYS} and one dQ update: the group meets once per window,
 * before that update (dQ = dS K needs every warp's dS^T), where the standard kernel meets at every step for its copies. Its
 * two tiles of dS^T let a window's update run while the next window's steps fill the other. At the meeting every product
 * that read the window's stage is done, so the stage is refilled there, with no "empty" barrier.</li>
 * <li>dQ's product reads K's swizzled tile itself, rows as k, warpgroup x from channel 32x ({@link WarpgroupMma#issueTransposedSwizzled}).</li>
 * </ul>
 * Rows past a block's end (a window or key tile cut short) bring the positions after it of the same residue, or zeros; the
 * masks hide them, as {@link TmaForward} says. On one device only, for the pairs whose arrays hold the maps' rows
 * ({@link TmaMaps#fits}).
 */
public final class TmaBackward {
    /** Groups a multiprocessor holds at once (at most 128 registers a work-item). */
    static final int GROUPS_PER_UNIT = 2;
    /** Queries per window: one box of the maps. */
    static final int WINDOW = FWD_KEYS;
    /** Bytes one window's copies bring (a Q and a dO box), and the group's K and V (two boxes each). */
    private static final int WINDOW_BYTES = 2 * WINDOW * HEAD_PAIRS * 4, KEY_BYTES = 2 * MMA_KV_KEYS * HEAD_PAIRS * 4;

    private TmaBackward() {
    }

    /**
     * dQ, dK and dV of one pair for the block rows of the maps {@link TmaMaps#of} makes (boxes of {@link #WINDOW} rows) from
     * Q, K, V and bf16 dO; {@code delta} ... {@code first} as {@link MatrixUnitBackward#backwardPairMma} takes them, whose
     * launch this kernel has (groups of {@link AttentionTiles#MMA_KV_SIZE}, {@link AttentionTiles#MMA_KV_KEYS} keys each), with
     * {@code split} more groups a block where the first {@code split} key tiles are split ({@link KeyTileSplit}; {@code first} 0).
     * The launch takes batch elements {@code batch0} on, and {@code gradK} and {@code gradV} hold their rows only (0: the
     * whole batch; a chunk of {@link ChunkedBackward}, whose chunks the maps see as batch elements of n positions).
     */
    @Kernel(groupSize = MMA_KV_SIZE, minGroupsPerUnit = GROUPS_PER_UNIT)
    public static void backwardPairTma(KernelContext ctx, TensorMap q, TensorMap k, TensorMap v, TensorMap gradOut, FloatArray delta,
                                       FloatArray lse, FloatArray gradQ, FloatArray gradK, FloatArray gradV, int n, int h, int w, int r,
                                       int causal, float scale, int first, int split, int batch0) {
        int[] ks = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        // dS^T of a window, a key per row (channels 0..31 its first step's queries, 32..63 its second's), in two tiles: a
        // window fills one while the dQ of the window before reads the other.
        int[] dsT = ctx.allocateIntLocalArray(2 * MMA_KV_KEYS * HEAD_PAIRS);
        int[] qs = ctx.allocateIntLocalArray(TMA_BACKWARD_STAGES * WINDOW * HEAD_PAIRS);
        int[] gs = ctx.allocateIntLocalArray(TMA_BACKWARD_STAGES * WINDOW * HEAD_PAIRS);
        float[] rowLse = ctx.allocateFloatLocalArray(2 * WINDOW); // L and Delta of a window, two windows
        float[] rowDelta = ctx.allocateFloatLocalArray(2 * WINDOW);
        long[] barriers = ctx.allocateLongLocalArray(TMA_BACKWARD_STAGES + 1); // full[s] at s, K and V's last
        int[] fragments = ctx.allocateIntLocalArray(MMA_KV_SIZE * 8); // register exchange off cuda
        float[] scores = new float[16];
        float[] gradP = new float[16];
        int[] probs = new int[8];
        int[] dsPairs = new int[8];
        float[] dk = new float[32];
        float[] dv = new float[32];
        int[] at = new int[TmaForward.PLACE];
        int[] span = new int[2];
        start(ctx, q, k, v, gradOut, delta, lse, ks, vs, qs, gs, rowLse, rowDelta, barriers, n, h, w, r, causal, split, batch0, at, span);
        int firstQuery = span[FIRST_QUERY];
        int windows = span[WINDOWS];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int g = lid % MMA_WARP / 4;
        int t = lid % 4;
        int rows = at[TmaForward.ROWS];
        int k0 = at[TmaForward.A0];
        int warpKey = warp * MMA_ROWS;
        int keysAt = Warpgroups.index(ctx) * WARPGROUP_ROWS; // the warpgroup's keys in the K and V tiles (uniform to ptxas)
        long rowAt = TmaForward.queryAt(at, n, h, w, r); // the block's row 0 in the [B][N][H] rows: keys' and queries' alike
        int rowStep = r * h;
        float scaleLog2 = scale * LOG2E;
        int firstTop = AttentionMasks.firstVisibleQuery(k0 + warpKey + g, rows, causal);
        int firstBottom = AttentionMasks.firstVisibleQuery(k0 + warpKey + g + 8, rows, causal);
        for (int i = 0; i < windows; i++) {
            int stage = i % TMA_BACKWARD_STAGES;
            int w0 = firstQuery + i * WINDOW;
            int stats = i % 2 * WINDOW;
            // The next window's L and Delta: read now, stored at the window's end, so the reads' latency hides behind its products.
            float nextLse = lid < WINDOW ? TileLoads.rowValue(lse, LOG2E, w0 + WINDOW + lid, rows, rowAt, rowStep) : 0f;
            float nextDelta = lid < WINDOW ? TileLoads.rowValue(delta, 1f, w0 + WINDOW + lid, rows, rowAt, rowStep) : 0f;
            Mbarriers.wait(ctx, barriers, stage, i / TMA_BACKWARD_STAGES & 1);
            for (int half = 0; half < WINDOW / MMA_KEYS; half++) {
                int a0 = w0 + half * MMA_KEYS;
                int row = stage * WINDOW + half * MMA_KEYS; // the step's rows of the Q and dO tiles
                WarpgroupMma.issueSwizzled(ctx, ks, keysAt, qs, row, MMA_KEYS, scores, false);
                WarpgroupMma.issueSwizzled(ctx, vs, keysAt, gs, row, MMA_KEYS, gradP, false);
                WarpgroupMma.wait(ctx, 1, scores); // S^T is in; dP^T may still run while P^T is formed
                KeyValueSteps.probabilities(scores, rowLse, stats + half * MMA_KEYS, a0, k0 + warpKey, firstTop, firstBottom, rows, rows, causal,
                        scaleLog2, t);
                WarpgroupMma.wait(ctx, 0, gradP);
                KeyValueSteps.scoreGradients(scores, gradP, rowDelta, stats + half * MMA_KEYS, t);
                KeyValueSteps.pack(ctx, scores, gradP, probs, dsPairs, dsT, i % 2 * MMA_KV_KEYS + warpKey + g, half * 16 + t, 1);
                WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probs, gs, row, dv);
                WarpgroupMma.issueRegistersSwizzled(ctx, fragments, dsPairs, qs, row, dk);
                // Both are done before the next step (a product left running across the loop's back edge is serialized by ptxas).
                WarpgroupMma.wait(ctx, 0, dk);
            }
            if (lid < WINDOW) {
                rowLse[WINDOW - stats + lid] = nextLse;
                rowDelta[WINDOW - stats + lid] = nextDelta;
            }
            ctx.localBarrier(); // the window's dS^T is whole, and no product reads its stage any more
            if (i + TMA_BACKWARD_STAGES < windows) {
                loadWindow(ctx, q, gradOut, qs, gs, barriers, stage, w0 + TMA_BACKWARD_STAGES * WINDOW, at);
            }
            addQueryGradients(ctx, ks, dsT, i % 2 * MMA_KV_KEYS, w0, gradQ, rows, rowAt, rowStep, scale);
        }
        WarpgroupMma.wait(ctx, 0, dv); // nothing runs now: this fences dV before the reads below
        KeyValueSteps.store(dk, dv, gradK, gradV, k0 + warpKey + g, rows, rowAt - (long) batch0 * n * h, rowStep, scale, first, t);
    }

    /** Where {@link #start} writes the group's first query and its number of query windows in its {@code span}. */
    static final int FIRST_QUERY = 0, WINDOWS = 1;

    /**
     * The start of a group of {@link #backwardPairTma}: places the group ({@link #locate}) in {@code at}, writes its first query
     * and number of windows into {@code span} ({@link #FIRST_QUERY}, {@link #WINDOWS}), starts the copies of its K and V
     * (barrier {@link AttentionTiles#TMA_BACKWARD_STAGES}) and of its first windows (barriers 0 ..), loads the first window's L
     * and Delta, and returns once K and V have landed and every work-item sees those statistics.
     */
    static void start(KernelContext ctx, TensorMap q, TensorMap k, TensorMap v, TensorMap gradOut, FloatArray delta, FloatArray lse, int[] ks,
                      int[] vs, int[] qs, int[] gs, float[] rowLse, float[] rowDelta, long[] barriers, int n, int h, int w, int r, int causal,
                      int split, int batch0, @Private int[] at, @Private int[] span) {
        int windowsPart = locate(ctx, n, h, w, r, split, batch0, at);
        int rows = at[TmaForward.ROWS];
        int k0 = at[TmaForward.A0];
        // Causal: queries before this group's first key see none of its keys (k0 is a multiple of WINDOW).
        int firstQuery = causal == 1 ? k0 : 0;
        int windows = KernelMath.max(0, (rows - firstQuery + WINDOW - 1) / WINDOW);
        int firstHalf = (windows + 1) / 2;
        if (windowsPart == 1) {
            windows = firstHalf;
        } else if (windowsPart == 2) {
            firstQuery += firstHalf * WINDOW;
            windows -= firstHalf;
        }
        span[FIRST_QUERY] = firstQuery;
        span[WINDOWS] = windows;
        int keyBarrier = TMA_BACKWARD_STAGES; // after the windows' full barriers
        for (int stage = 0; stage <= TMA_BACKWARD_STAGES; stage++) {
            Mbarriers.init(ctx, barriers, stage, 1);
        }
        if (ctx.localIdx == 0) {
            Mbarriers.arriveExpectTx(ctx, barriers, keyBarrier, KEY_BYTES);
        }
        for (int part = 0; part < MMA_KV_KEYS / WINDOW; part++) {
            int row = at[TmaForward.FIRST_ROW] + k0 + part * WINDOW;
            Tma.load(ctx, k, ks, part * WINDOW * HEAD_PAIRS, 0, row, at[TmaForward.COLUMN], 0, barriers, keyBarrier);
            Tma.load(ctx, v, vs, part * WINDOW * HEAD_PAIRS, 0, row, at[TmaForward.COLUMN], 0, barriers, keyBarrier);
        }
        for (int i = 0; i < TMA_BACKWARD_STAGES && i < windows; i++) {
            loadWindow(ctx, q, gradOut, qs, gs, barriers, i, firstQuery + i * WINDOW, at);
        }
        TileLoads.loadRowStats(ctx, lse, delta, rowLse, rowDelta, firstQuery, WINDOW, rows, TmaForward.queryAt(at, n, h, w, r), r * h);
        ctx.localBarrier(); // the first window's L and Delta are in for every work-item
        Mbarriers.wait(ctx, barriers, keyBarrier, 0);
    }

    /**
     * Places the group ({@link TmaForward#locate}, key tiles of {@link AttentionTiles#MMA_KV_KEYS}) and returns which of its tile's
     * query windows it takes: 0 all, or with {@code split} > 0 ({@link KeyTileSplit}) 1 the first half or 2 the rest of one of
     * the first {@code split} tiles, whose two groups add their dK and dV (the launch has {@code split} more groups a block).
     * Its batch elements are those from {@code batch0} on.
     */
    static int locate(KernelContext ctx, int n, int h, int w, int r, int split, int batch0, @Private int[] at) {
        if (split == 0) {
            TmaForward.locate(ctx, n, h, w, r, MMA_KV_KEYS, 0, batch0, at);
            return 0;
        }
        int seg = AttentionBlocks.segmentLength(w, n);
        int tiles = AttentionBlocks.queryTiles(seg, r, 0, MMA_KV_KEYS);
        int blocks = AttentionBlocks.blocksPerBatch(n, seg, h);
        int slot = AttentionBlocks.splitSlotOf(ctx.groupIdx, tiles + split, blocks);
        int batch = batch0 + AttentionBlocks.splitBatchOf(ctx.groupIdx, tiles + split, blocks);
        TmaForward.place(n, h, r, seg, AttentionBlocks.splitBlockOf(ctx.groupIdx, blocks), batch,
                AttentionBlocks.splitTileOf(slot, split, tiles) * MMA_KV_KEYS, at);
        return AttentionBlocks.splitPartOf(slot, split, tiles);
    }

    /** The window of queries from {@code from} (a block row), Q's and dO's boxes, into {@code stage}, completing on its full barrier. */
    static void loadWindow(KernelContext ctx, TensorMap q, TensorMap gradOut, int[] qs, int[] gs, long[] barriers, int stage, int from,
                           @Private int[] at) {
        if (ctx.localIdx == 0) {
            Mbarriers.arriveExpectTx(ctx, barriers, stage, WINDOW_BYTES);
        }
        int row = at[TmaForward.FIRST_ROW] + from;
        Tma.load(ctx, q, qs, stage * WINDOW * HEAD_PAIRS, 0, row, at[TmaForward.COLUMN], 0, barriers, stage);
        Tma.load(ctx, gradOut, gs, stage * WINDOW * HEAD_PAIRS, 0, row, at[TmaForward.COLUMN], 0, barriers, stage);
    }

    /**
     * dQ += c dS K for the window of 64 queries from {@code firstQuery}, as {@link MatrixUnitBackward#addQueryGradients} adds
     * it, with K's tile as the TMA swizzled it ({@link WarpgroupMma#issueTransposedSwizzled}): warpgroup x computes channels
     * 32x .. 32x + 31 over the group's 128 keys. A key past the block adds 0 (its p, so its dS, is 0), as long as the next
     * segment's row the box brought there is finite.
     */
    static void addQueryGradients(KernelContext ctx, int[] ks, int[] dsT, int dsRow, int firstQuery, FloatArray gradQ, int rows, long rowAt,
                                  int rowStep, float scale) {
        float[] dq = new float[16];
        int channel = Warpgroups.index(ctx) * 32;
        WarpgroupMma.issueTransposedSwizzled(ctx, dsT, dsRow, ks, 0, channel, 32, dq, false);
        WarpgroupMma.issueTransposedSwizzled(ctx, dsT, dsRow + WARPGROUP_ROWS, ks, WARPGROUP_ROWS, channel, 32, dq, true);
        WarpgroupMma.wait(ctx, 0, dq);
        MatrixUnitBackward.reduceQueryGradients(ctx, dq, firstQuery, gradQ, rows, rowAt, rowStep, scale);
    }
}
