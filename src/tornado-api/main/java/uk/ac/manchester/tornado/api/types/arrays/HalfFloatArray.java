package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.vectors.Half2;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * TornadoVM's off-heap array of fp16 values, indexed by {@code int}, whose elements are {@link HalfFloat} objects.
 * Kernels read it as the engine's {@link org.longnet.engine.api.HalfFloatArray} (16-bit words): {@code get(i)} gives the
 * element's value and {@code set(i, h)} stores one, a kernel's HalfFloat being the float of an fp16 value; {@code getHalf2(i)}
 * and {@code setHalf2(i, v)} move elements i and i + 1 as a {@link Half2}.
 */
@KernelView(org.longnet.engine.api.HalfFloatArray.class)
public final class HalfFloatArray extends TornadoNativeArray {
    private static final ValueLayout.OfShort BITS = ValueLayout.JAVA_SHORT;
    private final org.longnet.engine.api.HalfFloatArray data;

    public HalfFloatArray(int numberOfElements) {
        this.data = new org.longnet.engine.api.HalfFloatArray(checkedLength(numberOfElements));
    }

    /** The concatenation of {@code arrays}. */
    public HalfFloatArray(HalfFloatArray... arrays) {
        this(totalSize(arrays));
        copyIn(arrays);
    }

    private HalfFloatArray(org.longnet.engine.api.HalfFloatArray data) {
        this.data = data;
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

    /** A new array holding a copy of {@code segment}'s fp16 words. */
    public static HalfFloatArray fromSegment(MemorySegment segment) {
        return copyOf(segment, BITS, HalfFloatArray::new);
    }

    /** An array over {@code segment} itself, not a copy: see {@link TornadoNativeArray#shallowElements}. */
    public static HalfFloatArray fromSegmentShallow(MemorySegment segment) {
        return new HalfFloatArray(new org.longnet.engine.api.HalfFloatArray(shallowElements(segment)));
    }

    public static HalfFloatArray concat(HalfFloatArray... arrays) {
        return new HalfFloatArray(arrays);
    }

    public static void initialize(HalfFloatArray array, HalfFloat value) {
        array.init(value);
    }

    public HalfFloat[] toHeapArray() {
        HalfFloat[] out = new HalfFloat[getSize()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /** The fp16 words. */
    public short[] toShortArray() {
        return elements().toArray(BITS);
    }

    public void set(int index, HalfFloat value) {
        getSegment().setAtIndex(BITS, index, value.getHalfFloatValue());
    }

    public HalfFloat get(int index) {
        return new HalfFloat(getSegment().getAtIndex(BITS, index));
    }

    /**
     * Elements {@code index} and {@code index + 1} as a {@link Half2}. TornadoVM asks for an even index (one 32-bit load on
     * devices with packed fp16 pairs); any index works here, on every device.
     */
    public Half2 getHalf2(int index) {
        checkPair("getHalf2", index);
        return new Half2(get(index), get(index + 1));
    }

    /** Stores {@code value}'s lanes at elements {@code index} and {@code index + 1}, as {@link #getHalf2} reads them. */
    public void setHalf2(int index, Half2 value) {
        checkPair("setHalf2", index);
        set(index, value.getX());
        set(index + 1, value.getY());
    }

    private void checkPair(String method, int index) {
        if (index < 0 || index + 1 >= getSize()) {
            throw new IndexOutOfBoundsException("HalfFloatArray." + method + " index " + index + ": elements " + index + " and " + (index + 1)
                    + " must be within [0, " + getSize() + ")");
        }
    }

    public void init(HalfFloat value) {
        for (int i = 0; i < getSize(); i++) {
            set(i, value);
        }
    }

    /** A new array holding a copy of elements {@code [offset, offset + length)}. */
    public HalfFloatArray slice(int offset, int length) {
        return fromSegment(range(offset, length));
    }

    @Override
    public int getSize() {
        return (int) data.getSize();
    }

    @Override
    public org.longnet.engine.api.HalfFloatArray deviceArray() {
        return data;
    }
}
