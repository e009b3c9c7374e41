package uk.ac.manchester.tornado.api.types.arrays;

import uk.ac.manchester.tornado.api.types.HalfFloat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * TornadoVM's off-heap array of fp16 values, indexed by {@code int}. Its elements are {@link HalfFloat} objects,
 * which kernels here cannot hold, so this is a host type: kernels take the engine's
 * {@code org.longnet.engine.api.HalfFloatArray} ({@link #deviceArray()}), whose elements read and write as float.
 */
public final class HalfFloatArray extends TornadoNativeArray {
    private final org.longnet.engine.api.HalfFloatArray data;
    private final int size;

    public HalfFloatArray(int numberOfElements) {
        this.size = checkedLength(numberOfElements);
        this.data = new org.longnet.engine.api.HalfFloatArray(numberOfElements);
    }

    public static HalfFloatArray fromArray(HalfFloat[] values) {
        HalfFloatArray out = new HalfFloatArray(values.length);
        for (int i = 0; i < values.length; i++) {
            out.set(i, values[i]);
        }
        return out;
    }

    public static HalfFloatArray fromElements(HalfFloat... values) {
        return fromArray(values);
    }

    public static HalfFloatArray fromSegment(MemorySegment segment) {
        HalfFloatArray out = new HalfFloatArray(checkedLength(segment.byteSize() / Short.BYTES));
        MemorySegment.copy(segment, 0, out.getSegment(), 0, out.getNumBytesOfSegment());
        return out;
    }

    public static void initialize(HalfFloatArray array, HalfFloat value) {
        array.init(value);
    }

    public HalfFloat[] toHeapArray() {
        HalfFloat[] out = new HalfFloat[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    public short[] toShortArray() {
        short[] out = new short[size];
        for (int i = 0; i < size; i++) {
            out[i] = getSegment().getAtIndex(ValueLayout.JAVA_SHORT, i);
        }
        return out;
    }

    public void set(int index, HalfFloat value) {
        getSegment().setAtIndex(ValueLayout.JAVA_SHORT, index, value.getHalfFloatValue());
    }

    public HalfFloat get(int index) {
        return new HalfFloat(getSegment().getAtIndex(ValueLayout.JAVA_SHORT, index));
    }

    @Override
    public void clear() {
        super.clear();
    }

    @Override
    public int getElementSize() {
        return Short.BYTES;
    }

    public void init(HalfFloat value) {
        for (int i = 0; i < size; i++) {
            set(i, value);
        }
    }

    @Override
    public int getSize() {
        return size;
    }

    @Override
    public org.longnet.engine.api.HalfFloatArray deviceArray() {
        return data;
    }
}
