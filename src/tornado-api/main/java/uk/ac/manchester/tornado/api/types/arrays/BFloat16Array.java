package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.BFloat16;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * TornadoVM's off-heap array of bfloat16 values, indexed by {@code int}: its elements are the 16-bit words
 * ({@code short}), which {@link BFloat16} turns into floats and back ({@link #getFloat}, {@link #setFloat} on the host).
 * It holds the engine's {@link org.longnet.engine.api.BFloat16Array}, the array LongNet's kernels take, so one array
 * (one buffer on a device) serves both ({@link #of}, {@link #deviceArray()}). Kernels read it as TornadoVM's do, as
 * an array of 16-bit words: {@code get(i)} is element i's word and {@code set(i, bits)} writes one, so the translator
 * reads it as the engine's {@link org.longnet.engine.api.ShortArray}, whose elements have the same size. The engine's
 * own {@code get}/{@code set} convert with ties to even, TornadoVM's {@link #setFloat} with ties away from zero.
 */
@KernelView(org.longnet.engine.api.ShortArray.class)
public final class BFloat16Array extends TornadoNativeArray {
    private static final ValueLayout.OfShort WORD = ValueLayout.JAVA_SHORT;
    private final org.longnet.engine.api.BFloat16Array data;

    public BFloat16Array(int numberOfElements) {
        this.data = new org.longnet.engine.api.BFloat16Array(checkedLength(numberOfElements));
    }

    /** The concatenation of {@code arrays}. */
    public BFloat16Array(BFloat16Array... arrays) {
        this(totalSize(arrays));
        copyIn(arrays);
    }

    private BFloat16Array(org.longnet.engine.api.BFloat16Array data) {
        this.data = data;
    }

    /** The engine's array as TornadoVM's, sharing its elements: what LongNet's kernels take and TornadoVM's programs see are one. */
    public static BFloat16Array of(org.longnet.engine.api.BFloat16Array engineArray) {
        checkedLength(engineArray.getSize());
        return new BFloat16Array(engineArray);
    }

    /** A new array of these bfloat16 words. */
    public static BFloat16Array fromShorts(short... bits) {
        return copyOf(MemorySegment.ofArray(bits), WORD, BFloat16Array::new);
    }

    /** A new array of these values, each rounded to bfloat16 as {@link BFloat16#bf16FromFloat} rounds. */
    public static BFloat16Array fromFloats(float... values) {
        BFloat16Array out = new BFloat16Array(values.length);
        for (int i = 0; i < values.length; i++) {
            out.setFloat(i, values[i]);
        }
        return out;
    }

    /** A new array holding a copy of {@code segment}'s bfloat16 words. */
    public static BFloat16Array fromSegment(MemorySegment segment) {
        return copyOf(segment, WORD, BFloat16Array::new);
    }

    /** An array over {@code segment} itself, not a copy: see {@link TornadoNativeArray#shallowElements}. */
    public static BFloat16Array fromSegmentShallow(MemorySegment segment) {
        return new BFloat16Array(new org.longnet.engine.api.BFloat16Array(shallowElements(segment)));
    }

    public static BFloat16Array concat(BFloat16Array... arrays) {
        return new BFloat16Array(arrays);
    }

    public static void initialize(BFloat16Array array, short bits) {
        array.init(bits);
    }

    /** The bfloat16 words. */
    public short[] toShortArray() {
        return elements().toArray(WORD);
    }

    public void set(int index, short bits) {
        getSegment().setAtIndex(WORD, index, bits);
    }

    public short get(int index) {
        return getSegment().getAtIndex(WORD, index);
    }

    /** Element {@code index} set to {@code value} rounded to bfloat16, ties away from zero. */
    public void setFloat(int index, float value) {
        set(index, BFloat16.bf16FromFloat(value));
    }

    public float getFloat(int index) {
        return BFloat16.bf16ToFloat(get(index));
    }

    public void init(short bits) {
        for (int i = 0; i < getSize(); i++) {
            set(i, bits);
        }
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public BFloat16Array slice(int offset, int length) {
        return fromSegment(range(offset, length));
    }

    @Override
    public int getSize() {
        return (int) data.getSize();
    }

    @Override
    public org.longnet.engine.api.BFloat16Array deviceArray() {
        return data;
    }
}
