package org.longnet.engine.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.graph.WorkerGrid;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.engine.conformance.ConformanceRuns.graph;
import static org.longnet.engine.conformance.ConformanceRuns.run;
import static org.longnet.engine.conformance.TypedElements.decode;
import static org.longnet.engine.conformance.TypedElements.encode;
import static org.longnet.engine.conformance.TypedElements.get;
import static org.longnet.engine.conformance.TypedElements.rounded;
import static org.longnet.engine.conformance.TypedElements.set;
import static org.longnet.engine.conformance.TmaBlockKernels.BOX_COLUMNS;
import static org.longnet.engine.conformance.TmaBlockKernels.BOX_ELEMENTS;
import static org.longnet.engine.conformance.TmaBlockKernels.CORNER;

/**
 * Four-dimensional Tma copies on every test device, in the layout dilated attention needs: an array [B][N][H][D] (Q, K or
 * V) mapped as (column d, q = o * H + head, m, batch) with strides D, r * H * D and N * H * D, so that (d, o * H + j, m, b) is
 * row o + m r of head j. Boxes of six such rows start before the first m, inside, and reach past the last; NaN pads the
 * array on both sides, and outputs are poisoned.
 */
@DeviceTest
class TmaBlockConformanceTest {
    /** Batch, positions, heads, head dimension, dilation; PAD elements of NaN before and after the data. */
    private static final int B = 2, N = 42, H = 3, D = BOX_COLUMNS, R = 3, M = N / R, PAD = 16;
    private static final long[] SIZES = {D, (long) R * H, M, B}, STRIDES = {D, (long) R * H * D, (long) N * H * D};
    private static final int[] BOX = {D, 1, TmaBlockKernels.BOX_ROWS, 1};

    static Stream<Arguments> devicesAndTypes() {
        return TestDevices.ids().stream().flatMap(id -> Stream.of("fp32", "bf16", "fp16").map(type -> Arguments.of(id, type)));
    }

    /** The boxes' first m: one before the first row, one inside, one reaching past the last. */
    private static final int[] EVERY_PLACE = {-2, 5, 11};

    /** The boxes' corners (batch, first m, o * H + head, column), outermost first: every batch, three m, three (offset, head)s. */
    private static IntArray corners() {
        return corners(EVERY_PLACE);
    }

    /** The corners of boxes from each first m of {@code ms}, for every batch and three (offset, head)s. */
    private static IntArray corners(int[] ms) {
        int[] qs = {0, 4, 8};
        IntArray corners = new IntArray((long) CORNER * B * qs.length * ms.length); // the first of each five unused at rank 4
        int g = 0;
        for (int b = 0; b < B; b++) {
            for (int q : qs) {
                for (int m : ms) {
                    corners.set(CORNER * g + 1L, b);
                    corners.set(CORNER * g + 2L, m);
                    corners.set(CORNER * g + 3L, q);
                    g++;
                }
            }
        }
        return corners;
    }

    /** The array index of box element i of group g, or -1 where it lies outside the region. */
    private static long indexOf(IntArray corners, int g, int i) {
        int b = corners.get(CORNER * g + 1L), m = corners.get(CORNER * g + 2L) + i / D, q = corners.get(CORNER * g + 3L), d = i % D;
        return m < 0 || m >= M ? -1 : PAD + d + (long) q * D + (long) m * R * H * D + (long) b * N * H * D;
    }

    private static TensorMap map(DeviceArray array) {
        return TensorMap.of(array, PAD, SIZES, STRIDES, BOX);
    }

    private static DeviceArray array(String type, boolean data) {
        long n = 2L * PAD + (long) B * N * H * D;
        DeviceArray array = TypedElements.array(type, n);
        for (long i = 0; i < n; i++) {
            set(array, i, data && i >= PAD && i < n - PAD ? value(i - PAD) : Float.NaN);
        }
        return array;
    }

    /** Element i of the data ((b N + p) H + j) D + d, as the array's type holds it. */
    private static float value(long i) {
        return i / 8f - 100f;
    }

    @ParameterizedTest(name = "Tma.load of {1} dilated-row boxes from a 4D map (zeros past the rows) on {0}")
    @MethodSource("devicesAndTypes")
    void loadsDilatedRows(String id, String type) {
        DeviceArray array = array(type, true);
        TensorMap map = map(array);
        IntArray corners = corners();
        Landed landed = load(id, type, array, map, corners);
        for (int g = 0; g < corners.getSize() / CORNER; g++) {
            for (int i = 0; i < BOX_ELEMENTS; i++) {
                long at = indexOf(corners, g, i);
                assertEquals(at < 0 ? 0f : rounded(type, value(at - PAD)), landed.get(g, i), 0f, type + " box " + g + ", element " + i);
            }
        }
    }

    /** The boxes as TmaBlockKernels.loadBoxes landed them: element i of box g, a float of the array's type. */
    private record Landed(String type, FloatArray floats, IntArray pairs) {
        float get(int g, int i) {
            return type.equals("fp32") ? floats.get((long) g * BOX_ELEMENTS + i)
                    : rounded(type, decode(type, (short) (pairs.get((long) g * BOX_ELEMENTS / 2 + i / 2) >>> 16 * (i & 1))));
        }
    }

    /** Runs TmaBlockKernels.loadBoxes on {@code id}, one group per box of {@code corners}, into poisoned outputs. */
    private static Landed load(String id, String type, DeviceArray array, TensorMap map, IntArray corners) {
        int groups = (int) (corners.getSize() / CORNER);
        FloatArray floats = Check.poisoned((long) groups * BOX_ELEMENTS);
        IntArray pairs = Check.poisonedInts((long) groups * BOX_ELEMENTS / 2);
        run(id, graph(array, floats, pairs, corners).task("t", TmaBlockKernels::loadBoxes, new KernelContext(), map, floats, pairs, corners,
                map.rank(), type.equals("fp32") ? 0 : 1).withGrid("t", WorkerGrid.of(groups * 64L, 64)), floats, pairs);
        return new Landed(type, floats, pairs);
    }

    /** Devices, types and where the stored boxes start: inside (0 and 7: neither leaves it) or reaching past the last row. */
    static Stream<Arguments> devicesTypesAndPlaces() {
        return devicesAndTypes().flatMap(a -> Stream.of("inside", "past").map(place -> Arguments.of(a.get()[0], a.get()[1], place)));
    }

    /**
     * Stores, one set of boxes at a time by where they start. Boxes that start before the first row stop the kernel on an H100
     * in all three types (CHANGELOG.md), so a store may not start there: {@link #storesBeforeTheFirstRowAreRefused}.
     */
    @ParameterizedTest(name = "Tma.store of {1} dilated-row boxes {2} a 4D map (only the region written) on {0}")
    @MethodSource("devicesTypesAndPlaces")
    void storesDilatedRows(String id, String type, String place) {
        DeviceArray array = array(type, false);
        TensorMap map = map(array);
        IntArray corners = corners(place.equals("inside") ? new int[] {0, 7} : new int[] {11});
        int groups = (int) (corners.getSize() / CORNER);
        boolean sixteen = !type.equals("fp32");
        FloatArray floats = new FloatArray((long) groups * BOX_ELEMENTS);
        IntArray pairs = new IntArray((long) groups * BOX_ELEMENTS / 2);
        float[] expected = new float[(int) array.getSize()];
        java.util.Arrays.fill(expected, Float.NaN);
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < BOX_ELEMENTS; i++) {
                float v = -(1000 + g + i / 4f);
                floats.set((long) g * BOX_ELEMENTS + i, v);
                if (sixteen) {
                    long p = (long) g * BOX_ELEMENTS / 2 + i / 2;
                    pairs.set(p, pairs.get(p) | encode(type, v) << 16 * (i & 1));
                }
                long at = indexOf(corners, g, i);
                if (at >= 0) {
                    expected[(int) at] = rounded(type, v);
                }
            }
        }
        run(id, graph(array, floats, pairs, corners).task("t", TmaBlockKernels::storeBoxes, new KernelContext(), map, floats, pairs, corners,
                4, sixteen ? 1 : 0).withGrid("t", WorkerGrid.of(groups * 64L, 64)), array);
        for (int i = 0; i < expected.length; i++) {
            float got = get(array, i);
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(got), type + " element " + i + ", outside every box's rows, was written: " + got);
            } else {
                assertEquals(expected[i], got, 0f, type + " element " + i);
            }
        }
    }

    /** A store of dilated-row boxes that start two rows before the first is refused on the JVM, naming its corner. */
    @ParameterizedTest(name = "Tma refuses a {0} store of dilated-row boxes before the first row on the jvm")
    @MethodSource("types")
    void storesBeforeTheFirstRowAreRefused(String type) {
        DeviceArray array = array(type, false);
        IntArray corners = corners(new int[] {-2});
        int groups = (int) (corners.getSize() / CORNER);
        FloatArray floats = new FloatArray((long) groups * BOX_ELEMENTS);
        IntArray pairs = new IntArray((long) groups * BOX_ELEMENTS / 2);
        String message = TmaConformanceTest.refusal(() -> run("jvm", graph(array, floats, pairs, corners).task("t", TmaBlockKernels::storeBoxes,
                new KernelContext(), map(array), floats, pairs, corners, 4, type.equals("fp32") ? 0 : 1).withGrid("t", WorkerGrid.of(groups * 64L, 64)),
                array));
        assertTrue(message.startsWith("Tma.store corner: [0, -2, 0, 0] (outermost first) of "), message);
    }

    static Stream<String> types() {
        return Stream.of("fp32", "bf16", "fp16");
    }

    /** Segment length and dilation of the five-dimensional map: W is not a multiple of R5, so segments need their own dimension. */
    private static final int W = 14, R5 = 4, M5 = (W + R5 - 1) / R5, PAD5 = 2 * R5 * H * D;

    /**
     * A five-dimensional map (column d, o * H + head, m, segment s, batch), strides D, R5 * H * D, W * H * D and N * H * D,
     * so that (b, s, m, o * H + j, d) is row s W + o + m R5 of head j even though W is not a multiple of R5 (the paper's
     * (16384, 6) and (32768, 12) pairs). Boxes of six m start before the first m and reach past the last (zeros there);
     * an m inside the map can address a row past its segment, the next segment's or, at the end, the padding (NaN), which
     * the copy reads as it is: a kernel bounds its keys by the block's own rows.
     */
    @ParameterizedTest(name = "Tma.load of {1} dilated-row boxes from a 5D map with a segment dimension on {0}")
    @MethodSource("devicesAndTypes")
    void loadsSegmentedDilatedRows(String id, String type) {
        long data = (long) B * N * H * D;
        DeviceArray array = TypedElements.array(type, data + 2 * PAD5);
        for (long i = 0; i < array.getSize(); i++) {
            set(array, i, i >= PAD5 && i < PAD5 + data ? value(i - PAD5) : Float.NaN);
        }
        TensorMap map = TensorMap.of(array, PAD5, new long[] {D, (long) R5 * H, M5, N / W, B},
                new long[] {D, (long) R5 * H * D, (long) W * H * D, (long) N * H * D}, new int[] {D, 1, TmaBlockKernels.BOX_ROWS, 1, 1});
        int[][] picks = {{0, 0, -1, 1}, {1, 2, 1, 11}, {1, 1, 0, 6}, {0, 2, 2, 3}}; // (b, s, first m, o * H + j)
        IntArray corners = new IntArray((long) CORNER * picks.length);
        for (int g = 0; g < picks.length; g++) {
            for (int c = 0; c < 4; c++) {
                corners.set((long) CORNER * g + c, picks[g][c]);
            }
        }
        Landed landed = load(id, type, array, map, corners);
        for (int g = 0; g < picks.length; g++) {
            for (int i = 0; i < BOX_ELEMENTS; i++) {
                int m = picks[g][2] + i / D;
                long row = (long) picks[g][1] * W + picks[g][3] / H + (long) m * R5;
                long at = PAD5 + i % D + (long) picks[g][3] * D + (long) m * R5 * H * D + (long) picks[g][1] * W * H * D
                        + (long) picks[g][0] * N * H * D;
                float expected = m < 0 || m >= M5 ? 0f : at < PAD5 + data ? rounded(type, value(at - PAD5)) : Float.NaN;
                float got = landed.get(g, i);
                String what = type + " box " + g + ", element " + i + " (m " + m + ", row " + row + ")";
                if (Float.isNaN(expected)) {
                    assertTrue(Float.isNaN(got), what + ": the padding's NaN, was " + got);
                } else {
                    assertEquals(expected, got, 0f, what);
                }
            }
        }
    }

    /** A copy with fewer coordinates than its map has dimensions fails on the JVM with both counts; on CUDA it would fault. */
    @Test
    void aCopyNeedsAsManyCoordinatesAsItsMapHasDimensions() {
        DeviceArray array = array("fp32", true);
        TensorMap map = map(array);
        FloatArray floats = Check.poisoned(BOX_ELEMENTS);
        IntArray pairs = Check.poisonedInts(BOX_ELEMENTS / 2);
        Throwable t = assertThrows(RuntimeException.class, () -> run("jvm", graph(array, floats, pairs).task("t", TmaKernels::loadBoxes,
                new KernelContext(), map, floats, pairs, 1, 0, 0, 0).withGrid("t", WorkerGrid.of(64, 64)), floats));
        while (t.getCause() != null && !(t instanceof IllegalArgumentException)) {
            t = t.getCause();
        }
        assertTrue(String.valueOf(t.getMessage()).startsWith("Tma coordinates: 2 for TensorMap[8 x 9 x 14 x 2 (innermost first)"), String.valueOf(t));
        assertTrue(String.valueOf(t.getMessage()).endsWith("; allowed: as many as the map has dimensions (4)"), String.valueOf(t));
    }
}
