package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Mbarriers;
import org.longnet.engine.api.Private;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.api.Tma;
import org.longnet.engine.api.WarpgroupMma;

import static org.longnet.attention.AttentionTiles.FWD_KEYS;
import static org.longnet.attention.AttentionTiles.HEAD_PAIRS;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_WARP;
import static org.longnet.attention.AttentionTiles.TMA_GROUPS_PER_UNIT;
import static org.longnet.attention.AttentionTiles.TMA_GROUP_ROWS;
import static org.longnet.attention.AttentionTiles.TMA_GROUP_SIZE;
import static org.longnet.attention.AttentionTiles.TMA_STAGES;
import static org.longnet.attention.AttentionTiles.WARPGROUP_ROWS;

/**
 * The forward of one pair on matrix units with its tiles brought by the tensor memory accelerator ({@link Tma}), the
 * FlashAttention-3 way of feeding them: the same result as {@link MatrixUnitForward#forwardPairMma} (the same products,
 * softmax and merge, {@link TileSoftmax} and {@link ForwardEpilogue}), with these differences in how the tiles arrive:
 * <ul>
 * <li>Q, K and V are read through tensor maps ({@link TmaMaps}) whose boxes are a block's dilated rows, landing under the
 * 128-byte swizzle that {@link WarpgroupMma#issueSwizzled} and {@link WarpgroupMma#issueRegistersSwizzled} read: one
 * work-item issues each copy, and no work-item computes an address or waits on its own copies.</li>
 * <li>K and V go through a ring of stages with a "full" barrier each, which the copies complete, and an "empty" one,
 * which every work-item arrives on once done with the stage: only the issuer waits for it before refilling
 * ({@link Mbarriers#waitBeforeCopy}), so the warpgroups meet at no work-group barrier between tiles and one's softmax may
 * run while another's products do.</li>
 * </ul>
 * A key tile past a block's rows brings the positions after them of the same residue modulo r (the next segment's, the next
 * batch element's, the zeroed slack after the array's positions, or zeros past the map), which the mask hides as the
 * standard kernel's zeros are: their probabilities are 0, so only a value that is not finite there (which makes that
 * segment's own output NaN anyway) would reach this block's.
 * <p>
 * On one device only (the sequence-parallel layouts keep {@link MatrixUnitForward}), for pairs whose arrays hold the map's
 * whole rows ({@link TmaMaps#fits}).
 * <p>
 * {@link #forwardPairTma} runs the standard forward's loop in groups of two warpgroups, two groups per multiprocessor;
 * {@link TmaWideForward} the same with tiles of 128 keys, and the helpers here ({@link #locate}, {@link #prologue},
 * {@link #releaseAndRefill}).
 */
public final class TmaForward {
    private TmaForward() {
    }

    /**
     * The pair's forward for the block rows of the maps {@link TmaMaps#of} makes from Q, K and V; {@code out}, {@code lse},
     * {@code n} ... {@code first} as {@link MatrixUnitForward#forwardPairMma} takes them. Launch: one dimension of (row
     * tile, segment x head, batch) groups of {@link AttentionTiles#TMA_GROUP_SIZE}, {@link AttentionTiles#TMA_GROUP_ROWS} rows
     * each, laid out as the standard forward's. Each key tile's products are waited for where they are issued; its stage goes back
     * after its P·V, through a ring of {@link AttentionTiles#TMA_STAGES}.
     */
    @Kernel(groupSize = TMA_GROUP_SIZE, minGroupsPerUnit = TMA_GROUPS_PER_UNIT)
    public static void forwardPairTma(KernelContext ctx, TensorMap q, TensorMap k, TensorMap v, FloatArray out, FloatArray lse, int n, int h,
                                      int w, int r, int causal, float scaleLog2, int first) {
        int[] qs = ctx.allocateIntLocalArray(TMA_GROUP_ROWS * HEAD_PAIRS);
        int[] ks = ctx.allocateIntLocalArray(TMA_STAGES * FWD_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(TMA_STAGES * FWD_KEYS * HEAD_PAIRS);
        long[] barriers = ctx.allocateLongLocalArray(2 * TMA_STAGES + 1); // full[s] at s, empty[s] at TMA_STAGES + s, Q's last
        // Where warps exchange registers on devices without warp shuffles (jvm, opencl); unused on cuda.
        float[] lanes = ctx.allocateFloatLocalArray(TMA_GROUP_SIZE);
        int[] fragments = ctx.allocateIntLocalArray(TMA_GROUP_SIZE * 8);
        int[] probs = new int[8];
        int[] probsHigh = new int[8];
        float[] scores = new float[FWD_KEYS / 2];
        float[] acc = new float[32];
        float[] state = new float[TileSoftmax.STATE];
        int[] at = new int[PLACE];
        locate(ctx, n, h, w, r, TMA_GROUP_ROWS, 1, 0, at);
        int warp = ctx.localIdx / MMA_WARP;
        int top = warp * MMA_ROWS + ctx.localIdx % MMA_WARP / 4;
        int t = ctx.localIdx % 4;
        TileSoftmax.start(state);
        int keyTiles = prologue(ctx, q, k, v, qs, ks, vs, barriers, TMA_STAGES, FWD_KEYS, TMA_GROUP_ROWS, TMA_GROUP_SIZE, at, causal);
        for (int kt = 0; kt < keyTiles; kt++) {
            int stage = kt % TMA_STAGES;
            Mbarriers.wait(ctx, barriers, stage, kt / TMA_STAGES & 1);
            WarpgroupMma.issueSwizzled(ctx, qs, warp / 4 * WARPGROUP_ROWS, ks, stage * FWD_KEYS, FWD_KEYS, scores, false);
            WarpgroupMma.wait(ctx, 0, scores);
            TileSoftmax.mask(scores, at[A0], warp, kt * FWD_KEYS, top, top + 8, t, at[ROWS], at[ROWS], causal);
            if (TileSoftmax.exponentiate(ctx, lanes, scores, state, scaleLog2)) {
                TileSoftmax.rescale(acc, state);
            }
            TileSoftmax.pack(ctx, scores, 0, probs);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probs, vs, stage * FWD_KEYS, acc);
            TileSoftmax.pack(ctx, scores, 1, probsHigh);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probsHigh, vs, stage * FWD_KEYS + 32, acc);
            WarpgroupMma.wait(ctx, 0, acc);
            releaseAndRefill(ctx, k, v, ks, vs, barriers, TMA_STAGES, FWD_KEYS, kt, keyTiles, at);
        }
        ForwardEpilogue.merge(ctx, lanes, acc, state, out, lse, at[A0], top, top + 8, t, at[ROWS], queryAt(at, n, h, w, r), r * h, scaleLog2, first);
    }

    /** Elements of a group's place ({@link #locate}), and where each lies. */
    static final int PLACE = 7, BATCH = 0, SEGMENT = 1, HEAD = 2, ROWS = 3, A0 = 4, FIRST_ROW = 5, COLUMN = 6;

    /**
     * The group's place ({@link AttentionBlocks}): its batch element, segment and head, the block's rows, its first row
     * {@code a0} in the block (groups of {@code groupRows}: query tiles, last first, where {@code queries} is 1, key tiles
     * where 0; {@link AttentionBlocks#queryTileOf}), and the block's first row and column in the maps. The launch's batch
     * elements are those from {@code batch0} on ({@link ChunkedBackward}'s chunks; 0 for the whole batch).
     */
    static void locate(KernelContext ctx, int n, int h, int w, int r, int groupRows, int queries, int batch0, @Private int[] at) {
        int seg = AttentionBlocks.segmentLength(w, n);
        int tiles = AttentionBlocks.queryTiles(seg, r, 0, groupRows);
        int blocks = AttentionBlocks.blocksPerBatch(n, seg, h);
        int tile = queries == 1 ? AttentionBlocks.queryTileOf(ctx.groupIdx, tiles) : AttentionBlocks.tileOf(ctx.groupIdx, tiles);
        place(n, h, r, seg, AttentionBlocks.blockOf(ctx.groupIdx, tiles, blocks), batch0 + AttentionBlocks.batchOf(ctx.groupIdx, tiles, blocks),
                tile * groupRows, at);
    }

    /** The place ({@link #locate}) of the group whose block is {@code block} of batch element {@code batch}, first row {@code a0}. */
    static void place(int n, int h, int r, int seg, int block, int batch, int a0, @Private int[] at) {
        at[BATCH] = batch;
        at[SEGMENT] = block / h;
        at[HEAD] = block % h;
        at[ROWS] = AttentionBlocks.rowsInBlock(n, seg, r, at[SEGMENT], at[HEAD] % r);
        at[A0] = a0;
        int p0 = AttentionBlocks.mapPosition(batch, n, at[SEGMENT], seg, at[HEAD] % r);
        at[FIRST_ROW] = AttentionBlocks.mapRow(p0, r);
        at[COLUMN] = AttentionBlocks.mapColumn(p0, r, at[HEAD], h);
    }

    /** The array row of the block's first query (row 0), where the merge finds O and LSE. */
    static long queryAt(@Private int[] at, int n, int h, int w, int r) {
        return AttentionBlocks.keyRowAt(at[BATCH], at[SEGMENT], AttentionBlocks.segmentLength(w, n), at[HEAD] % r, at[HEAD], n, h, 0);
    }

    /**
     * Starts the group's pipeline and returns its number of key tiles of {@code keys} keys (the K and V maps' box rows):
     * initialises the barriers of a ring of {@code stages} (full ones completed by the copies, empty ones by all
     * {@code groupSize} work-items) and Q's, loads the group's {@code groupRows} query rows (Q's map in boxes of
     * {@link AttentionTiles#FWD_KEYS} rows) and the first key and value tiles, and waits for Q.
     */
    static int prologue(KernelContext ctx, TensorMap q, TensorMap k, TensorMap v, int[] qs, int[] ks, int[] vs, long[] barriers, int stages,
                        int keys, int groupRows, int groupSize, @Private int[] at, int causal) {
        int qBarrier = 2 * stages;
        for (int stage = 0; stage < stages; stage++) {
            Mbarriers.init(ctx, barriers, stage, 1);
            Mbarriers.init(ctx, barriers, stages + stage, groupSize);
        }
        Mbarriers.init(ctx, barriers, qBarrier, 1);
        int keyTiles = AttentionBlocks.lastKey(at[ROWS], at[A0], groupRows, causal) / keys + 1;
        if (ctx.localIdx == 0) {
            Mbarriers.arriveExpectTx(ctx, barriers, qBarrier, groupRows * HEAD_PAIRS * 4);
        }
        for (int part = 0; part < groupRows / FWD_KEYS; part++) {
            Tma.load(ctx, q, qs, part * FWD_KEYS * HEAD_PAIRS, 0, at[FIRST_ROW] + at[A0] + part * FWD_KEYS, at[COLUMN], 0, barriers, qBarrier);
        }
        for (int kt = 0; kt < stages && kt < keyTiles; kt++) {
            loadKeysAndValues(ctx, k, v, ks, vs, barriers, keys, kt, kt, at[FIRST_ROW], at[COLUMN]);
        }
        Mbarriers.wait(ctx, barriers, qBarrier, 0);
        return keyTiles;
    }

    /**
     * This work-item is done with key tile {@code keyTile}'s stage of a ring of {@code stages} (tiles of {@code keys} keys); if
     * the block has a tile {@code stages} further on, it goes into that stage once every work-item is done with it (only the
     * copies' issuer waits on CUDA).
     */
    static void releaseAndRefill(KernelContext ctx, TensorMap k, TensorMap v, int[] ks, int[] vs, long[] barriers, int stages, int keys,
                                 int keyTile, int keyTiles, @Private int[] at) {
        int stage = keyTile % stages;
        Mbarriers.arrive(ctx, barriers, stages + stage);
        if (keyTile + stages < keyTiles) {
            Mbarriers.waitBeforeCopy(ctx, barriers, stages + stage, keyTile / stages & 1);
            loadKeysAndValues(ctx, k, v, ks, vs, barriers, keys, stage, keyTile + stages, at[FIRST_ROW], at[COLUMN]);
        }
    }

    /**
     * Key tile {@code keyTile} of the block, K's and V's boxes of {@code keys} rows of 64 bf16, into stage {@code stage},
     * completing on its full barrier.
     */
    static void loadKeysAndValues(KernelContext ctx, TensorMap k, TensorMap v, int[] ks, int[] vs, long[] barriers, int keys, int stage,
                                  int keyTile, int firstRow, int column) {
        if (ctx.localIdx == 0) {
            Mbarriers.arriveExpectTx(ctx, barriers, stage, 2 * keys * HEAD_PAIRS * 4);
        }
        Tma.load(ctx, k, ks, stage * keys * HEAD_PAIRS, 0, firstRow + keyTile * keys, column, 0, barriers, stage);
        Tma.load(ctx, v, vs, stage * keys * HEAD_PAIRS, 0, firstRow + keyTile * keys, column, 0, barriers, stage);
    }
}
