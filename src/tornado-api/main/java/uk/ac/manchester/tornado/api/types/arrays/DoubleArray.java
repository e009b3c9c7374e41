package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;

import java.lang.foreign.MemorySegment;
import java.nio.DoubleBuffer;
import java.util.Arrays;

/**
 * TornadoVM's off-heap array of {@code double}, indexed by {@code int}. Kernels read it as the engine's
 * {@link org.longnet.engine.api.DoubleArray} (its {@code get}, {@code set} and {@code getSize} are that class's intrinsics).
 */
@KernelView(org.longnet.engine.api.DoubleArray.class)
public final class DoubleArray extends TornadoNativeArray {
    private final org.longnet.engine.api.DoubleArray data;
    private final int size;

    public DoubleArray(int numberOfElements) {
        this.size = checkedLength(numberOfElements);
        this.data = new org.longnet.engine.api.DoubleArray(numberOfElements);
    }

    /** The concatenation of {@code arrays}. */
    public DoubleArray(DoubleArray... arrays) {
        this(checkedLength(Arrays.stream(arrays).mapToLong(DoubleArray::getSize).sum()));
        long at = 0;
        for (DoubleArray a : arrays) {
            MemorySegment.copy(a.getSegment(), 0, getSegment(), at, a.getNumBytesOfSegment());
            at += a.getNumBytesOfSegment();
        }
    }

    public static DoubleArray fromArray(double[] values) {
        DoubleArray out = new DoubleArray(values.length);
        for (int i = 0; i < values.length; i++) {
            out.set(i, values[i]);
        }
        return out;
    }

    public static DoubleArray fromElements(double... values) {
        return fromArray(values);
    }

    /** A new array holding a copy of {@code segment}'s elements. */
    public static DoubleArray fromSegment(MemorySegment segment) {
        DoubleArray out = new DoubleArray(checkedLength(segment.byteSize() / Double.BYTES));
        MemorySegment.copy(segment, 0, out.getSegment(), 0, out.getNumBytesOfSegment());
        return out;
    }

    public static DoubleArray fromDoubleBuffer(DoubleBuffer buffer) {
        DoubleArray out = new DoubleArray(buffer.remaining());
        for (int i = 0; i < out.size; i++) {
            out.set(i, buffer.get(buffer.position() + i));
        }
        return out;
    }

    public static void initialize(DoubleArray array, double value) {
        array.init(value);
    }

    public static DoubleArray concat(DoubleArray... arrays) {
        return new DoubleArray(arrays);
    }

    public double[] toHeapArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public void set(int index, double value) {
        data.set(index, value);
    }

    public double get(int index) {
        return data.get(index);
    }

    @Override
    public void clear() {
        super.clear();
    }

    @Override
    public int getElementSize() {
        return Double.BYTES;
    }

    public void init(double value) {
        data.fill(value);
    }

    @Override
    public int getSize() {
        return size;
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public DoubleArray slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + (long) length > size) {
            throw new IllegalArgumentException("slice [" + offset + ", " + offset + " + " + length + ") is outside an array of " + size);
        }
        return fromSegment(getSegment().asSlice((long) offset * Double.BYTES, (long) length * Double.BYTES));
    }

    @Override
    public org.longnet.engine.api.DoubleArray deviceArray() {
        return data;
    }
}
