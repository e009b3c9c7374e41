package uk.ac.manchester.tornado.api.types.matrix;

import org.longnet.engine.api.KernelView;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

// The template of Matrix3DInt, Matrix3DDouble, Matrix3DLong and Matrix3DShort, which differ from this class only in their
// element type: the build writes each of them from this file, renaming the element type
// (src/tornado-api/build/GenerateSources.java). Edit this file, never those; lines starting with // are left out.
/**
 * TornadoVM's 3D matrix of {@code float}: rows x columns x depth elements in a {@link FloatArray}, element
 * {@code (i, j, k)} at {@code (i * columns + j) * depth + k}. In kernels {@code get(i, j, k)}, {@code set(i, j, k, v)},
 * {@code getNumRows()}, {@code getNumColumns()}, {@code getNumDepth()} and {@code size()} work.
 */
@KernelView(value = org.longnet.engine.api.FloatArray.class, dimensions = 3)
public final class Matrix3DFloat extends FloatMatrix {

    /** A matrix whose elements are {@code array}'s (not a copy), which must hold {@code rows * columns * depth} of them. */
    public Matrix3DFloat(int rows, int columns, int depth, FloatArray array) {
        super("Matrix3DFloat", array, 1, rows, columns, depth);
    }

    /** A matrix of zeros. */
    public Matrix3DFloat(int rows, int columns, int depth) {
        this(rows, columns, depth, new FloatArray(elements("Matrix3DFloat", rows, columns, depth)));
    }

    /** A matrix holding a copy of {@code matrix}, whose rows must have one length, and their elements another. */
    public Matrix3DFloat(float[][][] matrix) {
        this(matrix.length, commonLength(matrix.length, i -> matrix[i].length),
                commonLength(matrix.length, i -> commonLength(matrix[i].length, j -> matrix[i][j].length)));
        for (int i = 0; i < getNumRows(); i++) {
            for (int j = 0; j < getNumColumns(); j++) {
                for (int k = 0; k < getNumDepth(); k++) {
                    set(i, j, k, matrix[i][j][k]);
                }
            }
        }
    }

    /** Multiplies every element by {@code value}. */
    public static void scale(Matrix3DFloat matrix, float value) {
        matrix.scaleBy(value);
    }

    public int getNumDepth() {
        return extent(2);
    }

    public float get(int i, int j, int k) {
        return storage.get(at(i, j, k));
    }

    public void set(int i, int j, int k, float value) {
        storage.set(at(i, j, k), value);
    }

    public Matrix3DFloat duplicate() {
        Matrix3DFloat copy = new Matrix3DFloat(getNumRows(), getNumColumns(), getNumDepth());
        copy.set(this);
        return copy;
    }

    /** Copies {@code m}'s elements, which must have this matrix's shape. */
    public void set(Matrix3DFloat m) {
        copyFrom(m);
    }
}
