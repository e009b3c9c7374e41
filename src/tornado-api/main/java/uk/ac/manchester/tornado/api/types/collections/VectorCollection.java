package uk.ac.manchester.tornado.api.types.collections;

import uk.ac.manchester.tornado.api.types.arrays.NativeArrayView;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * What TornadoVM's collections ({@code VectorFloat}, {@code VectorFloat4}, {@code VectorInt3}, ...) share: a count of
 * vectors of {@code width} lanes, stored lane after lane in one TornadoVM array ({@code FloatArray}, ...), vector
 * {@code i}'s lane {@code l} at {@code width * i + l}. The collection is a view of that array's engine array, so it
 * travels to devices as the array does; kernels read {@code get(i)} as a load of one vector and {@code set(i, v)} as a
 * store of its lanes.
 */
abstract class VectorCollection<A extends TornadoNativeArray> extends NativeArrayView<A> {
    final int numElements;
    private final int width;

    VectorCollection(A storage, int width) {
        super(storage);
        if (storage.getSize() % width != 0) {
            throw new IllegalArgumentException("a collection of " + width + "-lane vectors needs a multiple of " + width
                    + " elements, the array has " + storage.getSize());
        }
        this.numElements = storage.getSize() / width;
        this.width = width;
    }

    /** Lanes per vector. */
    public int vectorWidth() {
        return width;
    }

    /** The array that holds the lanes (not a copy). */
    public A getArray() {
        return storage;
    }

    /** Number of vectors. */
    public int getLength() {
        return numElements;
    }

    /** {@code index}, or a clear error where it is no vector of this collection. */
    final int checked(int index) {
        if (index < 0 || index >= numElements) {
            throw new IndexOutOfBoundsException("vector " + index + " of a collection of " + numElements);
        }
        return index;
    }
}
