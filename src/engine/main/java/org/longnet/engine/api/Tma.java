package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Whole-box copies between a {@link TensorMap}'s region and a work-group local tile, Hopper's tensor memory accelerator.
 * A box lands in the tile row-major and dense: element (r, c) of the box, r &lt; boxRows, c &lt; boxColumns, is element
 * {@code r * boxColumns + c} from {@code tile + tileOffset}, a float for an fp32 map ({@code float[]} tile), half an int for
 * a 16-bit map ({@code int[]} tile, element 2j in the low 16 bits of int j, as {@link KernelContext#packBf16} packs).
 * Box element (r, c) is region element ({@code row + r}, {@code column + c}); a load's box may start before the region
 * (negative coordinates) or reach past its end, and its elements outside the region load as zeros. A store's box must
 * start inside the region, since on Hopper a store that starts before it stops the kernel (an illegal instruction, seen on
 * an H100 for fp32, bf16 and fp16 boxes that start before the first row or column, while the same boxes from inside pass):
 * the JVM refuses a negative store coordinate with an exception. A store may reach past the region's end, and its elements
 * there are not written, but on Hopper a box past the last column of rows that do not end on 16 bytes also writes the
 * rest of the last column's 16-byte chunk (seen on an H100 with rows of 45 fp32): keep such a box within the columns where
 * the bytes after a row hold data. A box starts on a 16-byte column: {@code column} times
 * the element's bytes is a multiple of {@link TensorMap#ALIGNMENT} (4 fp32 or 8 16-bit elements; negative too), because
 * Hopper's tensor copy stops the kernel at any other column (an illegal instruction, which loses the CUDA context; seen
 * for fp32 boxes on an H100, and taken to hold for 16-bit ones, whose 16-byte rule TMA applies alike). The JVM refuses
 * such a column with an exception, so a kernel tested there keeps the rule; rows are free.
 * <p>
 * The tile is a constant-size local array of the kernel ({@code context.allocateFloatLocalArray(N)}) that holds the box,
 * and {@code tileOffset} elements into it must lie a multiple of {@link TensorMap#tileAlignment} bytes from its start: 128,
 * or 256 to 1,024 for a swizzled map, whose box lands permuted ({@link TensorMap#tileByte}) rather than dense (the translator
 * starts the local arrays of kernels in a file that calls these methods on 1,024 bytes). The JVM refuses another offset by
 * name; CUDA stops the kernel without a message (a print is a call, across which ptxas serializes warpgroup products in
 * flight). Every work-item of the group calls {@link #load}, {@link #store} and {@link #waitStores} together, with the same
 * arguments, as it calls {@link KernelContext#localBarrier}.
 * <p>
 * A four- or five-dimensional map ({@link TensorMap#of(DeviceArray, long, long[], long[], int[])}) takes as many
 * coordinates, outermost first as the 2D methods take (row, column): box element (i0, i1, i2, i3, i4), innermost first, is
 * tile element {@code (((i4 * box3 + i3) * box2 + i2) * box1 + i1) * box0 + i0}, so a box of (64, 1, 16, 1) lands as 16
 * dense rows of 64.
 * <p>
 * On CUDA (sm_90) a load is one {@code cp.async.bulk.tensor.2d...mbarrier::complete_tx::bytes} issued by the group's first
 * work-item: it returns at once, and its bytes complete on the barrier's current phase, so a kernel announces them first
 * ({@link Mbarriers#arriveExpectTx} with {@link TensorMap#boxBytes}) and reads the tile after {@link Mbarriers#wait}. A store
 * fences the group's writes to the tile for the copy engine, waits for the group, and issues
 * {@code cp.async.bulk.tensor.2d.global.shared::cta} and {@code cp.async.bulk.commit_group}; {@link #waitStores}
 * ({@code cp.async.bulk.wait_group 0} and a group barrier) comes before the tile is written again or the kernel ends. On
 * OpenCL and the JVM the group copies the box together, synchronously (a store starts with a group barrier); the same
 * kernel then gives the same results.
 */
public final class Tma {
    private Tma() {
    }

    /** Loads the fp32 box at ({@code row}, {@code column}) of {@code map} into {@code tile}; it completes on {@code barriers[barrier]}. */
    public static void load(KernelContext context, TensorMap map, float[] tile, int tileOffset, int row, int column, long[] barriers,
                            int barrier) {
        loadFloats(context, map, tile, tileOffset, row, column);
    }

    /** Loads the fp32 box at ({@code d3}, {@code d2}, {@code d1}, {@code d0}) of a four-dimensional {@code map}; it completes on {@code barriers[barrier]}. */
    public static void load(KernelContext context, TensorMap map, float[] tile, int tileOffset, int d3, int d2, int d1, int d0,
                            long[] barriers, int barrier) {
        loadFloats(context, map, tile, tileOffset, d3, d2, d1, d0);
    }

    /** Loads the fp32 box at ({@code d4}, ..., {@code d0}) of a five-dimensional {@code map}; it completes on {@code barriers[barrier]}. */
    public static void load(KernelContext context, TensorMap map, float[] tile, int tileOffset, int d4, int d3, int d2, int d1, int d0,
                            long[] barriers, int barrier) {
        loadFloats(context, map, tile, tileOffset, d4, d3, d2, d1, d0);
    }

    /** {@code corner}: the box's coordinates outermost first, as many as the map has dimensions. */
    private static void loadFloats(KernelContext context, TensorMap map, float[] tile, int tileOffset, int... corner) {
        int[] at0 = check(map, corner, 4, tile.length, tileOffset, 1);
        MemorySegment global = map.deviceArray().segment();
        eachOfBox(context, map, 1, i -> {
            long at = element(map, at0, i);
            tile[tileOffset + slot(map, i)] = at < 0 ? 0f : global.getAtIndex(ValueLayout.JAVA_FLOAT, at);
        });
    }

    /** Loads the 16-bit box at ({@code row}, {@code column}) of {@code map} into {@code tile} in pairs; it completes on {@code barriers[barrier]}. */
    public static void load(KernelContext context, TensorMap map, int[] tile, int tileOffset, int row, int column, long[] barriers,
                            int barrier) {
        loadPairs(context, map, tile, tileOffset, row, column);
    }

    /**
     * Loads the 16-bit box at ({@code d3}, {@code d2}, {@code d1}, {@code d0}) of a four-dimensional {@code map} in pairs; it
     * completes on {@code barriers[barrier]}.
     */
    public static void load(KernelContext context, TensorMap map, int[] tile, int tileOffset, int d3, int d2, int d1, int d0,
                            long[] barriers, int barrier) {
        loadPairs(context, map, tile, tileOffset, d3, d2, d1, d0);
    }

    /** Loads the 16-bit box at ({@code d4}, ..., {@code d0}) of a five-dimensional {@code map} in pairs; it completes on {@code barriers[barrier]}. */
    public static void load(KernelContext context, TensorMap map, int[] tile, int tileOffset, int d4, int d3, int d2, int d1, int d0,
                            long[] barriers, int barrier) {
        loadPairs(context, map, tile, tileOffset, d4, d3, d2, d1, d0);
    }

    private static void loadPairs(KernelContext context, TensorMap map, int[] tile, int tileOffset, int... corner) {
        int[] at0 = check(map, corner, 2, tile.length, tileOffset, 2);
        MemorySegment global = map.deviceArray().segment();
        eachOfBox(context, map, 2, pair -> {
            long lo = element(map, at0, 2 * pair), hi = element(map, at0, 2 * pair + 1);
            int low = lo < 0 ? 0 : global.getAtIndex(ValueLayout.JAVA_SHORT, lo) & 0xFFFF;
            int high = hi < 0 ? 0 : global.getAtIndex(ValueLayout.JAVA_SHORT, hi) & 0xFFFF;
            tile[tileOffset + slot(map, pair)] = low | high << 16;
        });
    }

    /** Stores {@code tile}'s fp32 box to ({@code row}, {@code column}) of {@code map}, its elements inside the region. */
    public static void store(KernelContext context, TensorMap map, float[] tile, int tileOffset, int row, int column) {
        storeFloats(context, map, tile, tileOffset, row, column);
    }

    /** Stores {@code tile}'s fp32 box to ({@code d3}, {@code d2}, {@code d1}, {@code d0}) of a four-dimensional {@code map}. */
    public static void store(KernelContext context, TensorMap map, float[] tile, int tileOffset, int d3, int d2, int d1, int d0) {
        storeFloats(context, map, tile, tileOffset, d3, d2, d1, d0);
    }

    /** Stores {@code tile}'s fp32 box to ({@code d4}, ..., {@code d0}) of a five-dimensional {@code map}. */
    public static void store(KernelContext context, TensorMap map, float[] tile, int tileOffset, int d4, int d3, int d2, int d1, int d0) {
        storeFloats(context, map, tile, tileOffset, d4, d3, d2, d1, d0);
    }

    private static void storeFloats(KernelContext context, TensorMap map, float[] tile, int tileOffset, int... corner) {
        int[] at0 = check(map, corner, 4, tile.length, tileOffset, 1);
        checkStoreStart(map, corner);
        storeBox(context, map, at0, (global, at, i) -> global.setAtIndex(ValueLayout.JAVA_FLOAT, at, tile[tileOffset + slot(map, i)]));
    }

    /** Stores {@code tile}'s 16-bit box (in pairs) to ({@code row}, {@code column}) of {@code map}, its elements inside the region. */
    public static void store(KernelContext context, TensorMap map, int[] tile, int tileOffset, int row, int column) {
        storePairs(context, map, tile, tileOffset, row, column);
    }

    /** Stores {@code tile}'s 16-bit box (in pairs) to ({@code d3}, {@code d2}, {@code d1}, {@code d0}) of a four-dimensional {@code map}. */
    public static void store(KernelContext context, TensorMap map, int[] tile, int tileOffset, int d3, int d2, int d1, int d0) {
        storePairs(context, map, tile, tileOffset, d3, d2, d1, d0);
    }

    /** Stores {@code tile}'s 16-bit box (in pairs) to ({@code d4}, ..., {@code d0}) of a five-dimensional {@code map}. */
    public static void store(KernelContext context, TensorMap map, int[] tile, int tileOffset, int d4, int d3, int d2, int d1, int d0) {
        storePairs(context, map, tile, tileOffset, d4, d3, d2, d1, d0);
    }

    private static void storePairs(KernelContext context, TensorMap map, int[] tile, int tileOffset, int... corner) {
        int[] at0 = check(map, corner, 2, tile.length, tileOffset, 2);
        checkStoreStart(map, corner);
        storeBox(context, map, at0,
                (global, at, i) -> global.setAtIndex(ValueLayout.JAVA_SHORT, at, (short) (tile[tileOffset + slot(map, i / 2)] >>> 16 * (i & 1))));
    }

    /** Refuses a store box that starts before the region ({@code corner} outermost first): on Hopper it stops the kernel. */
    private static void checkStoreStart(TensorMap map, int[] corner) {
        for (int d = 0; d < corner.length; d++) {
            if (corner[d] < 0) {
                throw new IllegalArgumentException("Tma.store corner: " + Arrays.toString(corner) + " (outermost first) of " + map
                        + " starts before the region (" + corner[d] + "); allowed: coordinates of 0 or more, as Hopper's tensor stores need");
            }
        }
    }

    /** How a store writes box element {@code i} to array index {@code at} of {@code global}. */
    private interface ElementStore {
        void write(MemorySegment global, long at, int i);
    }

    /** A store: the group's writes to the tile are published, then its share of the box elements inside the region written. */
    private static void storeBox(KernelContext context, TensorMap map, int[] at0, ElementStore store) {
        context.localBarrier();
        MemorySegment global = map.deviceArray().segment();
        eachOfBox(context, map, 1, i -> {
            long at = element(map, at0, i);
            if (at >= 0) {
                store.write(global, at, i);
            }
        });
    }

    /** Waits until the group's {@link #store}s have written global memory and read their tiles. */
    public static void waitStores(KernelContext context) {
        context.localBarrier();
    }

    /** This work-item's share of the box: {@code copy} takes the index of each of its units of {@code elementsPerUnit} elements. */
    private static void eachOfBox(KernelContext context, TensorMap map, int elementsPerUnit, IntConsumer copy) {
        int units = map.boxElements() / elementsPerUnit, items = WorkItems.groupItems(context);
        for (int unit = WorkItems.linearLocalId(context); unit < units; unit += items) {
            copy.accept(unit);
        }
    }

    /** The tile element (a float, or an int of two 16-bit elements) that holds the box's 4-byte unit {@code unit}: the map's swizzle. */
    private static int slot(TensorMap map, int unit) {
        return map.tileByte(unit * 4) / 4;
    }

    /** The array index of box element {@code i} of the box whose first element is at {@code at0} (innermost first), or -1 outside the region. */
    private static long element(TensorMap map, int[] at0, int i) {
        long at = map.offset();
        int rest = i;
        for (int d = 0; d < TensorMap.MAX_RANK; d++) {
            long x = (long) at0[d] + rest % map.box(d);
            rest /= map.box(d);
            if (x < 0 || x >= map.size(d)) {
                return -1;
            }
            at += x * map.stride(d);
        }
        return at;
    }

    /**
     * The rules CUDA's copies keep, checked on the JVM so that a kernel breaking them fails here too; returns the box's
     * first element {@code corner} (outermost first) innermost first, 0 past the map's rank.
     */
    private static int[] check(TensorMap map, int[] corner, int elementBytes, int tileLength, int tileOffset, int perTileElement) {
        int rank = corner.length;
        if (map.rank() != rank) {
            throw new IllegalArgumentException("Tma coordinates: " + rank + " for " + map + "; allowed: as many as the map has dimensions ("
                    + map.rank() + ")");
        }
        int[] at0 = new int[TensorMap.MAX_RANK];
        for (int d = 0; d < rank; d++) {
            at0[d] = corner[rank - 1 - d];
        }
        int column = at0[0];
        if (map.elementBytes() != elementBytes) {
            throw new IllegalArgumentException("Tma tile: a " + (elementBytes == 4 ? "float[]" : "int[]") + " tile for " + map
                    + "; allowed: a float[] tile for an fp32 map, an int[] tile (pairs) for a 16-bit map");
        }
        if ((long) column * elementBytes % TensorMap.ALIGNMENT != 0) {
            throw new IllegalArgumentException("Tma column: " + column + " (" + (long) column * elementBytes + " bytes from the region's first"
                    + " column); allowed: a multiple of " + TensorMap.ALIGNMENT + " bytes (" + TensorMap.ALIGNMENT / elementBytes
                    + " elements of " + map + "), as Hopper's tensor copies need");
        }
        long bytesFromStart = (long) tileOffset * 4;
        int alignment = map.tileAlignment();
        if (tileOffset < 0 || bytesFromStart % alignment != 0) {
            throw new IllegalArgumentException("Tma tileOffset: " + tileOffset + "; allowed: 0 or more, a multiple of " + alignment + " bytes ("
                    + alignment / 4 + " elements of the tile" + (map.swizzle() == 0 ? "" : ", for " + map) + ")");
        }
        long needed = tileOffset + (long) map.boxElements() / perTileElement;
        if (needed > tileLength) {
            throw new IllegalArgumentException("Tma tile: " + tileLength + " elements, a box of " + map.boxElements() + " elements ("
                    + map + ") from offset " + tileOffset + " needs " + needed);
        }
        return at0;
    }
}
