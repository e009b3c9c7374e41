package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.graph.TaskGraph;

/**
 * The tensor maps through which {@link TmaForward} and {@link TmaBackward} read a pair's blocks. A [B][N][H][64] bf16
 * array is seen as rows of r positions: (64 channels, r·H, ceil(B N / r), 1), innermost first, so that position p of head j
 * is row p / r, column (p mod r) H + j. A block's rows p0, p0 + r, p0 + 2r, ... keep p0's residue modulo r, so they are one
 * stride apart from row p0 / r ({@link AttentionBlocks#mapRow}) of column {@link AttentionBlocks#mapColumn}, whatever the
 * segment length, dilation and sequence length. Boxes of 64 rows of one column, under the 128-byte swizzle the matrix units
 * read.
 * <p>
 * The map's last row may reach past the B N positions, by fewer than r: an array read through it holds
 * {@link #mapElements} elements ({@link #fits}), and the kernels' owner zeroes the slack after the positions
 * ({@link DilatedAttentionKernels#zeroTail}), since a row past a block is masked only as far as its values are finite.
 */
final class TmaMaps {
    /** bf16 elements of one row of a head, and the swizzle span (bytes) they fill. */
    private static final int ROW = AttentionTiles.MMA_HEAD_DIM, SWIZZLE = 128;

    private TmaMaps() {
    }

    /** Rows of the map of dilation r: ceil(B N / r). */
    private static long mapRows(AttentionShape shape, int r) {
        return ((long) shape.batch() * shape.seqLen() + r - 1) / r;
    }

    /** Elements an array needs to be read through the map of dilation r: whole map rows, B N positions rounded up to r. */
    static long mapElements(AttentionShape shape, int r) {
        return mapRows(shape, r) * r * shape.heads() * ROW;
    }

    /**
     * Elements for each bf16 operand of {@code shape} that the pairs of {@code config} read through their maps: B N H D, or
     * more where a pair's dilation does not divide B N (fewer than r H D more).
     */
    static long operandElements(AttentionShape shape, DilatedAttentionConfig config) {
        long elements = shape.elements();
        if (shape.headDim() == ROW) {
            for (DilatedPair p : config.pairs()) {
                elements = Math.max(elements, mapElements(shape, p.dilationRate()));
            }
        }
        return elements;
    }

    /** Refuses, with one line, a bf16 operand of neither B N H D nor {@link #operandElements} elements. */
    static void checkOperands(AttentionShape shape, DilatedAttentionConfig config, BFloat16Array... arrays) {
        long padded = operandElements(shape, config);
        for (BFloat16Array a : arrays) {
            if (a.getSize() != shape.elements() && a.getSize() != padded) {
                throw new IllegalArgumentException("attention bf16 operands must hold B*N*H*D = " + shape.elements()
                        + (padded == shape.elements() ? "" : " or, with the tensor maps' slack, " + padded) + " elements for " + shape
                        + ", one holds " + a.getSize());
            }
        }
    }

    /** Task {@code task}, which zeroes {@code x}'s elements after the shape's B N H D, where it has any. */
    static void zeroSlack(TaskGraph graph, String task, AttentionShape shape, BFloat16Array x) {
        long from = shape.elements(), count = x.getSize() - from;
        if (count > 0) {
            graph.task(task, DilatedAttentionKernels::zeroTail, x, from, count);
        }
    }

    /**
     * Whether the map of dilation r can be made and every one of {@code arrays} holds the elements it reads: the kernels
     * locate a block by its position in int arithmetic ({@link AttentionBlocks#mapPosition}), so B N must stay under 2^31.
     */
    static boolean fits(AttentionShape shape, int r, BFloat16Array... arrays) {
        if ((long) shape.batch() * shape.seqLen() > Integer.MAX_VALUE) {
            return false;
        }
        for (BFloat16Array a : arrays) {
            if (a.getSize() < mapElements(shape, r)) {
                return false;
            }
        }
        return true;
    }

    /** The block map of {@code array} ([batch][n][heads][64], at least {@link #mapElements}) for dilation r, in boxes of {@code boxRows} rows. */
    static TensorMap of(BFloat16Array array, AttentionShape shape, int r, int boxRows) {
        long h = shape.heads(), rows = mapRows(shape, r);
        return TensorMap.of(array, 0, new long[] {ROW, r * h, rows, 1}, new long[] {ROW, r * h * ROW, rows * r * h * ROW},
                new int[] {ROW, 1, boxRows, 1}).withSwizzle(SWIZZLE);
    }
}
