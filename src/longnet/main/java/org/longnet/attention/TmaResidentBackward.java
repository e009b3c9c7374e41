package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Mbarriers;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.api.WarpgroupFragments;
import org.longnet.engine.api.WarpgroupMma;
import org.longnet.engine.api.Warpgroups;

import static org.longnet.attention.AttentionTiles.HEAD_PAIRS;
import static org.longnet.attention.AttentionTiles.LOG2E;
import static org.longnet.attention.AttentionTiles.MMA_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_KV_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_KV_SIZE;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;
import static org.longnet.attention.AttentionTiles.MMA_WARP;
import static org.longnet.attention.AttentionTiles.WARPGROUP_ROWS;
import static org.longnet.attention.TmaBackward.WINDOW;

/**
 * {@link TmaBackward#backwardPairTma} with one group per multiprocessor, whose registers (up to 255 a work-item instead of
 * 128) hold what the two-group kernel reads from local memory at every product: each warpgroup keeps its 64 keys of K and V
 * as A fragments ({@link WarpgroupFragments#fromSwizzled}), so S^T = K Q^T and dP^T = V dO^T read only the window's Q and
 * dO ({@link WarpgroupMma#issueSwizzledFromRegisters}), about a third fewer local-memory bytes per window; and a window's two
 * query steps have their four score products issued together, so the second step's S^T and dP^T run on the tensor cores
 * while the first step's probabilities and gradients are formed; a window's dQ product is issued at the start of the next
 * window, before its scores, and its reductions run while the tensor cores work on them. The products, their operands and
 * the order in which dK and dV accumulate are {@code backwardPairTma}'s, so dK and dV have its bits (dQ its sums, in the order the atomics land).
 * Lab switch {@code -Dlongnet.attention.backward=tma_resident} ({@link MatrixUnitSchedule}).
 */
public final class TmaResidentBackward {
    /** Groups a multiprocessor holds at once: one, so each work-item may have up to 255 registers. */
    static final int GROUPS_PER_UNIT = 1;
    /** Stages of the ring of query windows (16 KB each): the group's local memory is about 100 KB with two. */
    static final int STAGES = 2;

    private TmaResidentBackward() {
    }

    /** The arguments, launch and results of {@link TmaBackward#backwardPairTma}, one group per multiprocessor. */
    @Kernel(groupSize = MMA_KV_SIZE, minGroupsPerUnit = GROUPS_PER_UNIT)
    public static void backwardPairTmaResident(KernelContext ctx, TensorMap q, TensorMap k, TensorMap v, TensorMap gradOut, FloatArray delta,
                                               FloatArray lse, FloatArray gradQ, FloatArray gradK, FloatArray gradV, int n, int h, int w, int r,
                                               int causal, float scale, int first, int split, int batch0) {
        int[] ks = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        int[] vs = ctx.allocateIntLocalArray(MMA_KV_KEYS * HEAD_PAIRS);
        int[] dsT = ctx.allocateIntLocalArray(2 * MMA_KV_KEYS * HEAD_PAIRS); // as backwardPairTma's: a window fills one tile, dQ reads the other
        int[] qs = ctx.allocateIntLocalArray(STAGES * WINDOW * HEAD_PAIRS);
        int[] gs = ctx.allocateIntLocalArray(STAGES * WINDOW * HEAD_PAIRS);
        float[] rowLse = ctx.allocateFloatLocalArray(2 * WINDOW);
        float[] rowDelta = ctx.allocateFloatLocalArray(2 * WINDOW);
        long[] barriers = ctx.allocateLongLocalArray(STAGES + 1);
        int[] fragments = ctx.allocateIntLocalArray(MMA_KV_SIZE * WarpgroupFragments.REGISTERS); // register exchange off cuda
        int[] keyRegs = new int[WarpgroupFragments.REGISTERS];
        int[] valueRegs = new int[WarpgroupFragments.REGISTERS];
        float[] scores0 = new float[16];
        float[] gradP0 = new float[16];
        float[] scores1 = new float[16];
        float[] gradP1 = new float[16];
        int[] probs0 = new int[8];
        int[] dsPairs0 = new int[8];
        int[] probs1 = new int[8];
        int[] dsPairs1 = new int[8];
        float[] dq = new float[16];
        float[] dk = new float[32];
        float[] dv = new float[32];
        int[] at = new int[TmaForward.PLACE];
        int[] span = new int[2];
        TmaBackward.start(ctx, q, k, v, gradOut, delta, lse, ks, vs, qs, gs, rowLse, rowDelta, barriers, STAGES, n, h, w, r, causal, split, batch0,
                at, span);
        int firstQuery = span[TmaBackward.FIRST_QUERY];
        int windows = span[TmaBackward.WINDOWS];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int g = lid % MMA_WARP / 4;
        int t = lid % 4;
        int rows = at[TmaForward.ROWS];
        int k0 = at[TmaForward.A0];
        int warpKey = warp * MMA_ROWS;
        int keysAt = Warpgroups.index(ctx) * WARPGROUP_ROWS;
        long rowAt = TmaForward.queryAt(at, n, h, w, r);
        int rowStep = r * h;
        float scaleLog2 = scale * LOG2E;
        int firstTop = AttentionMasks.firstVisibleQuery(k0 + warpKey + g, rows, causal);
        int firstBottom = AttentionMasks.firstVisibleQuery(k0 + warpKey + g + 8, rows, causal);
        WarpgroupFragments.fromSwizzled(ctx, ks, keysAt, keyRegs);
        WarpgroupFragments.fromSwizzled(ctx, vs, keysAt, valueRegs);
        for (int i = 0; i < windows; i++) {
            int stage = i % STAGES;
            int w0 = firstQuery + i * WINDOW;
            int stats = i % 2 * WINDOW;
            int row = stage * WINDOW;
            int dsRow = i % 2 * MMA_KV_KEYS + warpKey + g;
            float nextLse = lid < WINDOW ? TileLoads.rowValue(lse, LOG2E, w0 + WINDOW + lid, rows, rowAt, rowStep) : 0f;
            float nextDelta = lid < WINDOW ? TileLoads.rowValue(delta, 1f, w0 + WINDOW + lid, rows, rowAt, rowStep) : 0f;
            Mbarriers.wait(ctx, barriers, stage, i / STAGES & 1);
            // The window before's dQ first (two groups), then four: S^T and dP^T of the first step, then of the second, each
            // waited for only where it is read. dQ's reductions run while the tensor cores work on the scores.
            // (At the first window the product reads a tile no window has filled yet, and its result is dropped: ptxas keeps
            // the pipeline only where every path issues and waits for the same groups.)
            TmaBackward.issueQueryGradients(ctx, ks, dsT, (i + 1) % 2 * MMA_KV_KEYS, dq);
            WarpgroupMma.issueSwizzledFromRegisters(ctx, fragments, keyRegs, qs, row, MMA_KEYS, scores0, false);
            WarpgroupMma.issueSwizzledFromRegisters(ctx, fragments, valueRegs, gs, row, MMA_KEYS, gradP0, false);
            WarpgroupMma.issueSwizzledFromRegisters(ctx, fragments, keyRegs, qs, row + MMA_KEYS, MMA_KEYS, scores1, false);
            WarpgroupMma.issueSwizzledFromRegisters(ctx, fragments, valueRegs, gs, row + MMA_KEYS, MMA_KEYS, gradP1, false);
            WarpgroupMma.wait(ctx, 4, dq);
            if (i > 0) {
                MatrixUnitBackward.reduceQueryGradients(ctx, dq, w0 - WINDOW, gradQ, rows, rowAt, rowStep, scale);
            }
            WarpgroupMma.wait(ctx, 3, scores0);
            KeyValueSteps.probabilities(scores0, rowLse, stats, w0, k0 + warpKey, firstTop, firstBottom, rows, rows, causal, scaleLog2, t);
            WarpgroupMma.wait(ctx, 2, gradP0);
            KeyValueSteps.scoreGradients(scores0, gradP0, rowDelta, stats, t);
            KeyValueSteps.pack(ctx, scores0, gradP0, probs0, dsPairs0, dsT, dsRow, t, 1);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probs0, gs, row, dv);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, dsPairs0, qs, row, dk);
            // Groups 3 and 4 (the second step's S^T and dP^T) are done once at most the two just issued still run.
            WarpgroupMma.wait(ctx, 2, scores1);
            WarpgroupMma.wait(ctx, 2, gradP1);
            KeyValueSteps.probabilities(scores1, rowLse, stats + MMA_KEYS, w0 + MMA_KEYS, k0 + warpKey, firstTop, firstBottom, rows, rows, causal,
                    scaleLog2, t);
            KeyValueSteps.scoreGradients(scores1, gradP1, rowDelta, stats + MMA_KEYS, t);
            KeyValueSteps.pack(ctx, scores1, gradP1, probs1, dsPairs1, dsT, dsRow, 16 + t, 1);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, probs1, gs, row + MMA_KEYS, dv);
            WarpgroupMma.issueRegistersSwizzled(ctx, fragments, dsPairs1, qs, row + MMA_KEYS, dk);
            WarpgroupMma.wait(ctx, 0, dk);
            if (lid < WINDOW) {
                rowLse[WINDOW - stats + lid] = nextLse;
                rowDelta[WINDOW - stats + lid] = nextDelta;
            }
            ctx.localBarrier(); // the window's dS^T is whole, and no product reads its stage any more
            if (i + STAGES < windows) {
                TmaBackward.loadWindow(ctx, q, gradOut, qs, gs, barriers, stage, w0 + STAGES * WINDOW, at);
            }
        }
        if (windows > 0) {
            TmaBackward.addQueryGradients(ctx, ks, dsT, (windows - 1) % 2 * MMA_KV_KEYS, firstQuery + (windows - 1) * WINDOW, gradQ, rows, rowAt,
                    rowStep, scale);
        }
        WarpgroupMma.wait(ctx, 0, dv);
        KeyValueSteps.store(dk, dv, gradK, gradV, k0 + warpKey + g, rows, rowAt - (long) batch0 * n * h, rowStep, scale, first, t);
    }
}
