package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DistinctIndex;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

/**
 * The data movement of a global pair when one sequence is split across ranks (see
 * {@link SequenceSplit}): each rank sends the rows of its chunk that the pair selects, the ranks of
 * a segment gather them, and the backward returns the keys' gradients the same way in reverse.
 * <p>
 * Row m of head j of a segment is its position {@code (j mod r) + m r} (below the segment length W);
 * rank e of the segment's group owns the rows whose position falls in its chunk
 * {@code [e l, (e + 1) l)}. A rank's <em>block</em> is {@code [B][rows][H][D]}: its rows
 * {@code begin .. begin + rows - 1} over every head, zero where a head's row lies in a neighbour's chunk
 * (chunks need not hold whole multiples of r, so the heads' rows start at different m). The
 * <em>gathered</em> keys are {@code [B][M][H][D]}, M = ceil(W / r), row m of head j from the block of
 * its owner. {@code table} holds, per rank e of the group, {@code begin}, {@code rows} and the block's
 * first row in the gathered blocks (B times the rows of the blocks before it).
 */
public final class SequenceParallelKernels {
    private SequenceParallelKernels() {
    }

    /** The row of (b, m, j) in this rank's dense [B][l][H] rows, or -1 when another rank (or no rank) holds it. */
    static long localRow(int b, int m, int j, int chunk, int h, int r, int segment, int chunkIndex) {
        int offset = j % r + m * r;
        int p = offset - chunkIndex * chunk;
        return offset >= segment || p < 0 || p >= chunk ? -1 : ((long) b * chunk + p) * h + j;
    }

    /** The dense element that element i of this rank's block holds, or -1 where the block holds a zero. */
    static long blockSource(long i, int chunk, int h, int d, int r, int segment, int chunkIndex, int begin, int rows) {
        long row = i / d;
        long at = localRow((int) (row / h / rows), begin + (int) (row / h % rows), (int) (row % h), chunk, h, r, segment, chunkIndex);
        return at < 0 ? -1 : at * d + i % d;
    }

    /** The element of the gathered blocks that holds element i of the gathered keys, or -1 past a head's last row. */
    static long gatheredSource(long i, IntArray table, int chunk, int h, int d, int r, int segment, int segmentRows) {
        long row = i / d;
        int j = (int) (row % h);
        int m = (int) (row / h % segmentRows);
        int b = (int) (row / h / segmentRows);
        int offset = j % r + m * r;
        if (offset >= segment) {
            return -1;
        }
        int owner = offset / chunk;
        int begin = table.get(3 * owner);
        int rows = table.get(3 * owner + 1);
        long first = table.get(3 * owner + 2);
        return ((first + (long) b * rows + (m - begin)) * h + j) * d + i % d;
    }

    /** This rank's block of the rows a pair selects, from its dense K or V (fp32). */
    @Kernel
    public static void gatherRows(FloatArray dense, FloatArray block, int batch, int chunk, int h, int d, int r, int segment,
                                  int chunkIndex, int begin, int rows) {
        for (@Parallel long i = 0; i < (long) batch * rows * h * d; i++) {
            long at = blockSource(i, chunk, h, d, r, segment, chunkIndex, begin, rows);
            block.set(i, at < 0 ? 0f : dense.get(at));
        }
    }

    /** {@link #gatherRows} for bf16 K and V (matrix units). */
    @Kernel
    public static void gatherRowsBf16(BFloat16Array dense, BFloat16Array block, int batch, int chunk, int h, int d, int r, int segment,
                                      int chunkIndex, int begin, int rows) {
        for (@Parallel long i = 0; i < (long) batch * rows * h * d; i++) {
            long at = blockSource(i, chunk, h, d, r, segment, chunkIndex, begin, rows);
            block.set(i, at < 0 ? 0f : dense.get(at));
        }
    }

    /** The gathered keys ([B][M][H][D]) from the blocks every rank of the group sent, in group order. */
    @Kernel
    public static void arrangeRows(FloatArray blocks, FloatArray gathered, IntArray table, int chunk, int h, int d, int r, int segment,
                                   int segmentRows) {
        for (@Parallel long i = 0; i < gathered.getSize(); i++) {
            long at = gatheredSource(i, table, chunk, h, d, r, segment, segmentRows);
            gathered.set(i, at < 0 ? 0f : blocks.get(at));
        }
    }

    /** {@link #arrangeRows} for bf16 K and V. */
    @Kernel
    public static void arrangeRowsBf16(BFloat16Array blocks, BFloat16Array gathered, IntArray table, int chunk, int h, int d, int r,
                                       int segment, int segmentRows) {
        for (@Parallel long i = 0; i < gathered.getSize(); i++) {
            long at = gatheredSource(i, table, chunk, h, d, r, segment, segmentRows);
            gathered.set(i, at < 0 ? 0f : blocks.get(at));
        }
    }

    /**
     * The adjoint of {@link #arrangeRows}: the gradient of the gathered keys into every rank's block, for the
     * reduce-scatter that returns each block to its rank. Elements a block does not own stay as they are
     * (zero them first: {@link #zero}).
     */
    @Kernel
    public static void scatterRows(FloatArray gathered, FloatArray blocks, IntArray table, int chunk, int h, int d, int r, int segment,
                                   int segmentRows) {
        for (@Parallel long i = 0; i < gathered.getSize(); i++) {
            @DistinctIndex long at = gatheredSource(i, table, chunk, h, d, r, segment, segmentRows); // each block element is gathered once
            if (at >= 0) {
                blocks.set(at, gathered.get(i));
            }
        }
    }

    /** The adjoint of {@link #gatherRows}: this rank's block of gradients added into its dense dK or dV. */
    @Kernel
    public static void addRows(FloatArray block, FloatArray dense, int batch, int chunk, int h, int d, int r, int segment, int chunkIndex,
                               int begin, int rows) {
        for (@Parallel long i = 0; i < (long) batch * rows * h * d; i++) {
            @DistinctIndex long at = blockSource(i, chunk, h, d, r, segment, chunkIndex, begin, rows); // each dense row feeds one block row
            if (at >= 0) {
                dense.set(at, dense.get(at) + block.get(i));
            }
        }
    }

    /** x = 0. */
    @Kernel
    public static void zero(FloatArray x) {
        for (@Parallel long i = 0; i < x.getSize(); i++) {
            x.set(i, 0f);
        }
    }
}
