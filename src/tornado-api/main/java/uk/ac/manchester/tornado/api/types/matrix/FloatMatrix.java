package uk.ac.manchester.tornado.api.types.matrix;

import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
//-- only Float
import uk.ac.manchester.tornado.api.types.vectors.Float4;
//-- end

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.StringJoiner;

// The template of IntMatrix, DoubleMatrix, LongMatrix and ShortMatrix, the bases of Matrix2DInt, Matrix3DLong, ...: the
// build writes each of them from this file, renaming the element type (src/tornado-api/build/GenerateSources.java). Edit
// this file, never those; lines starting with // are left out, and so are those between //-- only Float and //-- end.
/**
 * What TornadoVM's matrices of {@code float} share, whatever their dimensions: their elements lie row-major in one
 * {@link FloatArray}, so filling, buffers and printing go through the array in order.
 */
abstract class FloatMatrix extends TornadoMatrix<FloatArray> {
    private static final String FORMAT = formatOf(float.class);
    private final String title;

    /**
     * A matrix of {@code extents} over {@code storage}, {@code lanes} elements a point, whose {@code toString()} calls it
     * {@code title}.
     */
    FloatMatrix(String title, FloatArray storage, int lanes, int... extents) {
        super(storage, lanes, extents);
        this.title = title;
    }

    /** Multiplies every element by {@code value}. */
    final void scaleBy(float value) {
        for (int i = 0; i < size(); i++) {
            storage.set(i, (float) (storage.get(i) * value));
        }
    }
//-- only Float

    /** The point of four lanes whose first is array element {@code at}. */
    final Float4 load4(int at) {
        return new Float4(storage.get(at), storage.get(at + 1), storage.get(at + 2), storage.get(at + 3));
    }

    /** Stores {@code value}'s lanes at array elements {@code at} to {@code at + 3}. */
    final void store4(int at, Float4 value) {
        for (int l = 0; l < 4; l++) {
            storage.set(at + l, value.get(l));
        }
    }
//-- end

    /** The array that holds the elements (not a copy). */
    public FloatArray getArray() {
        return storage;
    }

    public void fill(float value) {
        storage.init(value);
    }

    /** A heap copy of the elements, row by row. */
    public FloatBuffer asBuffer() {
        return FloatBuffer.wrap(storage.toHeapArray());
    }

    /** Sets the elements, row by row, from the buffer's remaining ones. */
    public void loadFromBuffer(FloatBuffer buffer) {
        for (int i = 0; i < size() && buffer.hasRemaining(); i++) {
            storage.set(i, buffer.get());
        }
    }

    /** The elements, each written with {@code fmt}, a row a line (in 3D a row's columns' depths one after another). */
    public String toString(String fmt) {
        StringJoiner rows = new StringJoiner("\n");
        int perRow = getNumRows() == 0 ? 0 : size() / getNumRows();
        for (int i = 0; i < getNumRows(); i++) {
            StringJoiner row = new StringJoiner(" ");
            for (int e = i * perRow; e < (i + 1) * perRow; e++) {
                row.add(format(fmt, storage.get(e)));
            }
            rows.add(row.toString());
        }
        return rows.toString();
    }

    /** The title and shape, and the elements of a matrix smaller than 16 in every dimension. */
    @Override
    public String toString() {
        String head = title + " <" + shape() + ">";
        return Arrays.stream(extents()).allMatch(e -> e < 16) ? head + "\n" + toString(FORMAT) : head;
    }
}
