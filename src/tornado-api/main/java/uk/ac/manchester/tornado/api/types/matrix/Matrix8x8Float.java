package uk.ac.manchester.tornado.api.types.matrix;

/**
 * TornadoVM's 8 x 8 tile of {@code float}, the value its SIMD-group matrix operations take and return
 * ({@code KernelContext.simdgroupMatrixLoad}, {@code simdgroupMatrixMultiplyAccumulate}, ...). On the host and the jvm
 * device it is an object holding its 64 elements row by row, element {@code (row, col)} at {@code values[row * 8 + col]}.
 * In a kernel on a device it is a C struct of 64 floats that each work-item holds for itself; there it may be a local,
 * a helper's parameter or result, and read with {@code get(row, col)}, but not changed: every operation makes a new one,
 * so that two names for one tile (Java's references) and the C copies agree.
 */
public final class Matrix8x8Float {
    public static final Class<Matrix8x8Float> TYPE = Matrix8x8Float.class;
    /** Rows and columns of the tile. */
    static final int SIDE = 8;

    /** The elements, row by row. */
    public final float[] values = new float[SIDE * SIDE];

    /** A tile of zeros. */
    public Matrix8x8Float() {
    }

    public float get(int row, int col) {
        return values[row * SIDE + col];
    }

    public void set(int row, int col, float value) {
        values[row * SIDE + col] = value;
    }
}
