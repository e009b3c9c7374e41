package org.longnet.engine.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** TensorMap refuses, in one line naming the parameter, its value and what is allowed, every map that TMA would refuse. */
class TensorMapTest {
    private static String refusal(Runnable make) {
        return assertThrows(IllegalArgumentException.class, make::run).getMessage();
    }

    @Test
    void acceptsAlignedMapsOfEachElementType() {
        TensorMap f = TensorMap.of(new FloatArray(101 * 52), 4, 100, 50, 52, 16, 32);
        assertEquals(16 * 32 * 4, f.boxBytes());
        assertEquals(2, TensorMap.of(new BFloat16Array(64 * 64), 64, 64, 256, 8).elementBytes());
        assertEquals(8 * 16 * 2, TensorMap.of(new HalfFloatArray(11 * 24), 8, 10, 17, 24, 8, 16).boxBytes());
    }

    @Test
    void refusesBadShapesNamingTheParameter() {
        FloatArray a = new FloatArray(100 * 64);
        assertEquals("TensorMap rowStride: 50 elements of 4 bytes; allowed: a row stride a multiple of 16 bytes (4 elements)",
                refusal(() -> TensorMap.of(a, 0, 100, 50, 50, 16, 32)));
        assertEquals("TensorMap boxRows: 257; allowed: 1 to 256", refusal(() -> TensorMap.of(a, 0, 100, 64, 64, 257, 32)));
        assertEquals("TensorMap boxColumns: 0; allowed: 1 to 256", refusal(() -> TensorMap.of(a, 0, 100, 64, 64, 8, 0)));
        assertEquals("TensorMap boxColumns: 6 elements of 4 bytes; allowed: a box row a multiple of 16 bytes (4 elements)",
                refusal(() -> TensorMap.of(a, 0, 100, 64, 64, 8, 6)));
        assertEquals("TensorMap offset: 2 elements of 4 bytes; allowed: the region's start a multiple of 16 bytes (4 elements)",
                refusal(() -> TensorMap.of(a, 2, 10, 64, 64, 8, 8)));
        assertEquals("TensorMap rows: 0; allowed: 1 to 2^32", refusal(() -> TensorMap.of(a, 0, 0, 64, 64, 8, 8)));
        assertEquals("TensorMap rowStride: 60; allowed: at least columns (64), under 2^40 bytes", refusal(() -> TensorMap.of(a, 0, 10, 64, 60, 8, 8)));
        assertEquals("TensorMap rows: 101 rows of stride 64 from offset 0 end at element 6464; allowed: within the array's 6400 elements",
                refusal(() -> TensorMap.of(a, 0, 101, 64, 64, 8, 8)));
        assertEquals("TensorMap array: IntArray; allowed: FloatArray, BFloat16Array, HalfFloatArray",
                refusal(() -> TensorMap.of(new IntArray(64), 8, 8, 8, 8)));
        assertEquals("TensorMap boxColumns: 4 elements of 2 bytes; allowed: a box row a multiple of 16 bytes (8 elements)",
                refusal(() -> TensorMap.of(new BFloat16Array(64), 8, 8, 8, 4)));
    }
}
