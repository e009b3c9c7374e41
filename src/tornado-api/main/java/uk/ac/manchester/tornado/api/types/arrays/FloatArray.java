package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
//-- only Byte
//: import uk.ac.manchester.tornado.api.types.HalfFloat;
//-- end

// The template of ByteArray, CharArray, ShortArray, IntArray, LongArray and DoubleArray, which differ from this class
// only in their element type: the build writes each of them from this file, renaming the element type
// (src/tornado-api/build/GenerateSources.java). Edit this file, never those; lines starting with // are left out.
/**
 * TornadoVM's off-heap array of {@code float}, indexed by {@code int}. Kernels read it as the engine's
 * {@link org.longnet.engine.api.FloatArray} (its {@code get}, {@code set} and {@code getSize} are that class's intrinsics).
 */
@KernelView(org.longnet.engine.api.FloatArray.class)
public final class FloatArray extends TornadoNativeArray {
    private static final ValueLayout.OfFloat ELEMENT = ValueLayout.JAVA_FLOAT;
    private final org.longnet.engine.api.FloatArray data;

    public FloatArray(int numberOfElements) {
        this.data = new org.longnet.engine.api.FloatArray(checkedLength(numberOfElements));
    }

    /** The concatenation of {@code arrays}. */
    public FloatArray(FloatArray... arrays) {
        this(totalSize(arrays));
        copyIn(arrays);
    }

    private FloatArray(org.longnet.engine.api.FloatArray data) {
        this.data = data;
    }

    public static FloatArray fromArray(float[] values) {
        return copyOf(MemorySegment.ofArray(values), ELEMENT, FloatArray::new);
    }

    public static FloatArray fromElements(float... values) {
        return fromArray(values);
    }

    /** A new array holding a copy of {@code segment}'s elements. */
    public static FloatArray fromSegment(MemorySegment segment) {
        return copyOf(segment, ELEMENT, FloatArray::new);
    }

    /** An array over {@code segment} itself, not a copy: see {@link TornadoNativeArray#shallowElements}. */
    public static FloatArray fromSegmentShallow(MemorySegment segment) {
        return new FloatArray(new org.longnet.engine.api.FloatArray(shallowElements(segment)));
    }

    /** A new array holding the buffer's remaining elements, read by value (in the buffer's byte order); its position stays. */
    public static FloatArray fromFloatBuffer(FloatBuffer buffer) {
        float[] values = new float[buffer.remaining()];
        buffer.get(buffer.position(), values);
        return fromArray(values);
    }

    public static void initialize(FloatArray array, float value) {
        array.init(value);
    }

    public static FloatArray concat(FloatArray... arrays) {
        return new FloatArray(arrays);
    }

    public float[] toHeapArray() {
        return elements().toArray(ELEMENT);
    }

    public void set(int index, float value) {
        data.set(index, value);
    }

    public float get(int index) {
        return data.get(index);
    }

//-- only Byte
//:     /** Stores {@code value}'s 16 bits at bytes {@code [byteIndex, byteIndex + 2)}, in the platform's byte order; byteIndex must be even. */
//:     public void setHalfFloat(int byteIndex, HalfFloat value) {
//:         getSegment().set(ValueLayout.JAVA_SHORT, fp16Offset(byteIndex), value.getHalfFloatValue());
//:     }
//:
//:     /** The fp16 value at bytes {@code [byteIndex, byteIndex + 2)}, as {@link #setHalfFloat} stores it; byteIndex must be even. */
//:     public HalfFloat getHalfFloat(int byteIndex) {
//:         return new HalfFloat(getSegment().get(ValueLayout.JAVA_SHORT, fp16Offset(byteIndex)));
//:     }
//:
//:     private long fp16Offset(int byteIndex) {
//:         if (byteIndex % 2 != 0 || byteIndex < 0 || byteIndex + 2L > getSize()) {
//:             throw new IllegalArgumentException("byteIndex must be even (an fp16 value is 2-byte aligned) and leave 2 bytes in this array of "
//:                     + getSize() + " bytes; was " + byteIndex);
//:         }
//:         return byteIndex;
//:     }
//:
//-- end
    public void init(float value) {
        data.fill(value);
    }

    @Override
    public int getSize() {
        return (int) data.getSize();
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public FloatArray slice(int offset, int length) {
        return fromSegment(range(offset, length));
    }

    @Override
    public org.longnet.engine.api.FloatArray deviceArray() {
        return data;
    }
}
