package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;

import static org.longnet.attention.AttentionTiles.HEAD_PAIRS;
import static org.longnet.attention.AttentionTiles.LOG2E;
import static org.longnet.attention.AttentionTiles.MAX_D;
import static org.longnet.attention.AttentionTiles.MMA_HEAD_DIM;

/**
 * Moving a block's rows into local memory: tiles of keys and values (or queries) for the products, and
 * the per-row statistics (LSE, Delta) the backward needs. Row m of a block is row {@code rowAt + m rowStep}
 * of the [B][N][H] rows ({@link AttentionBlocks}); rows past the block's last become zeros.
 */
@DeviceFunctions
public final class TileLoads {
    private TileLoads() {
    }

    /**
     * Starts copying rows {@code first .. first + rowCount - 1} of a block (bf16, head dimension 64) into
     * {@code tile} from its row {@code tileRow} on, in chunk layout ({@link KernelContext#chunkLayoutIndex}); rows at
     * or past {@code rows} become zeros. The copies go on in the background ({@link KernelContext#loadChunkAsync}):
     * the tile is ready after {@code ctx.waitChunks()} and a barrier. Called by all {@code groupSize} work-items;
     * groupSize is a multiple of 64, rowCount of groupSize / 8 and tileRow of 8.
     */
    static void loadRowTile(KernelContext ctx, BFloat16Array x, int[] tile, int tileRow, int first, int rowCount, int rows, long rowAt,
                            int rowStep, int groupSize) {
        // Work-item i copies chunk i of the tile, then chunk i + groupSize, ...: always the same 16
        // channels, rowStep rows further on, so its address steps by a constant and the loop has a trip
        // count known after inlining, and neighbours write neighbouring local memory. Offsets within the
        // block are ints (AttentionTiles.blockOffsetsFit): no 64-bit multiply per tile.
        int lid = ctx.localIdx;
        int row = (lid >> 6) * 8 + (lid & 7);
        int rowsPerStep = groupSize / 8;
        int stride = rowStep * MMA_HEAD_DIM;
        int at = (first + row) * stride + ((lid >> 3) & 7) * 8;
        for (int step = 0; step < rowCount / rowsPerStep; step++) {
            ctx.loadChunkAsync(x, rowAt * MMA_HEAD_DIM + (at + step * rowsPerStep * stride), tile,
                    tileRow * HEAD_PAIRS + (lid + step * groupSize) * 4, first + row + step * rowsPerStep < rows);
        }
    }

    /** L (in base 2: times log2(e)) and Delta of rows {@code first .. first + count - 1} of a block into local memory (0 past {@code rows}). */
    static void loadRowStats(KernelContext ctx, FloatArray lse, FloatArray delta, float[] rowLse, float[] rowDelta, int first,
                             int count, int rows, long rowAt, int rowStep) {
        int lid = ctx.localIdx;
        if (lid < count) {
            rowLse[lid] = rowValue(lse, LOG2E, first + lid, rows, rowAt, rowStep);
            rowDelta[lid] = rowValue(delta, 1f, first + lid, rows, rowAt, rowStep);
        }
    }

    /** Row {@code a}'s element of a per-row array ([B][N][H]) times {@code factor}; 0 at or past {@code rows}. */
    static float rowValue(FloatArray x, float factor, int a, int rows, long rowAt, int rowStep) {
        return a < rows ? x.get(rowAt + a * rowStep) * factor : 0f;
    }

    /** fp32 kernels: work-item {@code lid} copies key row t of a block (head dimension d) into the K and V tiles, if t is a row. */
    static void loadKeyValueRow(FloatArray k, FloatArray v, float[] keys, float[] values, int lid, int t, int rows, long keyAt, int keyStep,
                                int d) {
        if (t < rows) {
            long base = (keyAt + (long) t * keyStep) * d;
            for (int e = 0; e < d; e++) {
                keys[lid * MAX_D + e] = k.get(base + e);
                values[lid * MAX_D + e] = v.get(base + e);
            }
        }
    }
}
