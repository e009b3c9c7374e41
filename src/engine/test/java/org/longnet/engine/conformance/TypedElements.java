package org.longnet.engine.conformance;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;

/** The element types a TensorMap takes ("fp32", "bf16", "fp16"), as the TMA conformance tests make, read and encode them. */
final class TypedElements {
    private TypedElements() {
    }

    /** Bytes of one element of {@code type}. */
    static int bytes(String type) {
        return type.equals("fp32") ? 4 : 2;
    }

    /** An array of {@code n} elements of {@code type}. */
    static DeviceArray array(String type, long n) {
        return switch (type) {
            case "fp32" -> new FloatArray(n);
            case "bf16" -> new BFloat16Array(n);
            default -> new HalfFloatArray(n);
        };
    }

    static void set(DeviceArray array, long i, float v) {
        switch (array) {
            case FloatArray f -> f.set(i, v);
            case BFloat16Array b -> b.set(i, v);
            case HalfFloatArray h -> h.set(i, v);
            default -> throw new IllegalArgumentException(String.valueOf(array));
        }
    }

    static float get(DeviceArray array, long i) {
        return switch (array) {
            case FloatArray f -> f.get(i);
            case BFloat16Array b -> b.get(i);
            case HalfFloatArray h -> h.get(i);
            default -> throw new IllegalArgumentException(String.valueOf(array));
        };
    }

    /** The 16 bits of a bf16 or fp16 element. */
    static float decode(String type, short bits) {
        return type.equals("bf16") ? BFloat16Array.toFloat(bits) : Float.float16ToFloat(bits);
    }

    /** {@code v} as a bf16 or fp16 element's 16 bits, in the low half of the int. */
    static int encode(String type, float v) {
        return (type.equals("bf16") ? BFloat16Array.fromFloat(v) : Float.floatToFloat16(v)) & 0xFFFF;
    }

    /** {@code v} as an element of {@code type} holds it. */
    static float rounded(String type, float v) {
        return type.equals("fp32") ? v : decode(type, (short) encode(type, v));
    }
}
