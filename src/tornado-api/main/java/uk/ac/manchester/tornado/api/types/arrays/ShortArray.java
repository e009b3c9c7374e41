package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;

import java.lang.foreign.MemorySegment;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * TornadoVM's off-heap array of {@code short}, indexed by {@code int}. Kernels read it as the engine's
 * {@link org.longnet.engine.api.ShortArray} (its {@code get}, {@code set} and {@code getSize} are that class's intrinsics).
 */
@KernelView(org.longnet.engine.api.ShortArray.class)
public final class ShortArray extends TornadoNativeArray {
    private final org.longnet.engine.api.ShortArray data;
    private final int size;

    public ShortArray(int numberOfElements) {
        this.size = checkedLength(numberOfElements);
        this.data = new org.longnet.engine.api.ShortArray(numberOfElements);
    }

    /** The concatenation of {@code arrays}. */
    public ShortArray(ShortArray... arrays) {
        this(checkedLength(Arrays.stream(arrays).mapToLong(ShortArray::getSize).sum()));
        long at = 0;
        for (ShortArray a : arrays) {
            MemorySegment.copy(a.getSegment(), 0, getSegment(), at, a.getNumBytesOfSegment());
            at += a.getNumBytesOfSegment();
        }
    }

    public static ShortArray fromArray(short[] values) {
        ShortArray out = new ShortArray(values.length);
        for (int i = 0; i < values.length; i++) {
            out.set(i, values[i]);
        }
        return out;
    }

    public static ShortArray fromElements(short... values) {
        return fromArray(values);
    }

    /** A new array holding a copy of {@code segment}'s elements. */
    public static ShortArray fromSegment(MemorySegment segment) {
        ShortArray out = new ShortArray(checkedLength(segment.byteSize() / Short.BYTES));
        MemorySegment.copy(segment, 0, out.getSegment(), 0, out.getNumBytesOfSegment());
        return out;
    }

    public static ShortArray fromShortBuffer(ShortBuffer buffer) {
        ShortArray out = new ShortArray(buffer.remaining());
        for (int i = 0; i < out.size; i++) {
            out.set(i, buffer.get(buffer.position() + i));
        }
        return out;
    }

    public static void initialize(ShortArray array, short value) {
        array.init(value);
    }

    public static ShortArray concat(ShortArray... arrays) {
        return new ShortArray(arrays);
    }

    public short[] toHeapArray() {
        short[] out = new short[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public void set(int index, short value) {
        data.set(index, value);
    }

    public short get(int index) {
        return data.get(index);
    }

    @Override
    public void clear() {
        super.clear();
    }

    @Override
    public int getElementSize() {
        return Short.BYTES;
    }

    public void init(short value) {
        data.fill(value);
    }

    @Override
    public int getSize() {
        return size;
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public ShortArray slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + (long) length > size) {
            throw new IllegalArgumentException("slice [" + offset + ", " + offset + " + " + length + ") is outside an array of " + size);
        }
        return fromSegment(getSegment().asSlice((long) offset * Short.BYTES, (long) length * Short.BYTES));
    }

    @Override
    public org.longnet.engine.api.ShortArray deviceArray() {
        return data;
    }
}
