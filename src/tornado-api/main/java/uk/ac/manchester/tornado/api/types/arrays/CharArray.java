package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;

import java.lang.foreign.MemorySegment;
import java.nio.CharBuffer;
import java.util.Arrays;

/**
 * TornadoVM's off-heap array of {@code char}, indexed by {@code int}. Kernels read it as the engine's
 * {@link org.longnet.engine.api.CharArray} (its {@code get}, {@code set} and {@code getSize} are that class's intrinsics).
 */
@KernelView(org.longnet.engine.api.CharArray.class)
public final class CharArray extends TornadoNativeArray {
    private final org.longnet.engine.api.CharArray data;
    private final int size;

    public CharArray(int numberOfElements) {
        this.size = checkedLength(numberOfElements);
        this.data = new org.longnet.engine.api.CharArray(numberOfElements);
    }

    /** The concatenation of {@code arrays}. */
    public CharArray(CharArray... arrays) {
        this(checkedLength(Arrays.stream(arrays).mapToLong(CharArray::getSize).sum()));
        long at = 0;
        for (CharArray a : arrays) {
            MemorySegment.copy(a.getSegment(), 0, getSegment(), at, a.getNumBytesOfSegment());
            at += a.getNumBytesOfSegment();
        }
    }

    public static CharArray fromArray(char[] values) {
        CharArray out = new CharArray(values.length);
        for (int i = 0; i < values.length; i++) {
            out.set(i, values[i]);
        }
        return out;
    }

    public static CharArray fromElements(char... values) {
        return fromArray(values);
    }

    /** A new array holding a copy of {@code segment}'s elements. */
    public static CharArray fromSegment(MemorySegment segment) {
        CharArray out = new CharArray(checkedLength(segment.byteSize() / Character.BYTES));
        MemorySegment.copy(segment, 0, out.getSegment(), 0, out.getNumBytesOfSegment());
        return out;
    }

    public static CharArray fromCharBuffer(CharBuffer buffer) {
        CharArray out = new CharArray(buffer.remaining());
        for (int i = 0; i < out.size; i++) {
            out.set(i, buffer.get(buffer.position() + i));
        }
        return out;
    }

    public static void initialize(CharArray array, char value) {
        array.init(value);
    }

    public static CharArray concat(CharArray... arrays) {
        return new CharArray(arrays);
    }

    public char[] toHeapArray() {
        char[] out = new char[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public void set(int index, char value) {
        data.set(index, value);
    }

    public char get(int index) {
        return data.get(index);
    }

    @Override
    public void clear() {
        super.clear();
    }

    @Override
    public int getElementSize() {
        return Character.BYTES;
    }

    public void init(char value) {
        data.fill(value);
    }

    @Override
    public int getSize() {
        return size;
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public CharArray slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + (long) length > size) {
            throw new IllegalArgumentException("slice [" + offset + ", " + offset + " + " + length + ") is outside an array of " + size);
        }
        return fromSegment(getSegment().asSlice((long) offset * Character.BYTES, (long) length * Character.BYTES));
    }

    @Override
    public org.longnet.engine.api.CharArray deviceArray() {
        return data;
    }
}
