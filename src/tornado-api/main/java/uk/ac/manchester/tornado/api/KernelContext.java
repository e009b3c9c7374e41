package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;

/**
 * TornadoVM's context of a work-item, for kernels that manage their own work-groups: the engine's
 * {@link org.longnet.engine.api.KernelContext} under TornadoVM's name, with the same fields ({@code globalIdx},
 * {@code localIdx}, {@code groupIdx}, {@code localGroupSizeX}, ...), barriers, local arrays (float, int, double,
 * long, byte, and HalfFloat, with TornadoVM's swizzled accessors) and atomic sums into an IntArray, FloatArray, LongArray,
 * DoubleArray or int[]. A task passes
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
}
