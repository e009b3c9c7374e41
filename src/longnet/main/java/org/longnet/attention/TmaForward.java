package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Mbarriers;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.api.Tma;
import org.longnet.engine.api.WarpgroupMma;

import static org.longnet.attention.AttentionTiles.FWD_GROUPS_PER_UNIT;
import static org.longnet.attention.AttentionTiles.FWD_GROUP_ROWS;
import static org.longnet.attention.AttentionTiles.FWD_GROUP_SIZE;
import static org.longnet.attention.AttentionTiles.FWD_KEYS;
import static org.longnet.attention.AttentionTiles.HEAD_PAIRS;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_WARP;
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
 * <li>K and V go through a ring of {@link AttentionTiles#TMA_STAGES} stages with a "full" barrier each, which the copies
 * complete, and an "empty" one, which every work-item arrives on once done with the stage: only the issuer waits for it
 * before refilling ({@link Mbarriers#waitBeforeCopy}), so the warpgroups meet at no work-group barrier between tiles and
 * one's softmax may run while another's products do.</li>
 * </ul>
 * A key tile past a block's rows brings the next segment's rows (or zeros past the array), which the mask hides as the
 * standard kernel's zeros are: their probabilities are 0, so only a value that is not finite there (which makes that
 * segment's own output NaN anyway) would reach this block's.
 * <p>
 * On one device only (the sequence-parallel layouts keep {@link MatrixUnitForward}), for pairs whose dilation divides
 * the segment length and whose segment length divides the sequence ({@link TmaMaps#fits}), so that every block's rows are
 * one stride of the map and no box reaches past the arrays.
 */
public final class TmaForward {
    /** Bytes one stage's copies bring: a K and a V box of {@link AttentionTiles#FWD_KEYS} rows of 64 bf16. */
    private static final int STAGE_BYTES = 2 * FWD_KEYS * HEAD_PAIRS * 4;

    private TmaForward() {
    }

    /**
     * The pair's forward for the block rows of the maps {@link TmaMaps#of} makes from Q, K and V; {@code out}, {@code lse},
     * {@code n} ... {@code first} as {@link MatrixUnitForward#forwardPairMma} takes them. Launch: one dimension of (row
     * tile, segment x head, batch) groups of {@link AttentionTiles#FWD_GROUP_SIZE}.
     */
    @Kernel(groupSize = FWD_GROUP_SIZE, minGroupsPerUnit = FWD_GROUPS_PER_UNIT)
    public static void forwardPairTma(KernelContext ctx, TensorMap q, TensorMap k, TensorMap v, FloatArray out, FloatArray lse, int n, int h,
                                      int w, int r, int causal, float scaleLog2, int first) {
        int[] qs = ctx.allocateIntLocalArray(FWD_GROUP_ROWS * HEAD_PAIRS);
        int[] ks = ctx.allocateIntLocalArray(TMA_STAGES * FWD_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(TMA_STAGES * FWD_KEYS * HEAD_PAIRS);
        long[] barriers = ctx.allocateLongLocalArray(2 * TMA_STAGES + 1); // full[s] at s, empty[s] at TMA_STAGES + s, Q's last
        // Where warps exchange registers on devices without warp shuffles (jvm, opencl); unused on cuda.
        float[] lanes = ctx.allocateFloatLocalArray(FWD_GROUP_SIZE);
        int[] fragments = ctx.allocateIntLocalArray(FWD_GROUP_SIZE * 8);
        int[] probs = new int[8];
        int[] probsHigh = new int[8];
        float[] scores = new float[FWD_KEYS / 2];
        float[] acc = new float[32];
        float[] state = new float[TileSoftmax.STATE];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int lane = lid % MMA_WARP;
        int seg = AttentionBlocks.segmentLength(w, n);
        int tiles = AttentionBlocks.queryTiles(seg, r, 0, FWD_GROUP_ROWS);
        int blocks = AttentionBlocks.blocksPerBatch(n, seg, h);
        int tile = AttentionBlocks.tileOf(ctx.groupIdx, tiles);
        int block = AttentionBlocks.blockOf(ctx.groupIdx, tiles, blocks);
        int b = AttentionBlocks.batchOf(ctx.groupIdx, tiles, blocks);
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = AttentionBlocks.rowsInBlock(n, seg, r, s, o);
        int a0 = tile * FWD_GROUP_ROWS;
        int firstRow = AttentionBlocks.mapRow(s, seg, r);
        int column = AttentionBlocks.mapColumn(o, j, h);
        int g = lane / 4;
        int t = lane % 4;
        int top = warp * MMA_ROWS + g;
        int bottom = top + 8;
        int qBarrier = 2 * TMA_STAGES;
        for (int stage = 0; stage < TMA_STAGES; stage++) {
            Mbarriers.init(ctx, barriers, stage, 1);
            Mbarriers.init(ctx, barriers, TMA_STAGES + stage, FWD_GROUP_SIZE);
        }
        Mbarriers.init(ctx, barriers, qBarrier, 1);
        TileSoftmax.start(state);
        int keyTiles = AttentionBlocks.lastKey(rows, a0, FWD_GROUP_ROWS, causal) / FWD_KEYS + 1;
        if (lid == 0) {
            Mbarriers.arriveExpectTx(ctx, barriers, qBarrier, FWD_GROUP_ROWS * HEAD_PAIRS * 4);
        }
        for (int part = 0; part < FWD_GROUP_ROWS / FWD_KEYS; part++) {
            Tma.load(ctx, q, qs, part * FWD_KEYS * HEAD_PAIRS, b, firstRow + a0 + part * FWD_KEYS, column, 0, barriers, qBarrier);
        }
        for (int kt = 0; kt < TMA_STAGES && kt < keyTiles; kt++) {
            loadKeysAndValues(ctx, k, v, ks, vs, barriers, kt, kt, b, firstRow, column);
        }
        Mbarriers.wait(ctx, barriers, qBarrier, 0);
        for (int kt = 0; kt < keyTiles; kt++) {
            int stage = kt % TMA_STAGES, phase = kt / TMA_STAGES & 1;
            Mbarriers.wait(ctx, barriers, stage, phase);
            WarpgroupMma.issueSwizzled(ctx, qs, warp / 4 * WARPGROUP_ROWS, ks, stage * FWD_KEYS, FWD_KEYS, scores, false);
            WarpgroupMma.wait(ctx, 0, scores);
            TileSoftmax.mask(scores, a0, warp, kt * FWD_KEYS, top, bottom, t, rows, rows, causal);
            if (TileSoftmax.exponentiate(ctx, lanes, scores, state, scaleLog2)) {
                TileSoftmax.rescale(acc, state);
            }
            TileSoftmax.pack(ctx, scores, 0, probs);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probs, vs, stage * FWD_KEYS, acc);
            TileSoftmax.pack(ctx, scores, 1, probsHigh);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probsHigh, vs, stage * FWD_KEYS + 32, acc);
            WarpgroupMma.wait(ctx, 0, acc);
            Mbarriers.arrive(ctx, barriers, TMA_STAGES + stage); // this work-item is done with the stage's tiles
            if (kt + TMA_STAGES < keyTiles) {
                Mbarriers.waitBeforeCopy(ctx, barriers, TMA_STAGES + stage, phase);
                loadKeysAndValues(ctx, k, v, ks, vs, barriers, stage, kt + TMA_STAGES, b, firstRow, column);
            }
        }
        long queryAt = AttentionBlocks.keyRowAt(b, s, seg, o, j, n, h, 0);
        ForwardEpilogue.merge(ctx, lanes, acc, state, out, lse, a0, top, bottom, t, rows, queryAt, r * h, scaleLog2, first);
    }

    /** Key tile {@code keyTile} of the block, K's and V's boxes, into stage {@code stage}, completing on its full barrier. */
    static void loadKeysAndValues(KernelContext ctx, TensorMap k, TensorMap v, int[] ks, int[] vs, long[] barriers, int stage, int keyTile,
                                  int b, int firstRow, int column) {
        if (ctx.localIdx == 0) {
            Mbarriers.arriveExpectTx(ctx, barriers, stage, STAGE_BYTES);
        }
        Tma.load(ctx, k, ks, stage * FWD_KEYS * HEAD_PAIRS, b, firstRow + keyTile * FWD_KEYS, column, 0, barriers, stage);
        Tma.load(ctx, v, vs, stage * FWD_KEYS * HEAD_PAIRS, b, firstRow + keyTile * FWD_KEYS, column, 0, barriers, stage);
    }
}
