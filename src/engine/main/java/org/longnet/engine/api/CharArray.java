package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Off-heap array of 16-bit unsigned chars (Java's char), indexed by {@code long}. */
public final class CharArray extends DeviceArray {
    private static final ValueLayout.OfChar LAYOUT = ValueLayout.JAVA_CHAR;

    public CharArray(long length) {
        super(length, Character.BYTES);
    }

    /** An array over {@code elements}, memory its caller owns: see {@link DeviceArray#DeviceArray(MemorySegment, long)}. */
    public CharArray(MemorySegment elements) {
        super(elements, Character.BYTES);
    }

    public char get(long index) {
        return segment.getAtIndex(LAYOUT, index);
    }

    public void set(long index, char value) {
        segment.setAtIndex(LAYOUT, index, value);
    }

    public void fill(char value) {
        for (long i = 0; i < getSize(); i++) {
            set(i, value);
        }
    }

    @Override
    public int elementBytes() {
        return Character.BYTES;
    }
}
