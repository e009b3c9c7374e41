package org.longnet.engine.conformance;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Mbarriers;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.api.Tma;

/**
 * The conformance kernels of Mbarriers and Tma (TmaConformanceTest): box loads and stores of fp32 and 16-bit maps, barrier
 * phases, and a pipelined product that streams its operands through a ring of stages guarded by full and empty barriers.
 */
public final class TmaKernels {
    /** The box sides of the load and store kernels: 8 rows of 32 elements (128 bytes of fp32, 64 of 16 bits a row). */
    public static final int BOX_ROWS = 8, BOX_COLUMNS = 32;
    /** The pipelined product's tiles: C (16 x 16) += A (16 x 32) B (32 x 16), through three stages. */
    public static final int TILE_M = 16, TILE_N = 16, TILE_K = 32, STAGES = 3;

    private TmaKernels() {
    }

    /**
     * Group g loads the box whose top left is ({@code g / across * BOX_ROWS - rowShift}, {@code g % across * BOX_COLUMNS - columnShift})
     * and writes it out as it landed: fp32 boxes as floats to {@code floats}, 16-bit ones ({@code sixteenBits} 1) as int pairs
     * to {@code pairs}.
     */
    @Kernel
    public static void loadBoxes(KernelContext context, TensorMap map, FloatArray floats, IntArray pairs, int across, int rowShift, int columnShift,
                                 int sixteenBits) {
        float[] floatTile = context.allocateFloatLocalArray(BOX_ROWS * BOX_COLUMNS);
        int[] pairTile = context.allocateIntLocalArray(BOX_ROWS * BOX_COLUMNS / 2);
        long[] barriers = context.allocateLongLocalArray(1);
        Mbarriers.init(context, barriers, 0, 1);
        int g = context.groupIdx;
        int row = g / across * BOX_ROWS - rowShift, column = g % across * BOX_COLUMNS - columnShift;
        if (context.localIdx == 0) {
            Mbarriers.arriveExpectTx(context, barriers, 0, BOX_ROWS * BOX_COLUMNS * (sixteenBits == 1 ? 2 : 4));
        }
        if (sixteenBits == 1) {
            Tma.load(context, map, pairTile, 0, row, column, barriers, 0);
        } else {
            Tma.load(context, map, floatTile, 0, row, column, barriers, 0);
        }
        Mbarriers.wait(context, barriers, 0, 0);
        int boxElements = BOX_ROWS * BOX_COLUMNS;
        for (int i = context.localIdx; i < boxElements; i += context.localGroupSizeX) {
            if (sixteenBits == 1) {
                if (i < boxElements / 2) {
                    pairs.set((long) g * boxElements / 2 + i, pairTile[i]);
                }
            } else {
                floats.set((long) g * boxElements + i, floatTile[i]);
            }
        }
    }

    /**
     * Group g fills a box from its slice of {@code floats} (or of {@code pairs}, for a 16-bit map), negated, and stores it at
     * ({@code g / across * BOX_ROWS - rowShift}, {@code g % across * BOX_COLUMNS - columnShift}) of {@code map}.
     */
    @Kernel
    public static void storeBoxes(KernelContext context, TensorMap map, FloatArray floats, IntArray pairs, int across, int rowShift,
                                  int columnShift, int sixteenBits) {
        float[] floatTile = context.allocateFloatLocalArray(BOX_ROWS * BOX_COLUMNS);
        int[] pairTile = context.allocateIntLocalArray(BOX_ROWS * BOX_COLUMNS / 2);
        int g = context.groupIdx;
        int boxElements = BOX_ROWS * BOX_COLUMNS;
        for (int i = context.localIdx; i < boxElements; i += context.localGroupSizeX) {
            if (sixteenBits == 1) {
                if (i < boxElements / 2) {
                    pairTile[i] = pairs.get((long) g * boxElements / 2 + i) ^ 0x80008000; // both halves negated
                }
            } else {
                floatTile[i] = -floats.get((long) g * boxElements + i);
            }
        }
        int row = g / across * BOX_ROWS - rowShift, column = g % across * BOX_COLUMNS - columnShift;
        if (sixteenBits == 1) {
            Tma.store(context, map, pairTile, 0, row, column);
        } else {
            Tma.store(context, map, floatTile, 0, row, column);
        }
        Tma.waitStores(context);
    }

    /**
     * Barrier phases: each round every work-item publishes a value, arrives on "written" and waits for the round's phase,
     * reads a neighbour's value, then arrives on "read" and waits before the next round overwrites. out[item] sums what it read.
     */
    @Kernel
    public static void phases(KernelContext context, FloatArray in, FloatArray out, int rounds) {
        float[] values = context.allocateFloatLocalArray(64);
        long[] barriers = context.allocateLongLocalArray(2);
        int n = context.localGroupSizeX;
        Mbarriers.init(context, barriers, 0, n);
        Mbarriers.init(context, barriers, 1, n);
        int item = context.localIdx;
        float sum = 0f;
        for (int round = 0; round < rounds; round++) {
            values[item] = in.get((long) context.groupIdx * n + item) * (round + 1);
            Mbarriers.arrive(context, barriers, 0);
            Mbarriers.wait(context, barriers, 0, round & 1);
            sum += values[(item + 1 + round) % n];
            Mbarriers.arrive(context, barriers, 1);
            Mbarriers.wait(context, barriers, 1, round & 1);
        }
        out.set(context.globalIdx, sum);
    }

    /** A wait whose phase cannot complete: two arrivals per phase, one made. The JVM fails it; CUDA would hang. */
    @Kernel
    public static void waitTooEarly(KernelContext context, FloatArray out) {
        long[] barriers = context.allocateLongLocalArray(1);
        Mbarriers.init(context, barriers, 0, 2);
        if (context.localIdx == 0) {
            Mbarriers.arrive(context, barriers, 0);
        }
        Mbarriers.wait(context, barriers, 0, 0);
        out.set(context.globalIdx, 1f);
    }

    /**
     * C = A B through a ring of {@link #STAGES} stages: group (bm, bn) owns a TILE_M x TILE_N block of C and walks k in
     * TILE_K steps. Stage s is filled by Tma loads of A's and B's boxes that complete on full[s], read by every work-item
     * (one C element each), and handed back through empty[s] ({@link Mbarriers#waitBeforeCopy}: on CUDA only the issuer waits for
     * it) before the load of step t + STAGES refills it; the loads of
     * the next stages are in flight meanwhile. 256 work-items a group; C is written back by a Tma store.
     */
    @Kernel
    public static void pipelinedProduct(KernelContext context, TensorMap a, TensorMap b, TensorMap c, int k, int blocksAcross) {
        float[] aTiles = context.allocateFloatLocalArray(STAGES * TILE_M * TILE_K);
        float[] bTiles = context.allocateFloatLocalArray(STAGES * TILE_K * TILE_N);
        float[] cTile = context.allocateFloatLocalArray(TILE_M * TILE_N);
        long[] barriers = context.allocateLongLocalArray(2 * STAGES); // full[s] at s, empty[s] at STAGES + s
        int items = context.localGroupSizeX;
        for (int s = 0; s < STAGES; s++) {
            Mbarriers.init(context, barriers, s, 1);
            Mbarriers.init(context, barriers, STAGES + s, items);
        }
        int rowBlock = context.groupIdx / blocksAcross * TILE_M, columnBlock = context.groupIdx % blocksAcross * TILE_N;
        int steps = (k + TILE_K - 1) / TILE_K;
        for (int t = 0; t < STAGES && t < steps; t++) {
            loadStage(context, a, b, aTiles, bTiles, barriers, t, t, rowBlock, columnBlock);
        }
        int row = context.localIdx / TILE_N, column = context.localIdx % TILE_N;
        float acc = 0f;
        for (int t = 0; t < steps; t++) {
            int s = t % STAGES, phase = t / STAGES & 1;
            Mbarriers.wait(context, barriers, s, phase);
            for (int kk = 0; kk < TILE_K; kk++) {
                acc += aTiles[s * TILE_M * TILE_K + row * TILE_K + kk] * bTiles[s * TILE_K * TILE_N + kk * TILE_N + column];
            }
            Mbarriers.arrive(context, barriers, STAGES + s);
            int next = t + STAGES;
            if (next < steps) {
                Mbarriers.waitBeforeCopy(context, barriers, STAGES + s, phase);
                loadStage(context, a, b, aTiles, bTiles, barriers, s, next, rowBlock, columnBlock);
            }
        }
        cTile[context.localIdx] = acc;
        Tma.store(context, c, cTile, 0, rowBlock, columnBlock);
        Tma.waitStores(context);
    }

    /**
     * Stage s's boxes of A and B for step t, completing on full[s]: a helper of the kernel that takes its tensor maps (the
     * kernel's file, whose local arrays start on 1,024 bytes, holds both).
     */
    static void loadStage(KernelContext context, TensorMap a, TensorMap b, float[] aTiles, float[] bTiles, long[] barriers, int s, int t,
                          int rowBlock, int columnBlock) {
        if (context.localIdx == 0) {
            Mbarriers.arriveExpectTx(context, barriers, s, (TILE_M * TILE_K + TILE_K * TILE_N) * 4);
        }
        Tma.load(context, a, aTiles, s * TILE_M * TILE_K, rowBlock, t * TILE_K, barriers, s);
        Tma.load(context, b, bTiles, s * TILE_K * TILE_N, t * TILE_K, columnBlock, barriers, s);
    }
}
