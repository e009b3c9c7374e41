package org.longnet.engine.conformance;

import org.longnet.engine.DeviceTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.engine.Check.poisoned;
import static org.longnet.engine.Check.random;
import static org.longnet.engine.conformance.ConformanceRuns.graph;
import static org.longnet.engine.conformance.ConformanceRuns.run;
import static org.longnet.engine.conformance.ConformanceRuns.toBf16;
import static org.longnet.engine.conformance.ConformanceRuns.bf16;
import static org.longnet.engine.conformance.ConformanceRuns.randomBf16;

/**
 * The conformance kernels of warp- and warpgroup-level operations (matrix products on bf16 tiles, shuffles,
 * pair stores, atomics) on every test device, against float64 references, outputs poisoned with NaN.
 */
@DeviceTest
class WarpConformanceTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    /** How the mma test holds its tiles in local memory: fp32 with B as is or transposed, or packed bf16 pairs. */
    enum MmaLayout { PLAIN, TRANSPOSED_B, PACKED, REGISTER_A, REGISTERS }

    static List<Arguments> devicesAndLayouts() {
        List<Arguments> out = new ArrayList<>();
        for (String id : devices()) {
            for (MmaLayout layout : MmaLayout.values()) {
                out.add(Arguments.of(id, layout));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "raw bf16 reads (getBits, getPair) and pair stores (setPair) on {0}")
    @MethodSource("devices")
    void bf16Bits(String id) {
        int n = 1001;
        FloatArray values = random(n, 19, -50, 50);
        BFloat16Array x = toBf16(values), written = toBf16(poisoned(n)); // the odd last element must stay poisoned
        IntArray pairs = Check.poisonedInts(n / 2), bits = Check.poisonedInts(n);
        run(id, graph(x, values, written).task("t", ConformanceKernels::bf16Bits, x, pairs, bits, values, written), pairs, bits, written);
        for (int i = 0; i < n; i++) {
            float expected = i >= n / 2 * 2 ? Float.NaN : BFloat16Array.toFloat(BFloat16Array.fromFloat(i % 2 == 0 ? values.get(i) : -values.get(i)));
            assertEquals(expected, written.get(i), 0f, "setPair, element " + i);
        }
        for (int i = 0; i < n; i++) {
            int expected = BFloat16Array.fromFloat(values.get(i)) & 0xFFFF;
            assertEquals(expected, bits.get(i), "bits of element " + i);
            if (i < n / 2) {
                int lo = BFloat16Array.fromFloat(values.get(2 * i)) & 0xFFFF, hi = BFloat16Array.fromFloat(values.get(2 * i + 1)) & 0xFFFF;
                assertEquals(lo | hi << 16, pairs.get(i), "pair " + i);
            }
        }
    }

    @ParameterizedTest(name = "mmaBf16 (warp matrix multiply-accumulate) on {0}, tiles {1}")
    @MethodSource("devicesAndLayouts")
    void mmaBf16(String id, MmaLayout layout) {
        int tiles = 37;
        FloatArray a = random(tiles * 512L, 16, -2, 2), b = random(tiles * 256L, 17, -2, 2), c = random(tiles * 128L, 18, -1, 1);
        double[] ref = Check.toDoubles(c);
        for (int tile = 0; tile < tiles; tile++) {
            for (int row = 0; row < 16; row++) {
                for (int col = 0; col < 8; col++) {
                    double sum = 0;
                    for (int k = 0; k < 32; k++) {
                        sum += (double) bf16(a.get(tile * 512L + row * 32 + k)) * bf16(b.get(tile * 256L + k * 8 + col));
                    }
                    ref[tile * 128 + row * 8 + col] += sum;
                }
            }
        }
        TaskGraph tasks = graph(a, b, c);
        if (layout == MmaLayout.PACKED || layout == MmaLayout.REGISTER_A || layout == MmaLayout.REGISTERS) {
            int mode = layout == MmaLayout.REGISTERS ? 2 : layout == MmaLayout.REGISTER_A ? 1 : 0;
            tasks.task("t", ConformanceKernels::mmaPackedTiles, new KernelContext(), a, b, c, tiles, mode);
        } else {
            tasks.task("t", ConformanceKernels::mmaTiles, new KernelContext(), a, b, c, tiles, layout == MmaLayout.TRANSPOSED_B ? 1 : 0);
        }
        run(id, tasks.withGrid("t", WorkerGrid.of((tiles + 1) / 2 * 64L, 64)), c);
        Check.close("mmaBf16", ref, c, 1e-5, 1e-5);
    }

    static Stream<Arguments> devicesAndWarpgroupModes() {
        return devices().stream().flatMap(id -> Stream.of(Arguments.of(id, 0, 32), Arguments.of(id, 0, 64), Arguments.of(id, 1, 64),
                Arguments.of(id, 2, 32), Arguments.of(id, 3, 64), Arguments.of(id, 4, 32), Arguments.of(id, 4, 64)));
    }

    /** Modes of ConformanceKernels.warpgroupProducts: 0 tiles, 1 A in registers, 2 and 3 the same as pairs, 4 both tiles transposed. */
    @ParameterizedTest(name = "warpgroup products (loadChunk, mmaBf16Warpgroup mode {1}) on {0}, n {2}")
    @MethodSource("devicesAndWarpgroupModes")
    void warpgroupProducts(String id, int mode, int n) {
        int groups = 3, aRows = groups * 128 - 5, bRows = groups * 64 - 3; // the last rows of each read as zeros
        BFloat16Array a = randomBf16(groups * 128L * 64, 31), b = randomBf16(groups * 64L * 64, 32);
        FloatArray c = random(groups * 2L * 64 * 64, 33, -1, 1);
        double[] ref = Check.toDoubles(c);
        for (int tile = 0; tile < groups * 2; tile++) {
            int group = tile / 2;
            if (mode == 4) { // C (64 x n) += A^T B: A's rows 64 wg .. and B's rows as k, B's columns from channel 64 - n
                for (int row = 0; row < 64; row++) {
                    for (int col = 0; col < n; col++) {
                        double sum = 0;
                        for (int k = 0; k < 64; k++) {
                            int aRow = tile * 64 + k;
                            sum += (aRow < aRows ? a.get(aRow * 64L + row) : 0) * bValue(b, bRows, group * 64 + k, 64 - n + col);
                        }
                        ref[(tile * 64 + row) * 64 + col] += sum;
                    }
                }
                continue;
            }
            for (int row = 0; row < 64; row++) {
                int aRow = tile * 64 + row;
                boolean tiles = mode % 2 == 0;
                for (int col = 0; col < (tiles ? n : 64); col++) {
                    double sum = 0;
                    for (int k = 0; k < (tiles ? 64 : 32); k++) {
                        double x = aRow < aRows ? a.get(aRow * 64L + k) : 0;
                        sum += x * bValue(b, bRows, group * 64 + (tiles ? 64 - n + col : 16 + k), tiles ? k : col);
                        if (mode >= 2) { // the pair's second product
                            sum += x * bValue(b, bRows, group * 64 + (tiles ? col : 32 + k), tiles ? k : col);
                        }
                    }
                    int at = (tile * 64 + row) * 64 + col;
                    ref[at] = (mode == 2 ? 0 : ref[at]) + sum; // mode 2 overwrites
                }
            }
        }
        run(id, graph(a, b, c)
                .task("t", ConformanceKernels::warpgroupProducts, new KernelContext(), a, b, c, aRows, bRows, n, mode)
                .withGrid("t", WorkerGrid.of(groups * 256L, 256)), c);
        Check.close("warpgroup products", ref, c, 1e-5, 1e-5);
    }

    static Stream<Arguments> devicesAndColumns() {
        return devices().stream().flatMap(id -> Stream.of(Arguments.of(id, 32), Arguments.of(id, 64)));
    }

    /**
     * WarpgroupMma's issue and wait in a chain (WarpgroupMmaKernels.pipelinedChain): two score products in flight at once,
     * then products from their bf16 scores in registers, each issued before the last one is waited for. The scores
     * against float64, the output against float64 from the scores the device returned (rounded to bf16 as the kernel
     * rounds them, so that a score on a bf16 rounding boundary cannot make the check flaky).
     */
    @ParameterizedTest(name = "WarpgroupMma pipelined chain on {0}, n {1}")
    @MethodSource("devicesAndColumns")
    void warpgroupMmaPipelinedChain(String id, int n) {
        int groups = 3, aRows = groups * 128 - 5, bRows = groups * 128 - 7, cRows = groups * 64 - 3;
        BFloat16Array a = randomBf16(groups * 128L * 64, 41), b = randomBf16(groups * 128L * 64, 42), c = randomBf16(groups * 64L * 64, 43);
        FloatArray init = random(groups * 2L * 64 * 64, 44, -1, 1);
        FloatArray scores = poisoned(groups * 4L * 64 * n), out = poisoned(groups * 2L * 64 * 64);
        run(id, graph(a, b, c, init)
                .task("t", WarpgroupMmaKernels::pipelinedChain, new KernelContext(), a, b, c, init, scores, out, aRows, bRows, cRows, n)
                .withGrid("t", WorkerGrid.of(groups * (long) WarpgroupMmaKernels.GROUP, WarpgroupMmaKernels.GROUP)), scores, out);
        double[] scoresRef = new double[(int) scores.getSize()], outRef = Check.toDoubles(init);
        for (int tile = 0; tile < groups * 2; tile++) {
            int group = tile / 2;
            for (int row = 0; row < 64; row++) {
                int aRow = tile * 64 + row;
                for (int s = 0; s < 2; s++) {
                    for (int col = 0; col < n; col++) {
                        double sum = s;
                        for (int k = 0; k < 64; k++) {
                            sum += bValue(a, aRows, aRow, k) * bValue(b, bRows, group * 128 + 64 * s + col, k);
                        }
                        scoresRef[((tile * 2 + s) * 64 + row) * n + col] = sum;
                    }
                }
                for (int col = 0; col < 64; col++) {
                    double sum = 0;
                    for (int k = 0; k < 64; k++) { // k < 32 from S0's first columns, then S1's columns 32 .. (n 64) or 0 ..
                        int s = k / 32, from = s == 1 && n == 64 ? 32 : 0;
                        sum += bf16(scores.get(((tile * 2 + s) * 64 + row) * n + from + k % 32)) * bValue(c, cRows, group * 64 + k, col);
                    }
                    outRef[(tile * 64 + row) * 64 + col] += sum;
                }
            }
        }
        Check.close("WarpgroupMma scores", scoresRef, scores, 1e-5, 1e-5);
        Check.close("WarpgroupMma chained output", outRef, out, 1e-5, 1e-3);
    }

    /**
     * WarpgroupMma.issueSwizzled and issueRegistersSwizzled on tiles in swizzled layout (WarpgroupMmaKernels.swizzledProducts:
     * two products from rows that start inside the tiles, the second accumulating, then P·V with the B tile as V) against
     * float64, P·V's from the scores the device returned rounded to bf16 as the kernel rounds them. On sm_90a wgmma reads
     * the tiles through 128-byte-swizzle descriptors, K-major and N-major; a wrong descriptor or step pairs wrong elements.
     */
    @ParameterizedTest(name = "WarpgroupMma swizzled products on {0}, n {1}")
    @MethodSource("devicesAndColumns")
    void warpgroupMmaSwizzled(String id, int n) {
        int aRows = WarpgroupMmaKernels.SWIZZLED_A_ROWS, bRows = WarpgroupMmaKernels.SWIZZLED_B_ROWS;
        BFloat16Array a = randomBf16(aRows * 64L, 61), b = randomBf16(bRows * 64L, 62);
        FloatArray out = poisoned(64L * n), pv = poisoned(64L * 64);
        run(id, graph(a, b).task("t", WarpgroupMmaKernels::swizzledProducts, new KernelContext(), a, b, out, pv, n)
                .withGrid("t", WorkerGrid.of(128, 128)), out, pv);
        double[] ref = new double[64 * n];
        for (int row = 0; row < 64; row++) {
            for (int col = 0; col < n; col++) {
                double sum = 0;
                for (int k = 0; k < 64; k++) {
                    sum += bValue(a, aRows, 24 + row, k) * (bValue(b, bRows, col, k) + bValue(b, bRows, 16 + col, k));
                }
                ref[row * n + col] = sum;
            }
        }
        Check.close("WarpgroupMma swizzled products", ref, out, 1e-5, 1e-5);
        double[] pvRef = new double[64 * 64];
        for (int row = 0; row < 64; row++) {
            for (int col = 0; col < 64; col++) {
                double sum = 0;
                for (int k = 0; k < 32; k++) {
                    sum += bf16(out.get(row * n + k)) * bValue(b, bRows, 40 + k, col);
                }
                pvRef[row * 64 + col] = sum;
            }
        }
        Check.close("WarpgroupMma swizzled P V", pvRef, pv, 1e-5, 1e-4);
    }

    /**
     * WarpgroupMma.issueSwizzledFromRegisters (WarpgroupMmaKernels.swizzledFromRegisters: A's fragments loaded from a swizzled
     * tile into registers, then two products against B rows that start inside B's tile, the first over NaN accumulators
     * without accumulate, the second accumulating) against float64. On sm_90a wgmma takes A's 16 registers and reads B
     * K-major through a 128-byte-swizzle descriptor; a wrong register order or step pairs wrong elements.
     */
    @ParameterizedTest(name = "WarpgroupMma swizzled product from registers on {0}, n {1}")
    @MethodSource("devicesAndColumns")
    void warpgroupMmaSwizzledFromRegisters(String id, int n) {
        int aRows = WarpgroupMmaKernels.SWIZZLED_A_ROWS, bRows = WarpgroupMmaKernels.SWIZZLED_B_ROWS;
        BFloat16Array a = randomBf16(aRows * 64L, 63), b = randomBf16(bRows * 64L, 64);
        FloatArray out = poisoned(64L * n);
        run(id, graph(a, b).task("t", WarpgroupMmaKernels::swizzledFromRegisters, new KernelContext(), a, b, out, n)
                .withGrid("t", WorkerGrid.of(128, 128)), out);
        double[] ref = sums(n, (row, col, k) -> bValue(a, aRows, 24 + row, k) * (bValue(b, bRows, 8 + col, k) + bValue(b, bRows, 16 + col, k)));
        Check.close("WarpgroupMma swizzled product from registers", ref, out, 1e-5, 1e-5);
    }

    /** Each device with n = 32 from channels 0, 8 and 32 of B, and n = 64 from channel 0. */
    static Stream<Arguments> devicesColumnsAndChannels() {
        return devices().stream().flatMap(id -> Stream.of(Arguments.of(id, 32, 0), Arguments.of(id, 32, 8), Arguments.of(id, 32, 32),
                Arguments.of(id, 64, 0)));
    }

    /**
     * WarpgroupMma.issueTransposedSwizzled (WarpgroupMmaKernels.transposedSwizzled: A in chunk layout and B swizzled, both
     * with rows as k, B's columns from channel bChannel, two products from rows that start inside the tiles, the first over
     * NaN accumulators without accumulate) against float64. On sm_90a wgmma reads both tiles transposed, B through a
     * 128-byte-swizzle descriptor that starts bChannel channels into its rows; a wrong start or step pairs wrong elements.
     */
    @ParameterizedTest(name = "WarpgroupMma transposed product from a swizzled tile on {0}, n {1} from channel {2}")
    @MethodSource("devicesColumnsAndChannels")
    void warpgroupMmaTransposedSwizzled(String id, int n, int bChannel) {
        int aRows = WarpgroupMmaKernels.SWIZZLED_A_ROWS, bRows = WarpgroupMmaKernels.SWIZZLED_B_ROWS;
        BFloat16Array a = randomBf16(aRows * 64L, 65), b = randomBf16(bRows * 64L, 66);
        FloatArray out = poisoned(64L * n);
        run(id, graph(a, b).task("t", WarpgroupMmaKernels::transposedSwizzled, new KernelContext(), a, b, out, n, bChannel)
                .withGrid("t", WorkerGrid.of(128, 128)), out);
        double[] ref = sums(n, (row, col, k) -> bValue(a, aRows, 24 + k, row)
                * (bValue(b, bRows, 8 + k, bChannel + col) + bValue(b, bRows, 16 + k, bChannel + col)));
        Check.close("WarpgroupMma transposed product from a swizzled tile", ref, out, 1e-5, 1e-5);
    }

    /** One term of a float64 reference product: C[row][col] sums {@code at(row, col, k)} over k. */
    private interface Term {
        double at(int row, int col, int k);
    }

    /** The float64 reference C ([64][n]) whose element (row, col) sums {@code term} over k = 0 .. 63. */
    private static double[] sums(int n, Term term) {
        double[] ref = new double[64 * n];
        for (int row = 0; row < 64; row++) {
            for (int col = 0; col < n; col++) {
                double sum = 0;
                for (int k = 0; k < 64; k++) {
                    sum += term.at(row, col, k);
                }
                ref[row * n + col] = sum;
            }
        }
        return ref;
    }

    /** Element (row, channel) of a 64-channel bf16 matrix whose rows at or past {@code rows} read as zeros. */
    private static double bValue(BFloat16Array b, int rows, int row, int channel) {
        return row < rows ? b.get(row * 64L + channel) : 0;
    }

    @ParameterizedTest(name = "shuffleXor (butterfly exchange in a warp) on {0}")
    @MethodSource("devices")
    void shuffleXor(String id) {
        int n = 1000; // the last warp is partly past n
        FloatArray x = random(n, 19, -5, 5), out = poisoned(5L * n);
        run(id, graph(x)
                .task("t", ConformanceKernels::shuffles, new KernelContext(), x, out, n)
                .withGrid("t", WorkerGrid.of(1024, 64)), out);
        double[] ref = new double[5 * n];
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < n; i++) {
                int from = i ^ (1 << s);
                ref[s * n + i] = from < n ? x.get(from) : 0;
            }
        }
        Check.close("shuffleXor", ref, out, 0, 0);
    }

    @ParameterizedTest(name = "FloatArray.setPair and scaleAddPair (8-byte stores) on {0}")
    @MethodSource("devices")
    void pairStores(String id) {
        int n = 2001, pairs = 1000; // the last element is no pair's: it keeps its poison
        FloatArray x = random(n, 16, -1, 1), out = poisoned(n), merged = random(n, 17, -1, 1);
        merged.set(n - 1, Float.NaN);
        FloatArray before = random(n, 17, -1, 1);
        run(id, graph(x, out, merged).task("t", ConformanceKernels::pairStores, x, out, merged, pairs), out, merged);
        for (int i = 0; i < n - 1; i++) {
            float written = i % 2 == 0 ? 2f * x.get(i) : x.get(i) + 1f;
            assertEquals(written, out.get(i), 0f, "setPair, element " + i);
            assertEquals(3.0 * before.get(i) + written, merged.get(i), 1e-6, "scaleAddPair, element " + i);
        }
        assertTrue(Float.isNaN(out.get(n - 1)), "the element past the last pair was written: " + out.get(n - 1));
        assertTrue(Float.isNaN(merged.get(n - 1)), "the element past the last pair was merged: " + merged.get(n - 1));
    }

    @ParameterizedTest(name = "atomicAdd (many work-items into few elements) on {0}")
    @MethodSource("devices")
    void atomicSums(String id) {
        int n = 100_003, bins = 7;
        FloatArray x = random(n, 18, -1, 1), sums = random(bins, 19, -1, 1), pairSums = random(2 * bins, 20, -1, 1);
        double[] ref = Check.toDoubles(sums), pairRef = Check.toDoubles(pairSums);
        for (int i = 0; i < n; i++) {
            ref[i % bins] += x.get(i);
            pairRef[2 * (i % bins)] += x.get(i);
            pairRef[2 * (i % bins) + 1] += 2.0 * x.get(i);
        }
        run(id, graph(x, sums, pairSums).task("t", ConformanceKernels::atomicSums, x, sums, pairSums, bins), sums, pairSums);
        // about 14,000 fp32 additions per bin, in any order: each rounds by up to 2^-24 of a running sum of size ~100;
        // a lost or doubled addition is off by up to 1 or 2
        Check.close("atomicAdd", ref, sums, 1e-3, 1e-4);
        Check.close("atomicAddPair", pairRef, pairSums, 1e-3, 1e-4);
    }
}
