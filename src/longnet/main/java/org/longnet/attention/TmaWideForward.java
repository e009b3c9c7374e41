package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Mbarriers;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.api.WarpgroupMma;

import static org.longnet.attention.AttentionTiles.FWD_KEYS;
import static org.longnet.attention.AttentionTiles.HEAD_PAIRS;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_WARP;
import static org.longnet.attention.AttentionTiles.TMA_GROUPS_PER_UNIT;
import static org.longnet.attention.AttentionTiles.TMA_GROUP_ROWS;
import static org.longnet.attention.AttentionTiles.TMA_GROUP_SIZE;
import static org.longnet.attention.AttentionTiles.WARPGROUP_ROWS;
import static org.longnet.attention.AttentionTiles.WIDE_KEYS;
import static org.longnet.attention.AttentionTiles.WIDE_SLACK;
import static org.longnet.attention.AttentionTiles.WIDE_STAGES;
import static org.longnet.attention.TmaForward.A0;
import static org.longnet.attention.TmaForward.ROWS;

/**
 * {@link TmaForward#forwardPairTma} with key tiles of {@link AttentionTiles#WIDE_KEYS} keys, as cuDNN's Hopper forward takes
 * them: each tile's fixed costs (its barrier wait, the exchange of row maxima across the quad, the test of growth and the
 * output's rescale, the release of its stage) are paid once per 128 keys instead of once per 64. A tile's scores are two
 * 64-key halves ({@link TileSoftmax#exponentiate(KernelContext, float[], float[], float[], int, float[], float, float)}),
 * each masked as a tile of the standard forward is; its P·V is four products of 32 keys. K's and V's maps have boxes of a
 * whole tile ({@code TmaMaps.of(..., WIDE_KEYS)}), so one copy brings each; Q's have boxes of 64 rows, as for the other
 * TMA-fed kernels ({@link TmaForward#prologue}).
 * <p>
 * The softmax steps over other tiles than the standard forward's, and moves a row's max only when it grows by more than
 * {@link AttentionTiles#WIDE_SLACK} (in log2 units), so each probability's rounding to bf16 may differ: the results agree
 * with the other kernels' to bf16's precision, not bit for bit. Hopper's default forward ({@link MatrixUnitSchedule},
 * {@code -Dlongnet.attention.forward=tma_wide}).
 */
public final class TmaWideForward {
    private TmaWideForward() {
    }

    /**
     * The pair's forward in groups of two warpgroups, two groups per multiprocessor (128 registers each), with the arguments
     * and launch of {@link TmaForward#forwardPairTma}; its K and V maps in boxes of {@link AttentionTiles#WIDE_KEYS} rows, Q's
     * in boxes of {@link AttentionTiles#FWD_KEYS}.
     */
    @Kernel(groupSize = TMA_GROUP_SIZE, minGroupsPerUnit = TMA_GROUPS_PER_UNIT)
    public static void forwardPairTmaWide(KernelContext ctx, TensorMap q, TensorMap k, TensorMap v, FloatArray out, FloatArray lse, int n,
                                          int h, int w, int r, int causal, float scaleLog2, int first) {
        int[] qs = ctx.allocateIntLocalArray(TMA_GROUP_ROWS * HEAD_PAIRS);
        int[] ks = ctx.allocateIntLocalArray(WIDE_STAGES * WIDE_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(WIDE_STAGES * WIDE_KEYS * HEAD_PAIRS);
        long[] barriers = ctx.allocateLongLocalArray(2 * WIDE_STAGES + 1);
        float[] lanes = ctx.allocateFloatLocalArray(TMA_GROUP_SIZE); // register exchange off cuda
        int[] fragments = ctx.allocateIntLocalArray(TMA_GROUP_SIZE * 8);
        int[] probs0 = new int[8];
        int[] probs1 = new int[8];
        int[] probs2 = new int[8];
        int[] probs3 = new int[8];
        float[] low = new float[FWD_KEYS / 2];
        float[] high = new float[FWD_KEYS / 2];
        float[] acc = new float[32];
        float[] state = new float[TileSoftmax.STATE];
        int[] at = new int[TmaForward.PLACE];
        TmaForward.locate(ctx, n, h, w, r, TMA_GROUP_ROWS, 1, 0, at);
        int warp = ctx.localIdx / MMA_WARP;
        int top = warp * MMA_ROWS + ctx.localIdx % MMA_WARP / 4;
        int t = ctx.localIdx % 4;
        int rowsAt = warp / 4 * WARPGROUP_ROWS;
        float slack = WIDE_SLACK / scaleLog2;
        TileSoftmax.start(state);
        int keyTiles = TmaForward.prologue(ctx, q, k, v, qs, ks, vs, barriers, WIDE_STAGES, WIDE_KEYS, TMA_GROUP_ROWS, TMA_GROUP_SIZE, at, causal);
        for (int kt = 0; kt < keyTiles; kt++) {
            int stage = kt % WIDE_STAGES;
            int keys = stage * WIDE_KEYS;
            Mbarriers.wait(ctx, barriers, stage, kt / WIDE_STAGES & 1);
            WarpgroupMma.issueSwizzled(ctx, qs, rowsAt, ks, keys, FWD_KEYS, low, false);
            WarpgroupMma.issueSwizzled(ctx, qs, rowsAt, ks, keys + FWD_KEYS, FWD_KEYS, high, false);
            WarpgroupMma.wait(ctx, 0, low);
            WarpgroupMma.wait(ctx, 0, high);
            TileSoftmax.mask(low, at[A0], warp, kt * WIDE_KEYS, top, top + 8, t, at[ROWS], at[ROWS], causal);
            TileSoftmax.mask(high, at[A0], warp, kt * WIDE_KEYS + FWD_KEYS, top, top + 8, t, at[ROWS], at[ROWS], causal);
            if (TileSoftmax.exponentiate(ctx, lanes, low, high, 2, state, scaleLog2, slack)) {
                TileSoftmax.rescale(acc, state);
            }
            // P·V in four products of 32 keys, each issued as soon as its probabilities are packed.
            TileSoftmax.pack(ctx, low, 0, probs0);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probs0, vs, keys, acc);
            TileSoftmax.pack(ctx, low, 1, probs1);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probs1, vs, keys + 32, acc);
            TileSoftmax.pack(ctx, high, 0, probs2);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probs2, vs, keys + 64, acc);
            TileSoftmax.pack(ctx, high, 1, probs3);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probs3, vs, keys + 96, acc);
            WarpgroupMma.wait(ctx, 0, acc);
            TmaForward.releaseAndRefill(ctx, k, v, ks, vs, barriers, WIDE_STAGES, WIDE_KEYS, kt, keyTiles, at);
        }
        ForwardEpilogue.merge(ctx, lanes, acc, state, out, lse, at[A0], top, top + 8, t, at[ROWS], TmaForward.queryAt(at, n, h, w, r), r * h,
                scaleLog2, first);
    }
}
