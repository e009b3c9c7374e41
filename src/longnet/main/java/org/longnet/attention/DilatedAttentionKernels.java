package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

import static org.longnet.attention.AttentionTiles.MAX_D;
import static org.longnet.attention.AttentionTiles.TILE;

/**
 * Dilated attention in fp32 on every device (docs/longnet-math.md §2-§4), flash-style: nothing of size
 * N x N or of size "one output per pair" is ever stored. One work-group of {@link AttentionTiles#TILE}
 * work-items owns as many consecutive rows of a block ({@link AttentionBlocks}); keys and values pass
 * through local memory a tile at a time, with an online softmax, and at the end each row's (output, lse)
 * for this pair is merged into the running (O, LSE) by log-sum-exp weights, which is exactly the mixture
 * over pairs ({@link OnlineSoftmax}).
 * <p>
 * Backward: with the final mixed LSE L and Delta = dot(dO, O), P = exp(z - L), a key gets dV += P dO and
 * dz = P (dot(dO, V) - Delta); one kernel owns query rows (dQ), one owns key rows (dK, dV), so no two
 * work-items write the same element. Every kernel takes the block geometry {@code keyRows, chunk,
 * chunkIndex} (0, 0, 0 on one device; see {@link AttentionBlocks}).
 */
public final class DilatedAttentionKernels {
    private DilatedAttentionKernels() {
    }

    /**
     * x[from + i] = 0 for i &lt; count: the slack after bf16 operands that a block map's last row reaches ({@link TmaMaps}),
     * which the masks hide only while it is finite.
     */
    @Kernel
    public static void zeroTail(BFloat16Array x, long from, long count) {
        for (@Parallel long i = 0; i < count; i++) {
            x.set(from + i, 0f);
        }
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

    /** One pair's attention for a tile of query rows of a block, merged into O and LSE. */
    @Kernel
    public static void forwardPair(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray out, FloatArray lse,
                                   int n, int h, int d, int w, int r, int causal, float scale, int keyRows, int chunk, int chunkIndex) {
        float[] keys = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] values = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] query = new float[MAX_D];
        float[] acc = new float[MAX_D];
        int lid = ctx.localIdx;
        int[] place = new int[BlockPlace.SIZE];
        BlockPlace.ofQueryTile(ctx, n, h, w, r, chunk, chunkIndex, TILE, place);
        int rows = place[BlockPlace.ROWS];
        int a0 = place[BlockPlace.QUERY_BEGIN] + place[BlockPlace.TILE] * TILE;
        int queryLimit = place[BlockPlace.QUERY_END];
        int a = a0 + lid;
        boolean valid = a < queryLimit;
        long keyAt = BlockPlace.keyRowAt(place, n, h, w, r, keyRows);
        int keyStep = AttentionBlocks.keyRowStep(r, h, keyRows);
        long at = BlockPlace.queryRowAt(place, n, h, w, r, keyRows, chunk, chunkIndex) + (long) a * AttentionBlocks.queryRowStep(r, h, keyRows, chunk);
        if (valid) {
            for (int e = 0; e < d; e++) {
                query[e] = q.get(at * d + e);
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        float sum = 0f;
        int lastKey = AttentionBlocks.lastKey(rows, a0, TILE, causal);
        for (int t0 = 0; t0 <= lastKey; t0 += TILE) {
            TileLoads.loadKeyValueRow(k, v, keys, values, lid, t0 + lid, rows, keyAt, keyStep, d);
            ctx.localBarrier();
            if (valid) {
                int end = KernelMath.min(TILE, AttentionMasks.visibleKeys(a, queryLimit, rows, causal) - t0);
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
            float merged = OnlineSoftmax.mergedLse(previous, pairLse);
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

    /** dQ of one pair for a tile of query rows. */
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
        int[] place = new int[BlockPlace.SIZE];
        BlockPlace.ofQueryTile(ctx, n, h, w, r, chunk, chunkIndex, TILE, place);
        int rows = place[BlockPlace.ROWS];
        int a0 = place[BlockPlace.QUERY_BEGIN] + place[BlockPlace.TILE] * TILE;
        int queryLimit = place[BlockPlace.QUERY_END];
        int a = a0 + lid;
        boolean valid = a < queryLimit;
        long keyAt = BlockPlace.keyRowAt(place, n, h, w, r, keyRows);
        int keyStep = AttentionBlocks.keyRowStep(r, h, keyRows);
        long at = BlockPlace.queryRowAt(place, n, h, w, r, keyRows, chunk, chunkIndex) + (long) a * AttentionBlocks.queryRowStep(r, h, keyRows, chunk);
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
        int lastKey = AttentionBlocks.lastKey(rows, a0, TILE, causal);
        for (int t0 = 0; t0 <= lastKey; t0 += TILE) {
            TileLoads.loadKeyValueRow(k, v, keys, values, lid, t0 + lid, rows, keyAt, keyStep, d);
            ctx.localBarrier();
            if (valid) {
                int end = KernelMath.min(TILE, AttentionMasks.visibleKeys(a, queryLimit, rows, causal) - t0);
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

    /** dK and dV of one pair for a tile of key rows (only this launch's queries count). */
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
        int[] place = new int[BlockPlace.SIZE];
        BlockPlace.ofKeyTile(ctx, n, h, w, r, chunk, chunkIndex, TILE, place);
        int tile = place[BlockPlace.TILE];
        int t = tile * TILE + lid;
        int rows = place[BlockPlace.ROWS];
        int queryLimit = place[BlockPlace.QUERY_END];
        boolean valid = t < rows;
        long at = BlockPlace.keyRowAt(place, n, h, w, r, keyRows) + (long) t * AttentionBlocks.keyRowStep(r, h, keyRows);
        long queryAt = BlockPlace.queryRowAt(place, n, h, w, r, keyRows, chunk, chunkIndex);
        int queryStep = AttentionBlocks.queryRowStep(r, h, keyRows, chunk);
        if (valid) {
            for (int e = 0; e < d; e++) {
                key[e] = k.get(at * d + e);
                value[e] = v.get(at * d + e);
            }
        }
        int firstQuery = KernelMath.max(causal == 1 ? tile * TILE : 0, place[BlockPlace.QUERY_BEGIN]);
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
