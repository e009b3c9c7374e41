package uk.ac.manchester.tornado.api.types;

/**
 * TornadoVM's IEEE fp16 value, held as its 16 bits. Arithmetic rounds each result to fp16 (to nearest even), as
 * fp16 hardware does. A host type here: kernels read {@code HalfFloatArray} elements through the engine's
 * {@code HalfFloatArray} instead (see docs/tornadovm.md).
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

    @Override
    public String toString() {
        return Float.toString(getFloat32());
    }
}
