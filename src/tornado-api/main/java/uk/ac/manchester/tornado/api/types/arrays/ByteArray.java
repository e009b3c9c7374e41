package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * TornadoVM's off-heap array of {@code byte}, indexed by {@code int}. Kernels read it as the engine's
 * {@link org.longnet.engine.api.ByteArray} (its {@code get}, {@code set} and {@code getSize} are that class's intrinsics).
 */
@KernelView(org.longnet.engine.api.ByteArray.class)
public final class ByteArray extends TornadoNativeArray {
    private final org.longnet.engine.api.ByteArray data;
    private final int size;

    public ByteArray(int numberOfElements) {
        this.size = checkedLength(numberOfElements);
        this.data = new org.longnet.engine.api.ByteArray(numberOfElements);
    }

    /** The concatenation of {@code arrays}. */
    public ByteArray(ByteArray... arrays) {
        this(checkedLength(Arrays.stream(arrays).mapToLong(ByteArray::getSize).sum()));
        long at = 0;
        for (ByteArray a : arrays) {
            MemorySegment.copy(a.getSegment(), 0, getSegment(), at, a.getNumBytesOfSegment());
            at += a.getNumBytesOfSegment();
        }
    }

    public static ByteArray fromArray(byte[] values) {
        ByteArray out = new ByteArray(values.length);
        for (int i = 0; i < values.length; i++) {
            out.set(i, values[i]);
        }
        return out;
    }

    public static ByteArray fromElements(byte... values) {
        return fromArray(values);
    }

    /** A new array holding a copy of {@code segment}'s elements. */
    public static ByteArray fromSegment(MemorySegment segment) {
        ByteArray out = new ByteArray(checkedLength(segment.byteSize() / Byte.BYTES));
        MemorySegment.copy(segment, 0, out.getSegment(), 0, out.getNumBytesOfSegment());
        return out;
    }

    public static ByteArray fromByteBuffer(ByteBuffer buffer) {
        ByteArray out = new ByteArray(buffer.remaining());
        for (int i = 0; i < out.size; i++) {
            out.set(i, buffer.get(buffer.position() + i));
        }
        return out;
    }

    public static void initialize(ByteArray array, byte value) {
        array.init(value);
    }

    public static ByteArray concat(ByteArray... arrays) {
        return new ByteArray(arrays);
    }

    public byte[] toHeapArray() {
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public void set(int index, byte value) {
        data.set(index, value);
    }

    public byte get(int index) {
        return data.get(index);
    }

    @Override
    public void clear() {
        super.clear();
    }

    @Override
    public int getElementSize() {
        return Byte.BYTES;
    }

    public void init(byte value) {
        data.fill(value);
    }

    @Override
    public int getSize() {
        return size;
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public ByteArray slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + (long) length > size) {
            throw new IllegalArgumentException("slice [" + offset + ", " + offset + " + " + length + ") is outside an array of " + size);
        }
        return fromSegment(getSegment().asSlice((long) offset * Byte.BYTES, (long) length * Byte.BYTES));
    }

    @Override
    public org.longnet.engine.api.ByteArray deviceArray() {
        return data;
    }
}
