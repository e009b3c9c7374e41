package uk.ac.manchester.tornado.api.math;

import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.vectors.Float16;
import uk.ac.manchester.tornado.api.types.vectors.Float2;
import uk.ac.manchester.tornado.api.types.vectors.Float4;
import uk.ac.manchester.tornado.api.types.vectors.Float8;

/**
 * TornadoVM's math for kernels. In a kernel each function is the engine's {@link KernelMath} function of the same
 * name and parameter types (a device builtin); on the host, and on the {@code jvm} device, these bodies run.
 * Of the functions on vector types, TornadoVM's lane-wise {@code cos} and {@code sin} of float vectors are here; the host
 * comparisons TornadoVM also keeps here are not provided (docs/tornadovm.md).
 */
@KernelView(KernelMath.class)
public final class TornadoMath {
    private TornadoMath() {
    }
    public static float sqrt(float x) { return (float) Math.sqrt(x); }
    public static double sqrt(double x) { return Math.sqrt(x); }
    public static float exp(float x) { return (float) Math.exp(x); }
    public static double exp(double x) { return Math.exp(x); }
    public static float log(float x) { return (float) Math.log(x); }
    public static double log(double x) { return Math.log(x); }
    public static float sin(float x) { return (float) Math.sin(x); }
    public static double sin(double x) { return Math.sin(x); }
    public static float cos(float x) { return (float) Math.cos(x); }
    public static double cos(double x) { return Math.cos(x); }
    public static float tan(float x) { return (float) Math.tan(x); }
    public static double tan(double x) { return Math.tan(x); }
    public static float atan(float x) { return (float) Math.atan(x); }
    public static double atan(double x) { return Math.atan(x); }
    public static float asin(float x) { return (float) Math.asin(x); }
    public static double asin(double x) { return Math.asin(x); }
    public static float acos(float x) { return (float) Math.acos(x); }
    public static double acos(double x) { return Math.acos(x); }
    public static float floor(float x) { return (float) Math.floor(x); }
    public static double floor(double x) { return Math.floor(x); }
    public static float ceil(float x) { return (float) Math.ceil(x); }
    public static double ceil(double x) { return Math.ceil(x); }
    public static float tanh(float x) { return (float) Math.tanh(x); }
    public static double tanh(double x) { return Math.tanh(x); }
    public static float pow(float x, float y) { return (float) Math.pow(x, y); }
    public static double pow(double x, double y) { return Math.pow(x, y); }
    public static float atan2(float y, float x) { return (float) Math.atan2(y, x); }
    public static double atan2(double y, double x) { return Math.atan2(y, x); }
    public static float log2(float x) { return KernelMath.log2(x); }
    public static float fract(float x) { return KernelMath.fract(x); }
    public static float sinpi(float x) { return KernelMath.sinpi(x); }
    public static float cospi(float x) { return KernelMath.cospi(x); }
    public static float asinh(float x) { return KernelMath.asinh(x); }
    public static float acosh(float x) { return KernelMath.acosh(x); }
    public static float signum(float x) { return KernelMath.signum(x); }
    public static float toRadians(float degrees) { return (float) Math.toRadians(degrees); }
    public static double toRadians(double degrees) { return KernelMath.toRadians(degrees); }
    public static double log2(double x) { return KernelMath.log2(x); }
    public static double fract(double x) { return KernelMath.fract(x); }
    public static double sinpi(double x) { return KernelMath.sinpi(x); }
    public static double cospi(double x) { return KernelMath.cospi(x); }
    public static double asinh(double x) { return KernelMath.asinh(x); }
    public static double acosh(double x) { return KernelMath.acosh(x); }
    public static double signum(double x) { return KernelMath.signum(x); }
    public static float abs(float x) { return Math.abs(x); }
    public static double abs(double x) { return Math.abs(x); }
    public static int abs(int x) { return Math.abs(x); }
    public static long abs(long x) { return Math.abs(x); }
    public static float max(float a, float b) { return Math.max(a, b); }
    public static double max(double a, double b) { return Math.max(a, b); }
    public static int max(int a, int b) { return Math.max(a, b); }
    public static long max(long a, long b) { return Math.max(a, b); }
    public static float min(float a, float b) { return Math.min(a, b); }
    public static double min(double a, double b) { return Math.min(a, b); }
    public static int min(int a, int b) { return Math.min(a, b); }
    public static long min(long a, long b) { return Math.min(a, b); }
    // byte and short: in a kernel KernelMath's int functions, their results narrowed as these narrow theirs
    public static short max(short a, short b) { return (short) Math.max(a, b); }
    public static byte max(byte a, byte b) { return (byte) Math.max(a, b); }
    public static short min(short a, short b) { return (short) Math.min(a, b); }
    public static byte min(byte a, byte b) { return (byte) Math.min(a, b); }
    public static short abs(short a) { return (short) Math.abs(a); }
    public static byte abs(byte a) { return (byte) Math.abs(a); }

    /**
     * The larger of two fp16 values as TornadoVM defines it: the one whose 16 bits, read as a signed short, are greater
     * (the larger value where neither is negative).
     */
    public static HalfFloat max(HalfFloat a, HalfFloat b) { return a.getHalfFloatValue() > b.getHalfFloatValue() ? a : b; }

    /** The smaller of two fp16 values as TornadoVM defines it: by their bits, as {@link #max(HalfFloat, HalfFloat)}. */
    public static HalfFloat min(HalfFloat a, HalfFloat b) { return a.getHalfFloatValue() > b.getHalfFloatValue() ? b : a; }

    public static float clamp(float x, float lo, float hi) { return KernelMath.clamp(x, lo, hi); }
    public static double clamp(double x, double lo, double hi) { return KernelMath.clamp(x, lo, hi); }
    public static int clamp(int x, int lo, int hi) { return KernelMath.clamp(x, lo, hi); }
    public static long clamp(long x, long lo, long hi) { return KernelMath.clamp(x, lo, hi); }
    public static float fma(float a, float b, float c) { return Math.fma(a, b, c); }
    public static double fma(double a, double b, double c) { return Math.fma(a, b, c); }

    /** Pi as a float. */
    public static float floatPI() { return KernelMath.floatPI(); }

    /** Pi. */
    public static double PI() { return KernelMath.PI(); }

    /** Each lane's cosine, as {@link #cos(float)}; so are the other widths' and {@code sin}'s lanes. */
    public static Float2 cos(Float2 v) { return new Float2(cos(v.getX()), cos(v.getY())); }
    public static Float4 cos(Float4 v) { return new Float4(cos(v.getX()), cos(v.getY()), cos(v.getZ()), cos(v.getW())); }
    public static Float8 cos(Float8 v) {
        Float8 r = new Float8();
        for (int i = 0; i < r.size(); i++) {
            r.set(i, cos(v.get(i)));
        }
        return r;
    }
    public static Float16 cos(Float16 v) {
        Float16 r = new Float16();
        for (int i = 0; i < r.size(); i++) {
            r.set(i, cos(v.get(i)));
        }
        return r;
    }
    public static Float2 sin(Float2 v) { return new Float2(sin(v.getX()), sin(v.getY())); }
    public static Float4 sin(Float4 v) { return new Float4(sin(v.getX()), sin(v.getY()), sin(v.getZ()), sin(v.getW())); }
    public static Float8 sin(Float8 v) {
        Float8 r = new Float8();
        for (int i = 0; i < r.size(); i++) {
            r.set(i, sin(v.get(i)));
        }
        return r;
    }
    public static Float16 sin(Float16 v) {
        Float16 r = new Float16();
        for (int i = 0; i < r.size(); i++) {
            r.set(i, sin(v.get(i)));
        }
        return r;
    }
}
