package org.longnet.engine.conformance;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Private;
import org.longnet.engine.api.WarpgroupFragments;
import org.longnet.engine.api.WarpgroupMma;

/** The asynchronous warpgroup products ({@link WarpgroupMma}) in a pipelined chain, as attention's forward runs them. */
public final class WarpgroupMmaKernels {
    /** Work-items of a group: two warpgroups. */
    static final int GROUP = 256;

    private WarpgroupMmaKernels() {
    }

    /**
     * Work-group G holds rows 128 G .. of A and 128 G .. of B (two tiles of 64 rows, B0 and B1) and 64 G .. of C (rows at
     * or past aRows, bRows, cRows read as zeros). Warpgroup wg issues S0 = A B0^T and S1 = 1 + A B1^T (n columns each, A's
     * rows 64 wg ..) before waiting for either; once S0 is in, P0 (S0's first 32 columns, as bf16) times C's rows 0 .. 31
     * is issued while S1 may still run; once S1 is in, P1 (S1's columns 32 .. 63 when n is 64, else its first 32) times
     * C's rows 32 .. 63. The output starts from {@code init}. S0, S1 go to {@code scores} ([tile][2][64][n]), the output to
     * {@code out} ([tile][64][64]), tile = 2 G + wg. With n a parameter, ptxas on sm_90a serializes the products (the
     * accumulators past n / 2 merge from two paths); MatrixUnitPtxasTest checks kernels whose n is fixed.
     */
    @Kernel(groupSize = GROUP)
    public static void pipelinedChain(KernelContext ctx, BFloat16Array a, BFloat16Array b, BFloat16Array c, FloatArray init,
                                      FloatArray scores, FloatArray out, int aRows, int bRows, int cRows, int n) {
        int[] as = ctx.allocateIntLocalArray(128 * 32);
        int[] bs = ctx.allocateIntLocalArray(128 * 32);
        int[] cs = ctx.allocateIntLocalArray(64 * 32);
        int[] exchange = ctx.allocateIntLocalArray(GROUP * 8);
        float[] s0 = new float[32];
        float[] s1 = new float[32];
        float[] acc = new float[32];
        int[] p0 = new int[8];
        int[] p1 = new int[8];
        int lid = ctx.localIdx;
        int group = ctx.groupIdx;
        for (int i = lid; i < 128 * 8; i += GROUP) {
            int row = group * 128 + (i >> 6) * 8 + (i & 7);
            long at = (long) row * 64 + ((i >> 3) & 7) * 8;
            ctx.loadChunk(a, at, as, i * 4, row < aRows);
            ctx.loadChunk(b, at, bs, i * 4, row < bRows);
        }
        for (int i = lid; i < 64 * 8; i += GROUP) {
            int row = group * 64 + (i >> 6) * 8 + (i & 7);
            ctx.loadChunk(c, (long) row * 64 + ((i >> 3) & 7) * 8, cs, i * 4, row < cRows);
        }
        int wg = lid / 128;
        int lane = lid % 32;
        int top = lid / 32 % 4 * 16 + lane / 4; // the work-item's first row in its warpgroup's 64
        int tile = group * 2 + wg;
        for (int i = 0; i < 32; i++) {
            s1[i] = 1f;
            acc[i] = init.get(((long) tile * 64 + top + ((i & 2) != 0 ? 8 : 0)) * 64 + 8 * (i >> 2) + 2 * (lane % 4) + (i & 1));
        }
        ctx.localBarrier();
        WarpgroupMma.issue(ctx, as, 64 * wg, bs, 0, n, s0, false);
        WarpgroupMma.issue(ctx, as, 64 * wg, bs, 64, n, s1, true);
        WarpgroupMma.wait(ctx, 1, s0); // S0 is in; S1 may still run
        for (int i = 0; i < 8; i++) {
            p0[i] = ctx.packBf16(s0[2 * i], s0[2 * i + 1]);
        }
        WarpgroupMma.issueRegisters(ctx, exchange, p0, cs, 0, acc);
        WarpgroupMma.wait(ctx, 1, s1); // S1 is in; P0 C may still run
        for (int i = 0; i < 8; i++) { // constant indices in both branches keep S1 in registers
            if (n == 64) {
                p1[i] = ctx.packBf16(s1[16 + 2 * i], s1[16 + 2 * i + 1]);
            } else {
                p1[i] = ctx.packBf16(s1[2 * i], s1[2 * i + 1]);
            }
        }
        WarpgroupMma.issueRegisters(ctx, exchange, p1, cs, 32, acc);
        WarpgroupMma.wait(ctx, 0, acc);
        for (int i = 0; i < 32; i++) {
            int row = top + ((i & 2) != 0 ? 8 : 0);
            int col = 8 * (i >> 2) + 2 * (lane % 4) + (i & 1);
            if (col < n) {
                scores.set(((long) tile * 2 * 64 + row) * n + col, s0[i]);
                scores.set(((long) (tile * 2 + 1) * 64 + row) * n + col, s1[i]);
            }
        }
        for (int i = 0; i < 32; i++) {
            int row = top + ((i & 2) != 0 ? 8 : 0);
            out.set(((long) tile * 64 + row) * 64 + 8 * (i >> 2) + 2 * (lane % 4) + (i & 1), acc[i]);
        }
    }

    /** Rows of the swizzled products' A and B tiles: A's rows 24 .. 87 and B's 0 .. 79 take part. */
    static final int SWIZZLED_A_ROWS = 96, SWIZZLED_B_ROWS = 80;

    /**
     * One warpgroup copies A ([96][64] bf16) and B ([80][64]) into tiles in swizzled layout ({@link WarpgroupMma#swizzledIndex}),
     * then C = A[24 ..] B[0 ..]^T, waited for, and C += A[24 ..] B[16 ..]^T (n columns each), written to {@code out} ([64][n]).
     * Then P, C's first 32 columns as bf16 (in registers), times B's rows 40 .. 71 read as k (P·V with B as V), written to
     * {@code pv} ([64][64]). Rows 24, 16 and 40 are multiples of a swizzle period but not of a tile, so the descriptors start
     * inside the tiles.
     */
    @Kernel(groupSize = 128)
    public static void swizzledProducts(KernelContext ctx, BFloat16Array a, BFloat16Array b, FloatArray out, FloatArray pv, int n) {
        int[] as = ctx.allocateIntLocalArray(SWIZZLED_A_ROWS * 32);
        int[] bs = ctx.allocateIntLocalArray(SWIZZLED_B_ROWS * 32);
        int[] exchange = ctx.allocateIntLocalArray(128 * 8);
        float[] acc = new float[32];
        float[] values = new float[32];
        int[] probs = new int[8];
        int lid = ctx.localIdx;
        swizzle(ctx, a, as, SWIZZLED_A_ROWS);
        swizzle(ctx, b, bs, SWIZZLED_B_ROWS);
        ctx.localBarrier();
        WarpgroupMma.issueSwizzled(ctx, as, 24, bs, 0, n, acc, false);
        WarpgroupMma.wait(ctx, 0, acc);
        WarpgroupMma.issueSwizzled(ctx, as, 24, bs, 16, n, acc, true);
        WarpgroupMma.wait(ctx, 0, acc);
        for (int i = 0; i < 8; i++) {
            probs[i] = ctx.packBf16(acc[2 * i], acc[2 * i + 1]);
        }
        WarpgroupMma.issueRegistersSwizzled(ctx, exchange, probs, bs, 40, values);
        WarpgroupMma.wait(ctx, 0, values);
        int lane = lid % 32;
        int top = lid / 32 % 4 * 16 + lane / 4;
        for (int i = 0; i < 32; i++) {
            int row = top + ((i & 2) != 0 ? 8 : 0);
            int col = 8 * (i >> 2) + 2 * (lane % 4) + (i & 1);
            if (col < n) {
                out.set((long) row * n + col, acc[i]);
            }
            pv.set((long) row * 64 + col, values[i]);
        }
    }

    /**
     * One warpgroup copies A ([96][64] bf16) and B ([80][64]) into tiles in swizzled layout, loads the A fragments of A's rows
     * 24 .. 87 into registers ({@link WarpgroupFragments#fromSwizzled}), then C = A B[8 ..]^T over accumulators that start as
     * NaN (accumulate false must not read them), waited for, and C += A B[16 ..]^T (n columns each) with
     * {@link WarpgroupMma#issueSwizzledFromRegisters}, written to {@code out} ([64][n]).
     */
    @Kernel(groupSize = 128)
    public static void swizzledFromRegisters(KernelContext ctx, BFloat16Array a, BFloat16Array b, FloatArray out, int n) {
        int[] as = ctx.allocateIntLocalArray(SWIZZLED_A_ROWS * 32);
        int[] bs = ctx.allocateIntLocalArray(SWIZZLED_B_ROWS * 32);
        int[] exchange = ctx.allocateIntLocalArray(128 * WarpgroupFragments.REGISTERS);
        float[] acc = new float[32];
        int[] rows = new int[WarpgroupFragments.REGISTERS];
        swizzle(ctx, a, as, SWIZZLED_A_ROWS);
        swizzle(ctx, b, bs, SWIZZLED_B_ROWS);
        for (int i = 0; i < 32; i++) {
            acc[i] = Float.NaN;
        }
        ctx.localBarrier();
        WarpgroupFragments.fromSwizzled(ctx, as, 24, rows);
        WarpgroupMma.issueSwizzledFromRegisters(ctx, exchange, rows, bs, 8, n, acc, false);
        WarpgroupMma.wait(ctx, 0, acc);
        WarpgroupMma.issueSwizzledFromRegisters(ctx, exchange, rows, bs, 16, n, acc, true);
        WarpgroupMma.wait(ctx, 0, acc);
        store(ctx, acc, out, n);
    }

    /**
     * One warpgroup copies A ([96][64] bf16) into a tile in chunk layout and B ([80][64]) into one in swizzled layout, then C
     * = A[24 ..]^T B[8 ..] over accumulators that start as NaN (accumulate false must not read them), waited for, and C +=
     * A[24 ..]^T B[16 ..], each over 64 rows as k, B's channels {@code bChannel ..} as C's n columns, with
     * {@link WarpgroupMma#issueTransposedSwizzled}, written to {@code out} ([64][n]).
     */
    @Kernel(groupSize = 128)
    public static void transposedSwizzled(KernelContext ctx, BFloat16Array a, BFloat16Array b, FloatArray out, int n, int bChannel) {
        int[] as = ctx.allocateIntLocalArray(SWIZZLED_A_ROWS * 32);
        int[] bs = ctx.allocateIntLocalArray(SWIZZLED_B_ROWS * 32);
        float[] acc = new float[32];
        int lid = ctx.localIdx;
        for (int i = lid; i < SWIZZLED_A_ROWS * 32; i += 128) {
            long at = (long) (i / 32) * 64 + 2 * (i % 32);
            as[KernelContext.chunkLayoutIndex(i / 32, i % 32)] = ctx.packBf16(a.get(at), a.get(at + 1));
        }
        swizzle(ctx, b, bs, SWIZZLED_B_ROWS);
        for (int i = 0; i < 32; i++) {
            acc[i] = Float.NaN;
        }
        ctx.localBarrier();
        WarpgroupMma.issueTransposedSwizzled(ctx, as, 24, bs, 8, bChannel, n, acc, false);
        WarpgroupMma.wait(ctx, 0, acc);
        WarpgroupMma.issueTransposedSwizzled(ctx, as, 24, bs, 16, bChannel, n, acc, true);
        WarpgroupMma.wait(ctx, 0, acc);
        store(ctx, acc, out, n);
    }

    /** The warpgroup's accumulators of C (64 x n) into {@code out} ([64][n]), in the fragment order of the warpgroup products. */
    private static void store(KernelContext ctx, @Private float[] acc, FloatArray out, int n) {
        int lane = ctx.localIdx % 32;
        int top = ctx.localIdx / 32 % 4 * 16 + lane / 4;
        for (int i = 0; i < n / 2; i++) {
            int row = top + ((i & 2) != 0 ? 8 : 0);
            out.set((long) row * n + 8 * (i >> 2) + 2 * (lane % 4) + (i & 1), acc[i]);
        }
    }

    /** The group copies {@code rows} rows of 64 bf16 channels from {@code src} into {@code tile} in swizzled layout. */
    private static void swizzle(KernelContext ctx, BFloat16Array src, int[] tile, int rows) {
        for (int i = ctx.localIdx; i < rows * 32; i += 128) {
            long at = (long) (i / 32) * 64 + 2 * (i % 32);
            tile[WarpgroupMma.swizzledIndex(i / 32, i % 32)] = ctx.packBf16(src.get(at), src.get(at + 1));
        }
    }
}
