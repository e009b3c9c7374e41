package uk.ac.manchester.tornado.api.types.vectors;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.api.JavaArrays;

import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.StringJoiner;

// The template of IntVector, DoubleVector, ShortVector and ByteVector, which differ from this class only in their lane type:
// the build writes them from this file, renaming the lane type (src/tornado-api/build/GenerateSources.java). Edit this file,
// never those. Lines starting with // are left out, and so are the lines between "//-- only TYPES" and "//-- end" for a type
// not listed. Each lane-wise result is cast to the lane type, as Java computes short and byte lanes in int and wraps on the cast.
/**
 * What TornadoVM's float vectors ({@code Float2}, {@code Float3}, {@code Float4}, {@code Float8}) share, written once:
 * their lanes, and the lane-wise operations as generic static methods that each vector class inherits, so that
 * {@code Float4.add(a, b)} of two {@code Float4} values is a {@code Float4}. The vector classes add their lanes' names
 * ({@code getX}, {@code setW}, {@code getS7}, ...).
 * <p>
 * In kernels the translator reads these methods as C functions on struct values ({@code longnet_vectors.h}), so a vector
 * there is a value: assigning one vector variable to another is rejected, as it would alias in Java and copy in C. A
 * kernel's own vector parameter (a task's vector argument) is its lanes in global memory, so writes to it come back.
 */
abstract class FloatVector<T extends FloatVector<T>> implements DeviceArrayView {
    private static final ValueLayout LANE = ValueLayout.JAVA_FLOAT;
    final float[] storage;

    FloatVector(float[] storage) {
        this.storage = storage;
    }

    /**
     * A vector given to a task travels as its lanes do, as a Java array: a device gets the engine's mirror of them (the
     * kernel reads and writes them in global memory), the {@code jvm} device this vector itself.
     */
    @Override
    public DeviceArray deviceArray() {
        return JavaArrays.mirror(storage);
    }

    /** A vector of this class holding {@code lanes}. */
    abstract T make(float[] lanes);

    public float get(int index) {
        return storage[index];
    }

    public void set(int index, float value) {
        storage[index] = value;
    }

    /** Sets every lane to {@code value}'s. */
    public void set(T value) {
        System.arraycopy(value.storage, 0, storage, 0, storage.length);
    }

    /** The lanes themselves (not a copy), as TornadoVM gives them. */
    public float[] getArray() {
        return storage;
    }

    /** The lanes themselves (not a copy), as TornadoVM gives them. */
    public float[] toArray() {
        return storage;
    }

    public void fill(float value) {
        Arrays.fill(storage, value);
    }

    /** Number of lanes. */
    public int size() {
        return storage.length;
    }

    public long getNumBytes() {
        return storage.length * LANE.byteSize();
    }

    public T duplicate() {
        return make(storage.clone());
    }

    /** A buffer over the lanes themselves. */
    public FloatBuffer asBuffer() {
        return FloatBuffer.wrap(storage);
    }

    /** Sets the lanes from {@code buffer}'s next elements. */
    public void loadFromBuffer(FloatBuffer buffer) {
        asBuffer().put(buffer);
    }

    /** The lanes through {@code fmt}, one format argument each. */
    public String toString(String fmt) {
        Object[] lanes = new Object[storage.length];
        Arrays.setAll(lanes, i -> storage[i]);
        return String.format(fmt, lanes);
    }

    @Override
    public String toString() {
        StringJoiner out = new StringJoiner(",", "{", "}");
        for (float lane : storage) {
            out.add(String.valueOf(lane));
        }
        return out.toString();
    }

    /** A lane-wise operation. */
    private interface Lanes {
        float apply(float x, float y);
    }

    private static <T extends FloatVector<T>> T lanes(T a, T b, Lanes op) {
        float[] out = new float[a.storage.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = op.apply(a.storage[i], b.storage[i]);
        }
        return a.make(out);
    }

    private static <T extends FloatVector<T>> T lanes(T a, float b, Lanes op) {
        float[] out = new float[a.storage.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = op.apply(a.storage[i], b);
        }
        return a.make(out);
    }

    /** The lanes of {@code a} combined with {@code op}, left to right, from {@code start}. */
    private static float fold(FloatVector<?> a, float start, Lanes op) {
        float out = start;
        for (float lane : a.storage) {
            out = op.apply(out, lane);
        }
        return out;
    }

    // The operators lane by lane, on two vectors and then on a vector and one value for every lane: one line each.
    public static <T extends FloatVector<T>> T add(T a, T b) { return lanes(a, b, (x, y) -> (float) (x + y)); }
    public static <T extends FloatVector<T>> T sub(T a, T b) { return lanes(a, b, (x, y) -> (float) (x - y)); }
    public static <T extends FloatVector<T>> T mult(T a, T b) { return lanes(a, b, (x, y) -> (float) (x * y)); }
    public static <T extends FloatVector<T>> T div(T a, T b) { return lanes(a, b, (x, y) -> (float) (x / y)); }
    public static <T extends FloatVector<T>> T min(T a, T b) { return lanes(a, b, (x, y) -> (float) Math.min(x, y)); }
    public static <T extends FloatVector<T>> T max(T a, T b) { return lanes(a, b, (x, y) -> (float) Math.max(x, y)); }
    public static <T extends FloatVector<T>> T add(T a, float b) { return lanes(a, b, (x, y) -> (float) (x + y)); }
    public static <T extends FloatVector<T>> T sub(T a, float b) { return lanes(a, b, (x, y) -> (float) (x - y)); }
    public static <T extends FloatVector<T>> T mult(T a, float b) { return lanes(a, b, (x, y) -> (float) (x * y)); }
    public static <T extends FloatVector<T>> T div(T a, float b) { return lanes(a, b, (x, y) -> (float) (x / y)); }

    /** {@link #add(FloatVector, float)}, by TornadoVM's other names for it (and for sub and mult). */
    public static <T extends FloatVector<T>> T inc(T a, float value) {
        return add(a, value);
    }

    public static <T extends FloatVector<T>> T dec(T a, float value) {
        return sub(a, value);
    }

    public static <T extends FloatVector<T>> T scale(T a, float value) {
        return mult(a, value);
    }

    /** Each lane kept within {@code [min, max]}. */
    public static <T extends FloatVector<T>> T clamp(T x, float min, float max) {
        return lanes(lanes(x, min, (a, b) -> (float) Math.max(a, b)), max, (a, b) -> (float) Math.min(a, b));
    }

    /** The smallest lane. */
    public static float min(FloatVector<?> value) {
        return fold(value, value.storage[0], (x, y) -> (float) Math.min(x, y));
    }

    /** The largest lane. */
    public static float max(FloatVector<?> value) {
        return fold(value, value.storage[0], (x, y) -> (float) Math.max(x, y));
    }

    /** The lanes added up, first to last. */
    public static float sum(FloatVector<?> value) {
        return fold(value, (float) 0, (x, y) -> (float) (x + y));
    }

    /** The sum of the lanes' products, first to last. */
    public static <T extends FloatVector<T>> float dot(T a, T b) {
        return sum(mult(a, b));
    }

    /** Whether every lane of {@code a} equals {@code b}'s. */
    public static <T extends FloatVector<T>> boolean isEqual(T a, T b) {
        return Arrays.equals(a.storage, b.storage);
    }
//-- only Float Double

    public static <T extends FloatVector<T>> T scaleByInverse(T a, float value) {
        return mult(a, 1f / value);
    }

    public static <T extends FloatVector<T>> T sqrt(T a) {
        return lanes(a, 0, (x, unused) -> (float) Math.sqrt(x));
    }

    public static <T extends FloatVector<T>> T floor(T a) {
        return lanes(a, 0, (x, unused) -> (float) Math.floor(x));
    }

    /** Each lane less its floor: its fractional part, in [0, 1). */
    public static <T extends FloatVector<T>> T fract(T a) {
        return lanes(a, 0, (x, unused) -> x - (float) Math.floor(x));
    }

    /** The vector's Euclidean length: the square root of its dot product with itself. */
    public static <T extends FloatVector<T>> float length(T value) {
        return (float) Math.sqrt(dot(value, value));
    }
//-- end
//-- only Float

    /** {@code ints}'s lanes converted to float, as a vector of this class (for TornadoVM's operations on a float and an int vector). */
    T fromInts(IntVector<?> ints) {
        float[] out = new float[storage.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ints.storage[i];
        }
        return make(out);
    }

    /** The vector divided by its length. */
    public static <T extends FloatVector<T>> T normalise(T value) {
        return scaleByInverse(value, length(value));
    }
//-- end
}
