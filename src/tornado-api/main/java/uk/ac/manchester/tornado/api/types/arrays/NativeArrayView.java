package uk.ac.manchester.tornado.api.types.arrays;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;

import java.lang.foreign.MemorySegment;

/**
 * What TornadoVM's types over one TornadoVM array share, its collections of vectors and its matrices: the array's
 * elements, bytes and segments are theirs, and they travel to devices as the array's engine array does.
 */
public abstract class NativeArrayView<A extends TornadoNativeArray> implements DeviceArrayView {
    /** The array that holds the elements (not a copy). */
    protected final A storage;

    protected NativeArrayView(A storage) {
        this.storage = storage;
    }

    /** Number of elements: the array's size. */
    public int size() {
        return storage.getSize();
    }

    /** Sets every element to zero. */
    public void clear() {
        storage.clear();
    }

    public long getNumBytes() {
        return storage.getNumBytesOfSegment();
    }

    public long getNumBytesWithHeader() {
        return storage.getNumBytesOfSegmentWithHeader();
    }

    public MemorySegment getSegment() {
        return storage.getSegment();
    }

    public MemorySegment getSegmentWithHeader() {
        return storage.getSegmentWithHeader();
    }

    @Override
    public DeviceArray deviceArray() {
        return storage.deviceArray();
    }
}
