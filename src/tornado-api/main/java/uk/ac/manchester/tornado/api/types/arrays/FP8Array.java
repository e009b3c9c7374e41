package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.FP8;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * TornadoVM's off-heap array of 8-bit floats, indexed by {@code int}: its elements are the codes ({@code byte}), in
 * either of {@link FP8}'s formats, E4M3 or E5M2, as the program chooses ({@link #getE4M3}, {@link #setE5M2}, ...).
 * Kernels read it as the engine's {@link org.longnet.engine.api.ByteArray}: {@code get(i)} and {@code set(i, code)}
 * move codes, which {@link FP8}'s functions convert.
 */
@KernelView(org.longnet.engine.api.ByteArray.class)
public final class FP8Array extends TornadoNativeArray {
    private static final ValueLayout.OfByte CODE = ValueLayout.JAVA_BYTE;
    private final org.longnet.engine.api.ByteArray data;

    /** An array of {@code numberOfElements} zeros (the code 0 is +0 in both formats). */
    public FP8Array(int numberOfElements) {
        this(new org.longnet.engine.api.ByteArray(checkedLength(numberOfElements)));
    }

    private FP8Array(org.longnet.engine.api.ByteArray data) {
        this.data = data;
    }

    /** An array over {@code segment} itself, not a copy: see {@link TornadoNativeArray#shallowElements}. */
    public static FP8Array fromSegmentShallow(MemorySegment segment) {
        return new FP8Array(new org.longnet.engine.api.ByteArray(shallowElements(segment)));
    }

    /** A new array of these values as E4M3 codes. */
    public static FP8Array fromFloatsE4M3(float... values) {
        FP8Array out = new FP8Array(values.length);
        for (int i = 0; i < values.length; i++) {
            out.setE4M3(i, values[i]);
        }
        return out;
    }

    /** A new array of these values as E5M2 codes. */
    public static FP8Array fromFloatsE5M2(float... values) {
        FP8Array out = new FP8Array(values.length);
        for (int i = 0; i < values.length; i++) {
            out.setE5M2(i, values[i]);
        }
        return out;
    }

    public void set(int index, byte code) {
        getSegment().setAtIndex(CODE, index, code);
    }

    public byte get(int index) {
        return getSegment().getAtIndex(CODE, index);
    }

    public float getE4M3(int index) {
        return FP8.e4m3ToFloat(get(index));
    }

    public void setE4M3(int index, float value) {
        set(index, FP8.e4m3FromFloat(value));
    }

    public float getE5M2(int index) {
        return FP8.e5m2ToFloat(get(index));
    }

    public void setE5M2(int index, float value) {
        set(index, FP8.e5m2FromFloat(value));
    }

    @Override
    public int getSize() {
        return (int) data.getSize();
    }

    @Override
    public org.longnet.engine.api.ByteArray deviceArray() {
        return data;
    }
}
