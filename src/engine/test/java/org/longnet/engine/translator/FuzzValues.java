package org.longnet.engine.translator;

import java.util.SplittableRandom;

/**
 * Random values for generated kernels, as inputs and as Java literals: mostly ordinary numbers, often
 * the edges where C and Java part ways (the most negative integers, shift counts past the width,
 * NaN, infinities, signed zeros, subnormals, floats too large for an int, halves that round to
 * infinity).
 */
final class FuzzValues {
    private static final int[] INTS = {0, 1, -1, 2, 3, 7, 8, 31, 32, 33, 63, 64, 65, 255, 256, -256, 1000, -1000, 0xFFFF, 0x10000,
            123456789, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1, 1 << 24, (1 << 24) + 1};
    private static final long[] LONGS = {0L, 1L, -1L, 31L, 32L, 33L, 63L, 64L, 65L, 0x7FFFFFFFL, 0x80000000L, -0x80000000L, 0xFFFFFFFFL,
            1L << 40, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 1L << 53, (1L << 53) + 1};
    private static final float[] FLOATS = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 0.1f, 3f, 1e6f, -1e6f, 16777216f, 16777217f, 65504f, 65520f,
            2147483648f, -2147483904f, 9.223372e18f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL, Float.MIN_VALUE,
            -Float.MIN_VALUE, 1e-8f, 6e-8f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    private static final double[] DOUBLES = {0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1e300, -1e300, 2147483648.0, -2147483649.0, 9.3e18,
            Double.MAX_VALUE, Double.MIN_NORMAL, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            (double) Float.MAX_VALUE * 2, 1e-40};

    private FuzzValues() {
    }

    static int anInt(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0, 1, 2, 3 -> r.nextInt(-100, 101);
            case 4, 5 -> r.nextInt();
            case 6, 7 -> INTS[r.nextInt(INTS.length)];
            default -> r.nextInt(-(1 << 20), 1 << 20);
        };
    }

    static long aLong(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0, 1, 2 -> r.nextLong(-100, 101);
            case 3, 4, 5 -> r.nextLong();
            case 6, 7 -> LONGS[r.nextInt(LONGS.length)];
            default -> anInt(r);
        };
    }

    static float aFloat(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0, 1 -> r.nextInt(-200, 201) / 8f;
            case 2, 3 -> (float) (r.nextDouble() * 2000 - 1000);
            case 4 -> (float) ((r.nextBoolean() ? 1 : -1) * r.nextDouble() * Math.scalb(1.0, r.nextInt(-30, 31)));
            case 5, 6 -> FLOATS[r.nextInt(FLOATS.length)];
            case 7 -> r.nextInt(-1_000_000, 1_000_001);
            case 8 -> (float) (r.nextDouble() * 8 - 4);
            default -> Float.intBitsToFloat(r.nextInt());
        };
    }

    static double aDouble(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0, 1 -> r.nextInt(-200, 201) / 8.0;
            case 2, 3 -> r.nextDouble() * 2000 - 1000;
            case 4 -> DOUBLES[r.nextInt(DOUBLES.length)];
            case 5 -> aFloat(r);
            case 6 -> (r.nextBoolean() ? 1 : -1) * r.nextDouble() * Math.scalb(1.0, r.nextInt(-60, 61));
            default -> Double.longBitsToDouble(r.nextLong());
        };
    }

    /** A Java literal of the type, as the source of a kernel would write it. */
    static String literal(FuzzType type, SplittableRandom r) {
        return switch (type) {
            case INT -> intLiteral(anInt(r), r);
            case LONG -> longLiteral(aLong(r), r);
            case FLOAT -> floatLiteral(aFloat(r));
            case DOUBLE -> doubleLiteral(aDouble(r));
            case BOOLEAN -> r.nextBoolean() ? "true" : "false";
        };
    }

    /** The most negative int in the three ways a kernel may write it (each a constant javac folds into one literal). */
    static String intLiteral(int v, SplittableRandom r) {
        if (v == Integer.MIN_VALUE) {
            return switch (r.nextInt(3)) {
                case 0 -> "Integer.MIN_VALUE";
                case 1 -> "0x80000000";
                default -> "(-2147483648)";
            };
        }
        if (v == Integer.MAX_VALUE && r.nextBoolean()) {
            return "Integer.MAX_VALUE";
        }
        return v < 0 ? "(" + v + ")" : Integer.toString(v);
    }

    static String longLiteral(long v, SplittableRandom r) {
        if (v == Long.MIN_VALUE) {
            return switch (r.nextInt(3)) {
                case 0 -> "Long.MIN_VALUE";
                case 1 -> "0x8000000000000000L";
                default -> "(-9223372036854775808L)";
            };
        }
        return v < 0 ? "(" + v + "L)" : v + "L";
    }

    static String floatLiteral(float v) {
        if (Float.isNaN(v)) {
            return "Float.NaN";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
        }
        String s = Float.toString(Math.abs(v)) + "f";
        return (Float.floatToRawIntBits(v) < 0) ? "(-" + s + ")" : s;
    }

    static String doubleLiteral(double v) {
        if (Double.isNaN(v)) {
            return "Double.NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        String s = Double.toString(Math.abs(v));
        return (Double.doubleToRawLongBits(v) < 0) ? "(-" + s + ")" : s;
    }
}
