package org.longnet.engine.api;

import java.lang.foreign.ValueLayout;

/** Off-heap array of 32-bit ints, indexed by {@code long}. */
public final class IntArray extends DeviceArray {
    private static final ValueLayout.OfInt LAYOUT = ValueLayout.JAVA_INT;

    public IntArray(long length) {
        super(length, Integer.BYTES);
    }

    public int get(long index) {
        return segment.getAtIndex(LAYOUT, index);
    }

    public void set(long index, int value) {
        segment.setAtIndex(LAYOUT, index, value);
    }

    public void fill(int value) {
        for (long i = 0; i < getSize(); i++) {
            set(i, value);
        }
    }

    @Override
    public int elementBytes() {
        return Integer.BYTES;
    }
}
