package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Off-heap array of 64-bit floats (doubles), indexed by {@code long}. */
public final class DoubleArray extends DeviceArray {
    private static final ValueLayout.OfDouble LAYOUT = ValueLayout.JAVA_DOUBLE;

    public DoubleArray(long length) {
        super(length, Double.BYTES);
    }

    /** An array over {@code elements}, memory its caller owns: see {@link DeviceArray#DeviceArray(MemorySegment, long)}. */
    public DoubleArray(MemorySegment elements) {
        super(elements, Double.BYTES);
    }

    public double get(long index) {
        return segment.getAtIndex(LAYOUT, index);
    }

    public void set(long index, double value) {
        segment.setAtIndex(LAYOUT, index, value);
    }

    public void fill(double value) {
        for (long i = 0; i < getSize(); i++) {
            set(i, value);
        }
    }

    @Override
    public int elementBytes() {
        return Double.BYTES;
    }
}
