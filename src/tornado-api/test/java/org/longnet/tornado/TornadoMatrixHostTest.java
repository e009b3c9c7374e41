package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DDouble;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DFloat;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DInt;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DFloat;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The host side of TornadoVM's matrices: layout, constructors, copies, products, printing and the errors of bad shapes. */
class TornadoMatrixHostTest {
    @Test
    void elementsLieRowByRowInTheirArray() {
        FloatArray storage = FloatArray.fromElements(1, 2, 3, 4, 5, 6);
        Matrix2DFloat m = new Matrix2DFloat(2, 3, storage);
        assertEquals(6f, m.get(1, 2));
        m.set(1, 0, 40f);
        assertEquals(40f, storage.get(3), "a matrix is a view of its array, not a copy");
        assertEquals(2, m.getNumRows());
        assertEquals(3, m.getNumColumns());
        assertEquals(6, m.size());
        assertEquals(24, m.getNumBytes());
        assertSame(storage.deviceArray(), m.deviceArray());
        assertArrayEquals(new int[] {2, 3}, m.extents());
        assertArrayEquals(new float[] {1, 2, 3, 40, 5, 6}, m.asBuffer().array());
    }

    @Test
    void threeDimensionalElementsLieRowThenColumnThenDepth() {
        float[][][] values = new float[2][3][4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    values[i][j][k] = 100 * i + 10 * j + k;
                }
            }
        }
        Matrix3DFloat m = new Matrix3DFloat(values);
        assertArrayEquals(new int[] {2, 3, 4}, m.extents());
        assertEquals(4, m.getNumDepth());
        assertEquals(123f, m.get(1, 2, 3));
        assertEquals(123f, m.asBuffer().get((1 * 3 + 2) * 4 + 3));
        Matrix3DFloat copy = m.duplicate();
        Matrix3DFloat.scale(copy, 2f);
        assertEquals(246f, copy.get(1, 2, 3));
        assertEquals(123f, m.get(1, 2, 3), "a duplicate is a copy");
    }

    @Test
    void heapArraysProductsAndTransposes() {
        Matrix2DFloat a = new Matrix2DFloat(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Matrix2DFloat b = new Matrix2DFloat(new float[][] {{1, 0, 2}, {0, 1, 3}});
        Matrix2DFloat c = new Matrix2DFloat(3, 3);
        c.multiply(a, b);
        assertArrayEquals(new float[] {1, 2, 8, 3, 4, 18, 5, 6, 28}, c.asBuffer().array());
        Matrix2DFloat.transpose(c);
        assertEquals(8f, c.get(2, 0));
        assertEquals(2f, c.get(1, 0));
        Matrix2DInt i = new Matrix2DInt(new int[][] {{1, 2}, {3, 4}});
        Matrix2DInt.scale(i, 3);
        assertEquals(12, i.get(1, 1));
        Matrix2DDouble d = new Matrix2DDouble(2, 2);
        d.fill(0.5);
        d.clear();
        assertEquals(0.0, d.get(1, 1));
        c.loadFromBuffer(FloatBuffer.wrap(new float[] {7, 8}));
        assertEquals(8f, c.get(0, 1));
    }

    @Test
    void printsItsShapeAndSmallMatricesTheirElements() {
        assertEquals("MatrixFloat <2 x 2>\n1.000 2.000\n3.000 4.500", new Matrix2DFloat(new float[][] {{1, 2}, {3, 4.5f}}).toString());
        assertEquals("MatrixInt <1 x 3>\n1 -2 3", new Matrix2DInt(new int[][] {{1, -2, 3}}).toString());
        assertEquals("MatrixFloat <16 x 2>", new Matrix2DFloat(16, 2).toString());
        assertEquals("1.5", new Matrix2DDouble(new double[][] {{1.5}}).toString("%.1f"));
        assertEquals("Matrix3DFloat <2 x 1 x 2>\n1.000 2.000\n3.000 4.000", new Matrix3DFloat(new float[][][] {{{1, 2}}, {{3, 4}}}).toString());
        assertEquals("Matrix3DFloat <1 x 1 x 16>", new Matrix3DFloat(1, 1, 16).toString());
    }

    @Test
    void badShapesFailWithWhatWasExpected() {
        var ragged = assertThrows(IllegalArgumentException.class, () -> new Matrix2DFloat(new float[][] {{1, 2}, {3}}));
        assertEquals("a matrix's rows must have one length; row 0 has 2, row 1 has 1", ragged.getMessage());
        var size = assertThrows(IllegalArgumentException.class, () -> new Matrix2DFloat(2, 3, new FloatArray(5)));
        assertEquals("Matrix2DFloat of 2 x 3 needs 6 elements; its array has 5", size.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> new Matrix3DFloat(2, -1, 3));
        assertEquals("Matrix3DFloat extents must be 0 or more, not 2 x -1 x 3", negative.getMessage());
        var outside = assertThrows(IndexOutOfBoundsException.class, () -> new Matrix2DInt(2, 3).get(0, 3));
        assertEquals("index [0, 3] is outside a Matrix2DInt of 2 x 3", outside.getMessage());
        var product = assertThrows(IllegalArgumentException.class, () -> new Matrix2DFloat(2, 2).multiply(new Matrix2DFloat(2, 3),
                new Matrix2DFloat(2, 2)));
        assertTrue(product.getMessage().startsWith("multiply: 2 x 3 times 2 x 2"), product.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Matrix2DFloat.transpose(new Matrix2DFloat(2, 3)));
        var copy = assertThrows(IllegalArgumentException.class, () -> new Matrix2DFloat(2, 2).set(new Matrix2DFloat(1, 4)));
        assertEquals("set needs a Matrix2DFloat of 2 x 2, not a Matrix2DFloat of 1 x 4", copy.getMessage());
    }
}
