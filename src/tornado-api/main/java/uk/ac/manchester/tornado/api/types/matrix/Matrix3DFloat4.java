package uk.ac.manchester.tornado.api.types.matrix;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.vectors.Float4;

/**
 * TornadoVM's 3D matrix of {@link Float4} points: rows x columns x depth points in a {@link FloatArray}, the four lanes
 * of point {@code (i, j, k)} at {@code ((i * columns + j) * depth + k) * 4} onwards. In kernels {@code get(i, j, k)}
 * loads a vector, {@code set(i, j, k, v)} stores one, and {@code getNumRows()}, {@code getNumColumns()},
 * {@code getNumDepth()} and {@code size()} (array elements) read the extents that arrive with the array.
 */
@KernelView(value = org.longnet.engine.api.FloatArray.class, dimensions = 3)
public final class Matrix3DFloat4 extends FloatMatrix {
    public static final Class<Matrix3DFloat4> TYPE = Matrix3DFloat4.class;
    private static final int LANES = 4;

    /** A matrix whose points are {@code array}'s (not a copy), which must hold {@code rows * columns * depth * 4} elements. */
    public Matrix3DFloat4(int rows, int columns, int depth, FloatArray array) {
        super("Matrix3DFloat4", array, LANES, rows, columns, depth);
    }

    /** A matrix of zero vectors. */
    public Matrix3DFloat4(int rows, int columns, int depth) {
        this(rows, columns, depth, new FloatArray(elements("Matrix3DFloat4", rows, columns, depth, LANES)));
    }

    /** Multiplies every lane of every point by {@code value}. */
    public static void scale(Matrix3DFloat4 matrix, float value) {
        matrix.scaleBy(value);
    }

    public int getNumDepth() {
        return extent(2);
    }

    public Float4 get(int i, int j, int k) {
        return load4(at(i, j, k));
    }

    public void set(int i, int j, int k, Float4 value) {
        store4(at(i, j, k), value);
    }

    public Matrix3DFloat4 duplicate() {
        Matrix3DFloat4 copy = new Matrix3DFloat4(getNumRows(), getNumColumns(), getNumDepth());
        copy.set(this);
        return copy;
    }

    /** Copies {@code m}'s points, which must have this matrix's shape. */
    public void set(Matrix3DFloat4 m) {
        copyFrom(m);
    }
}
