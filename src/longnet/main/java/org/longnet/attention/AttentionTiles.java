package org.longnet.attention;

import org.longnet.engine.api.KernelContext;

/**
 * The tile configuration of the attention kernels, in one place: how many rows a work-group owns, how
 * many keys stream through local memory at a time, how many tiles are fetched ahead. The sizes are
 * chosen so that each backward matrix-unit kernel fits two work-groups of 256 work-items per multiprocessor on
 * Hopper (about 57 KB of local memory and at most 128 registers each), and the forward one group of 512 (82 KB,
 * 128 registers); CHANGELOG.md records what each choice was measured against.
 */
public final class AttentionTiles {
    /** fp32 kernels: rows per work-group and keys per local-memory tile. */
    public static final int TILE = 32;
    /** Largest head dimension the fp32 kernels hold in registers. */
    public static final int MAX_D = 128;

    /**
     * Matrix units: rows per warp, warps per work-group, keys per tile of dQ (and queries per step of dK/dV), the
     * fixed head dimension, work-items per warp.
     */
    public static final int MMA_ROWS = 16, MMA_WARPS = 8, MMA_KEYS = 32, MMA_HEAD_DIM = 64, MMA_WARP = 32;
    public static final int MMA_GROUP_ROWS = MMA_ROWS * MMA_WARPS, MMA_GROUP_SIZE = MMA_WARP * MMA_WARPS;
    /**
     * Keys per tile of the forward: all its warpgroups share each tile, so a tile needs half the barriers and row-max
     * exchanges that 32 keys would (82 KB of local memory: 64 KB of tiles, Q and two of K and V, and 18 KB where jvm
     * and opencl exchange registers).
     */
    static final int FWD_KEYS = 64;
    /**
     * Warps per work-group of the forward, the rows it owns (16 per warp) and how many such groups a multiprocessor
     * must hold at once (the register bound ptxas works to: 65,536 registers over groups x work-items, 128 each here).
     * Every warpgroup of a group multiplies the same key and value tiles, so more warps per group mean fewer reads of
     * K and V through L2 per query row, at the price of longer diagonal tiles in causal blocks.
     */
    public static final int FWD_WARPS = 16, FWD_GROUP_ROWS = MMA_ROWS * FWD_WARPS, FWD_GROUP_SIZE = MMA_WARP * FWD_WARPS,
            FWD_GROUPS_PER_UNIT = 16 / FWD_WARPS;
    /**
     * Warps per work-group of the TMA-fed forward ({@link TmaForward#forwardPairTma}), its rows and groups per multiprocessor:
     * half the standard forward's, two groups per multiprocessor (128 registers each). Its tiles come by TMA, so K and V
     * re-read per query row cost L2 little (the reason the standard forward takes 256 rows), and a second group's key tiles
     * run while one group waits for its query rows or merges its output.
     */
    public static final int TMA_WARPS = 8, TMA_GROUP_ROWS = MMA_ROWS * TMA_WARPS, TMA_GROUP_SIZE = MMA_WARP * TMA_WARPS,
            TMA_GROUPS_PER_UNIT = 16 / TMA_WARPS;
    /**
     * Warps per work-group of the dQ kernel: two warpgroups of 16 query rows per warp share each key tile, so the
     * keys and values stream through L2 once per 128 rows instead of once per 64 (L2 bandwidth bounds this kernel).
     */
    public static final int MMA_DQ_WARPS = 8, MMA_DQ_ROWS = MMA_ROWS * MMA_DQ_WARPS, MMA_DQ_SIZE = MMA_WARP * MMA_DQ_WARPS;
    /** Warps per work-group of the dK/dV kernel: two warpgroups of 16 keys per warp share each query tile, as in dQ. */
    public static final int MMA_KV_WARPS = 8, MMA_KV_KEYS = MMA_ROWS * MMA_KV_WARPS, MMA_KV_SIZE = MMA_WARP * MMA_KV_WARPS;
    /**
     * Key and value tiles the dQ kernel keeps in local memory: one being multiplied, two being fetched, so a tile's
     * copy has two steps to land (its warps otherwise wait for the copy more than for anything else). The forward
     * and dK/dV, with more warps per multiprocessor, keep two.
     */
    static final int PREFETCH_BUFFERS = 3;
    /**
     * Stages of the TMA-fed forward's ring of key and value tiles ({@link TmaForward#forwardPairTma}): its warpgroups hand
     * each stage back on a barrier rather than meeting at a group barrier, so warpgroup 1 may run up to three tiles ahead of
     * warpgroup 0, whose first work-item issues the copies and waits at each refill for both to be done with the stage. Four
     * stages (about 90 KB of local memory per group in all) rather than three: each refill is issued a tile earlier, so its copy
     * has longer to land (benchmarks/RESULTS.md).
     */
    static final int TMA_STAGES = 4;
    /**
     * Stages of the TMA-fed backward's ring of query windows ({@link TmaBackward}), 64 queries of Q and dO each (16 KB): two, so
     * that a group's local memory (K and V by TMA, two tiles of dS^T, the ring: about 107 KB) stays within
     * half a multiprocessor's. A window's copy is issued a whole window ahead of its use.
     */
    static final int TMA_BACKWARD_STAGES = 2;
    /**
     * Keys per tile of the wide TMA-fed forward ({@link TmaWideForward}), and the stages of its ring: two of 128 keys take the
     * local memory four of 64 do (about 90 KB per group, two groups per multiprocessor).
     */
    static final int WIDE_KEYS = 128, WIDE_STAGES = 2;
    /**
     * How far (log2 units) a row's max may grow before the wide forward moves it and rescales the row's output: a probability
     * stays below 2^8 before the final division, far inside fp32's and bf16's range.
     */
    static final float WIDE_SLACK = 8f;
    /** Rows of one warpgroup product (four warps of 16 rows). */
    static final int WARPGROUP_ROWS = KernelContext.WARPGROUP_ROWS;
    /** bf16 pairs per row of a head (32): the matrix-unit kernels' tiles are packed in pairs. */
    static final int HEAD_PAIRS = MMA_HEAD_DIM / 2;
    /**
     * log2(e) and ln(2): the matrix-unit kernels keep scores and LSE in base 2 (scores times scale · log2(e)), so
     * each probability is one exp2 of one fused multiply-add, and LSE goes back to base e when stored.
     */
    public static final float LOG2E = 1.44269504f, LN2 = 0.6931471806f;

    private AttentionTiles() {
    }

    /**
     * Whether the element offsets within one block of a pair fit an int, as {@link TileLoads#loadRowTile} needs:
     * its rows, and a tile's worth past them, times r h 64. True up to segments of about 2^31 / (64 h) positions
     * (2.8M with 12 heads).
     */
    public static boolean blockOffsetsFit(int segment, int dilation, int heads) {
        return ((long) segment + (Math.max(MMA_GROUP_ROWS, FWD_GROUP_ROWS) + 1L) * dilation) * heads * MMA_HEAD_DIM <= Integer.MAX_VALUE;
    }

    /**
     * Refuses, in one line, a shape the matrix-unit kernels cannot run: a head dimension other than {@link #MMA_HEAD_DIM},
     * or a pair whose block offsets would not fit an int ({@link #blockOffsetsFit}) in a sequence of {@code length} tokens.
     */
    static void checkMatrixUnits(AttentionShape shape, DilatedAttentionConfig config, int length) {
        if (shape.headDim() != MMA_HEAD_DIM) {
            throw new IllegalArgumentException("matrix-unit attention (bf16 q, k, v) needs head dimension "
                    + MMA_HEAD_DIM + ", was " + shape.headDim() + "; give fp32 arrays for the fp32 kernels");
        }
        for (DilatedPair p : config.pairs()) {
            int segment = p.effectiveLength(length);
            if (!blockOffsetsFit(segment, p.dilationRate(), shape.heads())) {
                throw new IllegalArgumentException("matrix-unit attention: segment length " + p.segmentLength() + " (dilation "
                        + p.dilationRate() + ") with " + shape.heads() + " heads is too long: segment x heads x 64 must stay under 2^31"
                        + " (a block's offsets are ints); use shorter segments or the fp32 kernels");
            }
        }
    }
}
