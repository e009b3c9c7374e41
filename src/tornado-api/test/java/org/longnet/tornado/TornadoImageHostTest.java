package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.images.ImageByte4;
import uk.ac.manchester.tornado.api.types.images.ImageFloat;
import uk.ac.manchester.tornado.api.types.images.ImageFloat3;
import uk.ac.manchester.tornado.api.types.vectors.Byte3;
import uk.ac.manchester.tornado.api.types.vectors.Byte4;
import uk.ac.manchester.tornado.api.types.vectors.Float3;
import uk.ac.manchester.tornado.api.types.vectors.Short2;
import uk.ac.manchester.tornado.api.types.vectors.Short3;
import uk.ac.manchester.tornado.api.types.volumes.VolumeShort2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TornadoVM's images, volumes and byte and short vectors on the host: layout, copies, statistics and the messages of misuse. */
class TornadoImageHostTest {

    @Test
    void pixelsLieRowByRowXFastest() {
        ImageFloat image = new ImageFloat(3, 2);
        image.set(2, 1, 5f);
        image.set(1, 0, 7f);
        assertArrayEquals(new float[] {0, 7, 0, 0, 0, 5}, image.getArray().toHeapArray());
        assertEquals(5f, image.get(5));
        assertEquals(3, image.X());
        assertEquals(2, image.Y());
        assertArrayEquals(new int[] {2, 3}, image.extents(), "kernels receive rows (Y), then columns (X)");
        ImageFloat3 vectors = new ImageFloat3(2, 2);
        vectors.set(1, 1, new Float3(1, 2, 3));
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3}, vectors.getArray().toHeapArray());
        assertEquals(12, vectors.size());
    }

    @Test
    void voxelsLieXFastestThenYThenZ() {
        VolumeShort2 volume = new VolumeShort2(2, 3, 4);
        volume.set(1, 2, 3, new Short2((short) 8, (short) 9));
        int at = 2 * (1 + (2 + 3 * 3) * 2);
        assertEquals(8, volume.getArray().get(at));
        assertEquals(9, volume.getArray().get(at + 1));
        assertArrayEquals(new int[] {4, 3, 2}, volume.extents());
        assertEquals(4, volume.Z());
    }

    @Test
    void copiesAreIndependentAndSetNeedsTheSameShape() {
        ImageFloat a = new ImageFloat(4, 3);
        a.fill(2f);
        ImageFloat b = a.duplicate();
        b.set(0, 0, 9f);
        assertEquals(2f, a.get(0, 0));
        assertNotSame(a.getArray(), b.getArray());
        a.set(b);
        assertEquals(9f, a.get(0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.set(new ImageFloat(3, 4)));
        assertEquals("set needs a ImageFloat of 4 x 3, not a ImageFloat of 3 x 4", e.getMessage());
    }

    @Test
    void misuseIsNamed() {
        assertEquals("point [4, 0] is outside a ImageFloat of 4 x 3",
                assertThrows(IndexOutOfBoundsException.class, () -> new ImageFloat(4, 3).get(4, 0)).getMessage());
        assertEquals("ImageFloat3 of 2 x 2 needs 12 array elements (3 a point); its array has 11",
                assertThrows(IllegalArgumentException.class, () -> new ImageFloat3(2, 2, new FloatArray(11))).getMessage());
        assertEquals("ImageByte4 sizes must be 0 or more, not -1 x 2",
                assertThrows(IllegalArgumentException.class, () -> new ImageByte4(-1, 2)).getMessage());
    }

    @Test
    void statisticsAndPrinting() {
        ImageFloat image = new ImageFloat(new float[][] {{1, 2}, {3, 6}});
        assertEquals(2f, image.get(0, 1), "matrix[x][y] is pixel (x, y)");
        assertEquals(3f, image.mean());
        assertEquals(1f, image.min());
        assertEquals(6f, image.max());
        assertEquals((float) Math.sqrt((4 + 1 + 0 + 9) / 4.0), image.stdDev(), 1e-6);
        assertEquals("ImageFloat <2 x 2>\n1.000 3.000\n2.000 6.000", image.toString());
        ImageByte4 bytes = new ImageByte4(1, 1);
        bytes.set(0, 0, new Byte4((byte) 1, (byte) -2, (byte) 3, (byte) 4));
        assertEquals("ImageByte4 <1 x 1>\n{1,-2,3,4}", bytes.toString());
        assertTrue(new ImageFloat(16, 1).toString().equals("ImageFloat <16 x 1>"));
    }

    @Test
    void byteAndShortVectorsWrapAsJavaDoes() {
        Byte3 a = new Byte3((byte) 120, (byte) -128, (byte) 5);
        assertEquals("{-126,127,10}", Byte3.add(a, new Byte3((byte) 10, (byte) -1, (byte) 5)).toString());
        assertEquals("{104,-128,15}", Byte3.mult(a, (byte) 3).toString());
        assertEquals(-128, Byte3.min(a));
        assertEquals(120, Byte3.max(a));
        Short3 s = new Short3((short) 32767, (short) 2, (short) -3);
        assertEquals("{-32768,3,-2}", Short3.add(s, (short) 1).toString());
        assertEquals("{2,2,-3}", Short3.clamp(s, (short) -5, (short) 2).toString());
        assertEquals(0, new Short2().getY());
    }
}
