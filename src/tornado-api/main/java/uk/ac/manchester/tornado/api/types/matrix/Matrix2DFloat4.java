package uk.ac.manchester.tornado.api.types.matrix;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat;
import uk.ac.manchester.tornado.api.types.vectors.Float4;

/**
 * TornadoVM's matrix of {@link Float4} points: rows x columns points, row by row, in a {@link FloatArray}, the four
 * lanes of point {@code (i, j)} at {@code (i * columns + j) * 4} onwards. In kernels {@code get(i, j)} loads a vector,
 * {@code set(i, j, v)} stores one, and {@code getNumRows()}, {@code getNumColumns()} and {@code size()} (array
 * elements) read the extents that arrive with the array.
 */
@KernelView(value = org.longnet.engine.api.FloatArray.class, dimensions = 2)
public final class Matrix2DFloat4 extends FloatMatrix {
    public static final Class<Matrix2DFloat4> TYPE = Matrix2DFloat4.class;
    private static final int LANES = 4;

    /** A matrix whose points are {@code array}'s (not a copy), which must hold {@code rows * columns * 4} elements. */
    public Matrix2DFloat4(int rows, int columns, FloatArray array) {
        super("MatrixFloat4", array, LANES, rows, columns);
    }

    /** A matrix of zero vectors. */
    public Matrix2DFloat4(int rows, int columns) {
        this(rows, columns, new FloatArray(elements("Matrix2DFloat4", rows, columns, LANES)));
    }

    /** Transposes a square matrix in place. */
    public static void transpose(Matrix2DFloat4 matrix) {
        matrix.transposeSquare();
    }

    /** Multiplies every lane of every point by {@code value}. */
    public static void scale(Matrix2DFloat4 matrix, float value) {
        matrix.scaleBy(value);
    }

    public Float4 get(int i, int j) {
        return load4(at(i, j));
    }

    public void set(int i, int j, Float4 value) {
        store4(at(i, j), value);
    }

    /** A copy of row {@code row}'s lanes, point after point: {@code 4 * columns} of them. */
    public VectorFloat row(int row) {
        return new VectorFloat(storage.slice(rowStart(row), getNumColumns() * LANES));
    }

    /** Sets this matrix to the lane-wise product {@code a * b}: point {@code (i, j)} is the sum over k of {@code a(i, k) * b(k, j)}. */
    public void multiply(Matrix2DFloat4 a, Matrix2DFloat4 b) {
        if (a.getNumColumns() != b.getNumRows() || a.getNumRows() != getNumRows() || b.getNumColumns() != getNumColumns()) {
            throw new IllegalArgumentException("multiply: " + a.shape() + " times " + b.shape() + " does not give " + shape());
        }
        for (int i = 0; i < getNumRows(); i++) {
            for (int j = 0; j < getNumColumns(); j++) {
                Float4 sum = new Float4();
                for (int k = 0; k < a.getNumColumns(); k++) {
                    sum = Float4.add(sum, Float4.mult(a.get(i, k), b.get(k, j)));
                }
                set(i, j, sum);
            }
        }
    }

    public Matrix2DFloat4 duplicate() {
        Matrix2DFloat4 copy = new Matrix2DFloat4(getNumRows(), getNumColumns());
        copy.set(this);
        return copy;
    }

    /** Copies {@code m}'s points, which must have this matrix's shape. */
    public void set(Matrix2DFloat4 m) {
        copyFrom(m);
    }
}
