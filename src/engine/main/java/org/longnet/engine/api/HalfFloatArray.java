package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Off-heap array of IEEE fp16 values stored as 16-bit words; {@link #get} and {@link #set} convert
 * to and from float (round to nearest even), the same on every device.
 */
public final class HalfFloatArray extends DeviceArray {
    private static final ValueLayout.OfShort LAYOUT = ValueLayout.JAVA_SHORT;

    public HalfFloatArray(long length) {
        super(length, Short.BYTES);
    }

    /** An array over {@code elements}, memory its caller owns: see {@link DeviceArray#DeviceArray(MemorySegment, long)}. */
    public HalfFloatArray(MemorySegment elements) {
        super(elements, Short.BYTES);
    }

    public float get(long index) {
        return Float.float16ToFloat(segment.getAtIndex(LAYOUT, index));
    }

    public void set(long index, float value) {
        segment.setAtIndex(LAYOUT, index, Float.floatToFloat16(value));
    }

    @Override
    public int elementBytes() {
        return Short.BYTES;
    }
}
