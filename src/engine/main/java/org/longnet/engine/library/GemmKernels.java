package org.longnet.engine.library;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DistinctIndex;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Parallel;

/**
 * The portable GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, batched with strides,
 * each matrix starting {@code offset} elements into its array.
 * Each 16x16 work-group computes a 128x128 tile of C; each work-item an 8x8 register tile,
 * strided by 16 so that neighbouring work-items touch neighbouring addresses.
 * Tiles of A and B pass through local memory 8 columns of K at a time.
 */
public final class GemmKernels {
    static final int BM = 128, BN = 128, BK = 8, TM = 8, TN = 8, THREADS_X = 16, THREADS_Y = 16;
    static final int THREADS = THREADS_X * THREADS_Y;

    private GemmKernels() {
    }

    @Kernel
    public static void gemm(KernelContext ctx, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            FloatArray a, long offsetA, int lda, long strideA, FloatArray b, long offsetB, int ldb, long strideB,
                            float beta, FloatArray c, long offsetC, int ldc, long strideC) {
        float[] tileA = ctx.allocateFloatLocalArray(BK * BM);
        float[] tileB = ctx.allocateFloatLocalArray(BK * BN);
        float[] acc = new float[TM * TN];
        float[] fragA = new float[TM];
        float[] fragB = new float[TN];
        int tx = ctx.localIdx;
        int ty = ctx.localIdy;
        int t = ty * THREADS_X + tx;
        int row0 = ctx.groupIdy * BM;
        int col0 = ctx.groupIdx * BN;
        long baseA = offsetA + ctx.groupIdz * strideA;
        long baseB = offsetB + ctx.groupIdz * strideB;
        long baseC = offsetC + ctx.groupIdz * strideC;
        for (int k0 = 0; k0 < k; k0 += BK) {
            loadTile(tileA, a, baseA, lda, !transA, row0, m, k0, k, t);
            loadTile(tileB, b, baseB, ldb, transB, col0, n, k0, k, t);
            ctx.localBarrier();
            for (int kk = 0; kk < BK; kk++) {
                for (int i = 0; i < TM; i++) {
                    fragA[i] = tileA[kk * BM + ty + i * THREADS_Y];
                }
                for (int j = 0; j < TN; j++) {
                    fragB[j] = tileB[kk * BN + tx + j * THREADS_X];
                }
                for (int i = 0; i < TM; i++) {
                    for (int j = 0; j < TN; j++) {
                        acc[i * TN + j] += fragA[i] * fragB[j];
                    }
                }
            }
            ctx.localBarrier();
        }
        for (int i = 0; i < TM; i++) {
            int gr = row0 + ty + i * THREADS_Y;
            for (int j = 0; j < TN; j++) {
                int gc = col0 + tx + j * THREADS_X;
                if (gr < m && gc < n) {
                    long at = baseC + (long) gr * ldc + gc;
                    float prior = beta == 0f ? 0f : beta * c.get(at);
                    c.set(at, alpha * acc[i * TN + j] + prior);
                }
            }
        }
    }

    /**
     * Stages {@link #BK} columns of k, from {@code k0}, of one operand into local memory as
     * {@code tile[kk * BM + i]}: rows {@code first ..} of A, or columns of B, {@code i} being the row or
     * column within the tile (BM = BN, so both operands share this shape). The operand holds element
     * (i, k) at {@code x[base + i * ld + k]} where it runs along k ({@code alongK}: A as stored, B
     * transposed), else at {@code x[base + k * ld + i]}; the work-items of a group then read neighbouring
     * addresses either way. Elements at or past {@code limit} or {@code k} are zeros.
     */
    static void loadTile(float[] tile, FloatArray x, long base, int ld, boolean alongK, int first, int limit, int k0, int k, int t) {
        for (int r = 0; r < BM * BK / THREADS; r++) {
            int idx = t + r * THREADS;
            int i = alongK ? idx / BK : idx % BM;
            int kk = alongK ? idx % BK : idx / BM;
            int gi = first + i;
            int gk = k0 + kk;
            float v = 0f;
            if (gi < limit && gk < k) {
                v = alongK ? x.get(base + (long) gi * ld + gk) : x.get(base + (long) gk * ld + gi);
            }
            tile[kk * BM + i] = v;
        }
    }

    /**
     * The CPU shape of the same product: one work-item per row of C, walking B row by row
     * (i-k-j order) so the inner loop streams through memory, or taking dot products of rows when B
     * is transposed. Used on devices that are not GPUs.
     */
    @Kernel
    public static void gemmRows(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                FloatArray a, long offsetA, int lda, long strideA, FloatArray b, long offsetB, int ldb, long strideB,
                                float beta, FloatArray c, long offsetC, int ldc, long strideC, int batch) {
        for (@Parallel int row = 0; row < batch * m; row++) {
            int z = row / m;
            int i = row % m;
            long baseA = offsetA + z * strideA;
            long baseB = offsetB + z * strideB;
            long rowC = offsetC + z * strideC + (long) i * ldc;
            if (transB) {
                // rows of A and of B are both contiguous in p: dot products, four partial sums for speed
                for (int j = 0; j < n; j++) {
                    long rowB = baseB + (long) j * ldb;
                    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                    int p = 0;
                    if (!transA) {
                        long rowA = baseA + (long) i * lda;
                        for (; p + 3 < k; p += 4) {
                            s0 += a.get(rowA + p) * b.get(rowB + p);
                            s1 += a.get(rowA + p + 1) * b.get(rowB + p + 1);
                            s2 += a.get(rowA + p + 2) * b.get(rowB + p + 2);
                            s3 += a.get(rowA + p + 3) * b.get(rowB + p + 3);
                        }
                    }
                    for (; p < k; p++) {
                        s0 += (transA ? a.get(baseA + (long) p * lda + i) : a.get(baseA + (long) i * lda + p)) * b.get(rowB + p);
                    }
                    float dot = alpha * ((s0 + s1) + (s2 + s3));
                    @DistinctIndex long at = rowC + j; // rows of C are ldc >= n apart, batches strideC >= m * ldc
                    c.set(at, beta == 0f ? dot : dot + beta * c.get(at));
                }
            } else {
                for (int j = 0; j < n; j++) {
                    @DistinctIndex long at = rowC + j;
                    c.set(at, beta == 0f ? 0f : beta * c.get(at));
                }
                for (int p = 0; p < k; p++) {
                    float aip = alpha * (transA ? a.get(baseA + (long) p * lda + i) : a.get(baseA + (long) i * lda + p));
                    long rowB = baseB + (long) p * ldb;
                    for (int j = 0; j < n; j++) {
                        @DistinctIndex long at = rowC + j;
                        c.set(at, c.get(at) + aip * b.get(rowB + j));
                    }
                }
            }
        }
    }

    /** Widens bf16 to fp32, so the portable GEMM serves 16-bit inputs too. */
    @Kernel
    public static void widenBf16(BFloat16Array in, FloatArray out) {
        for (@Parallel long i = 0; i < in.getSize(); i++) {
            out.set(i, in.get(i));
        }
    }

    /** Widens fp16 to fp32. */
    @Kernel
    public static void widenHalf(HalfFloatArray in, FloatArray out) {
        for (@Parallel long i = 0; i < in.getSize(); i++) {
            out.set(i, in.get(i));
        }
    }
}
