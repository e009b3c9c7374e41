package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.matrix.Matrix8x8Float;

/**
 * TornadoVM's context of a work-item, for kernels that manage their own work-groups: the engine's
 * {@link org.longnet.engine.api.KernelContext} under TornadoVM's name, with the same fields ({@code globalIdx},
 * {@code localIdx}, {@code groupIdx}, {@code localGroupSizeX}, ...), barriers, local arrays (float, int, double,
 * long, byte, and HalfFloat, with TornadoVM's swizzled accessors), atomic sums into an IntArray or FloatArray, and TornadoVM's
 * SIMD-group matrices ({@link Matrix8x8Float} tiles: loaded, multiplied and accumulated, stored). A task passes
 * {@code new KernelContext()}; the device fills in each work-item's.
 */
@KernelView(org.longnet.engine.api.KernelContext.class)
public class KernelContext extends org.longnet.engine.api.KernelContext {
    public KernelContext() {
    }

    /** The jvm device's work-items. */
    protected KernelContext(GroupMemory group) {
        super(group);
    }

    /**
     * Memory shared by the work-group, of fp16 values; {@code size} as for the engine's local arrays. On a device the
     * elements are floats that hold fp16 values; here, as in TornadoVM, they start as null.
     */
    public HalfFloat[] allocateHalfFloatLocalArray(int size) {
        return (HalfFloat[]) allocateLocalArray(() -> new HalfFloat[size]);
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

    // TornadoVM's SIMD-group matrices. Each call computes the whole 8 x 8 tile in the work-item that makes it (on Apple's
    // GPUs a SIMD group shares the work; the results are the same); tiles are row-major, `stride` elements apart from one
    // row to the next. A product is rounded before it is added, in the order of k, which the devices' C keeps
    // (longnet_simdmat.h), so every device gives these results bit for bit.

    /** A tile of zeros. */
    public Matrix8x8Float simdgroupMatrixZero() {
        return new Matrix8x8Float();
    }

    /** The tile whose row i starts at {@code array[base + i * stride]}. */
    public Matrix8x8Float simdgroupMatrixLoad(FloatArray array, int base, int stride) {
        Matrix8x8Float tile = new Matrix8x8Float();
        for (int e = 0; e < tile.values.length; e++) {
            tile.values[e] = array.get(base + e / 8 * stride + e % 8);
        }
        return tile;
    }

    /** The tile whose row i starts at {@code array[base + i * stride]}, from a Java array (a work-group local one in TornadoVM's kernels). */
    public Matrix8x8Float simdgroupMatrixLoad(float[] array, int base, int stride) {
        Matrix8x8Float tile = new Matrix8x8Float();
        for (int e = 0; e < tile.values.length; e++) {
            tile.values[e] = array[base + e / 8 * stride + e % 8];
        }
        return tile;
    }

    /** A new tile {@code a * b + c}: element (i, j) is c's, plus a(i, k) * b(k, j) for k from 0 to 7 in turn. */
    public Matrix8x8Float simdgroupMatrixMultiplyAccumulate(Matrix8x8Float a, Matrix8x8Float b, Matrix8x8Float c) {
        Matrix8x8Float d = new Matrix8x8Float();
        for (int e = 0; e < d.values.length; e++) {
            int row = e / 8 * 8, col = e % 8;
            float sum = c.values[e];
            for (int k = 0; k < 8; k++) {
                float product = a.values[row + k] * b.values[k * 8 + col];
                sum += product;
            }
            d.values[e] = sum;
        }
        return d;
    }

    /** Writes {@code tile}'s row i from {@code array[base + i * stride]} on. */
    public void simdgroupMatrixStore(Matrix8x8Float tile, FloatArray array, int base, int stride) {
        for (int e = 0; e < tile.values.length; e++) {
            array.set(base + e / 8 * stride + e % 8, tile.values[e]);
        }
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
}
