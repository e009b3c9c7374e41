package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.types.vectors.Float2;
import uk.ac.manchester.tornado.api.types.vectors.Float3;
import uk.ac.manchester.tornado.api.types.vectors.Float4;
import uk.ac.manchester.tornado.api.types.vectors.Float8;
import uk.ac.manchester.tornado.api.types.vectors.Int2;
import uk.ac.manchester.tornado.api.types.vectors.Int3;
import uk.ac.manchester.tornado.api.types.vectors.Int4;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TornadoVM's vector types on the host, as a TornadoVM program uses them: lanes by name, lane-wise and whole-vector operations. */
class TornadoVectorsTest {
    @Test
    void float4LanesAndOperations() {
        Float4 a = new Float4(1f, 2f, 3f, 4f);
        Float4 b = new Float4(4f, 3f, 2f, 1f);
        Float4 sum = Float4.add(a, b);
        assertArrayEquals(new float[] {5f, 5f, 5f, 5f}, sum.toArray());
        assertArrayEquals(new float[] {4f, 6f, 6f, 4f}, Float4.mult(a, b).getArray());
        assertArrayEquals(new float[] {-3f, -1f, 1f, 3f}, Float4.sub(a, b).toArray());
        assertArrayEquals(new float[] {2f, 4f, 6f, 8f}, Float4.mult(a, 2f).toArray());
        assertArrayEquals(new float[] {1f, 2f, 2f, 1f}, Float4.min(a, b).toArray());
        assertArrayEquals(new float[] {2f, 2f, 3f, 3f}, Float4.clamp(a, 2f, 3f).toArray());
        assertEquals(20f, Float4.dot(a, b));
        assertEquals(10f, Float4.sum(a));
        assertEquals(1f, Float4.min(a));
        assertEquals(4f, Float4.max(a));
        assertEquals((float) Math.sqrt(30), Float4.length(a), 1e-6f);
        assertEquals(1f, Float4.length(Float4.normalise(a)), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 0.25f, 0f, 0.75f}, Float4.fract(new Float4(1.5f, -0.75f, 2f, 3.75f)).toArray());
        assertEquals(3f, a.getZ());
        a.setW(9f);
        assertEquals(9f, a.get(3));
        assertEquals(4, a.size());
        assertEquals(16, a.getNumBytes());
        Float4 copy = a.duplicate();
        assertNotSame(a, copy);
        assertTrue(Float4.isEqual(a, copy));
        copy.setX(0f);
        assertFalse(Float4.isEqual(a, copy));
        assertEquals(new Float2(3f, 9f).toString(), a.getHigh().toString());
        assertArrayEquals(new float[] {1f, 2f, 3f}, a.asFloat3().toArray());
        assertEquals("{1.0,2.0,3.0,9.0}", a.toString());
        assertEquals("1.0 2.0 3.0 9.0", a.toString("%.1f %.1f %.1f %.1f"));
    }

    @Test
    void otherFloatWidths() {
        Float3 x = new Float3(1f, 0f, 0f);
        Float3 y = new Float3(0f, 1f, 0f);
        assertArrayEquals(new float[] {0f, 0f, 1f}, Float3.cross(x, y).toArray());
        Float2 p = Float2.add(new Float2(1f, 2f), 0.5f);
        assertEquals(2.5f, p.getY());
        Float8 e = new Float8(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        assertEquals(7f, e.getS7());
        assertArrayEquals(new float[] {4f, 5f, 6f, 7f}, e.getHigh().toArray());
        assertEquals(140f, Float8.dot(e, e));
        e.fill(2f);
        assertEquals(16f, Float8.sum(e));
        Float4 loaded = new Float4();
        loaded.loadFromBuffer(FloatBuffer.wrap(new float[] {5f, 6f, 7f, 8f}));
        assertEquals(6f, loaded.getY());
        loaded.set(new Float4(1f, 1f, 1f, 1f));
        assertEquals(1f, loaded.getY());
    }

    @Test
    void intVectors() {
        Int4 a = new Int4(1, -2, 3, 7);
        assertArrayEquals(new int[] {2, -4, 6, 14}, Int4.mult(a, 2).toArray());
        assertArrayEquals(new int[] {0, -1, 1, 3}, Int4.div(a, 2).toArray());
        assertEquals(9, Int4.sum(a));
        assertEquals(-2, Int4.min(a));
        assertEquals(63, Int4.dot(a, a));
        Int3 b = Int3.max(new Int3(1, 5, 3), new Int3(4, 2, 6));
        assertArrayEquals(new int[] {4, 5, 6}, b.toArray());
        Int2 c = a.getLow();
        assertEquals(-2, c.getY());
        assertEquals(8, c.getNumBytes());
        assertEquals("{1,-2}", c.toString());
    }
}
