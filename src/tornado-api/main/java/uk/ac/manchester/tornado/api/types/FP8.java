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

    /** Float exponent bias less each format's, in the position the format's exponent takes after its mantissa bits. */
    private static final int E4M3_REBIAS = (127 - 7) << 3, E5M2_REBIAS = (127 - 15) << 2;

    private FP8() {
    }

    /** The float that E4M3 {@code bits} stand for (exact). */
    public static float e4m3ToFloat(byte bits) {
        int magnitude = bits & 0x7F;
        float value;
        if (magnitude < 8) {
            value = magnitude * 0.001953125f;
        } else {
            value = KernelMath.intBitsToFloat((magnitude + E4M3_REBIAS) << 20);
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
            value = KernelMath.intBitsToFloat((magnitude + E5M2_REBIAS) << 21);
        }
        if ((bits & 0x80) != 0) {
            value = -value;
        }
        if (magnitude > 0x7C) {
            value = Float.NaN;
        }
        return value;
    }

    /** The E4M3 code nearest {@code value}, ties away from zero, saturating at +-448. */
    public static byte e4m3FromFloat(float value) {
        int bits = KernelMath.floatToIntBits(value);
        int magnitude = bits & 0x7FFFFFFF;
        int code;
        if (magnitude > 0x7F800000) {
            code = 0x7F;
        } else if (magnitude == 0) {
            code = 0;
        } else if (magnitude >= 0x43E00000) {
            code = ((bits >>> 24) & 0x80) | 0x7E;
        } else if (magnitude < 0x3C800000) {
            // below 2^-6: a subnormal code, the number of 2^-9 steps
            code = ((bits >>> 24) & 0x80) | (int) (KernelMath.intBitsToFloat(magnitude) * 512.0f + 0.5f);
        } else {
            // adding half of the 20 dropped mantissa bits rounds half up; a carry moves into the exponent
            code = ((bits >>> 24) & 0x80) | Math.min(((magnitude + 0x80000) >>> 20) - E4M3_REBIAS, 0x7E);
        }
        return (byte) code;
    }

    /** The E5M2 code nearest {@code value}, ties away from zero; from 61440 on, infinity. */
    public static byte e5m2FromFloat(float value) {
        int bits = KernelMath.floatToIntBits(value);
        int magnitude = bits & 0x7FFFFFFF;
        int code;
        if (magnitude > 0x7F800000) {
            code = 0x7F;
        } else if (magnitude == 0) {
            code = 0;
        } else if (magnitude >= 0x47700000) {
            code = ((bits >>> 24) & 0x80) | 0x7C;
        } else if (magnitude < 0x38800000) {
            // below 2^-14: a subnormal code, the number of 2^-16 steps
            code = ((bits >>> 24) & 0x80) | (int) (KernelMath.intBitsToFloat(magnitude) * 65536.0f + 0.5f);
        } else {
            // adding half of the 21 dropped mantissa bits rounds half up; a carry moves into the exponent
            code = ((bits >>> 24) & 0x80) | Math.min(((magnitude + 0x100000) >>> 21) - E5M2_REBIAS, 0x7B);
        }
        return (byte) code;
    }
}
