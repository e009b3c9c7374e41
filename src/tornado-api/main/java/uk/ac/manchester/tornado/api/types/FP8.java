package uk.ac.manchester.tornado.api.types;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.KernelMath;

/**
 * TornadoVM's 8-bit float codecs, both OCP formats, a value held in a {@code byte}:
 * <ul>
 * <li>E4M3: 1 sign, 4 exponent (bias 7), 3 mantissa bits; no infinity, NaN is {@code 0x7F} (and {@code 0xFF}),
 * the largest finite value is 448. Encoding saturates: beyond 448, infinity included, gives +-448.</li>
 * <li>E5M2: 1 sign, 5 exponent (bias 15), 2 mantissa bits, as IEEE: {@code 0x7C} is infinity, above it NaN, the
 * largest finite value is 57344. Encoding from 61440 (half a step above it) on gives infinity.</li>
 * </ul>
 * Both round to nearest with ties away from zero; both zeros encode as {@code 0x00}, every NaN as {@code 0x7F}, and
 * a NaN code decodes as {@link Float#NaN}, as TornadoVM's codecs do. A subnormal result is rounded as TornadoVM
 * rounds it, {@code (int) (scaled + 0.5f)} in float arithmetic, which rounds a scaled value of {@code 0.5 - 2^-25}
 * up (the sum ties and goes to even, 1); every other result is exact integer arithmetic on the float's bits.
 * <p>
 * A device-function class: kernels call these methods, and every device computes what the host computes, bit for bit
 * (a fused multiply-add of the subnormal scaling gives the same float, as its product is exact).
 */
@DeviceFunctions
public final class FP8 {
    /** The largest finite E4M3 value ({@code 0x7E}). */
    public static final float E4M3_MAX = 448.0f;
    /** The largest finite E5M2 value ({@code 0x7B}). */
    public static final float E5M2_MAX = 57344.0f;

    private FP8() {
    }

    /** The float that E4M3 {@code bits} stand for (exact). */
    public static float e4m3ToFloat(byte bits) {
        int magnitude = bits & 0x7F;
        float value;
        if (magnitude < 8) {
            value = magnitude * 0.001953125f;
        } else {
            // exponent and mantissa move up to the float's fields, the exponent rebiased from 7 to 127
            value = KernelMath.intBitsToFloat((magnitude + ((127 - 7) << 3)) << 20);
        }
        if ((bits & 0x80) != 0) {
            value = -value;
        }
        if (magnitude == 0x7F) {
            value = Float.NaN;
        }
        return value;
    }

    /** The float that E5M2 {@code bits} stand for (exact). */
    public static float e5m2ToFloat(byte bits) {
        int magnitude = bits & 0x7F;
        float value;
        if (magnitude < 4) {
            value = magnitude * 0.0000152587890625f;
        } else if (magnitude == 0x7C) {
            value = Float.POSITIVE_INFINITY;
        } else {
            // exponent and mantissa move up to the float's fields, the exponent rebiased from 15 to 127
            value = KernelMath.intBitsToFloat((magnitude + ((127 - 15) << 2)) << 21);
        }
        if ((bits & 0x80) != 0) {
            value = -value;
        }
        if (magnitude > 0x7C) {
            value = Float.NaN;
        }
        return value;
    }

    /** The E4M3 code nearest {@code value}, ties away from zero, saturating: from 448 on (infinity too), 448. */
    public static byte e4m3FromFloat(float value) {
        return encode(value, 3, 7, 0x43E00000, 0x7E, 0x7E);
    }

    /** The E5M2 code nearest {@code value}, ties away from zero; from 61440 (half a step past 57344) on, infinity. */
    public static byte e5m2FromFloat(float value) {
        return encode(value, 2, 15, 0x47700000, 0x7C, 0x7B);
    }

    /**
     * The code of {@code value} in the format of {@code mantissaBits} and {@code bias}: NaN as {@code 0x7F}, a magnitude
     * from the float of bits {@code overflowBits} on as {@code overflowCode}, any other the nearest code up to
     * {@code maxFinite}, ties away from zero, with the value's sign.
     */
    private static byte encode(float value, int mantissaBits, int bias, int overflowBits, int overflowCode, int maxFinite) {
        int bits = KernelMath.floatToIntBits(value);
        int magnitude = bits & 0x7FFFFFFF;
        int sign = (bits >>> 24) & 0x80;
        int dropped = 23 - mantissaBits;
        int code;
        if (magnitude > 0x7F800000) {
            code = 0x7F;
        } else if (magnitude == 0) {
            code = 0;
        } else if (magnitude >= overflowBits) {
            code = sign | overflowCode;
        } else if (magnitude < (128 - bias) << 23) {
            // below the smallest normal, 2^(1 - bias): the number of subnormal steps of 2^(1 - bias - mantissaBits)
            float steps = KernelMath.intBitsToFloat(magnitude) * KernelMath.intBitsToFloat((126 + bias + mantissaBits) << 23);
            code = sign | (int) (steps + 0.5f);
        } else {
            // adding half of the dropped mantissa bits rounds half up; a carry moves into the exponent
            code = sign | Math.min(((magnitude + (1 << (dropped - 1))) >>> dropped) - ((127 - bias) << mantissaBits), maxFinite);
        }
        return (byte) code;
    }
}
