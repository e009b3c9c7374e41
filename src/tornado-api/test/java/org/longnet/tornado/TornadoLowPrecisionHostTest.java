package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.types.BFloat16;
import uk.ac.manchester.tornado.api.types.FP8;
import uk.ac.manchester.tornado.api.types.arrays.BFloat16Array;
import uk.ac.manchester.tornado.api.types.arrays.FP8Array;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TornadoVM's FP8 and bfloat16 codecs against references built here from the formats' definitions: a code's value from
 * its fields in double arithmetic, and a float's code as the code of least distance (ties away from zero) among all
 * codes, with each format's overflow rule.
 */
class TornadoLowPrecisionHostTest {
    /** The value of a code with {@code mantissaBits} and {@code bias}, from its fields; top exponent codes are the caller's. */
    private static double fromFields(int code, int exponentBits, int mantissaBits, int bias) {
        int mantissa = code & ((1 << mantissaBits) - 1);
        int exponent = (code >> mantissaBits) & ((1 << exponentBits) - 1);
        double magnitude = exponent == 0 ? Math.scalb((double) mantissa, 1 - bias - mantissaBits)
                : Math.scalb(1.0 + Math.scalb((double) mantissa, -mantissaBits), exponent - bias);
        return (code >> (exponentBits + mantissaBits) & 1) == 1 ? -magnitude : magnitude;
    }

    @Test
    void decodersGiveEachCodesValue() {
        for (int b = 0; b < 256; b++) {
            double e4m3 = (b & 0x7F) == 0x7F ? Double.NaN : fromFields(b, 4, 3, 7);
            double e5m2 = (b & 0x7F) > 0x7C ? Double.NaN : (b & 0x7F) == 0x7C ? Math.copySign(Double.POSITIVE_INFINITY, b > 127 ? -1 : 1)
                    : fromFields(b, 5, 2, 15);
            assertEquals(Float.floatToRawIntBits((float) e4m3), Float.floatToRawIntBits(FP8.e4m3ToFloat((byte) b)), "E4M3 code " + b);
            assertEquals(Float.floatToRawIntBits((float) e5m2), Float.floatToRawIntBits(FP8.e5m2ToFloat((byte) b)), "E5M2 code " + b);
        }
        for (int w = 0; w < 65536; w++) {
            float value = Float.intBitsToFloat(w << 16);
            assertEquals(Float.floatToRawIntBits(Float.isNaN(value) ? Float.NaN : value), Float.floatToRawIntBits(BFloat16.bf16ToFloat((short) w)),
                    "word " + Integer.toHexString(w));
        }
        assertEquals(448f, FP8.E4M3_MAX);
        assertEquals(FP8.E4M3_MAX, FP8.e4m3ToFloat((byte) 0x7E));
        assertEquals(FP8.E5M2_MAX, FP8.e5m2ToFloat((byte) 0x7B));
        assertEquals(BFloat16.BF16_MAX, BFloat16.bf16ToFloat((short) 0x7F7F));
    }

    /** The code nearest {@code a} among codes {@code 0 .. codes - 1}, whose values {@code value} gives in increasing order; ties to the larger. */
    private static int nearest(double a, int codes, IntFunction<Double> value) {
        int best = 0;
        for (int c = 1; c < codes; c++) {
            if (Math.abs(value.apply(c) - a) <= Math.abs(value.apply(best) - a)) {
                best = c;
            }
        }
        return best;
    }

    /** The bfloat16 word nearest {@code a} (finite, non-negative), ties to the larger: of the two words around it, by distance. */
    private static int nearestWord(float a) {
        int below = Float.floatToRawIntBits(a) >>> 16;
        double under = a - (double) Float.intBitsToFloat(below << 16), over = (double) Float.intBitsToFloat((below + 1) << 16) - a;
        return under < over ? below : below + 1;
    }

    @Test
    void encodersRoundToNearestTiesAwayFromZeroWithEachFormatsOverflow() {
        SplittableRandom r = new SplittableRandom(12);
        for (int i = 0; i < 20_000; i++) {
            // magnitudes from far below the smallest subnormal to past the largest value, both signs
            float v = (float) (Math.scalb(r.nextDouble(1, 2), r.nextInt(-22, 18)) * (r.nextBoolean() ? 1 : -1));
            double a = Math.abs(v);
            int sign = v < 0 ? 0x80 : 0;
            int e4m3 = a >= 448 ? 0x7E : nearest(a, 0x7F, c -> fromFields(c, 4, 3, 7));
            int e5m2 = a >= 61440 ? 0x7C : nearest(a, 0x7C, c -> fromFields(c, 5, 2, 15));
            float quirk4 = (0.5f - 0x1p-25f) * 0x1p-9f, quirk5 = (0.5f - 0x1p-25f) * 0x1p-16f;
            if (a != quirk4) {
                assertEquals((byte) (sign | e4m3), FP8.e4m3FromFloat(v), "E4M3 of " + v);
            }
            if (a != quirk5) {
                assertEquals((byte) (sign | e5m2), FP8.e5m2FromFloat(v), "E5M2 of " + v);
            }
            float big = (float) (v * Math.scalb(1.0, r.nextInt(-140, 110)));
            int word = Math.abs(big) >= 3.3961775e38f ? 0x7F80 : nearestWord(Math.abs(big));
            assertEquals((short) ((big < 0 ? 0x8000 : 0) | word), BFloat16.bf16FromFloat(big), "bfloat16 of " + big);
        }
    }

    @Test
    void specialValuesAsTornadoVMEncodesThem() {
        assertEquals(0, FP8.e4m3FromFloat(-0f), "both zeros encode as +0");
        assertEquals(0, FP8.e5m2FromFloat(-0f));
        assertEquals(0, BFloat16.bf16FromFloat(-0f));
        assertEquals((byte) 0x80, FP8.e4m3FromFloat(-1e-30f), "a negative value that rounds to zero keeps its sign");
        assertEquals(0x7F, FP8.e4m3FromFloat(-Float.NaN));
        assertEquals(0x7F, FP8.e5m2FromFloat(Float.NaN));
        assertEquals(0x7FC0, BFloat16.bf16FromFloat(Float.intBitsToFloat(0xFF800001)));
        assertEquals((byte) 0xFE, FP8.e4m3FromFloat(Float.NEGATIVE_INFINITY), "E4M3 saturates");
        assertEquals((byte) 0xFC, FP8.e5m2FromFloat(Float.NEGATIVE_INFINITY));
        assertEquals((byte) 0x7B, FP8.e5m2FromFloat(Math.nextDown(61440f)));
        assertEquals((short) 0x7F7F, BFloat16.bf16FromFloat(Math.nextDown(3.3961775e38f)));
        assertEquals((short) 0x7F80, BFloat16.bf16FromFloat(3.3961775e38f));
        // TornadoVM rounds a subnormal as (int) (scaled + 0.5f), in float: the sum of 0.5 - 2^-25 and 0.5 ties, to 1
        assertEquals(1, FP8.e4m3FromFloat((0.5f - 0x1p-25f) * 0x1p-9f));
        assertEquals(1, FP8.e5m2FromFloat((0.5f - 0x1p-25f) * 0x1p-16f));
        assertEquals(0, FP8.e4m3FromFloat((0.5f - 0x1p-24f) * 0x1p-9f));
        assertTrue(Float.isNaN(FP8.e4m3ToFloat((byte) 0xFF)));
    }

    @Test
    void fp8AndBfloat16ArraysOnTheHost() {
        FP8Array a = FP8Array.fromFloatsE4M3(1f, -2f, 500f);
        assertEquals(3, a.getSize());
        assertEquals(1, a.getElementSize());
        assertEquals(448f, a.getE4M3(2));
        a.setE5M2(0, 3f);
        assertEquals(3f, a.getE5M2(0));
        assertEquals(FP8.e5m2FromFloat(3f), a.get(0));
        assertEquals(-16f, FP8Array.fromFloatsE5M2(-16f).getE5M2(0));

        BFloat16Array b = BFloat16Array.fromFloats(1.5f, -2f, 1.00390625f);
        assertEquals(1.0078125f, b.getFloat(2), "a tie rounds away from zero");
        assertArrayEquals(new short[] {0x3FC0, (short) 0xC000, 0x3F81}, b.toShortArray());
        assertArrayEquals(new short[] {(short) 0xC000, 0x3F81}, b.slice(1, 2).toShortArray());
        assertEquals(5, BFloat16Array.concat(b, BFloat16Array.fromShorts((short) 1, (short) 2)).getSize());
        BFloat16Array.initialize(b, (short) 0x3F80);
        assertEquals(1f, b.getFloat(1));
        assertEquals(1f, b.deviceArray().get(1), "the engine's array holds the same words");
        b.clear();
        assertEquals(0, b.get(0));
        assertEquals(2, BFloat16Array.fromSegment(b.getSegment().asSlice(0, 4)).getSize());
    }
}
