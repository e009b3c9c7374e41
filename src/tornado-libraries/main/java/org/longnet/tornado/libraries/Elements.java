package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.api.types.FP8;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.BFloat16Array;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * A TornadoVM array seen as numbers, on the host: reads widen to double, writes round to the array's type (fp32, fp16 and
 * bf16 to nearest even). A {@link ByteArray} holds FP8 E4M3 values, as cuBLASLt's FP8 matmul takes them.
 */
public interface Elements {
    int length();

    double get(int i);

    void set(int i, double value);

    /** {@code array} as elements, {@code what} naming it in the message where its type is not one of them. */
    static Elements of(String what, Object array) {
        return switch (array) {
            case FloatArray a -> new Elements.Of(a.getSize(), a::get, (i, v) -> a.set(i, (float) v));
            case DoubleArray a -> new Elements.Of(a.getSize(), a::get, a::set);
            case HalfFloatArray a -> new Elements.Of(a.getSize(), i -> a.get(i).getFloat32(), (i, v) -> a.set(i, new HalfFloat((float) v)));
            case BFloat16Array a -> new Elements.Of(a.getSize(), a::getFloat, (i, v) -> a.setFloat(i, (float) v));
            case IntArray a -> new Elements.Of(a.getSize(), a::get, (i, v) -> a.set(i, (int) v));
            case ByteArray a -> new Elements.Of(a.getSize(), i -> FP8.e4m3ToFloat(a.get(i)), (i, v) -> a.set(i, FP8.e4m3FromFloat((float) v)));
            case null, default -> throw new IllegalArgumentException(what + " must be a FloatArray, DoubleArray, HalfFloatArray, BFloat16Array, "
                    + "IntArray or ByteArray (FP8 E4M3), was " + (array == null ? "null" : array.getClass().getSimpleName()));
        };
    }

    /** Checks that elements {@code [0, needed)} exist: one line naming the array, its length and what the call needs. */
    default Elements needs(String what, long needed) {
        if (needed > length()) {
            throw new IllegalArgumentException(what + " has " + length() + " elements, and the call needs " + needed);
        }
        return this;
    }

    /** Elements read and written through two functions. */
    record Of(int length, java.util.function.IntToDoubleFunction reader, Writer writer) implements Elements {
        @Override
        public double get(int i) {
            return reader.applyAsDouble(i);
        }

        @Override
        public void set(int i, double value) {
            writer.set(i, value);
        }
    }

    /** Writes one element. */
    @FunctionalInterface
    interface Writer {
        void set(int i, double value);
    }
}
