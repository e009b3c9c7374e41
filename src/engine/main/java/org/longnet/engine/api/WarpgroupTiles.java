package org.longnet.engine.api;

import java.util.function.IntBinaryOperator;

/**
 * The JVM's warpgroup products over tiles of 64 bf16 channels a row, whatever their layout: the chunk layout of
 * {@link KernelContext#chunkLayoutIndex} or the swizzled one of {@link WarpgroupMma#swizzledIndex}. Tensor cores read either
 * through a descriptor; here the layout is the function from (row, channel pair) to the tile's int.
 */
final class WarpgroupTiles {
    private WarpgroupTiles() {
    }

    /**
     * Work-item {@code localIdx}'s accumulators of C = (accumulate ? C : 0) + A B^T, A rows {@code aRow ..}, B rows
     * {@code bRow ..}, in the fragment order of {@link KernelContext#mmaBf16Warpgroup}.
     */
    static void product(int localIdx, int[] a, int aRow, int[] b, int bRow, int n, float[] acc, boolean accumulate, IntBinaryOperator layout) {
        int w = (localIdx >> 5) & 3;
        int lane = localIdx & 31;
        for (int i = 0; i < n / 8 * 4; i++) {
            int row = aRow + 16 * w + (lane >> 2) + ((i & 2) != 0 ? 8 : 0);
            int col = bRow + 8 * (i >> 2) + 2 * (lane & 3) + (i & 1);
            float sum = 0f;
            for (int k = 0; k < KernelContext.TILE_CHANNELS; k++) {
                sum += KernelContext.unpackBf16(a[layout.applyAsInt(row, k >> 1)], k) * KernelContext.unpackBf16(b[layout.applyAsInt(col, k >> 1)], k);
            }
            acc[i] = (accumulate ? acc[i] : 0f) + sum;
        }
    }

    /**
     * {@link KernelContext#mmaBf16WarpgroupTransposedA} and {@link WarpgroupMma#issueTransposedSwizzled}: C (64 x n) =
     * (accumulate ? C : 0) + A^T B, A rows {@code aRow .. aRow + 63} of a chunk-layout tile (its channels C's rows) and B rows
     * {@code bRow .. bRow + 63} of a tile laid out by {@code bLayout} (its channels {@code bChannel ..} C's columns).
     */
    static void transposedProduct(int localIdx, int[] a, int aRow, int[] b, int bRow, int bChannel, int n, float[] acc, boolean accumulate,
                                  IntBinaryOperator bLayout) {
        int w = (localIdx >> 5) & 3;
        int lane = localIdx & 31;
        for (int i = 0; i < n / 8 * 4; i++) {
            int row = 16 * w + (lane >> 2) + ((i & 2) != 0 ? 8 : 0);
            int col = bChannel + 8 * (i >> 2) + 2 * (lane & 3) + (i & 1);
            float sum = 0f;
            for (int k = 0; k < KernelContext.WARPGROUP_ROWS; k++) {
                sum += KernelContext.unpackBf16(a[KernelContext.chunkLayoutIndex(aRow + k, row >> 1)], row)
                        * KernelContext.unpackBf16(b[bLayout.applyAsInt(bRow + k, col >> 1)], col);
            }
            acc[i] = (accumulate ? acc[i] : 0f) + sum;
        }
    }

    /**
     * {@link KernelContext#mmaBf16WarpgroupRegisters}: C (64 x 64) += A B with A in each work-item's 8 registers, met in
     * {@code exchange} between two group barriers, and B rows {@code bRow .. bRow + 31} of a tile (rows as k).
     */
    static void registersProduct(KernelContext ctx, int[] exchange, int[] aRegs, int[] b, int bRow, float[] acc, IntBinaryOperator layout) {
        int lane = ctx.localIdx & 31;
        int warpBase = ctx.localIdx & ~31;
        for (int i = 0; i < 8; i++) {
            exchange[ctx.localIdx * 8 + i] = aRegs[i];
        }
        ctx.localBarrier();
        for (int i = 0; i < 32; i++) {
            int row = (lane >> 2) + ((i & 2) != 0 ? 8 : 0);
            int col = 8 * (i >> 2) + 2 * (lane & 3) + (i & 1);
            float sum = 0f;
            for (int k = 0; k < 32; k++) {
                // mma.sync's A fragment: lane 4 (row % 8) + (k % 8) / 2, register (row >= 8) + 2 (k % 16 >= 8) + 4 (k >= 16).
                int holder = warpBase + 4 * (row & 7) + ((k & 7) >> 1);
                int reg = (row >> 3) + ((k & 8) >> 2) + ((k & 16) >> 2);
                sum += KernelContext.unpackBf16(exchange[holder * 8 + reg], k) * KernelContext.unpackBf16(b[layout.applyAsInt(bRow + k, col >> 1)], col);
            }
            acc[i] += sum;
        }
        ctx.localBarrier();
    }

    /**
     * {@link WarpgroupMma#issueSwizzledFromRegisters}: C (64 x n) = (accumulate ? C : 0) + A B^T with A (64 x 64) in each
     * work-item's 16 registers, met in {@code exchange} between two group barriers, and B rows {@code bRow ..} of a tile
     * (rows as n, channels as k).
     */
    static void registersTransposedProduct(KernelContext ctx, int[] exchange, int[] aRegs, int[] b, int bRow, int n, float[] acc,
                                           boolean accumulate, IntBinaryOperator layout) {
        int lane = ctx.localIdx & 31;
        int warpBase = ctx.localIdx & ~31;
        for (int i = 0; i < WarpgroupFragments.REGISTERS; i++) {
            exchange[ctx.localIdx * WarpgroupFragments.REGISTERS + i] = aRegs[i];
        }
        ctx.localBarrier();
        for (int i = 0; i < n / 8 * 4; i++) {
            int row = (lane >> 2) + ((i & 2) != 0 ? 8 : 0);
            int col = bRow + 8 * (i >> 2) + 2 * (lane & 3) + (i & 1);
            float sum = 0f;
            for (int k = 0; k < KernelContext.TILE_CHANNELS; k++) {
                // k-step k / 16's fragment: lane 4 (row % 8) + (k % 8) / 2, register 4 (k / 16) + (row >= 8) + 2 (k % 16 >= 8).
                int holder = warpBase + 4 * (row & 7) + ((k & 7) >> 1);
                int reg = 4 * (k >> 4) + (row >> 3) + ((k & 8) >> 2);
                sum += KernelContext.unpackBf16(exchange[holder * WarpgroupFragments.REGISTERS + reg], k)
                        * KernelContext.unpackBf16(b[layout.applyAsInt(col, k >> 1)], k);
            }
            acc[i] = (accumulate ? acc[i] : 0f) + sum;
        }
        ctx.localBarrier();
    }
}
