package org.longnet.engine.conformance;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Mbarriers;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.api.Tma;
import org.longnet.engine.api.WarpgroupMma;

/**
 * Tensor copies feeding the tensor cores without a pass through registers, the way a TMA-fed attention forward reads its
 * tiles: Q, K and V land by {@link Tma} under a 128-byte swizzle, and {@link WarpgroupMma}'s swizzled products read them
 * where they land (TmaConformanceTest#swizzledAttentionChain).
 */
public final class TmaMmaKernels {
    /** Keys a tile holds, and the stages of the ring the K and V tiles go through. */
    static final int KEYS = 64, STAGES = 2;
    /** Bytes of one 64 x 64 bf16 box. */
    private static final int TILE_BYTES = 64 * 64 * 2;

    private TmaMmaKernels() {
    }

    /**
     * One warpgroup, maps of 64 bf16 columns swizzled over 128 bytes: Q's 64 rows, then K's and V's rows in tiles of
     * {@link #KEYS} through a ring of {@link #STAGES} (the rows past {@code keys} land as zeros). For each tile S = Q K^T
     * (its 64 scores a row to {@code scores}, [tile][64][64]), then O += bf16(S) V, O to {@code out} ([64][64]).
     */
    @Kernel(groupSize = 128)
    public static void swizzledAttentionChain(KernelContext ctx, TensorMap q, TensorMap k, TensorMap v, FloatArray scores, FloatArray out,
                                              int keys) {
        int[] qs = ctx.allocateIntLocalArray(64 * 32);
        int[] ks = ctx.allocateIntLocalArray(STAGES * KEYS * 32);
        int[] vs = ctx.allocateIntLocalArray(STAGES * KEYS * 32);
        int[] exchange = ctx.allocateIntLocalArray(128 * 8);
        long[] barriers = ctx.allocateLongLocalArray(STAGES + 1); // full[stage] at stage, Q's at STAGES
        float[] s = new float[32];
        float[] acc = new float[32];
        int[] probs = new int[8];
        int[] probsHigh = new int[8];
        int lid = ctx.localIdx;
        for (int stage = 0; stage <= STAGES; stage++) {
            Mbarriers.init(ctx, barriers, stage, 1);
        }
        if (lid == 0) {
            Mbarriers.arriveExpectTx(ctx, barriers, STAGES, TILE_BYTES);
        }
        Tma.load(ctx, q, qs, 0, 0, 0, barriers, STAGES);
        int tiles = (keys + KEYS - 1) / KEYS;
        for (int t = 0; t < STAGES && t < tiles; t++) {
            if (lid == 0) {
                Mbarriers.arriveExpectTx(ctx, barriers, t, 2 * TILE_BYTES);
            }
            Tma.load(ctx, k, ks, t * KEYS * 32, t * KEYS, 0, barriers, t);
            Tma.load(ctx, v, vs, t * KEYS * 32, t * KEYS, 0, barriers, t);
        }
        for (int i = 0; i < 32; i++) {
            acc[i] = 0f;
        }
        Mbarriers.wait(ctx, barriers, STAGES, 0);
        int lane = lid % 32;
        int top = lid / 32 * 16 + lane / 4;
        for (int t = 0; t < tiles; t++) {
            int stage = t % STAGES;
            Mbarriers.wait(ctx, barriers, stage, t / STAGES & 1);
            WarpgroupMma.issueSwizzled(ctx, qs, 0, ks, stage * KEYS, 64, s, false);
            WarpgroupMma.wait(ctx, 0, s);
            for (int i = 0; i < 32; i++) {
                int row = top + ((i & 2) != 0 ? 8 : 0);
                scores.set(((long) t * 64 + row) * 64 + 8 * (i >> 2) + 2 * (lane % 4) + (i & 1), s[i]);
            }
            for (int i = 0; i < 8; i++) {
                probs[i] = ctx.packBf16(s[2 * i], s[2 * i + 1]);
                probsHigh[i] = ctx.packBf16(s[16 + 2 * i], s[16 + 2 * i + 1]);
            }
            WarpgroupMma.issueRegistersSwizzled(ctx, exchange, probs, vs, stage * KEYS, acc);
            WarpgroupMma.issueRegistersSwizzled(ctx, exchange, probsHigh, vs, stage * KEYS + 32, acc);
            WarpgroupMma.wait(ctx, 0, acc);
            ctx.localBarrier(); // every warp is done with this stage before a copy overwrites it
            int next = t + STAGES;
            if (next < tiles) {
                if (lid == 0) {
                    Mbarriers.arriveExpectTx(ctx, barriers, stage, 2 * TILE_BYTES);
                }
                Tma.load(ctx, k, ks, stage * KEYS * 32, next * KEYS, 0, barriers, stage);
                Tma.load(ctx, v, vs, stage * KEYS * 32, next * KEYS, 0, barriers, stage);
            }
        }
        for (int i = 0; i < 32; i++) {
            int row = top + ((i & 2) != 0 ? 8 : 0);
            out.set((long) row * 64 + 8 * (i >> 2) + 2 * (lane % 4) + (i & 1), acc[i]);
        }
    }
}
