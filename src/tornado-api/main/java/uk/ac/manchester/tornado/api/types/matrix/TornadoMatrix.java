package uk.ac.manchester.tornado.api.types.matrix;

import uk.ac.manchester.tornado.api.types.arrays.NativeArrayView;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntUnaryOperator;

/**
 * What TornadoVM's matrices share: a row-major view of one TornadoVM array, with its extents (rows, columns and, in
 * 3D, depth), which travel to kernels after the array's length ({@link #extents()}). The element-typed classes add
 * {@code get}, {@code set} and the element-wise operations; kernels see them as their {@code @KernelView} says.
 */
abstract class TornadoMatrix<A extends TornadoNativeArray> extends NativeArrayView<A> {
    private final int[] extents;
    /** Array elements a point: 1, or a vector's lanes ({@code Matrix2DFloat4}: 4), one after another. */
    private final int lanes;

    TornadoMatrix(A storage, int lanes, int... extents) {
        super(storage);
        long elements = (long) elements(getClass().getSimpleName(), extents) * lanes;
        if (storage.getSize() != elements) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " of " + shape(extents) + " needs " + elements
                    + (lanes == 1 ? " elements" : " array elements (" + lanes + " a point)") + "; its array has " + storage.getSize());
        }
        this.extents = extents.clone();
        this.lanes = lanes;
    }

    public int getNumRows() {
        return extents[0];
    }

    public int getNumColumns() {
        return extents[1];
    }

    /** The extent of dimension {@code d}: 0 rows, 1 columns, 2 depth. */
    final int extent(int d) {
        return extents[d];
    }

    @Override
    public int[] extents() {
        return extents.clone();
    }

    /** {@code rows x columns} (and {@code x depth}), as messages and {@code toString} write a shape. */
    final String shape() {
        return shape(extents);
    }

    /** The default format of one element of type {@code element} in {@code toString()}. */
    static String formatOf(Class<?> element) {
        return element == float.class || element == double.class ? "%.3f" : "%d";
    }

    /** {@code value} written with {@code fmt}, as the host's locale would not change it. */
    static String format(String fmt, Object value) {
        return String.format(Locale.ROOT, fmt, value);
    }

    /** The index of the first array element of the point at {@code indices}, which must lie inside the extents. */
    final int at(int... indices) {
        return index(indices) * lanes;
    }

    /** The index of the first array element of row {@code row}, whose points' lanes follow in order up to the next row's. */
    final int rowStart(int row) {
        if (row < 0 || row >= getNumRows()) {
            throw new IndexOutOfBoundsException("row " + row + " is outside a " + getClass().getSimpleName() + " of " + shape());
        }
        return row * (size() / getNumRows());
    }

    /** The row-major index of the point at {@code indices}, which must lie inside the extents. */
    final int index(int... indices) {
        int index = 0;
        for (int d = 0; d < extents.length; d++) {
            if (indices[d] < 0 || indices[d] >= extents[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(indices) + " is outside a " + getClass().getSimpleName()
                        + " of " + shape());
            }
            index = index * extents[d] + indices[d];
        }
        return index;
    }

    /** Transposes a square 2D matrix in place: points {@code (i, j)} and {@code (j, i)} trade all their lanes. */
    final void transposeSquare() {
        if (getNumRows() != getNumColumns()) {
            throw new IllegalArgumentException("transpose works in place on square matrices; this one is " + shape());
        }
        if (size() == 0) {
            return;
        }
        long pointBytes = getNumBytes() / size() * lanes;
        MemorySegment elements = getSegment();
        MemorySegment swap = MemorySegment.ofArray(new byte[(int) pointBytes]);
        for (int i = 0; i < getNumRows(); i++) {
            for (int j = i + 1; j < getNumColumns(); j++) {
                long ij = index(i, j) * pointBytes;
                long ji = index(j, i) * pointBytes;
                MemorySegment.copy(elements, ij, swap, 0, pointBytes);
                MemorySegment.copy(elements, ji, elements, ij, pointBytes);
                MemorySegment.copy(swap, 0, elements, ji, pointBytes);
            }
        }
    }

    /** Copies {@code other}'s elements, or fails with a clear message unless it has this matrix's shape and element type. */
    final void copyFrom(TornadoMatrix<A> other) {
        if (!Arrays.equals(extents, other.extents) || getClass() != other.getClass()) {
            throw new IllegalArgumentException("set needs a " + getClass().getSimpleName() + " of " + shape() + ", not a "
                    + other.getClass().getSimpleName() + " of " + other.shape());
        }
        getSegment().copyFrom(other.getSegment().asSlice(0, getNumBytes()));
    }

    /** The number of elements of a matrix of {@code extents}, or a clear error where a TornadoVM array cannot hold them. */
    static int elements(String type, int... extents) {
        long n = 1;
        for (int e : extents) {
            if (e < 0) {
                throw new IllegalArgumentException(type + " extents must be 0 or more, not " + shape(extents));
            }
            n *= e;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(type + " of " + shape(extents) + " holds more than " + Integer.MAX_VALUE + " elements");
            }
        }
        return (int) n;
    }

    /** The common length of {@code count} rows whose lengths {@code length} gives: a Java array of arrays must not be ragged. */
    static int commonLength(int count, IntUnaryOperator length) {
        int first = count == 0 ? 0 : length.applyAsInt(0);
        for (int i = 1; i < count; i++) {
            if (length.applyAsInt(i) != first) {
                throw new IllegalArgumentException("a matrix's rows must have one length; row 0 has " + first + ", row " + i + " has "
                        + length.applyAsInt(i));
            }
        }
        return first;
    }

    private static String shape(int[] extents) {
        return String.join(" x ", Arrays.stream(extents).mapToObj(Integer::toString).toList());
    }
}
