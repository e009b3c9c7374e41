package uk.ac.manchester.tornado.api.types.matrix;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat;

// The template of Matrix2DInt and Matrix2DDouble, which differ from this class only in their element type: the build
// writes each of them from this file, renaming the element type (src/tornado-api/build/GenerateSources.java). Edit this
// file, never those; lines starting with // are left out.
/**
 * TornadoVM's matrix of {@code float}: rows x columns elements, row by row, in a {@link FloatArray}. In kernels
 * {@code get(i, j)}, {@code set(i, j, v)}, {@code getNumRows()}, {@code getNumColumns()} and {@code size()} work: the
 * kernel reads element {@code i * columns + j} of the engine array, and the extents arrive with it.
 */
@KernelView(value = org.longnet.engine.api.FloatArray.class, dimensions = 2)
public final class Matrix2DFloat extends FloatMatrix {

    /** A matrix whose elements are {@code array}'s (not a copy), which must hold {@code rows * columns} of them. */
    public Matrix2DFloat(int rows, int columns, FloatArray array) {
        super("MatrixFloat", array, 1, rows, columns);
    }

    /** A matrix of zeros. */
    public Matrix2DFloat(int rows, int columns) {
        this(rows, columns, new FloatArray(elements("Matrix2DFloat", rows, columns)));
    }

    /** A matrix holding a copy of {@code matrix}, whose rows must have one length. */
    public Matrix2DFloat(float[][] matrix) {
        this(matrix.length, commonLength(matrix.length, i -> matrix[i].length));
        for (int i = 0; i < matrix.length; i++) {
            for (int j = 0; j < matrix[i].length; j++) {
                set(i, j, matrix[i][j]);
            }
        }
    }

    /** Transposes a square matrix in place. */
    public static void transpose(Matrix2DFloat matrix) {
        matrix.transposeSquare();
    }

    /** Multiplies every element by {@code value}. */
    public static void scale(Matrix2DFloat matrix, float value) {
        matrix.scaleBy(value);
    }

    public float get(int i, int j) {
        return storage.get(at(i, j));
    }

    public void set(int i, int j, float value) {
        storage.set(at(i, j), value);
    }

    /** A copy of row {@code row}. */
    public VectorFloat row(int row) {
        return new VectorFloat(storage.slice(rowStart(row), getNumColumns()));
    }

    /** A copy of column {@code column}. */
    public VectorFloat column(int column) {
        VectorFloat out = new VectorFloat(getNumRows());
        for (int i = 0; i < getNumRows(); i++) {
            out.set(i, get(i, column));
        }
        return out;
    }

    /** A copy of the diagonal: elements {@code (i, i)} while {@code i} is a row and a column. */
    public VectorFloat diag() {
        VectorFloat out = new VectorFloat(Math.min(getNumRows(), getNumColumns()));
        for (int i = 0; i < out.getLength(); i++) {
            out.set(i, get(i, i));
        }
        return out;
    }

    /** Sets this matrix to the product {@code a * b}. */
    public void multiply(Matrix2DFloat a, Matrix2DFloat b) {
        if (a.getNumColumns() != b.getNumRows() || a.getNumRows() != getNumRows() || b.getNumColumns() != getNumColumns()) {
            throw new IllegalArgumentException("multiply: " + a.shape() + " times " + b.shape() + " does not give " + shape());
        }
        for (int i = 0; i < getNumRows(); i++) {
            for (int j = 0; j < getNumColumns(); j++) {
                float sum = 0;
                for (int k = 0; k < a.getNumColumns(); k++) {
                    sum += a.get(i, k) * b.get(k, j);
                }
                set(i, j, sum);
            }
        }
    }

    public Matrix2DFloat duplicate() {
        Matrix2DFloat copy = new Matrix2DFloat(getNumRows(), getNumColumns());
        copy.set(this);
        return copy;
    }

    /** Copies {@code m}'s elements, which must have this matrix's shape. */
    public void set(Matrix2DFloat m) {
        copyFrom(m);
    }
}
