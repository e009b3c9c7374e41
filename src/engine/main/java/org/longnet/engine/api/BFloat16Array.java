package org.longnet.engine.api;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Off-heap array of bfloat16 values (the top 16 bits of a float) stored as 16-bit words;
 * {@link #set} rounds to nearest even, exactly as the device code does.
 */
public final class BFloat16Array extends DeviceArray {
    private static final ValueLayout.OfShort LAYOUT = ValueLayout.JAVA_SHORT;

    public BFloat16Array(long length) {
        super(length, Short.BYTES);
    }

    /** An array over {@code elements}, memory its caller owns: see {@link DeviceArray#DeviceArray(MemorySegment, long)}. */
    public BFloat16Array(MemorySegment elements) {
        super(elements, Short.BYTES);
    }

    public float get(long index) {
        return toFloat(segment.getAtIndex(LAYOUT, index));
    }

    public void set(long index, float value) {
        segment.setAtIndex(LAYOUT, index, fromFloat(value));
    }

    /** The raw 16 bits of element {@code index}, zero-extended. */
    public int getBits(long index) {
        return segment.getAtIndex(LAYOUT, index) & 0xFFFF;
    }

    /**
     * Elements {@code index} (even) and {@code index + 1} as one int, the first in the low 16 bits:
     * the pair {@link KernelContext#packBf16} makes, read on devices with a single 32-bit load.
     */
    public int getPair(long index) {
        return getBits(index) | getBits(index + 1) << 16;
    }

    /**
     * Elements {@code index} (even) and {@code index + 1} set to two values rounded to bf16: on devices one
     * 4-byte store, where two 2-byte stores of neighbouring work-items left half of each sector to merge.
     */
    public void setPair(long index, float first, float second) {
        set(index, first);
        set(index + 1, second);
    }

    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) 0x7FC0;
        }
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }

    @Override
    public int elementBytes() {
        return Short.BYTES;
    }
}
