package org.longnet.attention;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.KernelMath;

/**
 * Which rows a work-group of an attention kernel owns: the one place that answers it, for the fp32 and
 * the matrix-unit kernels alike (FlashAttention's block_info).
 * <p>
 * Q, K, V, O are {@code [B][N][H][D]}, LSE and Delta {@code [B][N][H]}. For one (segment length w,
 * dilation r) pair a block is (batch b, segment s, head j): the rows {@code s W + (j mod r) + m r} of
 * that segment (W = min(w, N)), cut at N. A launch is one dimension of (tile, segment x head, batch)
 * groups, since CUDA allows 2^31 groups there and only 65535 in y and z.
 * <p>
 * A block's rows m = 0 .. rows - 1 are its keys; its queries are the same rows, or, when the sequence is
 * split across ranks ({@link SequenceSplit}), those of this rank's chunk. Keys sit in the dense rows
 * ({@code keyRows} 0: row m at position s W + o + m r) or, gathered from the ranks of a segment, in a
 * compact {@code [B][keyRows][H]} layout (row m at index m). Queries are in the dense rows of the whole
 * sequence ({@code chunk} 0) or of this rank's chunk of {@code chunk} positions, chunk {@code chunkIndex}
 * of the segment: row m at position o + m r - chunkIndex chunk. On one device all three are 0.
 * <p>
 * {@link BlockPlace} gathers these answers for one group at a kernel's start.
 */
@DeviceFunctions
public final class AttentionBlocks {
    private AttentionBlocks() {
    }

    /** The segment length a pair uses in a sequence of n: w, capped at n. */
    static int segmentLength(int w, int n) {
        return KernelMath.min(w, n);
    }

    /** Blocks per batch element: segments times heads. */
    static int blocksPerBatch(int n, int seg, int h) {
        return (n + seg - 1) / seg * h;
    }

    /**
     * The key tile of its block that work-group {@code group} owns, in order: under a causal mask tile 0 sees the most
     * queries, so the heaviest groups of a block start first and the last wave holds the lightest.
     */
    static int tileOf(int group, int tiles) {
        return group % tiles;
    }

    /**
     * The query tile of its block that work-group {@code group} owns, last first: under a causal mask the last tile sees the
     * most keys, so the heaviest groups start first and the launch's last wave holds the lightest (without the mask the order
     * changes nothing).
     */
    static int queryTileOf(int group, int tiles) {
        return tiles - 1 - group % tiles;
    }

    /** The block (segment x heads + head) that work-group {@code group} works on. */
    static int blockOf(int group, int tiles, int blocks) {
        return group / tiles % blocks;
    }

    /** The batch element that work-group {@code group} works on. */
    static int batchOf(int group, int tiles, int blocks) {
        return group / tiles / blocks;
    }

    /**
     * The slot of work-group {@code group} among its batch element's groups in a split launch ({@link KeyTileSplit}), where each
     * block has {@code slots} groups: slot-major (slot 0 of every block, then slot 1, ...), so that the heaviest parts of every
     * block start in the launch's first wave.
     */
    static int splitSlotOf(int group, int slots, int blocks) {
        return group % (slots * blocks) / blocks;
    }

    /** The block that work-group {@code group} of a split launch works on. */
    static int splitBlockOf(int group, int blocks) {
        return group % blocks;
    }

    /** The batch element that work-group {@code group} of a split launch works on. */
    static int splitBatchOf(int group, int slots, int blocks) {
        return group / (slots * blocks);
    }

    /**
     * The key tile of slot {@code slot} of a block of {@code tiles} key tiles whose first {@code split} are split, in about
     * decreasing order of work (causal: tile t sees the queries from 128 t on): the two halves of tile i, then the whole tile
     * split + i, for as long as both last; then the remaining halves, or whole tiles.
     */
    static int splitTileOf(int slot, int split, int tiles) {
        int triples = KernelMath.min(split, tiles - split);
        if (slot < 3 * triples) {
            return slot % 3 == 2 ? split + slot / 3 : slot / 3;
        }
        int rest = slot - 3 * triples;
        return split > triples ? triples + rest / 2 : split + triples + rest;
    }

    /** Which of its tile's query windows slot {@code slot} takes ({@link #splitTileOf}): 0 all of them, 1 the first half, 2 the rest. */
    static int splitPartOf(int slot, int split, int tiles) {
        int triples = KernelMath.min(split, tiles - split);
        if (slot < 3 * triples) {
            return slot % 3 == 2 ? 0 : 1 + slot % 3;
        }
        return split > triples ? 1 + (slot - 3 * triples) % 2 : 0;
    }

    /** Rows of the block (segment s, head offset o) for segment length seg: offset < seg and position < n. */
    static int rowsInBlock(int n, int seg, int r, int s, int o) {
        int limit = KernelMath.min(seg, n - s * seg) - o;
        return limit <= 0 ? 0 : (limit + r - 1) / r;
    }

    /** Index of (b, position, head) in a [B][N][H] array. */
    static long rowIndex(int b, int position, int j, int n, int h) {
        return ((long) b * n + position) * h + j;
    }

    /** Groups of {@code tileRows} rows that cover the largest block of a pair: ceil(ceil(seg / r) / tileRows). */
    static int keyTiles(int seg, int r, int tileRows) {
        return ((seg + r - 1) / r + tileRows - 1) / tileRows;
    }

    /** Groups of {@code tileRows} query rows per block: enough for a whole segment, or for the rows one chunk holds. */
    static int queryTiles(int seg, int r, int chunk, int tileRows) {
        int span = chunk == 0 ? seg : chunk;
        return ((span + r - 1) / r + tileRows - 1) / tileRows;
    }

    /** The first query row of a block that this launch computes. */
    static int queryBegin(int o, int r, int rows, int chunk, int chunkIndex) {
        int x = chunkIndex * chunk - o;
        return chunk == 0 || x <= 0 ? 0 : KernelMath.min(rows, (x + r - 1) / r);
    }

    /** One past the last query row of a block that this launch computes. */
    static int queryEnd(int o, int r, int rows, int chunk, int chunkIndex) {
        int x = (chunkIndex + 1) * chunk - o;
        return chunk == 0 ? rows : x <= 0 ? 0 : KernelMath.min(rows, (x + r - 1) / r);
    }

    /** Row 0 of a block's keys in the rows of K and V. */
    static long keyRowAt(int b, int s, int seg, int o, int j, int n, int h, int keyRows) {
        return keyRows == 0 ? rowIndex(b, s * seg + o, j, n, h) : rowIndex(b, 0, j, keyRows, h);
    }

    /** Rows between a block's consecutive keys. */
    static int keyRowStep(int r, int h, int keyRows) {
        return keyRows == 0 ? r * h : h;
    }

    /** Row 0 of a block's queries in the rows of Q, O, LSE, Delta and dQ (a virtual row before the chunk when it starts later). */
    static long queryRowAt(int b, int s, int seg, int o, int j, int n, int h, int keyRows, int chunk, int chunkIndex) {
        return chunk == 0 ? keyRowAt(b, s, seg, o, j, n, h, keyRows) : rowIndex(b, o - chunkIndex * chunk, j, chunk, h);
    }

    /** Rows between a block's consecutive queries. */
    static int queryRowStep(int r, int h, int keyRows, int chunk) {
        return chunk == 0 ? keyRowStep(r, h, keyRows) : r * h;
    }

    /**
     * Position p0 = b N + s W + o of the [B N] positions: row 0 of the block of segment s, offset o in batch element b (an int:
     * the maps are made only for B N under 2^31, {@link TmaMaps#fits}).
     */
    static int mapPosition(int b, int n, int s, int seg, int o) {
        return b * n + s * seg + o;
    }

    /** Row 0 of the block at position p0 ({@link #mapPosition}) along the rows dimension of a block map ({@link TmaMaps}): p0 / r. */
    static int mapRow(int p0, int r) {
        return p0 / r;
    }

    /** The block at position p0 of head j along the columns dimension of a block map ({@link TmaMaps}): (p0 mod r) h + j. */
    static int mapColumn(int p0, int r, int j, int h) {
        return p0 % r * h + j;
    }

    /** The last key that any of the {@code tileRows} queries from {@code a0} sees. */
    static int lastKey(int rows, int a0, int tileRows, int causal) {
        return causal == 1 ? KernelMath.min(rows - 1, a0 + tileRows - 1) : rows - 1;
    }
}
