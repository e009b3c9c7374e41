package uk.ac.manchester.tornado.api.types;

/**
 * TornadoVM's IEEE fp16 value, held as its 16 bits. Each operation computes in float and rounds the result to fp16 (to
 * nearest even), as TornadoVM's does. Kernels may make them ({@code new HalfFloat(x)}), compute with {@code add},
 * {@code sub}, {@code mult}, {@code div}, and read {@code getFloat32()} and {@code getHalfFloatValue()}: the translator
 * holds one as a float whose value fp16 can represent, with these semantics.
 */
public class HalfFloat {
    private final short bits;

    public HalfFloat(float value) {
        this.bits = Float.floatToFloat16(value);
    }

    public HalfFloat(short bits) {
        this.bits = bits;
    }

    public static HalfFloat add(HalfFloat a, HalfFloat b) {
        return new HalfFloat(a.getFloat32() + b.getFloat32());
    }

    public static HalfFloat sub(HalfFloat a, HalfFloat b) {
        return new HalfFloat(a.getFloat32() - b.getFloat32());
    }

    public static HalfFloat mult(HalfFloat a, HalfFloat b) {
        return new HalfFloat(a.getFloat32() * b.getFloat32());
    }

    public static HalfFloat div(HalfFloat a, HalfFloat b) {
        return new HalfFloat(a.getFloat32() / b.getFloat32());
    }

    /** The 16 bits. */
    public short getHalfFloatValue() {
        return bits;
    }

    public float getFloat32() {
        return Float.float16ToFloat(bits);
    }

    /** TornadoVM's form: {@code HalfFloat: 1.5000}. */
    @Override
    public String toString() {
        return String.format("HalfFloat: %.4f", getFloat32());
    }
}
