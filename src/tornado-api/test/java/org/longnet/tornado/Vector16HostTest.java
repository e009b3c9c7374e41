package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.collections.VectorDouble16;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;
import uk.ac.manchester.tornado.api.types.collections.VectorInt16;
import uk.ac.manchester.tornado.api.types.vectors.Double16;
import uk.ac.manchester.tornado.api.types.vectors.Double2;
import uk.ac.manchester.tornado.api.types.vectors.Float16;
import uk.ac.manchester.tornado.api.types.vectors.Float2;
import uk.ac.manchester.tornado.api.types.vectors.Float8;
import uk.ac.manchester.tornado.api.types.vectors.Int16;
import uk.ac.manchester.tornado.api.types.vectors.Int2;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** The 16-lane vectors and collections, the float-with-int and third-vector operations, and TornadoMath's double forms, on the host. */
class Vector16HostTest {
    private static Float16 random16(SplittableRandom r) {
        Float16 v = new Float16();
        for (int l = 0; l < 16; l++) {
            v.set(l, (float) r.nextDouble(-10, 10));
        }
        return v;
    }

    @Test
    void sixteenLanesByNameAndIndex() {
        Float16 v = new Float16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        v.setS15(-1f);
        assertEquals(14f, v.getS14());
        assertEquals(1f, v.getS1());
        assertEquals(-1f, v.get(15));
        assertEquals(16, v.size());
        Float8 high = v.getHigh();
        assertEquals(8f, high.getS0());
        assertEquals(-1f, high.getS7());
        Int16 n = new Int16();
        n.fill(3);
        assertEquals(48, Int16.sum(n));
        Double16 d = new Double16();
        d.setS9(2.5);
        assertEquals(6.25, Double16.dot(d, d));
    }

    @Test
    void floatsWithIntsConvertTheIntLanesAsJava() {
        SplittableRandom r = new SplittableRandom(1);
        Float16 a = random16(r);
        Int16 k = new Int16();
        for (int l = 0; l < 16; l++) {
            k.set(l, r.nextInt(-100_000_000, 100_000_000));
        }
        Float16 product = Float16.mult(a, k), quotient = Float16.div(k, a), min = Float16.min(k, a);
        for (int l = 0; l < 16; l++) {
            assertEquals(a.get(l) * k.get(l), product.get(l));
            assertEquals(k.get(l) / a.get(l), quotient.get(l));
            assertEquals(Math.min(k.get(l), a.get(l)), min.get(l));
        }
        Float2 f = new Float2(0.5f, 2f);
        Float2 sum = Float2.add(new Int2(1, 2), f);
        assertEquals(1.5f, sum.getX());
        assertEquals(4f, sum.getY());
    }

    @Test
    void float2AndDouble2WriteAThirdVectorAndClampInPlace() {
        Float2 a = new Float2(1f, -3f), b = new Float2(2f, 0.5f), c = new Float2();
        Float2.mult(a, b, c);
        assertEquals(2f, c.getX());
        assertEquals(-1.5f, c.getY());
        Float2.max(a, b, c);
        assertEquals(2f, c.getX());
        assertEquals(0.5f, c.getY());
        Float2.clamp(a, -1f, 0.5f);
        assertEquals(0.5f, a.getX());
        assertEquals(-1f, a.getY());
        Double2 x = new Double2(4, 9), y = new Double2(1, 3), z = new Double2();
        Double2.div(x, y, z);
        assertEquals(4.0, z.getX());
        assertEquals(3.0, z.getY());
    }

    @Test
    void collectionsOfSixteenLanes() {
        VectorFloat16 v = new VectorFloat16(3);
        Float16 one = random16(new SplittableRandom(2));
        v.set(1, one);
        assertEquals(3, v.getLength());
        assertEquals(48, v.size());
        assertEquals(16, v.vectorWidth());
        Float16 back = v.get(1);
        assertNotSame(one, back);
        for (int l = 0; l < 16; l++) {
            assertEquals(one.get(l), back.get(l));
            assertEquals(0f, v.get(2).get(l));
        }
        VectorInt16 ints = new VectorInt16(2);
        ints.fill(7);
        assertEquals(14, ints.sum().getS12());
        VectorDouble16 doubles = new VectorDouble16(1);
        doubles.fill(0.25);
        assertEquals(0.25, doubles.max().getS3());
    }

    @Test
    void tornadoMathOnDoubles() {
        assertEquals(Math.PI, TornadoMath.PI());
        assertEquals((float) Math.PI, TornadoMath.floatPI());
        assertEquals(-1.0, TornadoMath.cospi(1.0), 1e-15);
        assertEquals(1.0, TornadoMath.sinpi(0.5), 1e-15);
        assertEquals(-1.0, TornadoMath.signum(-3.5));
        assertEquals(0.25, TornadoMath.fract(-1.75));
        assertEquals(3.0, TornadoMath.log2(8.0), 1e-15);
        assertEquals(Math.PI, TornadoMath.toRadians(180.0));
        assertEquals(10L, TornadoMath.clamp(12L, -10L, 10L));
    }
}
