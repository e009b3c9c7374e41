package uk.ac.manchester.tornado.api.types.matrix;

import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.StringJoiner;

// The template of IntMatrix and DoubleMatrix, the bases of Matrix2DInt and Matrix2DDouble: the build writes each of them
// from this file, renaming the element type (src/tornado-api/build/GenerateSources.java). Edit this file, never those;
// lines starting with // are left out.
/**
 * What TornadoVM's matrices of {@code float} share, whatever their dimensions: their elements lie row-major in one
 * {@link FloatArray}, so filling, buffers and printing go through the array in order.
 */
abstract class FloatMatrix extends TornadoMatrix<FloatArray> {
    private static final String FORMAT = formatOf(float.class);
    private final String title;

    /** A matrix of {@code extents} over {@code storage}, whose {@code toString()} calls it {@code title}. */
    FloatMatrix(String title, FloatArray storage, int... extents) {
        super(storage, extents);
        this.title = title;
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
