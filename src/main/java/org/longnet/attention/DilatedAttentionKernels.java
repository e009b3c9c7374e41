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
    /**
     * Tiles of the matrix-unit forward: rows per warp, warps per work-group, keys per tile, its fixed
     * head dimension (4 warps x 16 rows share each 32-key tile; 45 KB of local memory, under CUDA's 48 KB).
     */
    public static final int MMA_ROWS = 16, MMA_WARPS = 4, MMA_KEYS = 32, MMA_HEAD_DIM = 64, MMA_WARP = 32;
    public static final int MMA_GROUP_ROWS = MMA_ROWS * MMA_WARPS, MMA_GROUP_SIZE = MMA_WARP * MMA_WARPS;
    /** Warps per work-group of the matrix-unit dQ kernel (it holds five tiles in local memory, 40 KB with two warps). */
    public static final int MMA_DQ_WARPS = 2, MMA_DQ_ROWS = MMA_ROWS * MMA_DQ_WARPS, MMA_DQ_SIZE = MMA_WARP * MMA_DQ_WARPS;
    /** Warps per work-group of the matrix-unit dK/dV kernel (16 keys each; six tiles in local memory). */
    public static final int MMA_KV_WARPS = 2, MMA_KV_KEYS = MMA_ROWS * MMA_KV_WARPS, MMA_KV_SIZE = MMA_WARP * MMA_KV_WARPS;
    /**
     * Padded row strides of the matrix-unit kernels' 64- and 32-wide local tiles (rows of Q, K, V,
     * dO; rows of P, dS): 68 and 36 make a warp's fragment reads hit each memory bank at most twice,
     * where 64 and 32 would hit one bank eight times.
     */
    static final int MMA_WIDE_LD = MMA_HEAD_DIM + 4, MMA_NARROW_LD = MMA_KEYS + 4;

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

    @Kernel
    public static void forwardPair(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray out, FloatArray lse,
                                   int n, int h, int d, int w, int r, int causal, float scale) {
        float[] keys = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] values = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] query = new float[MAX_D];
        float[] acc = new float[MAX_D];
        int lid = ctx.localIdx;
        int seg = KernelMath.min(w, n);
        int tiles = tilesPerBlock(seg, r);
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int a = tile * TILE + lid;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        boolean valid = a < rows;
        int position = s * seg + o + a * r;
        if (valid) {
            long base = rowIndex(b, position, j, n, h) * d;
            for (int e = 0; e < d; e++) {
                query[e] = q.get(base + e);
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        float sum = 0f;
        int lastKey = causal == 1 ? KernelMath.min(rows - 1, tile * TILE + TILE - 1) : rows - 1;
        for (int t0 = 0; t0 <= lastKey; t0 += TILE) {
            int t = t0 + lid;
            if (t < rows) {
                long base = rowIndex(b, s * seg + o + t * r, j, n, h) * d;
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
            long at = rowIndex(b, position, j, n, h);
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

    /** Delta = dot(dO, O) per row, and zeroed gradients: the start of every backward pass. */
    @Kernel
    public static void prepareBackward(FloatArray out, FloatArray gradOut, FloatArray delta, FloatArray gradQ, FloatArray gradK,
                                       FloatArray gradV, int d) {
        for (@Parallel long row = 0; row < delta.getSize(); row++) {
            float dot = 0f;
            for (int e = 0; e < d; e++) {
                long i = row * d + e;
                dot += gradOut.get(i) * out.get(i);
                gradQ.set(i, 0f);
                gradK.set(i, 0f);
                gradV.set(i, 0f);
            }
            delta.set(row, dot);
        }
    }

    @Kernel
    public static void backwardQuery(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray gradOut,
                                     FloatArray delta, FloatArray lse, FloatArray gradQ,
                                     int n, int h, int d, int w, int r, int causal, float scale) {
        float[] keys = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] values = ctx.allocateFloatLocalArray(TILE * MAX_D);
        float[] query = new float[MAX_D];
        float[] grad = new float[MAX_D];
        float[] dq = new float[MAX_D];
        int lid = ctx.localIdx;
        int seg = KernelMath.min(w, n);
        int tiles = tilesPerBlock(seg, r);
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int a = tile * TILE + lid;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        boolean valid = a < rows;
        long at = rowIndex(b, s * seg + o + a * r, j, n, h);
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
        int lastKey = causal == 1 ? KernelMath.min(rows - 1, tile * TILE + TILE - 1) : rows - 1;
        for (int t0 = 0; t0 <= lastKey; t0 += TILE) {
            int t = t0 + lid;
            if (t < rows) {
                long base = rowIndex(b, s * seg + o + t * r, j, n, h) * d;
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

    @Kernel
    public static void backwardKeyValue(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray gradOut,
                                        FloatArray delta, FloatArray lse, FloatArray gradK, FloatArray gradV,
                                        int n, int h, int d, int w, int r, int causal, float scale) {
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
        boolean valid = t < rows;
        long at = rowIndex(b, s * seg + o + t * r, j, n, h);
        if (valid) {
            for (int e = 0; e < d; e++) {
                key[e] = k.get(at * d + e);
                value[e] = v.get(at * d + e);
            }
        }
        int firstQuery = causal == 1 ? tile * TILE : 0;
        for (int a0 = firstQuery; a0 < rows; a0 += TILE) {
            int a = a0 + lid;
            if (a < rows) {
                long row = rowIndex(b, s * seg + o + a * r, j, n, h);
                for (int e = 0; e < d; e++) {
                    queries[lid * MAX_D + e] = q.get(row * d + e);
                    grads[lid * MAX_D + e] = gradOut.get(row * d + e);
                }
                rowLse[lid] = lse.get(row);
                rowDelta[lid] = delta.get(row);
            }
            ctx.localBarrier();
            if (valid) {
                int end = KernelMath.min(TILE, rows - a0);
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

    /**
     * The forward of one pair on matrix units, for head dimension {@link #MMA_HEAD_DIM}: the same
     * result as {@link #forwardPair} up to bf16 rounding of Q, K, V and the probabilities, with
     * Q·K^T and P·V computed by {@link KernelContext#mmaBf16} (fp32 accumulation).
     * A work-group of {@link #MMA_WARPS} warps owns {@link #MMA_GROUP_ROWS} rows of a block, 16 per
     * warp (launch: one dimension of (row tile, segment x head, batch) groups), so each tile of
     * {@link #MMA_KEYS} keys and values loaded into local memory serves all four warps (keys
     * one row per key, read as the transposed B operand of Q·K^T). Scores go to local memory, where two
     * work-items per row take the max and the sum of the online softmax; the probabilities are then
     * the A operand of P·V. Each work-item holds its share of its warp's 16 x 64 output tile in
     * registers (eight 16 x 8 accumulator tiles).
     */
    @Kernel
    public static void forwardPairMma(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray out, FloatArray lse,
                                      int n, int h, int w, int r, int causal, float scale) {
        float[] qs = ctx.allocateFloatLocalArray(MMA_GROUP_ROWS * MMA_WIDE_LD);
        float[] ks = ctx.allocateFloatLocalArray(MMA_KEYS * MMA_WIDE_LD);
        float[] vs = ctx.allocateFloatLocalArray(MMA_KEYS * MMA_WIDE_LD);
        float[] ps = ctx.allocateFloatLocalArray(MMA_GROUP_ROWS * MMA_NARROW_LD);
        float[] rowMax = ctx.allocateFloatLocalArray(MMA_GROUP_ROWS);
        float[] rowSum = ctx.allocateFloatLocalArray(MMA_GROUP_ROWS);
        float[] rowScale = ctx.allocateFloatLocalArray(MMA_GROUP_ROWS);
        float[] partial = ctx.allocateFloatLocalArray(MMA_GROUP_SIZE);
        float[] scores = new float[16];
        float[] acc = new float[32];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int lane = lid % MMA_WARP;
        int seg = KernelMath.min(w, n);
        int tiles = ((seg + r - 1) / r + MMA_GROUP_ROWS - 1) / MMA_GROUP_ROWS;
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        int a0 = tile * MMA_GROUP_ROWS;
        int g = lane / 4;
        int t = lane % 4;
        int warpRow = warp * MMA_ROWS;
        for (int i = lid; i < MMA_GROUP_ROWS * MMA_HEAD_DIM; i += MMA_GROUP_SIZE) {
            int a = a0 + i / MMA_HEAD_DIM;
            qs[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = a < rows ? q.get(rowIndex(b, s * seg + o + a * r, j, n, h) * MMA_HEAD_DIM + i % MMA_HEAD_DIM) : 0f;
        }
        if (lid < MMA_GROUP_ROWS) {
            rowMax[lid] = Float.NEGATIVE_INFINITY;
            rowSum[lid] = 0f;
        }
        int row = lid / 2;
        int half = lid % 2;
        int lastKey = causal == 1 ? KernelMath.min(rows - 1, a0 + MMA_GROUP_ROWS - 1) : rows - 1;
        for (int t0 = 0; t0 <= lastKey; t0 += MMA_KEYS) {
            ctx.localBarrier();
            for (int i = lid; i < MMA_KEYS * MMA_HEAD_DIM; i += MMA_GROUP_SIZE) {
                int key = t0 + i / MMA_HEAD_DIM;
                float kv = 0f;
                float vv = 0f;
                if (key < rows) {
                    long at = rowIndex(b, s * seg + o + key * r, j, n, h) * MMA_HEAD_DIM + i % MMA_HEAD_DIM;
                    kv = k.get(at);
                    vv = v.get(at);
                }
                ks[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = kv;
                vs[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = vv;
            }
            for (int i = 0; i < 16; i++) {
                scores[i] = 0f;
            }
            ctx.localBarrier();
            for (int kk = 0; kk < MMA_HEAD_DIM; kk += 16) {
                for (int nt = 0; nt < 4; nt++) {
                    ctx.mmaBf16TransposedB(qs, warpRow * MMA_WIDE_LD + kk, MMA_WIDE_LD, ks, nt * 8 * MMA_WIDE_LD + kk, MMA_WIDE_LD,
                            scores, nt * 4);
                }
            }
            for (int nt = 0; nt < 4; nt++) {
                ps[(warpRow + g) * MMA_NARROW_LD + nt * 8 + 2 * t] = scores[nt * 4];
                ps[(warpRow + g) * MMA_NARROW_LD + nt * 8 + 2 * t + 1] = scores[nt * 4 + 1];
                ps[(warpRow + g + 8) * MMA_NARROW_LD + nt * 8 + 2 * t] = scores[nt * 4 + 2];
                ps[(warpRow + g + 8) * MMA_NARROW_LD + nt * 8 + 2 * t + 1] = scores[nt * 4 + 3];
            }
            ctx.localBarrier();
            int a = a0 + row;
            float localMax = Float.NEGATIVE_INFINITY;
            for (int c = half * 16; c < half * 16 + 16; c++) {
                int key = t0 + c;
                boolean visible = a < rows && key < rows && (causal == 0 || key <= a);
                float z = visible ? ps[row * MMA_NARROW_LD + c] * scale : Float.NEGATIVE_INFINITY;
                ps[row * MMA_NARROW_LD + c] = z;
                localMax = KernelMath.max(localMax, z);
            }
            partial[lid] = localMax;
            ctx.localBarrier();
            float oldMax = rowMax[row];
            float newMax = KernelMath.max(oldMax, KernelMath.max(partial[row * 2], partial[row * 2 + 1]));
            float localSum = 0f;
            for (int c = half * 16; c < half * 16 + 16; c++) {
                float p = newMax == Float.NEGATIVE_INFINITY ? 0f : KernelMath.exp(ps[row * MMA_NARROW_LD + c] - newMax);
                ps[row * MMA_NARROW_LD + c] = p;
                localSum += p;
            }
            ctx.localBarrier();
            partial[lid] = localSum;
            ctx.localBarrier();
            if (half == 0) {
                float correction = oldMax == Float.NEGATIVE_INFINITY ? 0f : KernelMath.exp(oldMax - newMax);
                rowSum[row] = rowSum[row] * correction + partial[row * 2] + partial[row * 2 + 1];
                rowMax[row] = newMax;
                rowScale[row] = correction;
            }
            ctx.localBarrier();
            float top = rowScale[warpRow + g];
            float bottom = rowScale[warpRow + g + 8];
            for (int nt = 0; nt < 8; nt++) {
                acc[nt * 4] *= top;
                acc[nt * 4 + 1] *= top;
                acc[nt * 4 + 2] *= bottom;
                acc[nt * 4 + 3] *= bottom;
            }
            for (int kk = 0; kk < MMA_KEYS; kk += 16) {
                for (int nt = 0; nt < 8; nt++) {
                    ctx.mmaBf16(ps, warpRow * MMA_NARROW_LD + kk, MMA_NARROW_LD, vs, kk * MMA_WIDE_LD + nt * 8, MMA_WIDE_LD, acc, nt * 4);
                }
            }
        }
        ctx.localBarrier();
        // Merge into the running output: every work-item of a row reads the old LSE before any writes it.
        float keepTop = 0f, takeTop = 0f, mergedTop = 0f, keepBottom = 0f, takeBottom = 0f, mergedBottom = 0f;
        for (int half2 = 0; half2 < 2; half2++) {
            int local = warpRow + g + half2 * 8;
            int a = a0 + local;
            if (a < rows) {
                long at = rowIndex(b, s * seg + o + a * r, j, n, h);
                float pairLse = rowMax[local] + KernelMath.log(rowSum[local]);
                float previous = lse.get(at);
                float topLse = KernelMath.max(previous, pairLse);
                float merged = topLse + KernelMath.log(KernelMath.exp(previous - topLse) + KernelMath.exp(pairLse - topLse));
                float keep = KernelMath.exp(previous - merged);
                float take = KernelMath.exp(pairLse - merged) / rowSum[local];
                if (half2 == 0) {
                    keepTop = keep;
                    takeTop = take;
                    mergedTop = merged;
                } else {
                    keepBottom = keep;
                    takeBottom = take;
                    mergedBottom = merged;
                }
            }
        }
        ctx.localBarrier();
        for (int half2 = 0; half2 < 2; half2++) {
            int a = a0 + warpRow + g + half2 * 8;
            if (a < rows) {
                long at = rowIndex(b, s * seg + o + a * r, j, n, h);
                float keep = half2 == 0 ? keepTop : keepBottom;
                float take = half2 == 0 ? takeTop : takeBottom;
                for (int nt = 0; nt < 8; nt++) {
                    for (int c = 0; c < 2; c++) {
                        long idx = at * MMA_HEAD_DIM + nt * 8 + 2 * t + c;
                        out.set(idx, out.get(idx) * keep + acc[nt * 4 + half2 * 2 + c] * take);
                    }
                }
                if (t == 0) {
                    lse.set(at, half2 == 0 ? mergedTop : mergedBottom);
                }
            }
        }
    }

    /**
     * dQ of one pair on matrix units (head dimension {@link #MMA_HEAD_DIM}), the same result as
     * {@link #backwardQuery} up to bf16 rounding: per 32-key tile, S = Q K^T and dP = dO V^T by
     * {@link KernelContext#mmaBf16}, dS = P (dP - Delta) with P = exp(c S - L) element by element in
     * the accumulator fragments (L and Delta are known, so no row reductions), then dQ += c dS K.
     * {@link #MMA_DQ_WARPS} warps of 16 rows per work-group.
     */
    @Kernel
    public static void backwardQueryMma(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray gradOut,
                                        FloatArray delta, FloatArray lse, FloatArray gradQ,
                                        int n, int h, int w, int r, int causal, float scale) {
        float[] qs = ctx.allocateFloatLocalArray(MMA_DQ_ROWS * MMA_WIDE_LD);
        float[] gs = ctx.allocateFloatLocalArray(MMA_DQ_ROWS * MMA_WIDE_LD);
        float[] ks = ctx.allocateFloatLocalArray(MMA_KEYS * MMA_WIDE_LD);
        float[] vs = ctx.allocateFloatLocalArray(MMA_KEYS * MMA_WIDE_LD);
        float[] ds = ctx.allocateFloatLocalArray(MMA_DQ_ROWS * MMA_NARROW_LD);
        float[] rowLse = ctx.allocateFloatLocalArray(MMA_DQ_ROWS);
        float[] rowDelta = ctx.allocateFloatLocalArray(MMA_DQ_ROWS);
        float[] scores = new float[16];
        float[] gradP = new float[16];
        float[] acc = new float[32];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int lane = lid % MMA_WARP;
        int seg = KernelMath.min(w, n);
        int tiles = ((seg + r - 1) / r + MMA_DQ_ROWS - 1) / MMA_DQ_ROWS;
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        int a0 = tile * MMA_DQ_ROWS;
        int g = lane / 4;
        int t = lane % 4;
        int warpRow = warp * MMA_ROWS;
        for (int i = lid; i < MMA_DQ_ROWS * MMA_HEAD_DIM; i += MMA_DQ_SIZE) {
            int a = a0 + i / MMA_HEAD_DIM;
            long at = rowIndex(b, s * seg + o + a * r, j, n, h) * MMA_HEAD_DIM + i % MMA_HEAD_DIM;
            qs[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = a < rows ? q.get(at) : 0f;
            gs[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = a < rows ? gradOut.get(at) : 0f;
        }
        if (lid < MMA_DQ_ROWS) {
            int a = a0 + lid;
            long at = rowIndex(b, s * seg + o + a * r, j, n, h);
            rowLse[lid] = a < rows ? lse.get(at) : 0f;
            rowDelta[lid] = a < rows ? delta.get(at) : 0f;
        }
        int lastKey = causal == 1 ? KernelMath.min(rows - 1, a0 + MMA_DQ_ROWS - 1) : rows - 1;
        for (int t0 = 0; t0 <= lastKey; t0 += MMA_KEYS) {
            ctx.localBarrier();
            for (int i = lid; i < MMA_KEYS * MMA_HEAD_DIM; i += MMA_DQ_SIZE) {
                int key = t0 + i / MMA_HEAD_DIM;
                float kv = 0f;
                float vv = 0f;
                if (key < rows) {
                    long at = rowIndex(b, s * seg + o + key * r, j, n, h) * MMA_HEAD_DIM + i % MMA_HEAD_DIM;
                    kv = k.get(at);
                    vv = v.get(at);
                }
                ks[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = kv;
                vs[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = vv;
            }
            for (int i = 0; i < 16; i++) {
                scores[i] = 0f;
                gradP[i] = 0f;
            }
            ctx.localBarrier();
            for (int kk = 0; kk < MMA_HEAD_DIM; kk += 16) {
                for (int nt = 0; nt < 4; nt++) {
                    ctx.mmaBf16TransposedB(qs, warpRow * MMA_WIDE_LD + kk, MMA_WIDE_LD, ks, nt * 8 * MMA_WIDE_LD + kk, MMA_WIDE_LD,
                            scores, nt * 4);
                    ctx.mmaBf16TransposedB(gs, warpRow * MMA_WIDE_LD + kk, MMA_WIDE_LD, vs, nt * 8 * MMA_WIDE_LD + kk, MMA_WIDE_LD,
                            gradP, nt * 4);
                }
            }
            for (int nt = 0; nt < 4; nt++) {
                for (int e = 0; e < 4; e++) {
                    int local = warpRow + g + (e >= 2 ? 8 : 0);
                    int a = a0 + local;
                    int key = t0 + nt * 8 + 2 * t + (e & 1);
                    boolean visible = a < rows && key < rows && (causal == 0 || key <= a);
                    float p = visible ? KernelMath.exp(scores[nt * 4 + e] * scale - rowLse[local]) : 0f;
                    ds[local * MMA_NARROW_LD + nt * 8 + 2 * t + (e & 1)] = p * (gradP[nt * 4 + e] - rowDelta[local]) * scale;
                }
            }
            ctx.localBarrier();
            for (int kk = 0; kk < MMA_KEYS; kk += 16) {
                for (int nt = 0; nt < 8; nt++) {
                    ctx.mmaBf16(ds, warpRow * MMA_NARROW_LD + kk, MMA_NARROW_LD, ks, kk * MMA_WIDE_LD + nt * 8, MMA_WIDE_LD, acc, nt * 4);
                }
            }
        }
        for (int half2 = 0; half2 < 2; half2++) {
            int a = a0 + warpRow + g + half2 * 8;
            if (a < rows) {
                long at = rowIndex(b, s * seg + o + a * r, j, n, h) * MMA_HEAD_DIM;
                for (int nt = 0; nt < 8; nt++) {
                    for (int c = 0; c < 2; c++) {
                        long idx = at + nt * 8 + 2 * t + c;
                        gradQ.set(idx, gradQ.get(idx) + acc[nt * 4 + half2 * 2 + c]);
                    }
                }
            }
        }
    }

    /**
     * dK and dV of one pair on matrix units (head dimension {@link #MMA_HEAD_DIM}), the same result as
     * {@link #backwardKeyValue} up to bf16 rounding. A work-group owns {@link #MMA_KV_KEYS} keys of a
     * block, 16 per warp, and streams the block's queries past them 32 at a time: S^T = K Q^T and
     * dP^T = V dO^T by {@link KernelContext#mmaBf16TransposedB} (the query tiles are stored one row per
     * query, as they are also the B operand of the updates), P^T = exp(c S^T - L) and
     * dS^T = P^T (dP^T - Delta) element by element in the accumulator fragments (L and Delta are per
     * query and known, so no reductions), then dV += P^T dO and dK += c dS^T Q.
     */
    @Kernel
    public static void backwardKeyValueMma(KernelContext ctx, FloatArray q, FloatArray k, FloatArray v, FloatArray gradOut,
                                           FloatArray delta, FloatArray lse, FloatArray gradK, FloatArray gradV,
                                           int n, int h, int w, int r, int causal, float scale) {
        float[] ks = ctx.allocateFloatLocalArray(MMA_KV_KEYS * MMA_WIDE_LD);
        float[] vs = ctx.allocateFloatLocalArray(MMA_KV_KEYS * MMA_WIDE_LD);
        float[] qs = ctx.allocateFloatLocalArray(MMA_KEYS * MMA_WIDE_LD);
        float[] gs = ctx.allocateFloatLocalArray(MMA_KEYS * MMA_WIDE_LD);
        float[] ps = ctx.allocateFloatLocalArray(MMA_KV_KEYS * MMA_NARROW_LD);
        float[] ds = ctx.allocateFloatLocalArray(MMA_KV_KEYS * MMA_NARROW_LD);
        float[] rowLse = ctx.allocateFloatLocalArray(MMA_KEYS);
        float[] rowDelta = ctx.allocateFloatLocalArray(MMA_KEYS);
        float[] scores = new float[16];
        float[] gradP = new float[16];
        float[] dk = new float[32];
        float[] dv = new float[32];
        int lid = ctx.localIdx;
        int warp = lid / MMA_WARP;
        int lane = lid % MMA_WARP;
        int seg = KernelMath.min(w, n);
        int tiles = ((seg + r - 1) / r + MMA_KV_KEYS - 1) / MMA_KV_KEYS;
        int blocks = (n + seg - 1) / seg * h;
        int tile = ctx.groupIdx % tiles;
        int block = ctx.groupIdx / tiles % blocks;
        int b = ctx.groupIdx / tiles / blocks;
        int s = block / h;
        int j = block % h;
        int o = j % r;
        int rows = rowsInBlock(n, seg, r, s, o);
        int k0 = tile * MMA_KV_KEYS;
        int g = lane / 4;
        int t = lane % 4;
        int warpKey = warp * MMA_ROWS;
        for (int i = lid; i < MMA_KV_KEYS * MMA_HEAD_DIM; i += MMA_KV_SIZE) {
            int key = k0 + i / MMA_HEAD_DIM;
            long at = rowIndex(b, s * seg + o + key * r, j, n, h) * MMA_HEAD_DIM + i % MMA_HEAD_DIM;
            ks[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = key < rows ? k.get(at) : 0f;
            vs[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = key < rows ? v.get(at) : 0f;
        }
        // Causal: queries before this group's first key see none of its keys.
        int firstQuery = causal == 1 ? k0 : 0;
        for (int a0 = firstQuery; a0 < rows; a0 += MMA_KEYS) {
            ctx.localBarrier();
            for (int i = lid; i < MMA_KEYS * MMA_HEAD_DIM; i += MMA_KV_SIZE) {
                int a = a0 + i / MMA_HEAD_DIM;
                long at = rowIndex(b, s * seg + o + a * r, j, n, h) * MMA_HEAD_DIM + i % MMA_HEAD_DIM;
                qs[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = a < rows ? q.get(at) : 0f;
                gs[i / MMA_HEAD_DIM * MMA_WIDE_LD + i % MMA_HEAD_DIM] = a < rows ? gradOut.get(at) : 0f;
            }
            if (lid < MMA_KEYS) {
                int a = a0 + lid;
                long at = rowIndex(b, s * seg + o + a * r, j, n, h);
                rowLse[lid] = a < rows ? lse.get(at) : 0f;
                rowDelta[lid] = a < rows ? delta.get(at) : 0f;
            }
            for (int i = 0; i < 16; i++) {
                scores[i] = 0f;
                gradP[i] = 0f;
            }
            ctx.localBarrier();
            for (int kk = 0; kk < MMA_HEAD_DIM; kk += 16) {
                for (int nt = 0; nt < 4; nt++) {
                    ctx.mmaBf16TransposedB(ks, warpKey * MMA_WIDE_LD + kk, MMA_WIDE_LD, qs, nt * 8 * MMA_WIDE_LD + kk, MMA_WIDE_LD,
                            scores, nt * 4);
                    ctx.mmaBf16TransposedB(vs, warpKey * MMA_WIDE_LD + kk, MMA_WIDE_LD, gs, nt * 8 * MMA_WIDE_LD + kk, MMA_WIDE_LD,
                            gradP, nt * 4);
                }
            }
            for (int nt = 0; nt < 4; nt++) {
                for (int e = 0; e < 4; e++) {
                    int localKey = warpKey + g + (e >= 2 ? 8 : 0);
                    int localQuery = nt * 8 + 2 * t + (e & 1);
                    int key = k0 + localKey;
                    int a = a0 + localQuery;
                    boolean visible = a < rows && key < rows && (causal == 0 || key <= a);
                    float p = visible ? KernelMath.exp(scores[nt * 4 + e] * scale - rowLse[localQuery]) : 0f;
                    ps[localKey * MMA_NARROW_LD + localQuery] = p;
                    ds[localKey * MMA_NARROW_LD + localQuery] = p * (gradP[nt * 4 + e] - rowDelta[localQuery]) * scale;
                }
            }
            ctx.localBarrier();
            for (int kk = 0; kk < MMA_KEYS; kk += 16) {
                for (int nt = 0; nt < 8; nt++) {
                    ctx.mmaBf16(ps, warpKey * MMA_NARROW_LD + kk, MMA_NARROW_LD, gs, kk * MMA_WIDE_LD + nt * 8, MMA_WIDE_LD, dv, nt * 4);
                    ctx.mmaBf16(ds, warpKey * MMA_NARROW_LD + kk, MMA_NARROW_LD, qs, kk * MMA_WIDE_LD + nt * 8, MMA_WIDE_LD, dk, nt * 4);
                }
            }
        }
        for (int half2 = 0; half2 < 2; half2++) {
            int key = k0 + warpKey + g + half2 * 8;
            if (key < rows) {
                long at = rowIndex(b, s * seg + o + key * r, j, n, h) * MMA_HEAD_DIM;
                for (int nt = 0; nt < 8; nt++) {
                    for (int c = 0; c < 2; c++) {
                        long idx = at + nt * 8 + 2 * t + c;
                        int e = nt * 4 + half2 * 2 + c;
                        gradK.set(idx, gradK.get(idx) + dk[e]);
                        gradV.set(idx, gradV.get(idx) + dv[e]);
                    }
                }
            }
        }
    }
}
