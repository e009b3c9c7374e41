package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** Off-heap array of 32-bit floats, indexed by {@code long}. */
public final class FloatArray extends DeviceArray {
    private static final ValueLayout.OfFloat LAYOUT = ValueLayout.JAVA_FLOAT;
    /** Element i of a segment, for atomic updates: coordinates (segment, base offset 0, i). */
    private static final VarHandle ELEMENT = LAYOUT.arrayElementVarHandle();

    public FloatArray(long length) {
        super(length, Float.BYTES);
    }

    /** An array over {@code elements}, memory its caller owns: see {@link DeviceArray#DeviceArray(MemorySegment, long)}. */
    public FloatArray(MemorySegment elements) {
        super(elements, Float.BYTES);
    }

    public float get(long index) {
        return segment.getAtIndex(LAYOUT, index);
    }

    public void set(long index, float value) {
        segment.setAtIndex(LAYOUT, index, value);
    }

    /**
     * Elements {@code index} (even) and {@code index + 1}, on devices with one 8-byte store: where
     * each work-item writes two neighbouring elements (matrix fragments), a warp's stores then fill
     * whole 32-byte sectors instead of every other 4 bytes of them.
     */
    public void setPair(long index, float first, float second) {
        set(index, first);
        set(index + 1, second);
    }

    /**
     * Elements {@code index} (even) and {@code index + 1} become {@code scale} times themselves plus
     * {@code first} and {@code second}: a merge into a running result, as {@link #setPair} with one
     * 8-byte load before the store.
     */
    public void scaleAddPair(long index, float scale, float first, float second) {
        setPair(index, get(index) * scale + first, get(index + 1) * scale + second);
    }

    /**
     * Adds {@code value} to element {@code index} atomically: work-items that add to the same element
     * at the same time all count, in an order that is not defined (so the sum's rounding can differ
     * from run to run). On CUDA {@code atomicAdd} (a reduction in L2); on OpenCL a compare-and-swap
     * loop; on the JVM the same with a VarHandle.
     */
    public void atomicAdd(long index, float value) {
        float old;
        do {
            old = (float) ELEMENT.getVolatile(segment, 0L, index);
        } while (!ELEMENT.compareAndSet(segment, 0L, index, old, old + value));
    }

    /**
     * {@link #atomicAdd} of {@code first} and {@code second} to elements {@code index} (even) and
     * {@code index + 1}: on CUDA sm_90 one 8-byte reduction ({@code red.global.add.v2.f32}), so a
     * warp's fragment adds cover whole sectors with half the instructions; elsewhere two atomicAdds.
     */
    public void atomicAddPair(long index, float first, float second) {
        atomicAdd(index, first);
        atomicAdd(index + 1, second);
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
