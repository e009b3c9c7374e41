package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;

import java.lang.foreign.MemorySegment;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * TornadoVM's off-heap array of {@code float}, indexed by {@code int}. Kernels read it as the engine's
 * {@link org.longnet.engine.api.FloatArray} (its {@code get}, {@code set} and {@code getSize} are that class's intrinsics).
 */
@KernelView(org.longnet.engine.api.FloatArray.class)
public final class FloatArray extends TornadoNativeArray {
    private final org.longnet.engine.api.FloatArray data;
    private final int size;

    public FloatArray(int numberOfElements) {
        this.size = checkedLength(numberOfElements);
        this.data = new org.longnet.engine.api.FloatArray(numberOfElements);
    }

    /** The concatenation of {@code arrays}. */
    public FloatArray(FloatArray... arrays) {
        this(checkedLength(Arrays.stream(arrays).mapToLong(FloatArray::getSize).sum()));
        long at = 0;
        for (FloatArray a : arrays) {
            MemorySegment.copy(a.getSegment(), 0, getSegment(), at, a.getNumBytesOfSegment());
            at += a.getNumBytesOfSegment();
        }
    }

    public static FloatArray fromArray(float[] values) {
        FloatArray out = new FloatArray(values.length);
        for (int i = 0; i < values.length; i++) {
            out.set(i, values[i]);
        }
        return out;
    }

    public static FloatArray fromElements(float... values) {
        return fromArray(values);
    }

    /** A new array holding a copy of {@code segment}'s elements. */
    public static FloatArray fromSegment(MemorySegment segment) {
        FloatArray out = new FloatArray(checkedLength(segment.byteSize() / Float.BYTES));
        MemorySegment.copy(segment, 0, out.getSegment(), 0, out.getNumBytesOfSegment());
        return out;
    }

    public static FloatArray fromFloatBuffer(FloatBuffer buffer) {
        FloatArray out = new FloatArray(buffer.remaining());
        for (int i = 0; i < out.size; i++) {
            out.set(i, buffer.get(buffer.position() + i));
        }
        return out;
    }

    public static void initialize(FloatArray array, float value) {
        array.init(value);
    }

    public static FloatArray concat(FloatArray... arrays) {
        return new FloatArray(arrays);
    }

    public float[] toHeapArray() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public void set(int index, float value) {
        data.set(index, value);
    }

    public float get(int index) {
        return data.get(index);
    }

    @Override
    public void clear() {
        super.clear();
    }

    @Override
    public int getElementSize() {
        return Float.BYTES;
    }

    public void init(float value) {
        data.fill(value);
    }

    @Override
    public int getSize() {
        return size;
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public FloatArray slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + (long) length > size) {
            throw new IllegalArgumentException("slice [" + offset + ", " + offset + " + " + length + ") is outside an array of " + size);
        }
        return fromSegment(getSegment().asSlice((long) offset * Float.BYTES, (long) length * Float.BYTES));
    }

    @Override
    public org.longnet.engine.api.FloatArray deviceArray() {
        return data;
    }
}
