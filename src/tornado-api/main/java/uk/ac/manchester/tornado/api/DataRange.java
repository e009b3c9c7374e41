package uk.ac.manchester.tornado.api;

import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * A run of elements of one array, for {@link TornadoExecutionResult#transferToHost(DataRange)}: from element
 * {@code offset} (0 unless {@link #withOffset} says otherwise), {@code size} elements (to the array's end unless
 * {@link #withSize} says otherwise). {@link #materialize()} turns them into bytes, which the getters then give.
 */
public class DataRange {
    private final TornadoNativeArray array;
    private long offset;
    private long size;
    private long offsetBytes = -1;
    private long sizeBytes = -1;

    public DataRange(TornadoNativeArray array) {
        if (array == null) {
            throw new IllegalArgumentException("a DataRange needs an array, was null");
        }
        this.array = array;
    }

    /** The first element of the range. */
    public DataRange withOffset(long offset) {
        this.offset = offset;
        return this;
    }

    /** The number of elements; 0 means up to the array's end. */
    public DataRange withSize(long size) {
        this.size = size;
        return this;
    }

    /** Computes the range in bytes, checking that it lies inside the array. */
    public void materialize() {
        long elements = size == 0 ? array.getSize() - offset : size;
        if (offset < 0 || elements < 0 || offset + elements > array.getSize()) {
            throw new TornadoRuntimeException("DataRange of " + elements + " elements from element " + offset
                    + " does not fit in an array of " + array.getSize() + " elements");
        }
        offsetBytes = TornadoNativeArray.ARRAY_HEADER + offset * array.getElementSize();
        sizeBytes = elements * array.getElementSize();
    }

    /** The range's first byte in the array's segment with header; {@link #materialize()} first. */
    public long getOffset() {
        return materialized(offsetBytes);
    }

    /** The range's length in bytes; {@link #materialize()} first. */
    public long getPartialSize() {
        return materialized(sizeBytes);
    }

    public TornadoNativeArray getArray() {
        return array;
    }

    private static long materialized(long bytes) {
        if (bytes < 0) {
            throw new TornadoRuntimeException("call materialize() on a DataRange before reading its offset or size");
        }
        return bytes;
    }
}
