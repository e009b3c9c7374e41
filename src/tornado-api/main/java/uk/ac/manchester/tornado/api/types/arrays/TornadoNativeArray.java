package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;

import java.lang.foreign.MemorySegment;

/**
 * TornadoVM's off-heap array: a view of one engine {@link DeviceArray}, which holds the elements and travels to
 * devices. TornadoVM prefixes its segments with an object header; this engine has none, so the segment with header
 * is the segment itself.
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
    protected void clear() {
        getSegment().asSlice(0, getNumBytesOfSegment()).fill((byte) 0);
    }

    /** Bytes per element. */
    public abstract int getElementSize();

    /** The number of elements as an int, or a clear error when a TornadoVM array cannot hold them. */
    static int checkedLength(long length) {
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a TornadoVM array holds 0 to " + Integer.MAX_VALUE + " elements, not " + length
                    + "; the engine's own arrays (org.longnet.engine.api) take long lengths");
        }
        return (int) length;
    }
}
