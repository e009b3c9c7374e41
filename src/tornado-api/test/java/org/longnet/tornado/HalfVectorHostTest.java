package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf3;
import uk.ac.manchester.tornado.api.types.vectors.Half2;
import uk.ac.manchester.tornado.api.types.vectors.Half3;
import uk.ac.manchester.tornado.api.types.vectors.Half4;
import uk.ac.manchester.tornado.api.types.vectors.Half8;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TornadoVM's fp16 vectors and their collections on the host: lanes as bits, each operation rounded, TornadoVM's dot order. */
class HalfVectorHostTest {
    private static HalfFloat half(float x) {
        return new HalfFloat(x);
    }

    @Test
    void lanesAreTheValuesBits() {
        Half4 v = new Half4(half(1.5f), half(-2f), half(65504f), half(1e-7f));
        assertArrayEquals(new short[] {Float.floatToFloat16(1.5f), Float.floatToFloat16(-2f), Float.floatToFloat16(65504f),
                Float.floatToFloat16(1e-7f)}, v.getArray());
        assertEquals(-2f, v.getS1().getFloat32());
        v.setW(half(3f));
        assertEquals(3f, v.get(3).getFloat32());
        Half4 copy = v.duplicate();
        assertNotSame(v.getArray(), copy.getArray());
        assertArrayEquals(v.getArray(), copy.getArray());
        assertEquals(8, v.getNumBytes());
        assertEquals("{1.500,-2.000,65504.000,3.000}", v.toString());
        assertEquals(-2f, v.getLow().getY().getFloat32());
        assertEquals(3f, new Half8(half(0), half(0), half(0), half(0), half(0), half(0), half(0), half(3f)).getHigh().getW().getFloat32());
        assertEquals(-2f, new Half3(half(1.5f), half(-2f), half(7f)).aHalf2().getY().getFloat32());
    }

    @Test
    void operationsRoundEachLaneAndDotAddsPairwise() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 1000; trial++) {
            float[] x = new float[3], y = new float[3];
            for (int l = 0; l < 3; l++) {
                x[l] = half((float) r.nextDouble(-100, 100)).getFloat32();
                y[l] = half((float) r.nextDouble(-100, 100)).getFloat32();
            }
            Half3 a = new Half3(half(x[0]), half(x[1]), half(x[2])), b = new Half3(half(y[0]), half(y[1]), half(y[2]));
            for (int l = 0; l < 3; l++) {
                assertEquals(half(x[l] / y[l]).getHalfFloatValue(), Half3.div(a, b).get(l).getHalfFloatValue());
                assertEquals(half(x[l] - y[2]).getHalfFloatValue(), Half3.sub(a, b.getZ()).get(l).getHalfFloatValue());
            }
            float p0 = half(x[0] * y[0]).getFloat32(), p1 = half(x[1] * y[1]).getFloat32(), p2 = half(x[2] * y[2]).getFloat32();
            assertEquals(half(half(p0 + p1).getFloat32() + p2).getHalfFloatValue(), Half3.dot(a, b).getHalfFloatValue(), "trial " + trial);
        }
        Half2 c = new Half2();
        Half2.mult(Half2.fromFloats(3f, 0.1f), Half2.fromFloats(2f, 10f), c);
        assertEquals(6f, Half2.lowFloat(c));
        assertEquals(half(half(0.1f).getFloat32() * 10f).getFloat32(), Half2.highFloat(c));
    }

    @Test
    void collectionsHoldVectorsLaneAfterLane() {
        HalfFloatArray lanes = new HalfFloatArray(6);
        VectorHalf3 v = new VectorHalf3(lanes);
        v.set(1, new Half3(half(1f), half(2f), half(3f)));
        assertEquals(2f, lanes.get(4).getFloat32());
        assertEquals(2, v.getLength());
        assertEquals(6, v.size());
        assertEquals(3f, v.sum().get(2).getFloat32());
        VectorHalf a = new VectorHalf(3), b = new VectorHalf(3);
        a.fill(half(0.1f));
        b.fill(half(3f));
        float step = half(half(0.1f).getFloat32() * 3f).getFloat32(), sum = 0f;
        for (int i = 0; i < 3; i++) {
            sum = half(sum + step).getFloat32();
        }
        assertEquals(sum, VectorHalf.dot(a, b).getFloat32());
        assertTrue(a.isEqual(a.duplicate()));
        Exception e = assertThrows(IndexOutOfBoundsException.class, () -> lanes.getHalf2(5));
        assertEquals("HalfFloatArray.getHalf2 index 5: elements 5 and 6 must be within [0, 6)", e.getMessage());
    }
}
