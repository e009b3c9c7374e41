package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;

import java.lang.foreign.MemorySegment;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * TornadoVM's off-heap array of {@code long}, indexed by {@code int}. Kernels read it as the engine's
 * {@link org.longnet.engine.api.LongArray} (its {@code get}, {@code set} and {@code getSize} are that class's intrinsics).
 */
@KernelView(org.longnet.engine.api.LongArray.class)
public final class LongArray extends TornadoNativeArray {
    private final org.longnet.engine.api.LongArray data;
    private final int size;

    public LongArray(int numberOfElements) {
        this.size = checkedLength(numberOfElements);
        this.data = new org.longnet.engine.api.LongArray(numberOfElements);
    }

    /** The concatenation of {@code arrays}. */
    public LongArray(LongArray... arrays) {
        this(checkedLength(Arrays.stream(arrays).mapToLong(LongArray::getSize).sum()));
        long at = 0;
        for (LongArray a : arrays) {
            MemorySegment.copy(a.getSegment(), 0, getSegment(), at, a.getNumBytesOfSegment());
            at += a.getNumBytesOfSegment();
        }
    }

    public static LongArray fromArray(long[] values) {
        LongArray out = new LongArray(values.length);
        for (int i = 0; i < values.length; i++) {
            out.set(i, values[i]);
        }
        return out;
    }

    public static LongArray fromElements(long... values) {
        return fromArray(values);
    }

    /** A new array holding a copy of {@code segment}'s elements. */
    public static LongArray fromSegment(MemorySegment segment) {
        LongArray out = new LongArray(checkedLength(segment.byteSize() / Long.BYTES));
        MemorySegment.copy(segment, 0, out.getSegment(), 0, out.getNumBytesOfSegment());
        return out;
    }

    public static LongArray fromLongBuffer(LongBuffer buffer) {
        LongArray out = new LongArray(buffer.remaining());
        for (int i = 0; i < out.size; i++) {
            out.set(i, buffer.get(buffer.position() + i));
        }
        return out;
    }

    public static void initialize(LongArray array, long value) {
        array.init(value);
    }

    public static LongArray concat(LongArray... arrays) {
        return new LongArray(arrays);
    }

    public long[] toHeapArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public void set(int index, long value) {
        data.set(index, value);
    }

    public long get(int index) {
        return data.get(index);
    }

    @Override
    public void clear() {
        super.clear();
    }

    @Override
    public int getElementSize() {
        return Long.BYTES;
    }

    public void init(long value) {
        data.fill(value);
    }

    @Override
    public int getSize() {
        return size;
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public LongArray slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + (long) length > size) {
            throw new IllegalArgumentException("slice [" + offset + ", " + offset + " + " + length + ") is outside an array of " + size);
        }
        return fromSegment(getSegment().asSlice((long) offset * Long.BYTES, (long) length * Long.BYTES));
    }

    @Override
    public org.longnet.engine.api.LongArray deviceArray() {
        return data;
    }
}
