package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;

import java.lang.foreign.MemorySegment;
import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * TornadoVM's off-heap array of {@code int}, indexed by {@code int}. Kernels read it as the engine's
 * {@link org.longnet.engine.api.IntArray} (its {@code get}, {@code set} and {@code getSize} are that class's intrinsics).
 */
@KernelView(org.longnet.engine.api.IntArray.class)
public final class IntArray extends TornadoNativeArray {
    private final org.longnet.engine.api.IntArray data;
    private final int size;

    public IntArray(int numberOfElements) {
        this.size = checkedLength(numberOfElements);
        this.data = new org.longnet.engine.api.IntArray(numberOfElements);
    }

    /** The concatenation of {@code arrays}. */
    public IntArray(IntArray... arrays) {
        this(checkedLength(Arrays.stream(arrays).mapToLong(IntArray::getSize).sum()));
        long at = 0;
        for (IntArray a : arrays) {
            MemorySegment.copy(a.getSegment(), 0, getSegment(), at, a.getNumBytesOfSegment());
            at += a.getNumBytesOfSegment();
        }
    }

    public static IntArray fromArray(int[] values) {
        IntArray out = new IntArray(values.length);
        for (int i = 0; i < values.length; i++) {
            out.set(i, values[i]);
        }
        return out;
    }

    public static IntArray fromElements(int... values) {
        return fromArray(values);
    }

    /** A new array holding a copy of {@code segment}'s elements. */
    public static IntArray fromSegment(MemorySegment segment) {
        IntArray out = new IntArray(checkedLength(segment.byteSize() / Integer.BYTES));
        MemorySegment.copy(segment, 0, out.getSegment(), 0, out.getNumBytesOfSegment());
        return out;
    }

    public static IntArray fromIntBuffer(IntBuffer buffer) {
        IntArray out = new IntArray(buffer.remaining());
        for (int i = 0; i < out.size; i++) {
            out.set(i, buffer.get(buffer.position() + i));
        }
        return out;
    }

    public static void initialize(IntArray array, int value) {
        array.init(value);
    }

    public static IntArray concat(IntArray... arrays) {
        return new IntArray(arrays);
    }

    public int[] toHeapArray() {
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public void set(int index, int value) {
        data.set(index, value);
    }

    public int get(int index) {
        return data.get(index);
    }

    @Override
    public void clear() {
        super.clear();
    }

    @Override
    public int getElementSize() {
        return Integer.BYTES;
    }

    public void init(int value) {
        data.fill(value);
    }

    @Override
    public int getSize() {
        return size;
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public IntArray slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + (long) length > size) {
            throw new IllegalArgumentException("slice [" + offset + ", " + offset + " + " + length + ") is outside an array of " + size);
        }
        return fromSegment(getSegment().asSlice((long) offset * Integer.BYTES, (long) length * Integer.BYTES));
    }

    @Override
    public org.longnet.engine.api.IntArray deviceArray() {
        return data;
    }
}
