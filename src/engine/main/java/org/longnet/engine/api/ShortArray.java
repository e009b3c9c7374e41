package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Off-heap array of 16-bit ints (shorts), indexed by {@code long}. */
public final class ShortArray extends DeviceArray {
    private static final ValueLayout.OfShort LAYOUT = ValueLayout.JAVA_SHORT;

    public ShortArray(long length) {
        super(length, Short.BYTES);
    }

    /** An array over {@code elements}, memory its caller owns: see {@link DeviceArray#DeviceArray(MemorySegment, long)}. */
    public ShortArray(MemorySegment elements) {
        super(elements, Short.BYTES);
    }

    public short get(long index) {
        return segment.getAtIndex(LAYOUT, index);
    }

    public void set(long index, short value) {
        segment.setAtIndex(LAYOUT, index, value);
    }

    public void fill(short value) {
        for (long i = 0; i < getSize(); i++) {
            set(i, value);
        }
    }

    @Override
    public int elementBytes() {
        return Short.BYTES;
    }
}
