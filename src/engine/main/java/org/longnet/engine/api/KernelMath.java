package org.longnet.engine.api;

/**
 * The math a kernel may call. On the JVM these are ordinary Java; on a device each maps to the
 * device's fast float builtin (for example {@code native_exp} in OpenCL, {@code __expf} in CUDA),
 * so results agree with the JVM to a few ulp, not bit for bit.
 */
public final class KernelMath {
    private KernelMath() {
    }

    public static float exp(float x) { return (float) Math.exp(x); }
    public static float log(float x) { return (float) Math.log(x); }
    /** 2^x: one hardware instruction on GPUs (softmax kernels scale their exponents by log2(e) once instead). */
    public static float exp2(float x) { return (float) Math.pow(2, x); }
    public static float sqrt(float x) { return (float) Math.sqrt(x); }
    public static float rsqrt(float x) { return (float) (1.0 / Math.sqrt(x)); }
    public static float tanh(float x) { return (float) Math.tanh(x); }
    /** 1 / (1 + e^-x): on GPUs a fast exp and a fast reciprocal (exactly 0 and 1 far out, never NaN for finite x). */
    public static float sigmoid(float x) { return (float) (1.0 / (1.0 + Math.exp(-x))); }
    public static float sin(float x) { return (float) Math.sin(x); }
    public static float cos(float x) { return (float) Math.cos(x); }
    public static float pow(float x, float y) { return (float) Math.pow(x, y); }
    public static float floor(float x) { return (float) Math.floor(x); }
    public static float ceil(float x) { return (float) Math.ceil(x); }
    public static float abs(float x) { return Math.abs(x); }
    public static float max(float a, float b) { return Math.max(a, b); }
    public static float min(float a, float b) { return Math.min(a, b); }
    public static float fma(float a, float b, float c) { return Math.fma(a, b, c); }
    public static int max(int a, int b) { return Math.max(a, b); }
    public static int min(int a, int b) { return Math.min(a, b); }
    public static int abs(int a) { return Math.abs(a); }
    public static long max(long a, long b) { return Math.max(a, b); }
    public static long min(long a, long b) { return Math.min(a, b); }
    public static double exp(double x) { return Math.exp(x); }
    public static double log(double x) { return Math.log(x); }
    public static double sqrt(double x) { return Math.sqrt(x); }
    public static double abs(double x) { return Math.abs(x); }
    public static double max(double a, double b) { return Math.max(a, b); }
    public static double min(double a, double b) { return Math.min(a, b); }
    public static float tan(float x) { return (float) Math.tan(x); }
    public static float atan(float x) { return (float) Math.atan(x); }
    public static float atan2(float y, float x) { return (float) Math.atan2(y, x); }
    public static float asin(float x) { return (float) Math.asin(x); }
    public static float acos(float x) { return (float) Math.acos(x); }
    public static float log2(float x) { return (float) (Math.log(x) / Math.log(2)); }
    /** x - floor(x), in [0, 1). */
    public static float fract(float x) { return x - (float) Math.floor(x); }
    public static float clamp(float x, float lo, float hi) { return Math.min(Math.max(x, lo), hi); }
    public static float toRadians(float degrees) { return (float) Math.toRadians(degrees); }
    public static int clamp(int x, int lo, int hi) { return Math.min(Math.max(x, lo), hi); }
    public static long abs(long a) { return Math.abs(a); }
    public static double sin(double x) { return Math.sin(x); }
    public static double cos(double x) { return Math.cos(x); }
    public static double tan(double x) { return Math.tan(x); }
    public static double atan(double x) { return Math.atan(x); }
    public static double atan2(double y, double x) { return Math.atan2(y, x); }
    public static double tanh(double x) { return Math.tanh(x); }
    public static double pow(double x, double y) { return Math.pow(x, y); }
    public static double floor(double x) { return Math.floor(x); }
    public static double ceil(double x) { return Math.ceil(x); }
    public static double fma(double a, double b, double c) { return Math.fma(a, b, c); }
    public static double clamp(double x, double lo, double hi) { return Math.min(Math.max(x, lo), hi); }
    /** The bits of a float, as {@link Float#floatToRawIntBits}. */
    /** sin(pi x), cos(pi x): exact at whole and half x on devices (OpenCL's sinpi, CUDA's sinpif). */
    public static float sinpi(float x) { return (float) Math.sin(Math.PI * x); }
    public static float cospi(float x) { return (float) Math.cos(Math.PI * x); }
    public static float asinh(float x) { return (float) Math.copySign(Math.log(Math.abs(x) + Math.sqrt((double) x * x + 1)), x); }
    public static float acosh(float x) { return (float) Math.log(x + Math.sqrt((double) x * x - 1)); }
    public static float signum(float x) { return Math.signum(x); }
    public static double signum(double x) { return Math.signum(x); }
    public static double asin(double x) { return Math.asin(x); }
    public static double acos(double x) { return Math.acos(x); }
    public static double sinpi(double x) { return Math.sin(Math.PI * x); }
    public static double cospi(double x) { return Math.cos(Math.PI * x); }
    public static double asinh(double x) { return Math.copySign(Math.log(Math.abs(x) + Math.sqrt(x * x + 1)), x); }
    public static double acosh(double x) { return Math.log(x + Math.sqrt(x * x - 1)); }
    public static double log2(double x) { return Math.log(x) / Math.log(2); }
    /** x - floor(x), in [0, 1). */
    public static double fract(double x) { return x - Math.floor(x); }
    public static double toRadians(double degrees) { return Math.toRadians(degrees); }
    public static long clamp(long x, long lo, long hi) { return Math.min(Math.max(x, lo), hi); }
    /** Pi, under TornadoVM's names for it. */
    public static double PI() { return Math.PI; }
    public static float floatPI() { return (float) Math.PI; }
    public static double sinh(double x) { return Math.sinh(x); }
    public static double cosh(double x) { return Math.cosh(x); }
    public static double log10(double x) { return Math.log10(x); }
    public static double cbrt(double x) { return Math.cbrt(x); }
    public static double hypot(double x, double y) { return Math.hypot(x, y); }
    public static double expm1(double x) { return Math.expm1(x); }
    public static double log1p(double x) { return Math.log1p(x); }

    public static int floatToIntBits(float x) { return Float.floatToRawIntBits(x); }
    /** A float from its bits, as {@link Float#intBitsToFloat}. */
    public static float intBitsToFloat(int bits) { return Float.intBitsToFloat(bits); }
}
