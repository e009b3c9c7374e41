package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Off-heap array of 64-bit ints (longs), indexed by {@code long}. */
public final class LongArray extends DeviceArray {
    private static final ValueLayout.OfLong LAYOUT = ValueLayout.JAVA_LONG;

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
