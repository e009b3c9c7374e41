package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Off-heap array of 8-bit ints (bytes), indexed by {@code long}. */
public final class ByteArray extends DeviceArray {
    private static final ValueLayout.OfByte LAYOUT = ValueLayout.JAVA_BYTE;

    public ByteArray(long length) {
        super(length, Byte.BYTES);
    }

    /** An array over {@code elements}, memory its caller owns: see {@link DeviceArray#DeviceArray(MemorySegment, long)}. */
    public ByteArray(MemorySegment elements) {
        super(elements, Byte.BYTES);
    }

    public byte get(long index) {
        return segment.getAtIndex(LAYOUT, index);
    }

    public void set(long index, byte value) {
        segment.setAtIndex(LAYOUT, index, value);
    }

    public void fill(byte value) {
        for (long i = 0; i < getSize(); i++) {
            set(i, value);
        }
    }

    @Override
    public int elementBytes() {
        return Byte.BYTES;
    }
}
