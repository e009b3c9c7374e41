package uk.ac.manchester.tornado.api.utils;

import org.longnet.engine.api.DeviceFunctions;
import uk.ac.manchester.tornado.api.types.arrays.Int8Array;

/**
 * TornadoVM's operations on 8-bit quantized values (Q8_0 models): dot products of four signed bytes added to an int
 * accumulator ({@code dp4a}, as the GPU instruction of that name computes) and the scaling back to float. A
 * device-function class: kernels call these methods, and every device computes what the host computes (integer
 * arithmetic). A read past an array's end throws on the host and the jvm device, and is undefined on the others.
 */
@DeviceFunctions
public final class QuantizationUtils {
    private QuantizationUtils() {
    }

    /** {@code c} plus the dot product of {@code a[offsetA .. offsetA + 3]} and {@code b[offsetB .. offsetB + 3]}. */
    public static int dp4a(Int8Array a, long offsetA, Int8Array b, long offsetB, int c) {
        int sum = c;
        for (int i = 0; i < 4; i++) {
            sum += a.get((int) offsetA + i) * b.get((int) offsetB + i);
        }
        return sum;
    }

    /** {@link #dp4a(Int8Array, long, Int8Array, long, int)} with the second operand in a work-group local array. */
    public static int dp4a(Int8Array a, long offsetA, byte[] bLocal, long offsetB, int c) {
        int sum = c;
        for (int i = 0; i < 4; i++) {
            sum += a.get((int) offsetA + i) * bLocal[(int) offsetB + i];
        }
        return sum;
    }

    /** {@code c} plus the dot product of the four signed bytes of {@code a} and those of {@code b}, lowest byte first. */
    public static int dp4a_packed(int a, int b, int c) {
        int sum = c;
        for (int i = 0; i < 4; i++) {
            // shifting byte i to the top and back down extends its sign
            sum += ((a << (24 - 8 * i)) >> 24) * ((b << (24 - 8 * i)) >> 24);
        }
        return sum;
    }

    /** An int dot product of quantized values back in float: {@code dotProductResult * wScale * xScale}. */
    public static float dequantizeFusedResult(int dotProductResult, float wScale, float xScale) {
        return (float) dotProductResult * wScale * xScale;
    }
}
