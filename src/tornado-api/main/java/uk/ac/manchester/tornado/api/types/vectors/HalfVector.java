package uk.ac.manchester.tornado.api.types.vectors;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.api.JavaArrays;
import uk.ac.manchester.tornado.api.types.HalfFloat;

import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.StringJoiner;
import java.util.function.BinaryOperator;

/**
 * What TornadoVM's fp16 vectors ({@code Half2}, {@code Half3}, {@code Half4}, {@code Half8}, {@code Half16}) share,
 * written once, as {@link FloatVector} is for the float vectors: the lanes, held as their 16 bits, and the lane-wise
 * operations as generic static methods, so that {@code Half4.add(a, b)} of two {@code Half4} values is a {@code Half4}.
 * Each operation is {@link HalfFloat}'s on every lane (computed in float, rounded to fp16), as TornadoVM's are. The build
 * writes the vector classes with their lanes' names (src/tornado-api/build/GenerateSources.java).
 * <p>
 * In kernels a half vector is a C struct of floats that each hold an fp16 value, with the functions of
 * {@code longnet_half_vectors.h}; it is a value there, as the float vectors are.
 */
abstract class HalfVector<T extends HalfVector<T>> implements DeviceArrayView {
    private static final String LANE_FORMAT = "%.3f";
    final short[] storage;

    HalfVector(short[] storage) {
        this.storage = storage;
    }

    /** The 16 bits of each of {@code lanes}. */
    static short[] bits(HalfFloat... lanes) {
        short[] out = new short[lanes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = lanes[i].getHalfFloatValue();
        }
        return out;
    }

    /**
     * A vector given to a task travels as its lanes' bits do, as a Java array: a device gets the engine's mirror of them (the
     * kernel reads and writes them as fp16 words in global memory), the {@code jvm} device this vector itself.
     */
    @Override
    public DeviceArray deviceArray() {
        return JavaArrays.mirror(storage);
    }

    /** A vector of this class holding the lanes of {@code bits}. */
    abstract T make(short[] bits);

    public HalfFloat get(int index) {
        return new HalfFloat(storage[index]);
    }

    public void set(int index, HalfFloat value) {
        storage[index] = value.getHalfFloatValue();
    }

    /** Sets every lane to {@code value}'s. */
    public void set(T value) {
        System.arraycopy(value.storage, 0, storage, 0, storage.length);
    }

    public void fill(HalfFloat value) {
        Arrays.fill(storage, value.getHalfFloatValue());
    }

    /** The lanes' bits themselves (not a copy), as TornadoVM gives them. */
    public short[] getArray() {
        return storage;
    }

    /** The lanes' bits themselves (not a copy), as TornadoVM gives them. */
    public short[] toArray() {
        return storage;
    }

    /** Number of lanes. */
    public int size() {
        return storage.length;
    }

    public long getNumBytes() {
        return storage.length * 2L;
    }

    public T duplicate() {
        return make(storage.clone());
    }

    /** A buffer over the lanes' bits themselves. */
    public ShortBuffer asBuffer() {
        return ShortBuffer.wrap(storage);
    }

    /** Sets the lanes' bits from {@code buffer}'s next elements. */
    public void loadFromBuffer(ShortBuffer buffer) {
        asBuffer().put(buffer);
    }

    /** The lanes' float values through {@code fmt}, one format argument each. */
    public String toString(String fmt) {
        Object[] lanes = new Object[storage.length];
        Arrays.setAll(lanes, i -> get(i).getFloat32());
        return String.format(fmt, lanes);
    }

    /** TornadoVM's form: {@code {1.000,2.500}}. */
    @Override
    public String toString() {
        StringJoiner fmt = new StringJoiner(",", "{", "}");
        for (int i = 0; i < storage.length; i++) {
            fmt.add(LANE_FORMAT);
        }
        return toString(fmt.toString());
    }

    private static <T extends HalfVector<T>> T lanes(T a, int n, java.util.function.IntFunction<HalfFloat> lane) {
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            out[i] = lane.apply(i).getHalfFloatValue();
        }
        return a.make(out);
    }

    private static <T extends HalfVector<T>> T lanes(T a, T b, BinaryOperator<HalfFloat> op) {
        return lanes(a, a.size(), i -> op.apply(a.get(i), b.get(i)));
    }

    private static <T extends HalfVector<T>> T lanes(T a, HalfFloat b, BinaryOperator<HalfFloat> op) {
        return lanes(a, a.size(), i -> op.apply(a.get(i), b));
    }

    // HalfFloat's operators lane by lane, on two vectors and then on a vector and one value for every lane: one line each.
    public static <T extends HalfVector<T>> T add(T a, T b) { return lanes(a, b, HalfFloat::add); }
    public static <T extends HalfVector<T>> T sub(T a, T b) { return lanes(a, b, HalfFloat::sub); }
    public static <T extends HalfVector<T>> T mult(T a, T b) { return lanes(a, b, HalfFloat::mult); }
    public static <T extends HalfVector<T>> T div(T a, T b) { return lanes(a, b, HalfFloat::div); }
    public static <T extends HalfVector<T>> T add(T a, HalfFloat b) { return lanes(a, b, HalfFloat::add); }
    public static <T extends HalfVector<T>> T sub(T a, HalfFloat b) { return lanes(a, b, HalfFloat::sub); }
    public static <T extends HalfVector<T>> T mult(T a, HalfFloat b) { return lanes(a, b, HalfFloat::mult); }
    public static <T extends HalfVector<T>> T div(T a, HalfFloat b) { return lanes(a, b, HalfFloat::div); }

    /**
     * The lanes' products added up in TornadoVM's order, a pairwise tree: each level adds neighbours (lanes 0 and 1, 2 and
     * 3, ...), an odd last one passing up alone, so Half3's is {@code (x + y) + z} and Half4's {@code (x + y) + (z + w)}.
     * Every sum is rounded to fp16.
     */
    public static <T extends HalfVector<T>> HalfFloat dot(T a, T b) {
        HalfFloat[] level = new HalfFloat[a.size()];
        Arrays.setAll(level, i -> HalfFloat.mult(a.get(i), b.get(i)));
        for (int n = level.length; n > 1; n = (n + 1) / 2) {
            for (int i = 0; i < n / 2; i++) {
                level[i] = HalfFloat.add(level[2 * i], level[2 * i + 1]);
            }
            if (n % 2 == 1) {
                level[n / 2] = level[n - 1];
            }
        }
        return level[0];
    }
}
