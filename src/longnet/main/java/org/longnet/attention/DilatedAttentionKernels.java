package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/**
 * Dilated attention (LONGNET_SPEC.md §1–§2), fp32, flash-style: nothing of size N x N or of size
 * "one output per pair" is ever stored.
 * <p>
 * Layout: Q, K, V, O are {@code [B][N][H][D]}; LSE is {@code [B][N][H]}. For one (segment length
 * w, dilation r) pair a sparse block is (batch b, segment s, head j): the rows
 * {@code s*W + (j mod r) + m*r} of that segment (W = min(w, N)), cut at N. One work-group of
 * {@link #TILE} work-items owns {@link #TILE} consecutive rows of a block; the launch is one
 * dimension of (row tile, segment x head, batch) groups, since CUDA allows 2^31 groups there and
 * only 65535 in y and z. Keys and values pass through local memory a tile at a time,
 * with an online softmax. At the end each row's (output, lse) for this pair is merged into the
 * running (O, LSE) by log-sum-exp weights (§2.1), which is exactly the mixture over pairs.
 * <p>
 * Backward (§2.3) uses the final mixed LSE L and Delta = dot(dO, O): with P = exp(z - L), a key
 * gets dV += P dO and dz = P (dot(dO, V) - Delta); one kernel owns query rows (dQ), one owns key
 * rows (dK, dV), so no two work-items write the same element.
 */
public final class DilatedAttentionKernels {
    /** Rows per work-group and keys per local-memory tile. */
    public static final int TILE = 32;
    /** Largest head dimension the fp32 kernels hold in registers. */
    public static final int MAX_D = 128;

    private DilatedAttentionKernels() {
    }

    /** Rows of the block (segment s, head offset o) for segment length seg: offset < seg and position < n. */
    static int rowsInBlock(int n, int seg, int r, int s, int o) {
        int limit = KernelMath.min(seg, n - s * seg) - o;
        return limit <= 0 ? 0 : (limit + r - 1) / r;
    }

    /** Row tiles of the largest block of a pair: ceil(ceil(seg / r) / TILE). */
    static int tilesPerBlock(int seg, int r) {
        return ((seg + r - 1) / r + TILE - 1) / TILE;
    }

    /** Index of (b, position, head) in a [B][N][H] array. */
    static long rowIndex(int b, int position, int j, int n, int h) {
        return ((long) b * n + position) * h + j;
    }

    // Block geometry. A block's rows m = 0 .. rows - 1 are its keys; its queries are the same rows, or,
    // when the sequence is split into chunks across ranks (SequenceSplit), those of one chunk. Keys sit in
    // the dense [B][N][H] rows (keyRows 0: row m at position s W + o + m r) or, gathered from the ranks
    // of a segment, in a compact [B][keyRows][H] layout (row m at index m). Queries are in the dense
    // rows of the whole sequence (chunk 0) or of this rank's chunk of {@code chunk} positions, chunk
    // {@code chunkIndex} of the segment: row m at position o + m r - chunkIndex chunk.

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

    /** Groups of {@code tileRows} query rows per block: enough for a whole segment, or for the rows one chunk holds. */
    static int queryTiles(int seg, int r, int chunk, int tileRows) {
        int span = chunk == 0 ? seg : chunk;
        return ((span + r - 1) / r + tileRows - 1) / tileRows;
    }

    /** Row 0 of a block's keys in the rows of K and V. */
    static long keyRowAt(int b, int s, int seg, int o, int j, int n, int h, int keyRows) {
        return keyRows == 0 ? rowIndex(b, s * seg + o, j, n, h) : rowIndex(b, 0, j, keyRows, h);
    }

    /** Rows between a block's consecutive keys. */
    static int keyRowStep(int r, int h, int keyRows) {
        return keyRows == 0 ? r * h : h;
    }

    /** Row 0 of a block's queries in the rows of Q, O, LSE (a virtual row before the chunk when the chunk starts later). */
    static long queryRowAt(int b, int s, int seg, int o, int j, int n, int h, int keyRows, int chunk, int chunkIndex) {
        return chunk == 0 ? keyRowAt(b, s, seg, o, j, n, h, keyRows) : rowIndex(b, o - chunkIndex * chunk, j, chunk, h);
    }

    /** Rows between a block's consecutive queries. */
    static int queryRowStep(int r, int h, int keyRows, int chunk) {
        return chunk == 0 ? keyRowStep(r, h, keyRows) : r * h;
    }

    /** O = 0 and LSE = -inf: nothing covered yet. */
    @Kernel
    public static void resetMixture(FloatArray out, FloatArray lse) {
        for (@Parallel long i = 0; i < out.getSize(); i++) {
            out.set(i, 0f);
            if (i < lse.getSize()) {
                lse.set(i, Float.NEGATIVE_INFINITY);
            }
        }
    }

    /**
     * One pair's attention for a tile of {@link #TILE} query rows of a block, merged into O and LSE.
     * {@code keyRows}, {@code chunk}, {@code chunkIndex}: the block geometry (0, 0, 0 on one device;
     * see {@link #queryBegin}).
     */
    @Kernel
    public static void forwardPair(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray out, FloatArray lse,
                                   int n, int h, int d, int w, int r, int causal, float scale, int keyRows, int chunk, int chunkIndex) {
        float[] keys = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] values = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] query = new float[MAX_D];
        float[] acc = new float[MAX_D];
        int lid = ctx.localIdx;
        int seg = KernelMath.min(w, n);
        int tiles = queryTiles(seg, r, chunk, TILE);
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        int a0 = queryBegin(o, r, rows, chunk, chunkIndex) + tile * TILE;
        int queryLimit = queryEnd(o, r, rows, chunk, chunkIndex);
        int a = a0 + lid;
        boolean valid = a < queryLimit;
        long keyAt = keyRowAt(b, s, seg, o, j, n, h, keyRows);
        int keyStep = keyRowStep(r, h, keyRows);
        long at = queryRowAt(b, s, seg, o, j, n, h, keyRows, chunk, chunkIndex) + (long) a * queryRowStep(r, h, keyRows, chunk);
        if (valid) {
            for (int e = 0; e < d; e++) {
                query[e] = q.get(at * d + e);
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        float sum = 0f;
        int lastKey = causal == 1 ? KernelMath.min(rows - 1, a0 + TILE - 1) : rows - 1;
        for (int t0 = 0; t0 <= lastKey; t0 += TILE) {
            int t = t0 + lid;
            if (t < rows) {
                long base = (keyAt + (long) t * keyStep) * d;
                for (int e = 0; e < d; e++) {
                    keys[lid * MAX_D + e] = k.get(base + e);
                    values[lid * MAX_D + e] = v.get(base + e);
                }
            }
            ctx.localBarrier();
            if (valid) {
                int end = KernelMath.min(TILE, rows - t0);
                if (causal == 1) {
                    end = KernelMath.min(end, a - t0 + 1);
                }
                for (int tt = 0; tt < end; tt++) {
                    float z = 0f;
                    for (int e = 0; e < d; e++) {
                        z += query[e] * keys[tt * MAX_D + e];
                    }
                    z *= scale;
                    float newMax = KernelMath.max(max, z);
                    float correction = KernelMath.exp(max - newMax);
                    float p = KernelMath.exp(z - newMax);
                    sum = sum * correction + p;
                    for (int e = 0; e < d; e++) {
                        acc[e] = acc[e] * correction + p * values[tt * MAX_D + e];
                    }
                    max = newMax;
                }
            }
            ctx.localBarrier();
        }
        if (valid) {
            float pairLse = max + KernelMath.log(sum);
            float previous = lse.get(at);
            float top = KernelMath.max(previous, pairLse);
            float merged = top + KernelMath.log(KernelMath.exp(previous - top) + KernelMath.exp(pairLse - top));
            float keep = KernelMath.exp(previous - merged);
            float take = KernelMath.exp(pairLse - merged) / sum;
            for (int e = 0; e < d; e++) {
                out.set(at * d + e, out.get(at * d + e) * keep + acc[e] * take);
            }
            lse.set(at, merged);
        }
    }

    /** Delta = dot(dO, O) per row: the start of every backward pass. */
    @Kernel
    public static void deltas(FloatArray out, FloatArray gradOut, FloatArray delta, int d) {
        for (@Parallel long row = 0; row < delta.getSize(); row++) {
            float dot = 0f;
            for (int e = 0; e < d; e++) {
                dot += gradOut.get(row * d + e) * out.get(row * d + e);
            }
            delta.set(row, dot);
        }
    }

    /**
     * dQ, dK, dV = 0 before the pairs add to them, one element per work-item so that neighbouring
     * work-items write neighbouring elements (not rows 256 bytes apart, as a row per work-item would).
     */
    @Kernel
    public static void zeroGradients(FloatArray gradQ, FloatArray gradK, FloatArray gradV) {
        for (@Parallel long i = 0; i < gradQ.getSize(); i++) {
            gradQ.set(i, 0f);
            gradK.set(i, 0f);
            gradV.set(i, 0f);
        }
    }

    /** dQ of one pair for a tile of query rows (block geometry as {@link #forwardPair}). */
    @Kernel
    public static void backwardQuery(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray gradOut,
                                     FloatArray delta, FloatArray lse, FloatArray gradQ,
                                     int n, int h, int d, int w, int r, int causal, float scale, int keyRows, int chunk, int chunkIndex) {
        float[] keys = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] values = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] query = new float[MAX_D];
        float[] grad = new float[MAX_D];
        float[] dq = new float[MAX_D];
        int lid = ctx.localIdx;
        int seg = KernelMath.min(w, n);
        int tiles = queryTiles(seg, r, chunk, TILE);
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        int a0 = queryBegin(o, r, rows, chunk, chunkIndex) + tile * TILE;
        int a = a0 + lid;
        boolean valid = a < queryEnd(o, r, rows, chunk, chunkIndex);
        long keyAt = keyRowAt(b, s, seg, o, j, n, h, keyRows);
        int keyStep = keyRowStep(r, h, keyRows);
        long at = queryRowAt(b, s, seg, o, j, n, h, keyRows, chunk, chunkIndex) + (long) a * queryRowStep(r, h, keyRows, chunk);
        float rowLse = 0f;
        float rowDelta = 0f;
        if (valid) {
            for (int e = 0; e < d; e++) {
                query[e] = q.get(at * d + e);
                grad[e] = gradOut.get(at * d + e);
            }
            rowLse = lse.get(at);
            rowDelta = delta.get(at);
        }
        int lastKey = causal == 1 ? KernelMath.min(rows - 1, a0 + TILE - 1) : rows - 1;
        for (int t0 = 0; t0 <= lastKey; t0 += TILE) {
            int t = t0 + lid;
            if (t < rows) {
                long base = (keyAt + (long) t * keyStep) * d;
                for (int e = 0; e < d; e++) {
                    keys[lid * MAX_D + e] = k.get(base + e);
                    values[lid * MAX_D + e] = v.get(base + e);
                }
            }
            ctx.localBarrier();
            if (valid) {
                int end = KernelMath.min(TILE, rows - t0);
                if (causal == 1) {
                    end = KernelMath.min(end, a - t0 + 1);
                }
                for (int tt = 0; tt < end; tt++) {
                    float z = 0f;
                    float gv = 0f;
                    for (int e = 0; e < d; e++) {
                        z += query[e] * keys[tt * MAX_D + e];
                        gv += grad[e] * values[tt * MAX_D + e];
                    }
                    float p = KernelMath.exp(z * scale - rowLse);
                    float dz = p * (gv - rowDelta) * scale;
                    for (int e = 0; e < d; e++) {
                        dq[e] += dz * keys[tt * MAX_D + e];
                    }
                }
            }
            ctx.localBarrier();
        }
        if (valid) {
            for (int e = 0; e < d; e++) {
                gradQ.set(at * d + e, gradQ.get(at * d + e) + dq[e]);
            }
        }
    }

    /** dK and dV of one pair for a tile of key rows (block geometry as {@link #forwardPair}: only this launch's queries count). */
    @Kernel
    public static void backwardKeyValue(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray gradOut,
                                        FloatArray delta, FloatArray lse, FloatArray gradK, FloatArray gradV,
                                        int n, int h, int d, int w, int r, int causal, float scale, int keyRows, int chunk, int chunkIndex) {
        float[] queries = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] grads = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] rowLse = ctx.allocateFloatLocalArray(TILE);
        float[] rowDelta = ctx.allocateFloatLocalArray(TILE);
        float[] key = new float[MAX_D];
        float[] value = new float[MAX_D];
        float[] dk = new float[MAX_D];
        float[] dv = new float[MAX_D];
        int lid = ctx.localIdx;
        int seg = KernelMath.min(w, n);
        int tiles = tilesPerBlock(seg, r);
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int t = tile * TILE + lid;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        int queryLimit = queryEnd(o, r, rows, chunk, chunkIndex);
        boolean valid = t < rows;
        long at = keyRowAt(b, s, seg, o, j, n, h, keyRows) + (long) t * keyRowStep(r, h, keyRows);
        long queryAt = queryRowAt(b, s, seg, o, j, n, h, keyRows, chunk, chunkIndex);
        int queryStep = queryRowStep(r, h, keyRows, chunk);
        if (valid) {
            for (int e = 0; e < d; e++) {
                key[e] = k.get(at * d + e);
                value[e] = v.get(at * d + e);
            }
        }
        int firstQuery = KernelMath.max(causal == 1 ? tile * TILE : 0, queryBegin(o, r, rows, chunk, chunkIndex));
        for (int a0 = firstQuery; a0 < queryLimit; a0 += TILE) {
            int a = a0 + lid;
            if (a < queryLimit) {
                long row = queryAt + (long) a * queryStep;
                for (int e = 0; e < d; e++) {
                    queries[lid * MAX_D + e] = q.get(row * d + e);
                    grads[lid * MAX_D + e] = gradOut.get(row * d + e);
                }
                rowLse[lid] = lse.get(row);
                rowDelta[lid] = delta.get(row);
            }
            ctx.localBarrier();
            if (valid) {
                int end = KernelMath.min(TILE, queryLimit - a0);
                for (int aa = 0; aa < end; aa++) {
                    if (causal == 1 && a0 + aa < t) {
                        continue;
                    }
                    float z = 0f;
                    float gv = 0f;
                    for (int e = 0; e < d; e++) {
                        z += queries[aa * MAX_D + e] * key[e];
                        gv += grads[aa * MAX_D + e] * value[e];
                    }
                    float p = KernelMath.exp(z * scale - rowLse[aa]);
                    float dz = p * (gv - rowDelta[aa]) * scale;
                    for (int e = 0; e < d; e++) {
                        dv[e] += p * grads[aa * MAX_D + e];
                        dk[e] += dz * queries[aa * MAX_D + e];
                    }
                }
            }
            ctx.localBarrier();
        }
        if (valid) {
            for (int e = 0; e < d; e++) {
                gradK.set(at * d + e, gradK.get(at * d + e) + dk[e]);
                gradV.set(at * d + e, gradV.get(at * d + e) + dv[e]);
            }
        }
    }
}
