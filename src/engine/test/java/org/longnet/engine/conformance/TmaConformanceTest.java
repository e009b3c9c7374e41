package org.longnet.engine.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.graph.WorkerGrid;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.engine.conformance.ConformanceRuns.graph;
import static org.longnet.engine.conformance.ConformanceRuns.run;
import static org.longnet.engine.conformance.TypedElements.decode;
import static org.longnet.engine.conformance.TypedElements.encode;
import static org.longnet.engine.conformance.TypedElements.get;
import static org.longnet.engine.conformance.TypedElements.set;
import static org.longnet.engine.conformance.TmaKernels.BOX_COLUMNS;
import static org.longnet.engine.conformance.TmaKernels.BOX_ROWS;

/**
 * Mbarriers and Tma on every test device (on CUDA the real mbarrier and cp.async.bulk.tensor instructions): boxes loaded
 * and stored at coordinates that reach past every edge of a region whose rows are padded with NaN, barrier phases, and a
 * pipelined product against float64, outputs poisoned.
 */
@DeviceTest
class TmaConformanceTest {
    /** A region of 37 x 45 elements, rows 56 elements apart (the padding holds NaN or 0xFFFF bits), 24 elements into its array. */
    private static final int ROWS = 37, COLUMNS = 45, STRIDE = 56, OFFSET = 24;
    /**
     * Boxes cover the region from (-2, -8): 5 x 2 of them, rows -2 to 37 and columns -8 to 55, reach past all four edges.
     * Columns start on 16 bytes (8 elements are 32 bytes of fp32, 16 of bf16), as Tma requires; rows may start anywhere.
     */
    private static final int ROW_SHIFT = 2, COLUMN_SHIFT = 8, DOWN = 5, ACROSS = 2, BOXES = DOWN * ACROSS;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /**
     * Each type unswizzled and swizzled over its box row (32 elements: 128 bytes of fp32, 64 of 16 bits), the one swizzle
     * TensorMap allows for that box.
     */
    static Stream<Arguments> devicesTypesAndSwizzles() {
        return devices().stream().flatMap(id -> Stream.of("fp32", "bf16", "fp16")
                .flatMap(type -> Stream.of(0, BOX_COLUMNS * TypedElements.bytes(type)).map(swizzle -> Arguments.of(id, type, swizzle))));
    }

    /**
     * The tile element that holds box element {@code i} under a swizzle of {@code swizzle} bytes: chunk c (16 bytes) of the
     * tile's 128-byte line L lands as chunk c ^ (L % (swizzle / 16)) of that line (PTX's tensor-copy swizzle modes).
     */
    static int landed(int i, int elementBytes, int swizzle) {
        if (swizzle == 0) {
            return i;
        }
        int b = i * elementBytes, line = b / 128, chunk = b % 128 / 16;
        return (line * 128 + (chunk ^ line % (swizzle / 16)) * 16 + b % 16) / elementBytes;
    }

    /** The region's array, {@link #OFFSET} elements in. */
    private static DeviceArray region(String type) {
        return region(type, OFFSET);
    }

    /**
     * The region's array, {@code offset} elements in: region element (r, c) is {@link #value}(r, c), exact in every type; NaN bits in the
     * padding.
     */
    private static DeviceArray region(String type, int offset) {
        long n = offset + (long) ROWS * STRIDE;
        DeviceArray array = TypedElements.array(type, n);
        for (long i = 0; i < n; i++) {
            long r = (i - offset) / STRIDE, c = (i - offset) % STRIDE;
            boolean inside = i >= offset && c < COLUMNS;
            set(array, i, inside ? value(r, c) : Float.NaN);
        }
        return array;
    }

    private static float value(long row, long column) {
        return (row * COLUMNS + column) / 8f - 20f;
    }

    /** The value of box element (r, c) of box g: the region's element there, or 0 outside it. */
    private static float expectedInBox(int g, int r, int c) {
        long row = (long) g / ACROSS * BOX_ROWS - ROW_SHIFT + r, column = (long) g % ACROSS * BOX_COLUMNS - COLUMN_SHIFT + c;
        return row >= 0 && row < ROWS && column >= 0 && column < COLUMNS ? value(row, column) : 0f;
    }

    /** Element {@code i & 1} of a pair of 16-bit elements. */
    private static short half(int pair, int i) {
        return (short) (pair >>> 16 * (i & 1));
    }

    @ParameterizedTest(name = "Tma.load of {1} boxes past every edge (zeros outside), swizzle {2} bytes, on {0}")
    @MethodSource("devicesTypesAndSwizzles")
    void loadsBoxes(String id, String type, int swizzle) {
        DeviceArray array = region(type);
        TensorMap map = TensorMap.of(array, OFFSET, ROWS, COLUMNS, STRIDE, BOX_ROWS, BOX_COLUMNS).withSwizzle(swizzle);
        int boxElements = BOX_ROWS * BOX_COLUMNS;
        FloatArray floats = Check.poisoned((long) BOXES * boxElements);
        IntArray pairs = Check.poisonedInts((long) BOXES * boxElements / 2);
        boolean sixteen = !type.equals("fp32");
        run(id, graph(array, floats, pairs).task("t", TmaKernels::loadBoxes, new KernelContext(), map, floats, pairs, ACROSS, ROW_SHIFT, COLUMN_SHIFT,
                        sixteen ? 1 : 0)
                .withGrid("t", WorkerGrid.of(BOXES * 64L, 64)), floats, pairs);
        for (int g = 0; g < BOXES; g++) {
            for (int i = 0; i < boxElements; i++) {
                float got;
                int at = landed(i, TypedElements.bytes(type), swizzle);
                if (sixteen) {
                    got = decode(type, half(pairs.get((long) g * boxElements / 2 + at / 2), at));
                } else {
                    got = floats.get((long) g * boxElements + at);
                }
                float expected = expectedInBox(g, i / BOX_COLUMNS, i % BOX_COLUMNS);
                assertEquals(sixteen ? decode(type, (short) encode(type, expected)) : expected, got, 0f, type + " box " + g + ", element " + i);
            }
        }
    }

    /**
     * One fp32 box from each placement that the box tests combine, one at a time: a map that starts inside its array, a box
     * starting on a 16-byte column inside the region, before its first row or column, or past its last row or column. On CUDA a
     * copy the hardware refuses stops its kernel and loses the context, so the lab runs each placement in a process of its own.
     */
    @ParameterizedTest(name = "Tma.load of one fp32 box, map {1} elements into its array, from ({2}, {3}) on {0}")
    @MethodSource("devicesAndPlacements")
    void placements(String id, int offset, int row, int column) {
        DeviceArray array = region("fp32", offset);
        TensorMap map = TensorMap.of(array, offset, ROWS, COLUMNS, STRIDE, BOX_ROWS, BOX_COLUMNS);
        FloatArray floats = Check.poisoned((long) BOX_ROWS * BOX_COLUMNS);
        IntArray pairs = Check.poisonedInts(1);
        run(id, graph(array, floats, pairs).task("t", TmaKernels::loadBoxes, new KernelContext(), map, floats, pairs, 1, -row, -column, 0)
                .withGrid("t", WorkerGrid.of(64, 64)), floats);
        for (int i = 0; i < BOX_ROWS * BOX_COLUMNS; i++) {
            long r = row + i / BOX_COLUMNS, c = column + i % BOX_COLUMNS;
            float expected = r >= 0 && r < ROWS && c >= 0 && c < COLUMNS ? value(r, c) : 0f;
            assertEquals(expected, floats.get(i), 0f, "box element " + i + " (region " + r + ", " + c + ")");
        }
    }

    /**
     * One fp32 box stored to each of the placements that start inside the region, one at a time: the box's elements inside
     * the region are written, the rest of the region keeps its values and the padding its NaN (on an H100 the boxes past the
     * last column write the rest of its 16-byte chunk, in the padding: {@link Tma}). On CUDA a faulting case loses its
     * process's context, so scripts/gpu/lab runs each case alone.
     */
    @ParameterizedTest(name = "Tma.store of one fp32 box, map {1} elements into its array, to ({2}, {3}) on {0}")
    @MethodSource("devicesAndStorePlacements")
    void storePlacements(String id, int offset, int row, int column) {
        DeviceArray array = region("fp32", offset);
        TensorMap map = TensorMap.of(array, offset, ROWS, COLUMNS, STRIDE, BOX_ROWS, BOX_COLUMNS);
        FloatArray floats = new FloatArray((long) BOX_ROWS * BOX_COLUMNS);
        for (int i = 0; i < BOX_ROWS * BOX_COLUMNS; i++) {
            floats.set(i, 1000 + i / 4f); // stored negated
        }
        IntArray pairs = new IntArray(1);
        run(id, graph(array, floats, pairs).task("t", TmaKernels::storeBoxes, new KernelContext(), map, floats, pairs, 1, -row, -column, 0)
                .withGrid("t", WorkerGrid.of(64, 64)), array);
        for (long i = 0; i < array.getSize(); i++) {
            long r = (i - offset) / STRIDE, c = (i - offset) % STRIDE;
            if (i < offset || c >= COLUMNS) {
                assertTrue(Float.isNaN(get(array, i)), "padding element " + i + " was written: " + get(array, i));
                continue;
            }
            boolean inBox = r >= row && r < row + BOX_ROWS && c >= column && c < column + BOX_COLUMNS;
            float expected = inBox ? -(1000 + ((r - row) * BOX_COLUMNS + c - column) / 4f) : value(r, c);
            assertEquals(expected, get(array, i), 0f, "region element (" + r + ", " + c + ")");
        }
    }

    static Stream<Arguments> devicesAndPlacements() {
        // {offset, row, column}: inside; the map inside its array; 16 bytes into a row; before the first row; 16 bytes before the
        // first column; past the last column from 64 and 112 bytes in; past the last row
        int[][] placements = {{0, 0, 0}, {OFFSET, 0, 0}, {0, 0, 4}, {0, -3, 0}, {0, 0, -4}, {0, 0, 16}, {0, 0, 28}, {0, 32, 0}};
        return devices().stream().flatMap(id -> Stream.of(placements).map(p -> Arguments.of(id, p[0], p[1], p[2])));
    }

    /** The placements of {@link #devicesAndPlacements} that a store may take: all but the two that start before the region. */
    static Stream<Arguments> devicesAndStorePlacements() {
        return devicesAndPlacements().filter(a -> (int) a.get()[2] >= 0 && (int) a.get()[3] >= 0);
    }

    /**
     * A store box that starts before the region (3 rows before it, 16 bytes before its first column; a four-dimensional map's
     * boxes alike, TmaBlockConformanceTest) is refused on the JVM with its corner and the rule: on Hopper it stops the kernel.
     */
    @ParameterizedTest(name = "Tma refuses a {0} store box from ({1}, {2}) on the jvm")
    @MethodSource("storesBeforeTheRegion")
    void storesBeforeTheRegionAreRefused(String type, int row, int column) {
        DeviceArray array = region(type, 0);
        TensorMap map = TensorMap.of(array, 0, ROWS, COLUMNS, STRIDE, BOX_ROWS, BOX_COLUMNS);
        FloatArray floats = Check.poisoned((long) BOX_ROWS * BOX_COLUMNS);
        IntArray pairs = Check.poisonedInts((long) BOX_ROWS * BOX_COLUMNS / 2);
        String message = refusal(() -> run("jvm", graph(array, floats, pairs).task("t", TmaKernels::storeBoxes, new KernelContext(), map, floats,
                pairs, 1, -row, -column, type.equals("fp32") ? 0 : 1).withGrid("t", WorkerGrid.of(64, 64)), array));
        assertTrue(message.startsWith("Tma.store corner: [" + row + ", " + column + "] (outermost first) of "), message);
        assertTrue(message.endsWith("starts before the region (" + Math.min(row, column) + "); allowed: coordinates of 0 or more, as Hopper's "
                + "tensor stores need"), message);
    }

    /** The message of the IllegalArgumentException that {@code run} fails with, wherever the run wraps it. */
    static String refusal(org.junit.jupiter.api.function.Executable run) {
        Throwable t = assertThrows(RuntimeException.class, run);
        while (t.getCause() != null && !(t instanceof IllegalArgumentException)) {
            t = t.getCause();
        }
        assertTrue(t instanceof IllegalArgumentException, String.valueOf(t));
        return String.valueOf(t.getMessage());
    }

    static Stream<Arguments> storesBeforeTheRegion() {
        return Stream.of(Arguments.of("fp32", -3, 0), Arguments.of("fp32", 0, -4), Arguments.of("bf16", -1, 8), Arguments.of("fp16", 2, -8));
    }

    /**
     * A box that starts off a 16-byte column (12 bytes in, 12 before the region, 116 in; 8 bytes in for 16 bits) is refused on
     * the JVM with the column and the rule: on Hopper such a copy stops the kernel.
     */
    @ParameterizedTest(name = "Tma refuses a {0} box from column {1} on the jvm")
    @MethodSource("columnsOff16Bytes")
    void columnsOff16BytesAreRefused(String type, int column) {
        DeviceArray array = region(type, 0);
        TensorMap map = TensorMap.of(array, 0, ROWS, COLUMNS, STRIDE, BOX_ROWS, BOX_COLUMNS);
        FloatArray floats = Check.poisoned((long) BOX_ROWS * BOX_COLUMNS);
        IntArray pairs = Check.poisonedInts((long) BOX_ROWS * BOX_COLUMNS / 2);
        int sixteen = type.equals("fp32") ? 0 : 1;
        assertRefused(column, "load", () -> run("jvm", graph(array, floats, pairs).task("t", TmaKernels::loadBoxes, new KernelContext(), map,
                floats, pairs, 1, 0, -column, sixteen).withGrid("t", WorkerGrid.of(64, 64)), floats));
        assertRefused(column, "store", () -> run("jvm", graph(array, floats, pairs).task("t", TmaKernels::storeBoxes, new KernelContext(), map,
                floats, pairs, 1, 0, -column, sixteen).withGrid("t", WorkerGrid.of(64, 64)), array));
    }

    private static void assertRefused(int column, String what, org.junit.jupiter.api.function.Executable run) {
        String message = refusal(run);
        assertTrue(message.startsWith("Tma column: " + column + " ("), what + ": " + message);
    }

    static Stream<Arguments> columnsOff16Bytes() {
        return Stream.of(Arguments.of("fp32", 3), Arguments.of("fp32", -3), Arguments.of("fp32", 29), Arguments.of("bf16", 4),
                Arguments.of("fp16", -4));
    }

    /**
     * Boxes that tile the region from its first element and reach past its last row and column: only the region is written
     * (on an H100, past the last column, the rest of its 16-byte chunk too: {@link Tma}).
     */
    @ParameterizedTest(name = "Tma.store of {1} boxes past the last row and column (only the region written), swizzle {2} bytes, on {0}")
    @MethodSource("devicesTypesAndSwizzles")
    void storesBoxes(String id, String type, int swizzle) {
        DeviceArray array = region(type); // the padding's NaN must survive; the region is overwritten by the boxes
        TensorMap map = TensorMap.of(array, OFFSET, ROWS, COLUMNS, STRIDE, BOX_ROWS, BOX_COLUMNS).withSwizzle(swizzle);
        int boxElements = BOX_ROWS * BOX_COLUMNS;
        boolean sixteen = !type.equals("fp32");
        FloatArray floats = new FloatArray((long) BOXES * boxElements);
        IntArray pairs = new IntArray((long) BOXES * boxElements / 2);
        for (int g = 0; g < BOXES; g++) {
            for (int i = 0; i < boxElements; i++) {
                float v = 1000 + g + i / 4f;
                floats.set((long) g * boxElements + i, v);
                if (sixteen && i % 2 == 0) {
                    pairs.set((long) g * boxElements / 2 + i / 2, encode(type, v) | encode(type, 1000 + g + (i + 1) / 4f) << 16);
                }
            }
        }
        run(id, graph(array, floats, pairs).task("t", TmaKernels::storeBoxes, new KernelContext(), map, floats, pairs, ACROSS, 0, 0, sixteen ? 1 : 0)
                .withGrid("t", WorkerGrid.of(BOXES * 64L, 64)), array);
        for (long i = 0; i < array.getSize(); i++) {
            long r = (i - OFFSET) / STRIDE, c = (i - OFFSET) % STRIDE;
            if (i < OFFSET || c >= COLUMNS) {
                assertTrue(Float.isNaN(get(array, i)), type + " padding element " + i + " was written: " + get(array, i));
                continue;
            }
            long boxRow = r, boxColumn = c;
            int g = (int) (boxRow / BOX_ROWS * ACROSS + boxColumn / BOX_COLUMNS);
            int at = landed((int) (boxRow % BOX_ROWS * BOX_COLUMNS + boxColumn % BOX_COLUMNS), TypedElements.bytes(type), swizzle);
            float stored = sixteen ? decode(type, (short) encode(type, 1000 + g + at / 4f)) : 1000 + g + at / 4f;
            assertEquals(-stored, get(array, i), 0f, type + " region element (" + r + ", " + c + ")");
        }
    }

    @ParameterizedTest(name = "Mbarriers phases (arrive and wait over six rounds, two barriers) on {0}")
    @MethodSource("devices")
    void phases(String id) {
        int groups = 3, n = 64, rounds = 6;
        FloatArray in = Check.random(groups * n, 41, -1, 1), out = Check.poisoned(groups * n);
        run(id, graph(in, out).task("t", TmaKernels::phases, new KernelContext(), in, out, rounds)
                .withGrid("t", WorkerGrid.of(groups * (long) n, n)), out);
        double[] ref = new double[groups * n];
        for (int g = 0; g < groups; g++) {
            for (int item = 0; item < n; item++) {
                float sum = 0f;
                for (int round = 0; round < rounds; round++) {
                    sum += in.get(g * n + (item + 1 + round) % n) * (round + 1);
                }
                ref[g * n + item] = sum;
            }
        }
        Check.close("phases", ref, out, 1e-6, 1e-6);
    }

    @Test
    void aWaitThatWouldHangOnCudaFailsOnTheJvm() {
        FloatArray out = Check.poisoned(64);
        Throwable t = assertThrows(RuntimeException.class, () -> run("jvm", graph(out).task("t", TmaKernels::waitTooEarly, new KernelContext(), out)
                .withGrid("t", WorkerGrid.of(64, 64)), out));
        while (t.getCause() != null && !(t instanceof IllegalStateException)) {
            t = t.getCause();
        }
        assertTrue(String.valueOf(t.getMessage()).contains("has not completed"), String.valueOf(t));
    }

    /**
     * Q, K and V landed by Tma under a 128-byte swizzle and read where they land by WarpgroupMma's swizzled products
     * (TmaMmaKernels.swizzledAttentionChain: S = Q K^T, then O += bf16(S) V, tile by tile through a ring of two stages),
     * {@code keys} not a multiple of the tile so the last tile's rows past it land as zeros. Q and K hold -1, 0 and 1, so
     * every score is an integer that bf16 holds exactly and O's reference is exact in float64. On CUDA the copies' swizzle
     * and the descriptors' must agree for any of it to pass.
     */
    @ParameterizedTest(name = "Tma-fed swizzled warpgroup products (S = Q K^T, O += S V) over {1} keys on {0}")
    @MethodSource("devicesAndKeys")
    void swizzledAttentionChain(String id, int keys) {
        BFloat16Array q = signs(64 * 64, 71), k = signs(keys * 64L, 72), v = ConformanceRuns.randomBf16(keys * 64L, 73);
        int tiles = (keys + TmaMmaKernels.KEYS - 1) / TmaMmaKernels.KEYS;
        TensorMap qm = TensorMap.of(q, 64, 64, 64, 64).withSwizzle(128);
        TensorMap km = TensorMap.of(k, keys, 64, TmaMmaKernels.KEYS, 64).withSwizzle(128);
        TensorMap vm = TensorMap.of(v, keys, 64, TmaMmaKernels.KEYS, 64).withSwizzle(128);
        FloatArray scores = Check.poisoned(tiles * 64L * 64), out = Check.poisoned(64L * 64);
        run(id, graph(q, k, v).task("t", TmaMmaKernels::swizzledAttentionChain, new KernelContext(), qm, km, vm, scores, out, keys)
                .withGrid("t", WorkerGrid.of(128, 128)), scores, out);
        double[] scoresRef = new double[(int) scores.getSize()], outRef = new double[64 * 64];
        for (int row = 0; row < 64; row++) {
            for (int key = 0; key < keys; key++) { // the keys past them score 0 and add nothing
                double sum = 0;
                for (int c = 0; c < 64; c++) {
                    sum += (double) q.get(row * 64L + c) * k.get(key * 64L + c);
                }
                scoresRef[((key / 64) * 64 + row) * 64 + key % 64] = sum;
                for (int c = 0; c < 64; c++) {
                    outRef[row * 64 + c] += sum * v.get(key * 64L + c);
                }
            }
        }
        Check.close("Tma-fed scores", scoresRef, scores, 0, 0);
        Check.close("Tma-fed output", outRef, out, 1e-5, 1e-4);
    }

    static Stream<Arguments> devicesAndKeys() {
        return devices().stream().flatMap(id -> Stream.of(Arguments.of(id, 64), Arguments.of(id, 150)));
    }

    /** {@code n} bf16 elements of -1, 0 and 1, drawn from {@code seed}. */
    private static BFloat16Array signs(long n, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        BFloat16Array out = new BFloat16Array(n);
        for (long i = 0; i < n; i++) {
            out.set(i, random.nextInt(3) - 1);
        }
        return out;
    }

    static Stream<Arguments> devicesAndShapes() {
        return devices().stream().flatMap(id -> Stream.of(Arguments.of(id, 77, 150, 40), Arguments.of(id, 16, 32, 16),
                Arguments.of(id, 33, 200, 20)));
    }

    @ParameterizedTest(name = "pipelined product through {0}'s ring of Tma loads and mbarriers, {1} x {2} times {2} x {3}")
    @MethodSource("devicesAndShapes")
    void pipelinedProduct(String id, int m, int k, int n) {
        int lda = (k + 3) / 4 * 4 + 4, ldb = (n + 3) / 4 * 4 + 4, ldc = ldb; // padded rows, the padding NaN
        FloatArray a = paddedRandom(m, k, lda, 51), b = paddedRandom(k, n, ldb, 52), c = Check.poisoned((long) m * ldc);
        int tm = TmaKernels.TILE_M, tn = TmaKernels.TILE_N, tk = TmaKernels.TILE_K;
        TensorMap am = TensorMap.of(a, 0, m, k, lda, tm, tk), bm = TensorMap.of(b, 0, k, n, ldb, tk, tn), cm = TensorMap.of(c, 0, m, n, ldc, tm, tn);
        int down = (m + tm - 1) / tm, across = (n + tn - 1) / tn;
        run(id, graph(a, b, c).task("t", TmaKernels::pipelinedProduct, new KernelContext(), am, bm, cm, k, across)
                .withGrid("t", WorkerGrid.of((long) down * across * tm * tn, tm * tn)), c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                float got = c.get((long) i * ldc + j);
                if (j >= n) {
                    assertTrue(Float.isNaN(got), "C padding (" + i + ", " + j + ") was written: " + got);
                    continue;
                }
                double ref = 0;
                for (int kk = 0; kk < k; kk++) {
                    ref += (double) a.get((long) i * lda + kk) * b.get((long) kk * ldb + j);
                }
                assertEquals(ref, got, 1e-4 * (1 + Math.abs(ref)) + 1e-5 * k, "C (" + i + ", " + j + ")");
            }
        }
    }

    private static FloatArray paddedRandom(int rows, int columns, int stride, long seed) {
        FloatArray values = Check.random((long) rows * columns, seed, -1, 1), out = Check.poisoned((long) rows * stride);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out.set((long) r * stride + c, values.get((long) r * columns + c));
            }
        }
        return out;
    }
}
