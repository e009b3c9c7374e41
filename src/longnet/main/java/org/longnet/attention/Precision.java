package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a layer stores its inputs, weights and activations: fp32, or 16 bits (fp16, bf16) with fp32 math and fp32
 * accumulation in every product. 16-bit storage halves the bytes a memory-bound layer moves, and its GEMMs run on
 * tensor cores.
 */
public enum Precision {
    FP32, FP16, BF16;

    /** A zeroed array of {@code n} elements in this format. */
    public DeviceArray allocate(long n) {
        return switch (this) {
            case FP32 -> new FloatArray(n);
            case FP16 -> new HalfFloatArray(n);
            case BF16 -> new BFloat16Array(n);
        };
    }

    /** The name users type: {@code fp32}, {@code fp16}, {@code bf16}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision named {@code label}; otherwise one line naming {@code option}, the value and the allowed ones. */
    public static Precision parse(String option, String label) {
        for (Precision p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException(option + " must be one of " + Arrays.stream(values()).map(Precision::label)
                .collect(Collectors.joining(", ")) + "; was '" + label + "'");
    }

    /** Element i of an array of any of the three formats, as a float. */
    public static float get(DeviceArray a, long i) {
        return switch (a) {
            case FloatArray f -> f.get(i);
            case HalfFloatArray h -> h.get(i);
            case BFloat16Array b -> b.get(i);
            default -> throw new IllegalArgumentException("not a floating-point array: " + a.getClass().getSimpleName());
        };
    }

    /** Stores {@code value} (rounded to the format) at element i. */
    public static void set(DeviceArray a, long i, float value) {
        switch (a) {
            case FloatArray f -> f.set(i, value);
            case HalfFloatArray h -> h.set(i, value);
            case BFloat16Array b -> b.set(i, value);
            default -> throw new IllegalArgumentException("not a floating-point array: " + a.getClass().getSimpleName());
        }
    }
}
