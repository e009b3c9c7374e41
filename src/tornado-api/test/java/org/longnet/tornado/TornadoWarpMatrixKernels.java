package org.longnet.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.enums.MMAShape;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FP8Array;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The kernels of {@link TornadoWarpMatricesTest}: C (m x n) = A (m x k) B (k x n) + init, one 16 x 8 tile of C per warp,
 * through TornadoVM's warp matrix products. Tile t of C is at rows (t / (n / 8)) * 16, columns (t % (n / 8)) * 8. The 16-bit
 * kernel runs two warps a work-group, each reading its own part of shared tiles through the byte-offset loads; the
 * others one warp a work-group. A tiles are row-major, 32 bytes a row; B tiles 16 rows of 16 bytes (the loads' layouts).
 */
final class TornadoWarpMatrixKernels {
    /** Warps of a work-group in the kernels that read shared tiles at byte offsets. */
    static final int WARPS = 2;

    private TornadoWarpMatrixKernels() {
    }

    /**
     * fp16 (or bf16 where {@code bf16}: the arrays' 16-bit words are then bf16 bits) from row-major matrices, copied pair by
     * pair with asyncCopyToLocal; the accumulator starts poisoned, then is made again from init.
     */
    static void sixteenBit(KernelContext ctx, HalfFloatArray a, HalfFloatArray b, FloatArray c, int n, int k, float init, boolean bf16) {
        int[] aTiles = ctx.allocateIntLocalArray(WARPS * 128);
        int[] bTiles = ctx.allocateIntLocalArray(WARPS * 64);
        int warp = ctx.localIdx / 32;
        int lane = ctx.localIdx % 32;
        int tile = ctx.groupIdx * WARPS + warp;
        int row0 = tile / (n / 8) * 16;
        int col0 = tile % (n / 8) * 8;
        float[] acc = ctx.mmaFragment(Float.NaN);
        acc = ctx.mmaFragment(init);
        for (int k0 = 0; k0 < k; k0 += 16) {
            for (int i = lane; i < 128; i += 32) {
                ctx.asyncCopyToLocal(aTiles, warp * 128 + i, a, (row0 + i / 8) * k + k0 + i % 8 * 2);
            }
            for (int i = lane; i < 64; i += 32) {
                ctx.asyncCopyToLocal(bTiles, warp * 64 + i, b, (k0 + i / 4) * n + col0 + i % 4 * 2);
            }
            ctx.asyncCopyCommit();
            ctx.asyncCopyWaitGroup(0);
            ctx.localBarrier();
            HalfFloat[] fragA = ctx.mmaLoadA(aTiles, 16, warp * 512);
            HalfFloat[] fragB = ctx.mmaLoadB(bTiles, 16, warp * 256);
            if (bf16) {
                acc = ctx.mmaBF16(fragA, fragB, acc, MMAShape.M16N8K16);
            } else {
                acc = ctx.mma(fragA, fragB, acc, MMAShape.M16N8K16);
            }
            ctx.localBarrier();
        }
        ctx.mmaStore(acc, c, row0, col0, n);
    }

    /** fp16 with B in an fp16 tile written through swizzleStoreFp16Stride32, read by mmaLoadBSwizzled; one warp a work-group. */
    static void f16Swizzled(KernelContext ctx, HalfFloatArray a, HalfFloatArray b, FloatArray c, int n, int k, float init) {
        int[] aTile = ctx.allocateIntLocalArray(128);
        HalfFloat[] bTile = ctx.allocateHalfFloatLocalArray(128);
        int lane = ctx.localIdx;
        int row0 = ctx.groupIdx / (n / 8) * 16;
        int col0 = ctx.groupIdx % (n / 8) * 8;
        float[] acc = ctx.mmaFragment(init);
        for (int k0 = 0; k0 < k; k0 += 16) {
            for (int i = lane; i < 128; i += 32) {
                int at = (row0 + i / 8) * k + k0 + i % 8 * 2;
                aTile[i] = (a.get(at).getHalfFloatValue() & 0xFFFF) | (a.get(at + 1).getHalfFloatValue() << 16);
                ctx.swizzleStoreFp16Stride32(bTile, i / 8, i % 8, 8, b.get((k0 + i / 8) * n + col0 + i % 8));
            }
            ctx.localBarrier();
            HalfFloat[] fragA = ctx.mmaLoadA(aTile, 16);
            HalfFloat[] fragB = ctx.mmaLoadBSwizzled(bTile, 16);
            acc = ctx.mma(fragA, fragB, acc, MMAShape.M16N8K16);
            ctx.localBarrier();
        }
        ctx.mmaStore(acc, c, row0, col0, n);
    }

    /**
     * int8: A row-major bytes; B interleaved as the B load reads it: B[j][col] at byte {@code (j / 2) * 2n + 2 col + j % 2}
     * (a 16-byte tile row holds k = 2r, 2r + 1 of each of its 8 columns). The tiles are packed here by hand, four bytes an int.
     */
    static void s8(KernelContext ctx, ByteArray a, ByteArray b, IntArray c, int n, int k, int init) {
        int[] aTile = ctx.allocateIntLocalArray(128);
        int[] bTile = ctx.allocateIntLocalArray(64);
        int lane = ctx.localIdx;
        int row0 = ctx.groupIdx / (n / 8) * 16;
        int col0 = ctx.groupIdx % (n / 8) * 8;
        int[] acc = ctx.mmaFragmentInt(init);
        for (int k0 = 0; k0 < k; k0 += 32) {
            for (int i = lane; i < 192; i += 32) {
                int at = i < 128 ? (row0 + i / 8) * k + k0 + i % 8 * 4 : (k0 / 2 + (i - 128) / 4) * 2 * n + 2 * col0 + i % 4 * 4;
                int word = 0;
                for (int j = 0; j < 4; j++) {
                    word |= ((i < 128 ? a.get(at + j) : b.get(at + j)) & 0xFF) << (8 * j);
                }
                if (i < 128) {
                    aTile[i] = word;
                } else {
                    bTile[i - 128] = word;
                }
            }
            ctx.localBarrier();
            byte[] fragA = ctx.mmaLoadAInt8(aTile, 32);
            byte[] fragB = ctx.mmaLoadBInt8(bTile, 32);
            acc = ctx.mmaInt8(fragA, fragB, acc, MMAShape.M16N8K32);
            ctx.localBarrier();
        }
        ctx.mmaStoreInt(acc, c, row0, col0, n);
    }

    /** fp8 (E4M3 where {@code e4m3}, else E5M2), laid out as {@link #s8}'s bytes. */
    static void fp8(KernelContext ctx, FP8Array a, FP8Array b, FloatArray c, int n, int k, float init, boolean e4m3) {
        int[] aTile = ctx.allocateIntLocalArray(128);
        int[] bTile = ctx.allocateIntLocalArray(64);
        int lane = ctx.localIdx;
        int row0 = ctx.groupIdx / (n / 8) * 16;
        int col0 = ctx.groupIdx % (n / 8) * 8;
        float[] acc = ctx.mmaFragment(init);
        for (int k0 = 0; k0 < k; k0 += 32) {
            for (int i = lane; i < 128; i += 32) {
                ctx.asyncCopyToLocal(aTile, i, a, (row0 + i / 8) * k + k0 + i % 8 * 4);
            }
            for (int i = lane; i < 64; i += 32) {
                ctx.asyncCopyToLocal(bTile, i, b, (k0 / 2 + i / 4) * 2 * n + 2 * col0 + i % 4 * 4);
            }
            ctx.asyncCopyCommit();
            ctx.asyncCopyWaitGroup(0);
            ctx.localBarrier();
            byte[] fragA = ctx.mmaLoadAFP8(aTile, 32);
            byte[] fragB = ctx.mmaLoadBFP8(bTile, 32);
            if (e4m3) {
                acc = ctx.mmaFP8E4M3(fragA, fragB, acc, MMAShape.M16N8K32);
            } else {
                acc = ctx.mmaFP8E5M2(fragA, fragB, acc, MMAShape.M16N8K32);
            }
            ctx.localBarrier();
        }
        ctx.mmaStore(acc, c, row0, col0, n);
    }
}
