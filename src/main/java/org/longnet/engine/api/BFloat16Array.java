package org.longnet.engine.api;

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

    public float get(long index) {
        return toFloat(segment.getAtIndex(LAYOUT, index));
    }

    public void set(long index, float value) {
        segment.setAtIndex(LAYOUT, index, fromFloat(value));
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
