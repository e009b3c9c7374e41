package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TornadoVM's fp16 host API: ByteArray's typed access, HalfFloat's text, and TornadoMath's byte, short and HalfFloat functions. */
class TornadoHalfFloatHostTest {
    @Test
    void byteArrayHoldsHalfFloatsAtEvenOffsets() {
        SplittableRandom r = new SplittableRandom(3);
        ByteArray bytes = new ByteArray(64);
        short[] want = new short[32];
        for (int k = 0; k < 32; k++) {
            want[k] = (short) r.nextInt(1 << 16);
            bytes.setHalfFloat(2 * k, new HalfFloat(want[k]));
        }
        for (int k = 0; k < 32; k++) {
            assertEquals(want[k], bytes.getHalfFloat(2 * k).getHalfFloatValue(), "fp16 at byte " + 2 * k);
            // the same 16 bits as two bytes, in the platform's (little-endian) order
            assertEquals(want[k], (short) (bytes.get(2 * k) & 0xFF | bytes.get(2 * k + 1) << 8), "bytes at " + 2 * k);
        }
    }

    @Test
    void misalignedOrOutsideOffsetsAreRefusedWithTheValue() {
        ByteArray bytes = new ByteArray(10);
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> bytes.setHalfFloat(3, new HalfFloat(1f)));
        assertTrue(odd.getMessage().contains("byteIndex must be even") && odd.getMessage().endsWith("was 3"), odd.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bytes.getHalfFloat(1));
        assertThrows(IllegalArgumentException.class, () -> bytes.getHalfFloat(10));
        assertThrows(IllegalArgumentException.class, () -> bytes.getHalfFloat(-2));
    }

    @Test
    void halfFloatPrintsAsTornadoVM() {
        assertEquals("HalfFloat: 1.5000", new HalfFloat(1.5f).toString().replace(',', '.'));
    }

    @Test
    void narrowMathNarrowsAndHalfFloatsOrderByBits() {
        assertEquals((byte) -128, TornadoMath.abs((byte) -128));
        assertEquals((short) 7, TornadoMath.max((short) -9, (short) 7));
        assertEquals((byte) -9, TornadoMath.min((byte) -9, (byte) 7));
        HalfFloat one = new HalfFloat(1f), two = new HalfFloat(2f), minusOne = new HalfFloat(-1f), minusTwo = new HalfFloat(-2f);
        assertEquals(2f, TornadoMath.max(one, two).getFloat32());
        assertEquals(1f, TornadoMath.min(one, two).getFloat32());
        // TornadoVM compares the bits as signed shorts: between negatives the order turns around
        assertEquals(-2f, TornadoMath.max(minusOne, minusTwo).getFloat32());
        assertEquals(-1f, TornadoMath.min(minusOne, minusTwo).getFloat32());
    }
}
