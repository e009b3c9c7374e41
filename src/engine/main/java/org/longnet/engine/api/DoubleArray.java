package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** Off-heap array of 64-bit floats (doubles), indexed by {@code long}. */
public final class DoubleArray extends DeviceArray {
    private static final ValueLayout.OfDouble LAYOUT = ValueLayout.JAVA_DOUBLE;
    /** Element i of a segment, for atomic updates: coordinates (segment, base offset 0, i). */
    private static final VarHandle ELEMENT = LAYOUT.arrayElementVarHandle();

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

    /**
     * Adds {@code value} to element {@code index} atomically, in an order that is not defined (so the sum's rounding can
     * differ from run to run): a compare-and-swap loop on the double's bits, here and on devices.
     */
    public void atomicAdd(long index, double value) {
        double old;
        do {
            old = (double) ELEMENT.getVolatile(segment, 0L, index);
        } while (!ELEMENT.compareAndSet(segment, 0L, index, old, old + value));
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
