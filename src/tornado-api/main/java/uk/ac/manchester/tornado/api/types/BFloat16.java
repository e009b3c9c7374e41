package uk.ac.manchester.tornado.api.types;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.KernelMath;

/**
 * TornadoVM's bfloat16 codec: a bfloat16 value is the top 16 bits of a float (1 sign, 8 exponent, 7 mantissa bits),
 * held as a {@code short}. A device-function class, so kernels call these methods and every device computes what the
 * host computes, bit for bit: the work is integer arithmetic on the float's bits.
 * <p>
 * TornadoVM's rounding, which differs from the engine's {@link org.longnet.engine.api.BFloat16Array} (ties to even):
 * to nearest with ties away from zero, values past the largest finite one by half a step or more become infinity,
 * both zeros encode as +0, and every NaN encodes as {@code 0x7FC0} and decodes as {@link Float#NaN}.
 */
@DeviceFunctions
public final class BFloat16 {
    /** The largest finite bfloat16 value ({@code 0x7F7F}). */
    public static final float BF16_MAX = 3.3895314e38f;

    private BFloat16() {
    }

    /** The float that bfloat16 {@code bits} stand for (exact: bfloat16 is a shortened float). */
    public static float bf16ToFloat(short bits) {
        int word = bits & 0xFFFF;
        float value = KernelMath.intBitsToFloat(word << 16);
        if ((word & 0x7FFF) > 0x7F80) {
            value = Float.NaN;
        }
        return value;
    }

    /** The bfloat16 nearest {@code value}, ties away from zero. */
    public static short bf16FromFloat(float value) {
        int bits = KernelMath.floatToIntBits(value);
        int magnitude = bits & 0x7FFFFFFF;
        int out = 0;
        if (magnitude > 0x7F800000) {
            out = 0x7FC0;
        } else if (magnitude != 0) {
            // adding half of the 16 dropped bits rounds the magnitude half up; a carry moves into the exponent,
            // and from the largest finite value into infinity (0x7F80)
            out = ((bits >>> 16) & 0x8000) | ((magnitude + 0x8000) >>> 16);
        }
        return (short) out;
    }
}
