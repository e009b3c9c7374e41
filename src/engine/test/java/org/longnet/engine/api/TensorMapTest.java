package org.longnet.engine.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** A 4D map gathers rows that lie apart: its dimensions need not nest, and a 2D map is one with outer sizes of 1. */
    @Test
    void fourDimensionsOfEachElementType() {
        TensorMap m = TensorMap.of(new BFloat16Array(2 * 42 * 3 * 8 + 16), 16, new long[] {8, 9, 14, 2}, new long[] {8, 72, 1008},
                new int[] {8, 1, 6, 1});
        assertEquals(4, m.rank());
        assertEquals(8 * 6 * 2, m.boxBytes());
        assertEquals(72, m.stride(2));
        assertEquals("TensorMap[8 x 9 x 14 x 2 (innermost first) of BFloat16Array from 16, strides 8, 72, 1008, box 8 x 1 x 6 x 1]", m.toString());
        TensorMap flat = TensorMap.of(new FloatArray(64 * 64), 0, 64, 64, 64, 8, 8);
        assertEquals(2, flat.rank());
        assertEquals(1, flat.size(3));
        assertEquals(1, flat.box(2));
        assertEquals(8 * 8 * 4, flat.boxBytes());
        assertEquals(1, flat.size(4));
        // Segments of 14 rows at dilation 4: (d, o * 3 + head, m, s, b); m = 3 of offset 3 is row 15 of a 14-row segment, so
        // the last segment's reaches 2 rows (48 elements) past the data, which needs padding.
        long[] sizes = {8, 12, 4, 3, 2}, strides = {8, 96, 336, 1008};
        int[] box = {8, 1, 6, 1, 1};
        assertEquals("TensorMap sizes: [8, 12, 4, 3, 2] of strides [8, 96, 336, 1008] from offset 0 end at element 2064; allowed: within the"
                + " array's 2016 elements", refusal(() -> TensorMap.of(new FloatArray(2 * 42 * 3 * 8), 0, sizes, strides, box)));
        TensorMap five = TensorMap.of(new FloatArray(2 * 42 * 3 * 8 + 48), 0, sizes, strides, box);
        assertEquals(5, five.rank());
        assertEquals(336, five.stride(3));
        assertEquals("TensorMap[8 x 12 x 4 x 3 x 2 (innermost first) of FloatArray from 0, strides 8, 96, 336, 1008, box 8 x 1 x 6 x 1 x 1]",
                five.toString());
    }

    @Test
    void refusesBadFourDimensionalMapsNamingTheParameter() {
        FloatArray a = new FloatArray(4096);
        long[] sizes = {8, 4, 8, 2};
        long[] strides = {8, 32, 256};
        int[] box = {8, 1, 4, 1};
        TensorMap.of(a, 0, sizes, strides, box);
        assertEquals("TensorMap dimensions: 3 sizes, 3 strides, 4 box sides; allowed: 4 or 5 sizes, as many box sides and one stride fewer"
                + " (a region of fewer dimensions has outer sizes of 1)",
                refusal(() -> TensorMap.of(a, 0, new long[] {8, 4, 8}, strides, box)));
        assertEquals("TensorMap strides[1]: 30 elements of 4 bytes; allowed: a stride a multiple of 16 bytes (4 elements)",
                refusal(() -> TensorMap.of(a, 0, sizes, new long[] {8, 30, 256}, box)));
        assertEquals("TensorMap strides[0]: 4; allowed: at least sizes[0] (8), under 2^40 bytes",
                refusal(() -> TensorMap.of(a, 0, sizes, new long[] {4, 32, 256}, box)));
        assertEquals("TensorMap box[2]: 300; allowed: 1 to 256", refusal(() -> TensorMap.of(a, 0, sizes, strides, new int[] {8, 1, 300, 1})));
        assertEquals("TensorMap box[0]: 2 elements of 4 bytes; allowed: a box row a multiple of 16 bytes (4 elements)",
                refusal(() -> TensorMap.of(a, 0, sizes, strides, new int[] {2, 1, 4, 1})));
        assertEquals("TensorMap sizes[3]: 0; allowed: 1 to 2^32", refusal(() -> TensorMap.of(a, 0, new long[] {8, 4, 8, 0}, strides, box)));
        assertEquals("TensorMap sizes: [8, 4, 8, 2] of strides [8, 32, 4000] from offset 0 end at element 4256; allowed: within the array's "
                + "4096 elements", refusal(() -> TensorMap.of(a, 0, sizes, new long[] {8, 32, 4000}, box)));
    }

    /**
     * A 128-byte swizzle moves chunk c of row r (16 bytes of a 128-byte row) to chunk c ^ (r % 8); 64 and 32 bytes flip the
     * chunk index by the 128-byte line's low two bits and one bit. Within 8 swizzle spans every byte lands once, and
     * the permutation undoes itself.
     */
    @Test
    void swizzlePermutesChunksWithinEachLineGroup() {
        TensorMap bf16 = TensorMap.of(new BFloat16Array(64 * 64), 64, 64, 8, 64).withSwizzle(128);
        assertEquals(128, bf16.swizzle());
        assertEquals(1024, bf16.tileAlignment());
        assertEquals(0, bf16.tileByte(0));
        assertEquals(15, bf16.tileByte(15));
        assertEquals(128 + 16, bf16.tileByte(128), "row 1, chunk 0 -> chunk 1");
        assertEquals(7 * 128 + 16 * (3 ^ 7) + 5, bf16.tileByte(7 * 128 + 3 * 16 + 5), "row 7, chunk 3, byte 5");
        assertEquals(8 * 128 + 32, bf16.tileByte(8 * 128 + 32), "row 8 starts the pattern again");
        TensorMap fp32 = TensorMap.of(new FloatArray(64 * 64), 64, 64, 8, 16).withSwizzle(64);
        assertEquals(512, fp32.tileAlignment());
        assertEquals(128 + 16 * (1 ^ 1), fp32.tileByte(128 + 16), "line 1 flips chunk bit 0");
        assertEquals(3 * 128 + 16 * (2 ^ 3), fp32.tileByte(3 * 128 + 32), "line 3 flips chunk bits 0 and 1");
        assertEquals(4 * 128 + 32, fp32.tileByte(4 * 128 + 32), "line 4 flips nothing (period 4 lines)");
        for (int span : new int[] {32, 64, 128}) {
            TensorMap m = TensorMap.of(new FloatArray(64 * 64), 64, 64, 8, span / 4).withSwizzle(span);
            boolean[] seen = new boolean[8 * span];
            for (int b = 0; b < seen.length; b++) {
                int t = m.tileByte(b);
                assertTrue(t >= 0 && t < seen.length && !seen[t], span + "-byte swizzle: byte " + b + " lands on " + t + " twice or outside");
                seen[t] = true;
                assertEquals(b, m.tileByte(t), span + "-byte swizzle undoes itself at " + b);
            }
        }
        assertEquals("TensorMap[64 x 64 of BFloat16Array from 0, stride 64, box 8 x 64, swizzled over 128 bytes]", bf16.toString());
        assertEquals(0, bf16.withSwizzle(0).swizzle());
    }

    @Test
    void refusesASwizzleThatIsNotTheBoxRow() {
        TensorMap m = TensorMap.of(new BFloat16Array(64 * 64), 64, 64, 8, 32);
        assertEquals("TensorMap swizzle: 96 bytes; allowed: [0, 32, 64, 128]", refusal(() -> m.withSwizzle(96)));
        assertEquals("TensorMap swizzle: a box row of 32 elements (64 bytes) under a 128-byte swizzle; allowed: a box row of exactly 128 bytes "
                + "(64 elements)", refusal(() -> m.withSwizzle(128)));
        assertEquals(64, m.withSwizzle(64).swizzle());
    }

    /** A box of 64 bf16 columns under a 128-byte swizzle lands exactly in the layout WarpgroupMma.issueSwizzled reads. */
    @Test
    void aSwizzledBf16BoxLandsInTheWarpgroupSwizzledLayout() {
        TensorMap m = TensorMap.of(new BFloat16Array(64 * 64), 64, 64, 64, 64).withSwizzle(128);
        for (int row = 0; row < 64; row++) {
            for (int pair = 0; pair < 32; pair++) {
                assertEquals(m.tileByte(row * 128 + pair * 4) / 4, WarpgroupMma.swizzledIndex(row, pair), "row " + row + ", pair " + pair);
            }
        }
        assertEquals("WarpgroupMma.issueSwizzled aRow, bRow: 4, 0; allowed: multiples of 8 (a swizzle period)", assertThrows(IllegalArgumentException.class,
                () -> WarpgroupMma.issueSwizzled(new KernelContext(), new int[64 * 32], 4, new int[64 * 32], 0, 64, new float[32], false)).getMessage());
        assertEquals("WarpgroupMma.issueRegistersSwizzled bRow: 12; allowed: a multiple of 8 (a swizzle period)", assertThrows(IllegalArgumentException.class,
                () -> WarpgroupMma.issueRegistersSwizzled(new KernelContext(), new int[128 * 8], new int[8], new int[64 * 32], 12, new float[32]))
                .getMessage());
        assertEquals("WarpgroupMma.issueTransposedSwizzled bRow: 4; allowed: a multiple of 8 (a swizzle period)", assertThrows(IllegalArgumentException.class,
                () -> WarpgroupMma.issueTransposedSwizzled(new KernelContext(), new int[64 * 32], 0, new int[128 * 32], 4, 0, 32, new float[16], false))
                .getMessage());
        assertEquals("WarpgroupMma.issueTransposedSwizzled: bChannel must be a multiple of 8 with bChannel + n <= 64, was 40 (n 32)",
                assertThrows(IllegalArgumentException.class, () -> WarpgroupMma.issueTransposedSwizzled(new KernelContext(), new int[64 * 32], 0,
                        new int[64 * 32], 0, 40, 32, new float[16], false)).getMessage());
        assertEquals("WarpgroupMma.issueTransposedSwizzled: aRow must be a multiple of 8, was 4", assertThrows(IllegalArgumentException.class,
                () -> WarpgroupMma.issueTransposedSwizzled(new KernelContext(), new int[128 * 32], 4, new int[64 * 32], 0, 0, 32, new float[16], false))
                .getMessage());
    }
}
