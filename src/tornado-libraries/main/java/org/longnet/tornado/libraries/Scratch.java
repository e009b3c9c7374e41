package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.api.types.arrays.BFloat16Array;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Arrays for a host computation to work in, so that the caller's host arrays stay as they are ({@link HostLibrary}). */
final class Scratch {
    private Scratch() {
    }

    /** A new array of {@code array}'s type and size; {@code what} names it where the type is not one the libraries take. */
    static Object like(String what, Object array) {
        return switch (array) {
            case FloatArray a -> new FloatArray(a.getSize());
            case DoubleArray a -> new DoubleArray(a.getSize());
            case HalfFloatArray a -> new HalfFloatArray(a.getSize());
            case BFloat16Array a -> new BFloat16Array(a.getSize());
            case IntArray a -> new IntArray(a.getSize());
            case ByteArray a -> new ByteArray(a.getSize());
            default -> throw new IllegalArgumentException(what + " must be a FloatArray, DoubleArray, HalfFloatArray, BFloat16Array, IntArray or "
                    + "ByteArray, was " + array.getClass().getSimpleName());
        };
    }
}
