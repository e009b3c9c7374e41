package org.longnet.engine.api;

import java.lang.foreign.ValueLayout;

/** Off-heap array of 32-bit floats, indexed by {@code long}. */
public final class FloatArray extends DeviceArray {
    private static final ValueLayout.OfFloat LAYOUT = ValueLayout.JAVA_FLOAT;

    public FloatArray(long length) {
        super(length, Float.BYTES);
    }

    public float get(long index) {
        return segment.getAtIndex(LAYOUT, index);
    }

    public void set(long index, float value) {
        segment.setAtIndex(LAYOUT, index, value);
    }

    public void fill(float value) {
        for (long i = 0; i < getSize(); i++) {
            set(i, value);
        }
    }

    @Override
    public int elementBytes() {
        return Float.BYTES;
    }
}
