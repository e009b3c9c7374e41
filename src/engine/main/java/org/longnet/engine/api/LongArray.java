package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** Off-heap array of 64-bit ints (longs), indexed by {@code long}. */
public final class LongArray extends DeviceArray {
    private static final ValueLayout.OfLong LAYOUT = ValueLayout.JAVA_LONG;
    /** Element i of a segment, for atomic updates: coordinates (segment, base offset 0, i). */
    private static final VarHandle ELEMENT = LAYOUT.arrayElementVarHandle();

    public LongArray(long length) {
        super(length, Long.BYTES);
    }

    /** An array over {@code elements}, memory its caller owns: see {@link DeviceArray#DeviceArray(MemorySegment, long)}. */
    public LongArray(MemorySegment elements) {
        super(elements, Long.BYTES);
    }

    public long get(long index) {
        return segment.getAtIndex(LAYOUT, index);
    }

    public void set(long index, long value) {
        segment.setAtIndex(LAYOUT, index, value);
    }

    /**
     * Adds {@code value} to element {@code index} atomically (wrapping, as Java's long addition): work-items that add to
     * the same element at the same time all count. On devices a compare-and-swap loop on the 64 bits (OpenCL 1.2 has
     * no 64-bit add without an extension; the loop needs only {@code cl_khr_int64_base_atomics}' exchange).
     */
    public void atomicAdd(long index, long value) {
        ELEMENT.getAndAdd(segment, 0L, index, value);
    }

    public void fill(long value) {
        for (long i = 0; i < getSize(); i++) {
            set(i, value);
        }
    }

    @Override
    public int elementBytes() {
        return Long.BYTES;
    }
}
