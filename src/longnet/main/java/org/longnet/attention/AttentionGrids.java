package org.longnet.attention;

import org.longnet.engine.graph.WorkerGrid;

/**
 * The launch sizes of the attention's kernels, each one dimension of work-groups (CUDA allows 2^31 groups there and only
 * 65535 in y and z), laid out as {@link AttentionBlocks} reads them back.
 */
final class AttentionGrids {
    private AttentionGrids() {
    }

    /** Groups of {@code groupSize} for pair p on one device: row tiles of {@code rowsPerGroup} x (segments x heads) x batch. */
    static WorkerGrid pair(AttentionShape shape, DilatedPair p, int rowsPerGroup, int groupSize) {
        return pair(shape, p, rowsPerGroup, groupSize, 0);
    }

    /** The same with {@code split} more groups a block, for the key tiles that two groups share ({@link KeyTileSplit}). */
    static WorkerGrid pair(AttentionShape shape, DilatedPair p, int rowsPerGroup, int groupSize, int split) {
        int n = shape.seqLen();
        int seg = p.effectiveLength(n);
        long segments = (n + seg - 1) / seg;
        long tiles = ((seg + p.dilationRate() - 1) / p.dilationRate() + rowsPerGroup - 1) / rowsPerGroup + split;
        long groups = tiles * segments * shape.heads() * shape.batch();
        if (groups > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sequence length " + n + " with " + shape.heads() + " heads and batch " + shape.batch()
                    + " needs " + groups + " work-groups for pair " + p + "; at most " + Integer.MAX_VALUE);
        }
        return WorkerGrid.of(groups * groupSize, groupSize);
    }

    /**
     * Groups for a pair across ranks: tiles of this rank's query rows ({@code queries}) or of the gathered keys, times heads,
     * times batch (one segment).
     */
    static WorkerGrid global(AttentionShape shape, SequenceSplit split, GlobalPair gp, int rowsPerGroup, int groupSize, boolean queries) {
        int r = gp.pair.dilationRate();
        long tiles = queries ? AttentionBlocks.queryTiles(gp.segment, r, split.chunk(), rowsPerGroup)
                : (gp.segmentRows + rowsPerGroup - 1) / rowsPerGroup;
        return WorkerGrid.of(tiles * shape.heads() * shape.batch() * groupSize, groupSize);
    }

    /** A warp per row of B*N*H rows ({@link BackwardStartKernels}). */
    static WorkerGrid rowWarps(AttentionShape shape) {
        long groups = (shape.rows() + BackwardStartKernels.ROWS_PER_GROUP - 1) / BackwardStartKernels.ROWS_PER_GROUP;
        return WorkerGrid.of(groups * BackwardStartKernels.GROUP_SIZE, BackwardStartKernels.GROUP_SIZE);
    }
}
