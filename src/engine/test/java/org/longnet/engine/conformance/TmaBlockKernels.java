package org.longnet.engine.conformance;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Mbarriers;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.api.Tma;

/**
 * Four- and five-dimensional Tma copies (TmaBlockConformanceTest): group g copies the box at the coordinates
 * {@code corners[5g .. 5g + 4]} (outermost first; the first unused by a map of rank 4), of {@link #BOX_ELEMENTS} elements,
 * fp32 through {@code floats} or, with {@code sixteenBits} 1, 16-bit through {@code pairs}.
 */
public final class TmaBlockKernels {
    /** The box: (8, 1, 6, 1), innermost first: six rows of one head, 8 columns (32 bytes of fp32, 16 of 16 bits). */
    public static final int BOX_COLUMNS = 8, BOX_ROWS = 6, BOX_ELEMENTS = BOX_COLUMNS * BOX_ROWS;
    /** Ints of one box's corner in {@code corners}. */
    public static final int CORNER = 5;

    private TmaBlockKernels() {
    }

    /** Group g loads its box and writes it out as it landed. */
    @Kernel
    public static void loadBoxes(KernelContext context, TensorMap map, FloatArray floats, IntArray pairs, IntArray corners, int rank,
                                 int sixteenBits) {
        float[] floatTile = context.allocateFloatLocalArray(BOX_ELEMENTS);
        int[] pairTile = context.allocateIntLocalArray(BOX_ELEMENTS / 2);
        long[] barriers = context.allocateLongLocalArray(1);
        Mbarriers.init(context, barriers, 0, 1);
        int g = context.groupIdx;
        int c = CORNER * g;
        int d4 = corners.get(c), d3 = corners.get(c + 1), d2 = corners.get(c + 2), d1 = corners.get(c + 3), d0 = corners.get(c + 4);
        if (context.localIdx == 0) {
            Mbarriers.arriveExpectTx(context, barriers, 0, BOX_ELEMENTS * (sixteenBits == 1 ? 2 : 4));
        }
        if (sixteenBits == 1 && rank == 5) {
            Tma.load(context, map, pairTile, 0, d4, d3, d2, d1, d0, barriers, 0);
        } else if (sixteenBits == 1) {
            Tma.load(context, map, pairTile, 0, d3, d2, d1, d0, barriers, 0);
        } else if (rank == 5) {
            Tma.load(context, map, floatTile, 0, d4, d3, d2, d1, d0, barriers, 0);
        } else {
            Tma.load(context, map, floatTile, 0, d3, d2, d1, d0, barriers, 0);
        }
        Mbarriers.wait(context, barriers, 0, 0);
        for (int i = context.localIdx; i < BOX_ELEMENTS; i += context.localGroupSizeX) {
            if (sixteenBits == 1) {
                if (i < BOX_ELEMENTS / 2) {
                    pairs.set((long) g * BOX_ELEMENTS / 2 + i, pairTile[i]);
                }
            } else {
                floats.set((long) g * BOX_ELEMENTS + i, floatTile[i]);
            }
        }
    }

    /** Group g fills its box from its slice of {@code floats} (or {@code pairs}) and stores it; only the region is written. */
    @Kernel
    public static void storeBoxes(KernelContext context, TensorMap map, FloatArray floats, IntArray pairs, IntArray corners, int rank,
                                  int sixteenBits) {
        float[] floatTile = context.allocateFloatLocalArray(BOX_ELEMENTS);
        int[] pairTile = context.allocateIntLocalArray(BOX_ELEMENTS / 2);
        int g = context.groupIdx;
        for (int i = context.localIdx; i < BOX_ELEMENTS; i += context.localGroupSizeX) {
            if (sixteenBits == 1) {
                if (i < BOX_ELEMENTS / 2) {
                    pairTile[i] = pairs.get((long) g * BOX_ELEMENTS / 2 + i);
                }
            } else {
                floatTile[i] = floats.get((long) g * BOX_ELEMENTS + i);
            }
        }
        int c = CORNER * g;
        int d4 = corners.get(c), d3 = corners.get(c + 1), d2 = corners.get(c + 2), d1 = corners.get(c + 3), d0 = corners.get(c + 4);
        if (sixteenBits == 1 && rank == 5) {
            Tma.store(context, map, pairTile, 0, d4, d3, d2, d1, d0);
        } else if (sixteenBits == 1) {
            Tma.store(context, map, pairTile, 0, d3, d2, d1, d0);
        } else if (rank == 5) {
            Tma.store(context, map, floatTile, 0, d4, d3, d2, d1, d0);
        } else {
            Tma.store(context, map, floatTile, 0, d3, d2, d1, d0);
        }
        Tma.waitStores(context);
    }
}
