package uk.ac.manchester.tornado.api.types.matrix;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.vectors.Float4;

/**
 * TornadoVM's 4 x 4 matrix of {@code float} (a pose, a camera matrix), row by row in a {@link FloatArray} of 16:
 * element {@code (i, j)} at {@code 4 * i + j}. It is a 2D matrix view like {@link Matrix2DFloat}, so kernels and their
 * helpers take it as a parameter; in them {@code get(i, j)}, {@code set(i, j, v)}, {@code get(index)},
 * {@code set(index, v)}, {@code row(i)}, {@code column(j)} and {@code diag()} (the last three as {@code Float4} values),
 * {@code getNumRows()}, {@code getNumColumns()} and {@code size()} work.
 */
@KernelView(value = org.longnet.engine.api.FloatArray.class, dimensions = 2)
public final class Matrix4x4Float extends FloatMatrix {
    public static final Class<Matrix4x4Float> TYPE = Matrix4x4Float.class;
    private static final int N = 4;

    /** A matrix of zeros. */
    public Matrix4x4Float() {
        this(new FloatArray(N * N));
    }

    /** A matrix whose elements are {@code array}'s (not a copy), which must hold 16. */
    public Matrix4x4Float(FloatArray array) {
        super("MatrixFloat", array, 1, N, N);
    }

    /** Element {@code index}, counted row by row. */
    public float get(int index) {
        return storage.get(at(index / N, index % N));
    }

    public void set(int index, float value) {
        storage.set(at(index / N, index % N), value);
    }

    public float get(int i, int j) {
        return storage.get(at(i, j));
    }

    public void set(int i, int j, float value) {
        storage.set(at(i, j), value);
    }

    public Float4 row(int row) {
        return load4(at(row, 0));
    }

    public Float4 column(int column) {
        return new Float4(get(0, column), get(1, column), get(2, column), get(3, column));
    }

    public Float4 diag() {
        return new Float4(get(0, 0), get(1, 1), get(2, 2), get(3, 3));
    }

    /** Makes this the identity matrix. */
    public void identity() {
        fill(0f);
        for (int i = 0; i < N; i++) {
            set(i, i, 1f);
        }
    }

    public Matrix4x4Float duplicate() {
        Matrix4x4Float copy = new Matrix4x4Float();
        copy.set(this);
        return copy;
    }

    /** Copies {@code m}'s elements. */
    public void set(Matrix4x4Float m) {
        copyFrom(m);
    }
}
