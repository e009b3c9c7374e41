package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** Off-heap array of 32-bit ints, indexed by {@code long}. */
public final class IntArray extends DeviceArray {
    private static final ValueLayout.OfInt LAYOUT = ValueLayout.JAVA_INT;
    private static final VarHandle ELEMENT = LAYOUT.arrayElementVarHandle();

    public IntArray(long length) {
        super(length, Integer.BYTES);
    }

    /** An array over {@code elements}, memory its caller owns: see {@link DeviceArray#DeviceArray(MemorySegment, long)}. */
    public IntArray(MemorySegment elements) {
        super(elements, Integer.BYTES);
    }

    public int get(long index) {
        return segment.getAtIndex(LAYOUT, index);
    }

    public void set(long index, int value) {
        segment.setAtIndex(LAYOUT, index, value);
    }

    /**
     * Adds {@code value} to element {@code index} atomically (wrapping, as Java's int addition): work-items that add to
     * the same element at the same time all count. OpenCL's {@code atomic_add}, CUDA's {@code atomicAdd}.
     */
    public void atomicAdd(long index, int value) {
        ELEMENT.getAndAdd(segment, 0L, index, value);
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
