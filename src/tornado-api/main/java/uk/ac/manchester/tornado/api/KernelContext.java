package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.enums.MMAShape;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FP8Array;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;
import uk.ac.manchester.tornado.api.types.matrix.Matrix8x8Float;
import uk.ac.manchester.tornado.api.types.vectors.Half2;

import java.util.function.IntUnaryOperator;

/**
 * TornadoVM's context of a work-item, for kernels that manage their own work-groups: the engine's
 * {@link org.longnet.engine.api.KernelContext} under TornadoVM's name, with the same fields ({@code globalIdx},
 * {@code localIdx}, {@code groupIdx}, {@code localGroupSizeX}, ...), barriers, local arrays (float, int, double,
 * long, byte, HalfFloat and Half2, with TornadoVM's swizzled accessors), atomic sums into an IntArray, FloatArray, LongArray,
 * DoubleArray or int[],
 * TornadoVM's SIMD-group matrices ({@link Matrix8x8Float} tiles: loaded, multiplied and accumulated, stored), and the warp matrix
 * products (MMA). A task passes {@code new KernelContext()}; the device fills in each work-item's.
 * <p>
 * This file is over 200 lines because the MMA methods are TornadoVM's API on this one class; their work is in
 * {@link WarpMatrices}.
 */
@KernelView(org.longnet.engine.api.KernelContext.class)
public class KernelContext extends org.longnet.engine.api.KernelContext {
    public KernelContext() {
        tileGroup = null;
    }

    /** The jvm device's work-items. */
    protected KernelContext(GroupMemory group) {
        super(group);
        tileGroup = group;
    }

    /**
     * Memory shared by the work-group, of fp16 values; {@code size} as for the engine's local arrays. On a device the
     * elements are floats that hold fp16 values; here, as in TornadoVM, they start as null.
     */
    public HalfFloat[] allocateHalfFloatLocalArray(int size) {
        return (HalfFloat[]) allocateLocalArray(() -> new HalfFloat[size]);
    }

    /**
     * Memory shared by the work-group, of {@link Half2} pairs; {@code size} as for the engine's local arrays. On a device each
     * element is a vector value (two floats holding fp16 values), which {@code tile[i] = v} stores and {@code tile[i]} loads;
     * here, as in TornadoVM, the elements start as null.
     */
    public Half2[] allocateHalf2LocalArray(int size) {
        return (Half2[]) allocateLocalArray(() -> new Half2[size]);
    }

    // TornadoVM's swizzled tiles: element (row, col) of a row-major local tile of `stride` columns, at its byte offset with
    // three bits flipped by the line of the tile it is in, so that a column's elements fall in different banks. A store and a
    // load with the same arguments meet; the translator writes the same index (Swizzles.java).

    public void swizzleStoreFp16Stride32(HalfFloat[] tile, int row, int col, int stride, HalfFloat value) {
        tile[swizzled((row * stride + col) * 2, 7, 4) / 2] = value;
    }

    public HalfFloat swizzleLoadFp16Stride32(HalfFloat[] tile, int row, int col, int stride) {
        return tile[swizzled((row * stride + col) * 2, 7, 4) / 2];
    }

    public void swizzleStoreFp16Stride16(HalfFloat[] tile, int row, int col, int stride, HalfFloat value) {
        tile[swizzled((row * stride + col) * 2, 6, 3) / 2] = value;
    }

    public HalfFloat swizzleLoadFp16Stride16(HalfFloat[] tile, int row, int col, int stride) {
        return tile[swizzled((row * stride + col) * 2, 6, 3) / 2];
    }

    public void swizzleStoreInt8(byte[] tile, int row, int col, int stride, byte value) {
        tile[swizzled(row * stride + col, 7, 4)] = value;
    }

    public byte swizzleLoadInt8(byte[] tile, int row, int col, int stride) {
        return tile[swizzled(row * stride + col, 7, 4)];
    }

    /** {@code byteOffset} with bits {@code [flipShift, flipShift + 3)} flipped by its line's number (bits from lineShift on). */
    private static int swizzled(int byteOffset, int lineShift, int flipShift) {
        return byteOffset ^ (((byteOffset >> lineShift) & 7) << flipShift);
    }

    /** Adds {@code value} to {@code array[index]} atomically: work-items adding to one element all count. */
    public void atomicAdd(IntArray array, int index, int value) {
        atomicAdd(array.deviceArray(), index, value);
    }

    /** Adds {@code value} to {@code array[index]} atomically, in an order that is not defined (so rounding may differ). */
    public void atomicAdd(FloatArray array, int index, float value) {
        atomicAdd(array.deviceArray(), index, value);
    }

    /** Adds {@code value} to {@code array[index]} atomically (wrapping): work-items adding to one element all count. */
    public void atomicAdd(LongArray array, int index, long value) {
        atomicAdd(array.deviceArray(), index, value);
    }

    /** Adds {@code value} to {@code array[index]} atomically, in an order that is not defined (so rounding may differ). */
    public void atomicAdd(DoubleArray array, int index, double value) {
        atomicAdd(array.deviceArray(), index, value);
    }

    /** Adds {@code value} to {@code array[index]} of a Java int array atomically (wrapping). */
    public void atomicAdd(int[] array, int index, int value) {
        atomicAdd(array, (long) index, value);
    }

    // TornadoVM's SIMD-group matrices: each call computes the whole 8 x 8 tile in the work-item that makes it, or takes the
    // equal tile another work-item of its group made (SimdgroupTiles). The calls of one work-item are numbered from its
    // start, so the tiles' log lives until resetAllocations, which the jvm device calls as each work-item starts.

    /** The work-group of this work-item on the jvm device; null on the host. */
    private final Object tileGroup;
    private SimdgroupTiles tiles;

    private SimdgroupTiles tiles() {
        if (tiles == null) {
            tiles = new SimdgroupTiles(tileGroup);
        }
        return tiles;
    }

    /** A tile of zeros. */
    public Matrix8x8Float simdgroupMatrixZero() {
        return tiles().zero();
    }

    /** The tile whose row i starts at {@code array[base + i * stride]}. */
    public Matrix8x8Float simdgroupMatrixLoad(FloatArray array, int base, int stride) {
        return tiles().load(array, base, stride);
    }

    /** The tile whose row i starts at {@code array[base + i * stride]}, from a Java array (a work-group local one in TornadoVM's kernels). */
    public Matrix8x8Float simdgroupMatrixLoad(float[] array, int base, int stride) {
        return tiles().load(array, base, stride);
    }

    /** A new tile {@code a * b + c}: element (i, j) is c's, plus a(i, k) * b(k, j) for k from 0 to 7 in turn. */
    public Matrix8x8Float simdgroupMatrixMultiplyAccumulate(Matrix8x8Float a, Matrix8x8Float b, Matrix8x8Float c) {
        return tiles().multiplyAccumulate(a, b, c);
    }

    /** Writes {@code tile}'s row i from {@code array[base + i * stride]} on. */
    public void simdgroupMatrixStore(Matrix8x8Float tile, FloatArray array, int base, int stride) {
        SimdgroupTiles.store(tile, array, base, stride);
    }

    /**
     * C's 8 x 8 tile at {@code cBase} (rows {@code ldc} apart) becomes A's 8 x k block at {@code aBase} (rows {@code lda} apart)
     * times B's k x 8 block at {@code bBase} (rows {@code ldb} apart): a sum over the 8 x 8 tiles of the blocks, k's in steps of 8.
     */
    public void matrixMultiply8x8(FloatArray a, int aBase, int lda, FloatArray b, int bBase, int ldb, FloatArray c, int cBase, int ldc, int k) {
        Matrix8x8Float sum = simdgroupMatrixZero();
        for (int p = 0; p < k; p += 8) {
            sum = simdgroupMatrixMultiplyAccumulate(simdgroupMatrixLoad(a, aBase + p, lda), simdgroupMatrixLoad(b, bBase + p * ldb, ldb), sum);
        }
        simdgroupMatrixStore(sum, c, cBase, ldc);
    }

    // TornadoVM's warp matrix products (WarpMatrices: PTX's ldmatrix and mma.sync, every work-item of the group calling
    // together). Fragments are this lane's registers: an fp16/bf16 A fragment 8 halves, B 4, an int8/fp8 A fragment 16
    // bytes, B 8, an accumulator 4 floats or ints. The k arguments are TornadoVM's and, as there, do not change the tile
    // layouts: A tiles have rows of 32 bytes (16 halves, 32 bytes), B tiles rows of 16 bytes, in int-packed local arrays.

    private WarpMatrices warp;

    private WarpMatrices warp() {
        if (warp == null) {
            warp = new WarpMatrices(this, (int[]) allocateLocalArray(() -> WarpMatrices.scratchFor(this)));
        }
        return warp;
    }

    @Override
    protected void resetAllocations() {
        super.resetAllocations();
        warp = null;
        tiles = null;
    }

    /** An accumulator fragment of four floats, each {@code value}. */
    public float[] mmaFragment(float value) {
        return new float[] {value, value, value, value};
    }

    /** An int8 product's accumulator fragment of four ints, each {@code value}. */
    public int[] mmaFragmentInt(int value) {
        return new int[] {value, value, value, value};
    }

    /** This lane's A fragment (16 x 16 fp16 or bf16) of a row-major tile of 16 halves a row ({@code ldmatrix.x4}). */
    public HalfFloat[] mmaLoadA(int[] aTile, int wmmaK) {
        return mmaLoadA(aTile, wmmaK, 0);
    }

    /** {@link #mmaLoadA(int[], int)} of the tile from byte {@code byteOffset} on. */
    public HalfFloat[] mmaLoadA(int[] aTile, int wmmaK, int byteOffset) {
        return halves(warp().load(warp().rowOfA(byteOffset), word16(aTile), 4, false));
    }

    /** This lane's B fragment (16 x 8) of a tile of 16 rows (k) of 8 halves (n) ({@code ldmatrix.x2.trans}). */
    public HalfFloat[] mmaLoadB(int[] bTile, int wmmaK) {
        return mmaLoadB(bTile, wmmaK, 0);
    }

    /** {@link #mmaLoadB(int[], int)} of the tile from byte {@code byteOffset} on. */
    public HalfFloat[] mmaLoadB(int[] bTile, int wmmaK, int byteOffset) {
        return halves(warp().load(warp().rowOfB(false, byteOffset), word16(bTile), 2, true));
    }

    /** {@link #mmaLoadB(int[], int)} of an fp16 tile written by {@link #swizzleStoreFp16Stride32} with 8 columns. */
    public HalfFloat[] mmaLoadBSwizzled(HalfFloat[] bTile, int wmmaK) {
        return mmaLoadBSwizzled(bTile, wmmaK, 0);
    }

    /** {@link #mmaLoadBSwizzled(HalfFloat[], int)} from byte {@code byteOffset} on (added after the swizzle). */
    public HalfFloat[] mmaLoadBSwizzled(HalfFloat[] bTile, int wmmaK, int byteOffset) {
        IntUnaryOperator word16 = at -> bTile[at >> 1] == null ? 0 : bTile[at >> 1].getHalfFloatValue();
        return halves(warp().load(warp().rowOfB(true, byteOffset), word16, 2, true));
    }

    /** Stores {@code value} where {@link #mmaLoadBSwizzled(HalfFloat[], int, int)} reads element (row, col) of a tile of {@code stride} columns. */
    public void mmaStoreBSwizzled(HalfFloat[] tile, int row, int col, int stride, HalfFloat value, int byteOffset) {
        tile[(swizzled((row * stride + col) * 2, 7, 4) + byteOffset) / 2] = value;
    }

    /** D = A B + C ({@code mma.sync.m16n8k16.row.col.f32.f16.f16.f32}): this lane's four elements of D. */
    public float[] mma(HalfFloat[] fragA, HalfFloat[] fragB, float[] fragC, MMAShape mmaShape) {
        checkShape(mmaShape, MMAShape.M16N8K16, "mma");
        return warp().product(words(fragA, 8, "A"), words(fragB, 4, "B"), checked(fragC), WarpMatrices.Operand.F16);
    }

    /** {@link #mma} with the fragments' 16-bit words read as bf16 ({@code .bf16.bf16}). */
    public float[] mmaBF16(HalfFloat[] fragA, HalfFloat[] fragB, float[] fragC, MMAShape mmaShape) {
        checkShape(mmaShape, MMAShape.M16N8K16, "mmaBF16");
        return warp().product(words(fragA, 8, "A"), words(fragB, 4, "B"), checked(fragC), WarpMatrices.Operand.BF16);
    }

    /** Stores this lane's four elements of D at {@code c[(tileRow + row) * dimN + tileCol + column]}. */
    public void mmaStore(float[] fragD, FloatArray c, int tileRow, int tileCol, int dimN) {
        checked(fragD);
        for (int i = 0; i < 4; i++) {
            c.set((tileRow + warp().row(i)) * dimN + tileCol + warp().column(i), fragD[i]);
        }
    }

    /** This lane's A fragment (16 x 32 bytes) of a row-major tile of 32 bytes a row. */
    public byte[] mmaLoadAInt8(int[] aTile, int tileK) {
        return bytes(warp().load(warp().rowOfA(0), word16(aTile), 4, false));
    }

    /** This lane's B fragment (32 x 8 bytes) of a tile whose 16-byte row r holds k = 2r, 2r + 1 of each column n at bytes 2n, 2n + 1. */
    public byte[] mmaLoadBInt8(int[] bTile, int tileK) {
        return bytes(warp().load(warp().rowOfB(false, 0), word16(bTile), 2, true));
    }

    /** D = A B + C with int8 operands and int accumulation ({@code mma.sync.m16n8k32.row.col.s32.s8.s8.s32}). */
    public int[] mmaInt8(byte[] fragA, byte[] fragB, int[] fragC, MMAShape shape) {
        checkShape(shape, MMAShape.M16N8K32, "mmaInt8");
        if (fragC == null || fragC.length != 4) {
            throw new IllegalArgumentException("mmaInt8: fragC must be an accumulator fragment of 4 ints (mmaFragmentInt)");
        }
        return warp().product(words(fragA, 16, "A"), words(fragB, 8, "B"), fragC);
    }

    /** {@link #mmaStore} of an int accumulator. */
    public void mmaStoreInt(int[] fragD, IntArray out, int row, int col, int stride) {
        for (int i = 0; i < 4; i++) {
            out.set((row + warp().row(i)) * stride + col + warp().column(i), fragD[i]);
        }
    }

    /** {@link #mmaLoadAInt8}: the load does not read the bytes. */
    public byte[] mmaLoadAFP8(int[] aTile, int tileK) {
        return mmaLoadAInt8(aTile, tileK);
    }

    /** {@link #mmaLoadBInt8}: the load does not read the bytes. */
    public byte[] mmaLoadBFP8(int[] bTile, int tileK) {
        return mmaLoadBInt8(bTile, tileK);
    }

    /** D = A B + C with OCP E4M3 operands and float accumulation ({@code .m16n8k32.row.col.f32.e4m3.e4m3.f32}). */
    public float[] mmaFP8E4M3(byte[] fragA, byte[] fragB, float[] fragC, MMAShape shape) {
        checkShape(shape, MMAShape.M16N8K32, "mmaFP8E4M3");
        return warp().product(words(fragA, 16, "A"), words(fragB, 8, "B"), checked(fragC), WarpMatrices.Operand.E4M3);
    }

    /** D = A B + C with OCP E5M2 operands and float accumulation. */
    public float[] mmaFP8E5M2(byte[] fragA, byte[] fragB, float[] fragC, MMAShape shape) {
        checkShape(shape, MMAShape.M16N8K32, "mmaFP8E5M2");
        return warp().product(words(fragA, 16, "A"), words(fragB, 8, "B"), checked(fragC), WarpMatrices.Operand.E5M2);
    }

    /** Copies {@code src[srcIndex]} and {@code src[srcIndex + 1]} into {@code dstTile[dstIndex]}, the first in the low 16 bits (CUDA: cp.async). */
    public void asyncCopyToLocal(int[] dstTile, int dstIndex, HalfFloatArray src, int srcIndex) {
        dstTile[dstIndex] = (src.get(srcIndex).getHalfFloatValue() & 0xFFFF) | src.get(srcIndex + 1).getHalfFloatValue() << 16;
    }

    /** Copies the four bytes {@code src[srcIndex ..]} into {@code dstTile[dstIndex]}, the first in the low byte. */
    public void asyncCopyToLocal(int[] dstTile, int dstIndex, FP8Array src, int srcIndex) {
        dstTile[dstIndex] = packed(src.get(srcIndex), src.get(srcIndex + 1), src.get(srcIndex + 2), src.get(srcIndex + 3));
    }

    /** Copies the four bytes {@code src[srcIndex ..]} into {@code dstTile[dstIndex]}, the first in the low byte. */
    public void asyncCopyToLocal(int[] dstTile, int dstIndex, ByteArray src, int srcIndex) {
        dstTile[dstIndex] = packed(src.get(srcIndex), src.get(srcIndex + 1), src.get(srcIndex + 2), src.get(srcIndex + 3));
    }

    /** Closes a group of {@link #asyncCopyToLocal} copies (CUDA: cp.async.commit_group); the copies here are done already. */
    public void asyncCopyCommit() {
    }

    /** Waits until at most {@code groups} groups of copies are in flight (CUDA: cp.async.wait_group); here none is. */
    public void asyncCopyWaitGroup(int groups) {
    }

    private static int packed(byte b0, byte b1, byte b2, byte b3) {
        return (b0 & 0xFF) | (b1 & 0xFF) << 8 | (b2 & 0xFF) << 16 | (b3 & 0xFF) << 24;
    }

    /** The 16 bits at byte {@code at} of an int-packed tile (little-endian, as the devices lay it out). */
    private static IntUnaryOperator word16(int[] tile) {
        return at -> tile[at >> 2] >>> ((at & 2) * 8) & 0xFFFF;
    }

    private static HalfFloat[] halves(int[] registers) {
        HalfFloat[] out = new HalfFloat[registers.length * 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = new HalfFloat((short) (registers[i / 2] >>> (i % 2 * 16)));
        }
        return out;
    }

    private static byte[] bytes(int[] registers) {
        byte[] out = new byte[registers.length * 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (registers[i / 4] >>> (i % 4 * 8));
        }
        return out;
    }

    private static int[] words(HalfFloat[] fragment, int length, String operand) {
        if (fragment == null || fragment.length != length) {
            throw new IllegalArgumentException("frag" + operand + " must be an " + operand + " fragment of " + length
                    + " halves (mmaLoad" + operand + "), was " + (fragment == null ? "null" : fragment.length + " long"));
        }
        int[] out = new int[length / 2];
        for (int i = 0; i < length; i++) {
            out[i / 2] |= (fragment[i].getHalfFloatValue() & 0xFFFF) << (i % 2 * 16);
        }
        return out;
    }

    private static int[] words(byte[] fragment, int length, String operand) {
        if (fragment == null || fragment.length != length) {
            throw new IllegalArgumentException("frag" + operand + " must be an 8-bit " + operand + " fragment of " + length
                    + " bytes, was " + (fragment == null ? "null" : fragment.length + " long"));
        }
        int[] out = new int[length / 4];
        for (int i = 0; i < length; i++) {
            out[i / 4] |= (fragment[i] & 0xFF) << (i % 4 * 8);
        }
        return out;
    }

    private static float[] checked(float[] accumulator) {
        if (accumulator == null || accumulator.length != 4) {
            throw new IllegalArgumentException("an MMA accumulator fragment must be 4 floats (mmaFragment), was "
                    + (accumulator == null ? "null" : accumulator.length + " long"));
        }
        return accumulator;
    }

    private static void checkShape(MMAShape shape, MMAShape wanted, String method) {
        if (shape != wanted) {
            throw new IllegalArgumentException(method + ": shape must be " + wanted + ", was " + shape);
        }
    }
}
