package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntFunction;

/**
 * TornadoVM's off-heap array: a view of one engine {@link DeviceArray}, which holds the elements and travels to
 * devices. TornadoVM prefixes its segments with an object header; this engine has none, so the segment with header
 * is the segment itself.
 * <p>
 * What does not depend on the element type lives here, once: sizes, clearing, and the byte copies behind the
 * subclasses' {@code fromSegment}, {@code slice}, concatenation and {@code toHeapArray}.
 */
public abstract class TornadoNativeArray implements DeviceArrayView {
    /** Bytes before the first element in {@link #getSegmentWithHeader()}: none here. */
    public static final long ARRAY_HEADER = 0;

    /** Number of elements. */
    public abstract int getSize();

    /** The elements' memory. */
    public MemorySegment getSegment() {
        return deviceArray().segment();
    }

    /** The elements' memory (this engine keeps no header before them). */
    public MemorySegment getSegmentWithHeader() {
        return getSegment();
    }

    public long getNumBytesOfSegmentWithHeader() {
        return getNumBytesOfSegment();
    }

    public long getNumBytesOfSegment() {
        return deviceArray().byteSize();
    }

    /** Sets every element to zero. */
    public void clear() {
        elements().fill((byte) 0);
    }

    /** Bytes per element. */
    public int getElementSize() {
        return deviceArray().elementBytes();
    }

    /** The elements' memory, exactly (the engine maps at least one element even for an empty array). */
    final MemorySegment elements() {
        return getSegment().asSlice(0, getNumBytesOfSegment());
    }

    /** Elements {@code [offset, offset + length)}, or a clear error where they are not all in this array. */
    final MemorySegment range(int offset, int length) {
        if (offset < 0 || length < 0 || offset + (long) length > getSize()) {
            throw new IllegalArgumentException("slice [" + offset + ", " + offset + " + " + length + ") is outside an array of " + getSize());
        }
        return getSegment().asSlice((long) offset * getElementSize(), (long) length * getElementSize());
    }

    /** Copies {@code arrays}' elements one after another into this array, which holds {@link #totalSize} of them. */
    final void copyIn(TornadoNativeArray... arrays) {
        long at = 0;
        for (TornadoNativeArray a : arrays) {
            MemorySegment.copy(a.getSegment(), 0, getSegment(), at, a.getNumBytesOfSegment());
            at += a.getNumBytesOfSegment();
        }
    }

    /**
     * The elements of a segment laid out as TornadoVM lays out an array's, {@link #ARRAY_HEADER} bytes (none here)
     * and then the elements, for the {@code fromSegmentShallow} factories: the array they make is a view of this memory,
     * not a copy, so writes through either reach the other, and the caller keeps it alive and frees it. TornadoVM writes
     * the element count into its header; with no header there is nothing to write.
     */
    static MemorySegment shallowElements(MemorySegment segment) {
        if (segment.byteSize() < ARRAY_HEADER) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is shorter than TornadoNativeArray.ARRAY_HEADER ("
                    + ARRAY_HEADER + " bytes)");
        }
        return segment.asSlice(ARRAY_HEADER);
    }

    /** The number of elements of {@code arrays} together. */
    static int totalSize(TornadoNativeArray... arrays) {
        long sum = 0;
        for (TornadoNativeArray a : arrays) {
            sum += a.getSize();
        }
        return checkedLength(sum);
    }

    /** A new array from {@code make} holding a copy of {@code source}'s elements, each laid out as {@code element}. */
    static <T extends TornadoNativeArray> T copyOf(MemorySegment source, ValueLayout element, IntFunction<T> make) {
        if (source.byteSize() % element.byteSize() != 0) {
            throw new IllegalArgumentException("a segment of " + source.byteSize() + " bytes does not hold a whole number of "
                    + element.byteSize() + "-byte elements");
        }
        T out = make.apply(checkedLength(source.byteSize() / element.byteSize()));
        MemorySegment.copy(source, 0, out.getSegment(), 0, out.getNumBytesOfSegment());
        return out;
    }

    /** The number of elements as an int, or a clear error when a TornadoVM array cannot hold them. */
    static int checkedLength(long length) {
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a TornadoVM array holds 0 to " + Integer.MAX_VALUE + " elements, not " + length
                    + "; the engine's own arrays (org.longnet.engine.api) take long lengths");
        }
        return (int) length;
    }
}
