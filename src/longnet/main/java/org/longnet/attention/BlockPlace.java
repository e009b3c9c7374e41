package org.longnet.attention;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Private;

/**
 * Where a work-group of a pair's launch works, found once at the kernel's start: its block (batch element, segment, head),
 * the block's rows, its tile of rows and the block's query rows this launch computes, in a private array of {@link #SIZE}
 * ints. The launches are those {@link AttentionBlocks} lays out: tiles of query rows ({@link #ofQueryTile}) or of key rows
 * ({@link #ofKeyTile}) per block, the whole sequence's queries or one rank's chunk of them. The TMA-fed kernels, which also
 * need their block's place in the tensor maps, have their own ({@link TmaForward#locate}).
 * <p>
 * Key m of the block is row {@code keyRowAt + m * keyRowStep} of K and V (and dK and dV), query a row {@code queryRowAt +
 * a * queryRowStep} of Q, O, dO, LSE, Delta and dQ (the same rows on one device); a row's d elements start at row * d of the
 * {@code [B][N][H][d]} arrays.
 */
@DeviceFunctions
public final class BlockPlace {
    /** The array's length, and what each element holds. */
    static final int SIZE = 7, BATCH = 0, SEGMENT = 1, HEAD = 2, ROWS = 3, TILE = 4, QUERY_BEGIN = 5, QUERY_END = 6;

    private BlockPlace() {
    }

    /** The place of a group of a launch of {@link AttentionBlocks#queryTiles} tiles of {@code tileRows} query rows a block. */
    static void ofQueryTile(KernelContext ctx, int n, int h, int w, int r, int chunk, int chunkIndex, int tileRows, @Private int[] at) {
        int seg = AttentionBlocks.segmentLength(w, n);
        int tiles = AttentionBlocks.queryTiles(seg, r, chunk, tileRows);
        int blocks = AttentionBlocks.blocksPerBatch(n, seg, h);
        place(n, h, r, seg, chunk, chunkIndex, AttentionBlocks.blockOf(ctx.groupIdx, tiles, blocks), AttentionBlocks.batchOf(ctx.groupIdx, tiles, blocks),
                AttentionBlocks.queryTileOf(ctx.groupIdx, tiles), at);
    }

    /** The place of a group of a launch of {@link AttentionBlocks#keyTiles} tiles of {@code tileRows} key rows a block. */
    static void ofKeyTile(KernelContext ctx, int n, int h, int w, int r, int chunk, int chunkIndex, int tileRows, @Private int[] at) {
        int seg = AttentionBlocks.segmentLength(w, n);
        int tiles = AttentionBlocks.keyTiles(seg, r, tileRows);
        int blocks = AttentionBlocks.blocksPerBatch(n, seg, h);
        place(n, h, r, seg, chunk, chunkIndex, AttentionBlocks.blockOf(ctx.groupIdx, tiles, blocks), AttentionBlocks.batchOf(ctx.groupIdx, tiles, blocks),
                AttentionBlocks.tileOf(ctx.groupIdx, tiles), at);
    }

    private static void place(int n, int h, int r, int seg, int chunk, int chunkIndex, int block, int batch, int tile, @Private int[] at) {
        at[BATCH] = batch;
        at[SEGMENT] = block / h;
        at[HEAD] = block % h;
        at[ROWS] = AttentionBlocks.rowsInBlock(n, seg, r, at[SEGMENT], at[HEAD] % r);
        at[TILE] = tile;
        at[QUERY_BEGIN] = AttentionBlocks.queryBegin(at[HEAD] % r, r, at[ROWS], chunk, chunkIndex);
        at[QUERY_END] = AttentionBlocks.queryEnd(at[HEAD] % r, r, at[ROWS], chunk, chunkIndex);
    }

    /** Row 0 of the block's keys in the rows of K and V ({@link AttentionBlocks#keyRowAt}). */
    static long keyRowAt(@Private int[] at, int n, int h, int w, int r, int keyRows) {
        return AttentionBlocks.keyRowAt(at[BATCH], at[SEGMENT], AttentionBlocks.segmentLength(w, n), at[HEAD] % r, at[HEAD], n, h, keyRows);
    }

    /** Row 0 of the block's queries in the rows of Q, O, LSE, Delta and dQ ({@link AttentionBlocks#queryRowAt}). */
    static long queryRowAt(@Private int[] at, int n, int h, int w, int r, int keyRows, int chunk, int chunkIndex) {
        return AttentionBlocks.queryRowAt(at[BATCH], at[SEGMENT], AttentionBlocks.segmentLength(w, n), at[HEAD] % r, at[HEAD], n, h, keyRows,
                chunk, chunkIndex);
    }
}
