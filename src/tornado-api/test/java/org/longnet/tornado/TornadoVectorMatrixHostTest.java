package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat;
import uk.ac.manchester.tornado.api.types.collections.VectorInt;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DDouble;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DFloat;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DFloat4;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DInt;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DFloat4;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DLong;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DShort;
import uk.ac.manchester.tornado.api.types.matrix.Matrix4x4Float;
import uk.ac.manchester.tornado.api.types.utils.VolumeOps;
import uk.ac.manchester.tornado.api.types.vectors.Float3;
import uk.ac.manchester.tornado.api.types.vectors.Float4;
import uk.ac.manchester.tornado.api.types.vectors.Short2;
import uk.ac.manchester.tornado.api.types.volumes.VolumeShort2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The host side of the matrices of Float4 points, the 3D matrices of long and short, Matrix4x4Float, the rows, columns
 * and diagonals of 2D matrices, and VolumeOps' voxel reads: layouts, copies, products and the errors of bad shapes.
 */
class TornadoVectorMatrixHostTest {
    private static float[] lanes(Float4 v) {
        return new float[] {v.getX(), v.getY(), v.getZ(), v.getW()};
    }

    @Test
    void float4PointsLieLaneAfterLaneRowByRow() {
        FloatArray storage = new FloatArray(2 * 3 * 4);
        for (int i = 0; i < storage.getSize(); i++) {
            storage.set(i, i);
        }
        Matrix2DFloat4 m = new Matrix2DFloat4(2, 3, storage);
        assertArrayEquals(new float[] {20, 21, 22, 23}, lanes(m.get(1, 2)));
        m.set(0, 1, new Float4(-1, -2, -3, -4));
        assertEquals(-3f, storage.get(6), "a matrix is a view of its array, not a copy");
        assertArrayEquals(new int[] {2, 3}, m.extents());
        assertEquals(24, m.size());
        assertSame(storage, m.getArray());
        VectorFloat row = m.row(1);
        assertEquals(12, row.getLength());
        assertEquals(12f, row.get(0));
        assertEquals(23f, row.get(11));
        Matrix3DFloat4 cube = new Matrix3DFloat4(2, 3, 1, storage);
        assertArrayEquals(new float[] {16, 17, 18, 19}, lanes(cube.get(1, 1, 0)));
        assertEquals(1, cube.getNumDepth());
    }

    @Test
    void float4ProductsTransposesAndCopies() {
        Matrix2DFloat4 a = new Matrix2DFloat4(2, 2), b = new Matrix2DFloat4(2, 2), c = new Matrix2DFloat4(2, 2);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                a.set(i, j, new Float4(i, j, 1, 2));
                b.set(i, j, new Float4(1, 2, i + j, 3));
            }
        }
        c.multiply(a, b);
        // point (1, 0): a(1, 0) * b(0, 0) + a(1, 1) * b(1, 0), lane by lane
        assertArrayEquals(new float[] {1 + 1, 0 + 2, 0 + 1, 6 + 6}, lanes(c.get(1, 0)));
        Matrix2DFloat4 t = c.duplicate();
        Matrix2DFloat4.transpose(t);
        assertArrayEquals(lanes(c.get(1, 0)), lanes(t.get(0, 1)));
        Matrix2DFloat4.scale(t, 2f);
        assertArrayEquals(new float[] {4, 4, 2, 24}, lanes(t.get(0, 1)));
        assertArrayEquals(new float[] {2, 2, 1, 12}, lanes(c.get(1, 0)), "a duplicate is a copy");
        Matrix3DFloat4 cube = new Matrix3DFloat4(1, 2, 3);
        cube.set(0, 1, 2, new Float4(1, 2, 3, 4));
        Matrix3DFloat4 copy = cube.duplicate();
        Matrix3DFloat4.scale(copy, -1f);
        assertArrayEquals(new float[] {-1, -2, -3, -4}, lanes(copy.get(0, 1, 2)));
        assertArrayEquals(new float[] {1, 2, 3, 4}, lanes(cube.get(0, 1, 2)));
    }

    @Test
    void rowsColumnsAndDiagonalsOfMatrices() {
        Matrix2DFloat f = new Matrix2DFloat(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new float[] {4, 5, 6}, f.row(1).getArray().toHeapArray());
        assertArrayEquals(new float[] {3, 6}, f.column(2).getArray().toHeapArray());
        assertArrayEquals(new float[] {1, 5}, f.diag().getArray().toHeapArray());
        f.row(0).set(0, 100f);
        assertEquals(1f, f.get(0, 0), "a row is a copy");
        VectorInt column = new Matrix2DInt(new int[][] {{1, 2}, {3, 4}, {5, 6}}).column(0);
        assertArrayEquals(new int[] {1, 3, 5}, column.getArray().toHeapArray());
        assertArrayEquals(new double[] {2, 4}, new Matrix2DDouble(new double[][] {{1, 2}, {3, 4}}).column(1).getArray().toHeapArray());
        var outside = assertThrows(IndexOutOfBoundsException.class, () -> f.row(2));
        assertEquals("row 2 is outside a Matrix2DFloat of 2 x 3", outside.getMessage());
    }

    @Test
    void fourByFourMatricesByRowColumnAndIndex() {
        Matrix4x4Float m = new Matrix4x4Float();
        m.identity();
        assertArrayEquals(new float[] {1, 1, 1, 1}, lanes(m.diag()));
        for (int k = 0; k < 16; k++) {
            m.set(k, k);
        }
        assertEquals(6f, m.get(1, 2));
        assertEquals(9f, m.get(9));
        assertArrayEquals(new float[] {8, 9, 10, 11}, lanes(m.row(2)));
        assertArrayEquals(new float[] {3, 7, 11, 15}, lanes(m.column(3)));
        assertArrayEquals(new float[] {0, 5, 10, 15}, lanes(m.diag()));
        assertEquals(4, m.getNumRows());
        assertEquals(4, m.getNumColumns());
        assertEquals(16, m.size());
        Matrix4x4Float copy = m.duplicate();
        copy.set(0, 0, -1f);
        assertEquals(0f, m.get(0));
        assertEquals("MatrixFloat <4 x 4>\n0.000 1.000 2.000 3.000\n4.000 5.000 6.000 7.000\n8.000 9.000 10.000 11.000\n"
                + "12.000 13.000 14.000 15.000", m.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> m.get(16));
        var size = assertThrows(IllegalArgumentException.class, () -> new Matrix4x4Float(new FloatArray(12)));
        assertEquals("Matrix4x4Float of 4 x 4 needs 16 elements; its array has 12", size.getMessage());
    }

    @Test
    void longAndShortMatricesWrapAsJavaDoes() {
        Matrix3DShort s = new Matrix3DShort(new short[][][] {{{30000, 2}}});
        Matrix3DShort.scale(s, (short) 2);
        assertEquals((short) 60000, s.get(0, 0, 0));
        assertEquals("Matrix3DShort <1 x 1 x 2>\n-5536 4", s.toString());
        Matrix3DLong l = new Matrix3DLong(1, 2, 1);
        l.set(0, 1, 0, Long.MAX_VALUE);
        Matrix3DLong.scale(l, 2L);
        assertEquals(-2L, l.get(0, 1, 0));
        assertEquals("Matrix3DLong <1 x 2 x 1>\n0 -2", l.toString());
    }

    @Test
    void badShapesOfVectorMatricesFailWithWhatWasExpected() {
        var size = assertThrows(IllegalArgumentException.class, () -> new Matrix2DFloat4(2, 3, new FloatArray(6)));
        assertEquals("Matrix2DFloat4 of 2 x 3 needs 24 array elements (4 a point); its array has 6", size.getMessage());
        var outside = assertThrows(IndexOutOfBoundsException.class, () -> new Matrix3DFloat4(2, 3, 4).get(0, 3, 0));
        assertEquals("index [0, 3, 0] is outside a Matrix3DFloat4 of 2 x 3 x 4", outside.getMessage());
        var copy = assertThrows(IllegalArgumentException.class, () -> new Matrix2DFloat4(2, 2).set(new Matrix2DFloat4(1, 4)));
        assertEquals("set needs a Matrix2DFloat4 of 2 x 2, not a Matrix2DFloat4 of 1 x 4", copy.getMessage());
    }

    @Test
    void volumeOpsReadsLaneXOfAVoxel() {
        VolumeShort2 v = new VolumeShort2(3, 2, 2);
        v.set(2, 1, 1, new Short2((short) -7, (short) 5));
        assertEquals(-7f, VolumeOps.vs(v, 2, 1, 1));
        assertEquals(-7f, VolumeOps.vs1(2, 1, 1, v));
        // a volume of one value interpolates to it everywhere, and its gradient is zero
        VolumeShort2 flat = new VolumeShort2(3, 2, 2);
        flat.fill((short) 1000);
        Float3 dim = new Float3(3, 2, 2);
        assertEquals(1000 * 0.00003051944088f, VolumeOps.interp(flat, dim, new Float3(1.2f, 0.7f, 1.9f)), 1e-7f);
        Float3 g = VolumeOps.grad(flat, dim, new Float3(1.2f, 0.7f, 1.9f));
        assertArrayEquals(new float[] {0, 0, 0}, new float[] {g.getX(), g.getY(), g.getZ()});
    }
}
