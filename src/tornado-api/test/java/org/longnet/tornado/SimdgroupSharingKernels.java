package org.longnet.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.matrix.Matrix8x8Float;

/**
 * Kernels of {@link TornadoSimdgroupSharingTest}: most work-items of a group make the same SIMD-group matrix calls on the
 * same values, as TornadoVM's lanes do, while a few read other values at some calls, so that a work-item that takes a
 * tile another one made must take exactly the tile it would have made. Work-group g multiplies A's rows 8g to 8g + 7
 * (k columns) by B (k x 16); each work-item stores its 8 x 8 result in its own 64 elements of {@code out}, row by row.
 */
final class SimdgroupSharingKernels {
    /** Columns of B. */
    static final int B_WIDTH = 16;

    private SimdgroupSharingKernels() {
    }

    /** Work-item l reads A from {@code aSigned} where l % 7 == 3, B's right half where l % 5 == 4; {@code firstA} gets its first A tile. */
    static void lanes(KernelContext context, FloatArray a, FloatArray aSigned, FloatArray b, FloatArray out, FloatArray firstA, int k) {
        int l = context.localIdx;
        int slot = context.globalIdx * 64;
        int aRow = context.groupIdx * 8 * k;
        int bCol = lanesColumn(l);
        Matrix8x8Float sum = context.simdgroupMatrixZero();
        for (int p = 0; p < k; p += 8) {
            Matrix8x8Float aTile;
            if (l % 7 == 3) {
                aTile = context.simdgroupMatrixLoad(aSigned, aRow + p, k);
            } else {
                aTile = context.simdgroupMatrixLoad(a, aRow + p, k);
            }
            if (p == 0) {
                context.simdgroupMatrixStore(aTile, firstA, slot, 8);
            }
            sum = context.simdgroupMatrixMultiplyAccumulate(aTile, context.simdgroupMatrixLoad(b, p * B_WIDTH + bCol, B_WIDTH), sum);
        }
        context.simdgroupMatrixStore(sum, out, slot, 8);
    }

    static int lanesColumn(int l) {
        return l % 5 == 4 ? 8 : 0;
    }

    /**
     * The blocks of A and B come through local arrays between barriers; the work-items of SIMD group s (l / 32) read B's
     * columns 8s to 8s + 7, except that l % 11 == 7 reads the other half at p == 8.
     */
    static void staged(KernelContext context, FloatArray a, FloatArray b, FloatArray out, int k) {
        float[] aBlock = context.allocateFloatLocalArray(64);
        float[] bBlock = context.allocateFloatLocalArray(128);
        int l = context.localIdx;
        int size = context.localGroupSizeX;
        int aRow = context.groupIdx * 8 * k;
        Matrix8x8Float sum = context.simdgroupMatrixZero();
        for (int p = 0; p < k; p += 8) {
            for (int e = l; e < 64; e += size) {
                aBlock[e] = a.get(aRow + e / 8 * k + p + e % 8);
            }
            for (int e = l; e < 128; e += size) {
                bBlock[e] = b.get((p + e / B_WIDTH) * B_WIDTH + e % B_WIDTH);
            }
            context.localBarrier();
            Matrix8x8Float aTile = context.simdgroupMatrixLoad(aBlock, 0, 8);
            sum = context.simdgroupMatrixMultiplyAccumulate(aTile, context.simdgroupMatrixLoad(bBlock, stagedColumn(l, p), B_WIDTH), sum);
            context.localBarrier();
        }
        context.simdgroupMatrixStore(sum, out, context.globalIdx * 64, 8);
    }

    static int stagedColumn(int l, int p) {
        int own = l / 32 * 8;
        return l % 11 == 7 && p == 8 ? 8 - own : own;
    }
}
