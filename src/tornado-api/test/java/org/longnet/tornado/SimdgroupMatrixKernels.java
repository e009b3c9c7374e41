package org.longnet.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.matrix.Matrix8x8Float;

/**
 * Kernels of {@link TornadoSimdgroupMatrixTest}: C = A B over row-major matrices of 8 x 8 tiles (m x k times k x n), each
 * work-item computing a tile of its own, so that the tiles' calls take other arguments in every work-item.
 */
final class SimdgroupMatrixKernels {
    static final int TILE = 8;

    private SimdgroupMatrixKernels() {
    }

    /** Work-item t computes C's tile t (tiles counted row by row) in one call; work-items past the last tile do nothing. */
    static void wholeTiles(KernelContext context, FloatArray a, FloatArray b, FloatArray c, int m, int n, int k) {
        int t = context.globalIdx;
        int tilesPerRow = n / TILE;
        if (t < m / TILE * tilesPerRow) {
            int row = t / tilesPerRow * TILE;
            int col = t % tilesPerRow * TILE;
            context.matrixMultiply8x8(a, row * k, k, b, col, n, c, row * n + col, n, k);
        }
    }

    /** The same from the primitives, through a helper that takes and returns tiles; corner[t] takes element (7, 3) of tile t. */
    static void primitiveTiles(KernelContext context, FloatArray a, FloatArray b, FloatArray c, FloatArray corner, int m, int n, int k) {
        int t = context.globalIdx;
        int tilesPerRow = n / TILE;
        if (t < m / TILE * tilesPerRow) {
            int row = t / tilesPerRow * TILE;
            int col = t % tilesPerRow * TILE;
            Matrix8x8Float sum = context.simdgroupMatrixZero();
            for (int p = 0; p < k; p += TILE) {
                sum = accumulate(context, context.simdgroupMatrixLoad(a, row * k + p, k), b, p * n + col, n, sum);
            }
            context.simdgroupMatrixStore(sum, c, row * n + col, n);
            corner.set(t, sum.get(7, 3));
        }
    }

    static Matrix8x8Float accumulate(KernelContext context, Matrix8x8Float a, FloatArray b, int base, int stride, Matrix8x8Float sum) {
        Matrix8x8Float bTile = context.simdgroupMatrixLoad(b, base, stride);
        return context.simdgroupMatrixMultiplyAccumulate(a, bTile, sum);
    }

    /**
     * Work-group g computes C's tile row g, its work-item l column tile l (a group has n / 8 work-items): A's 8 x 8 blocks
     * come through a work-group local array that the group fills together, B's through a private array of the work-item.
     */
    static void stagedTiles(KernelContext context, FloatArray a, FloatArray b, FloatArray c, int m, int n, int k) {
        float[] aBlock = context.allocateFloatLocalArray(64);
        float[] bBlock = new float[64];
        int l = context.localIdx;
        int row = context.groupIdx * TILE;
        int col = l * TILE;
        Matrix8x8Float sum = context.simdgroupMatrixZero();
        for (int p = 0; p < k; p += TILE) {
            for (int e = l; e < 64; e += context.localGroupSizeX) {
                aBlock[e] = a.get((row + e / TILE) * k + p + e % TILE);
            }
            for (int e = 0; e < 64; e++) {
                bBlock[e] = b.get((p + e / TILE) * n + col + e % TILE);
            }
            context.localBarrier();
            Matrix8x8Float aTile = context.simdgroupMatrixLoad(aBlock, 0, TILE);
            sum = context.simdgroupMatrixMultiplyAccumulate(aTile, context.simdgroupMatrixLoad(bBlock, 0, TILE), sum);
            context.localBarrier();
        }
        context.simdgroupMatrixStore(sum, c, row * n + col, n);
    }
}
