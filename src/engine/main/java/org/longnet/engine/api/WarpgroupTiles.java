package org.longnet.engine.api;

import java.util.function.IntBinaryOperator;

/**
 * The JVM's warpgroup product C (64 x n) += A B^T over tiles of 64 bf16 channels a row, whatever their layout: the chunk
 * layout of {@link KernelContext#chunkLayoutIndex} or the swizzled one of {@link WarpgroupMma#swizzledIndex}. Tensor cores
 * read either through a descriptor; here the layout is the function from (row, channel pair) to the tile's int.
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
}
