package org.longnet.engine.conformance;

import org.longnet.engine.Slow;
import org.longnet.engine.DeviceTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.DeviceOutOfMemoryException;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.engine.Check.poisoned;
import static org.longnet.engine.Check.random;

/**
 * Every conformance kernel on every test device, against a float64 (or exact Java) reference,
 * with random inputs, outputs poisoned with NaN, and sizes that are not multiples of any
 * work-group size.
 */
@DeviceTest
class ConformanceTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    /** A graph that copies {@code inputs} to the device before its tasks. */
    private static TaskGraph graph(DeviceArray... inputs) {
        TaskGraph graph = new TaskGraph("g");
        return inputs.length == 0 ? graph : graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, inputs);
    }

    /** Runs the graph once on device {@code id}, then copies {@code outputs} back. */
    private static void run(String id, TaskGraph graph, DeviceArray... outputs) {
        run(TestDevices.open(id), graph.transferToHost(DataTransferMode.EVERY_EXECUTION, outputs));
    }

    private static void run(Device device, TaskGraph graph) {
        try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot()).withDevice(device)) {
            plan.execute();
        }
    }

    @ParameterizedTest(name = "vectorAdd on {0}")
    @MethodSource("devices")
    void vectorAdd(String id) {
        int n = 100_003;
        FloatArray a = random(n, 1, -2, 2), b = random(n, 2, -2, 2), c = poisoned(n);
        run(id, graph(a, b, c).task("t", ConformanceKernels::vectorAdd, a, b, c), c);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = (double) a.get(i) + b.get(i);
        }
        Check.close("vectorAdd", ref, c, 1e-7, 0);
    }

    @ParameterizedTest(name = "stridedScale on {0}")
    @MethodSource("devices")
    void stridedScale(String id) {
        int n = 50_021;
        FloatArray x = random(n, 3, -1, 1), y = poisoned(n);
        run(id, graph(x, y).task("t", ConformanceKernels::stridedScale, x, y, 5, 3, 1.5f), y);
        for (int i = 0; i < n; i++) {
            boolean touched = i >= 5 && (i - 5) % 3 == 0;
            float got = y.get(i);
            if (touched) {
                assertEquals(1.5 * x.get(i), got, 1e-6, "element " + i);
            } else {
                assertTrue(Float.isNaN(got), "element " + i + " is outside the loop's range but was written: " + got);
            }
        }
    }

    @ParameterizedTest(name = "transpose (2D; and through device functions of other classes) on {0}")
    @MethodSource("devices")
    void transpose(String id) {
        int rows = 301, cols = 157;
        FloatArray in = random((long) rows * cols, 4, -3, 3), out = poisoned((long) rows * cols), viaLibraries = poisoned((long) rows * cols);
        run(id, graph(in)
                .task("t", ConformanceKernels::transpose, in, out, rows, cols)
                .task("l", ConformanceKernels::libraryTranspose, in, viaLibraries, rows, cols), out, viaLibraries);
        double[] ref = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                ref[c * rows + r] = in.get((long) r * cols + c);
            }
        }
        Check.close("transpose", ref, out, 0, 0);
        Check.close("libraryTranspose", ref, viaLibraries, 0, 0);
    }

    @ParameterizedTest(name = "volume (3D) on {0}")
    @MethodSource("devices")
    void volume(String id) {
        int nz = 7, ny = 33, nx = 45;
        FloatArray out = poisoned((long) nz * ny * nx);
        run(id, graph().task("t", ConformanceKernels::volume, out, nz, ny, nx), out);
        double[] ref = new double[nz * ny * nx];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    ref[(z * ny + y) * nx + x] = 0.5 * z - 0.25 * y + x;
                }
            }
        }
        Check.close("volume", ref, out, 1e-7, 1e-6);
    }

    @ParameterizedTest(name = "groupSum (local memory, barriers) on {0}")
    @MethodSource("devices")
    void groupSum(String id) {
        int n = 100_003, group = ConformanceKernels.GROUP;
        int groups = (n + group - 1) / group;
        FloatArray x = random(n, 5, -1, 1), partials = poisoned(groups);
        run(id, graph(x)
                .task("t", ConformanceKernels::groupSum, new KernelContext(), x, partials)
                .withGrid("t", WorkerGrid.of(n, group)), partials);
        double[] ref = new double[groups];
        for (int i = 0; i < n; i++) {
            ref[i / group] += x.get(i);
        }
        Check.close("groupSum", ref, partials, 1e-5, 1e-5);
    }

    @ParameterizedTest(name = "libraryRowStats (device functions of other classes, with barriers) on {0}")
    @MethodSource("devices")
    void libraryRowStats(String id) {
        int rows = 37, cols = 1000;
        FloatArray x = random((long) rows * cols, 21, -8, 8), sums = poisoned(rows), maxes = poisoned(rows);
        run(id, graph(x)
                .task("t", ConformanceKernels::libraryRowStats, new KernelContext(), x, sums, maxes, cols)
                .withGrid("t", WorkerGrid.of((long) rows * ConformanceKernels.GROUP, ConformanceKernels.GROUP)), sums, maxes);
        double[] sumRef = new double[rows], maxRef = new double[rows];
        for (int r = 0; r < rows; r++) {
            maxRef[r] = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                sumRef[r] += x.get((long) r * cols + c);
                maxRef[r] = Math.max(maxRef[r], x.get((long) r * cols + c));
            }
        }
        Check.close("library sums", sumRef, sums, 1e-5, 1e-4);
        Check.close("library maxima", maxRef, maxes, 0, 0);
        assertTrue(KernelInfo.of(ConformanceKernels.class, "libraryRowStats").usesBarrier(),
                "the kernel waits for its group through the device functions it calls");
    }

    @ParameterizedTest(name = "rowSoftmax on {0}")
    @MethodSource("devices")
    void rowSoftmax(String id) {
        int rows = 37, cols = 1000;
        FloatArray x = random((long) rows * cols, 6, -8, 8), y = poisoned((long) rows * cols);
        run(id, graph(x)
                .task("t", ConformanceKernels::rowSoftmax, new KernelContext(), x, y, rows, cols)
                .withGrid("t", WorkerGrid.of((long) rows * ConformanceKernels.ROW_GROUP, ConformanceKernels.ROW_GROUP)), y);
        double[] ref = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, x.get((long) r * cols + c));
            }
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(x.get((long) r * cols + c) - max);
            }
            for (int c = 0; c < cols; c++) {
                ref[r * cols + c] = Math.exp(x.get((long) r * cols + c) - max) / sum;
            }
        }
        Check.close("rowSoftmax", ref, y, 1e-4, 1e-9);
    }

    @ParameterizedTest(name = "longIndexHash (global ids past 2^31) on {0}")
    @MethodSource("devices")
    void longIndexHash(String id) {
        int n = 5003;
        long first = (1L << 31) - 1000;
        IntArray out = Check.poisonedInts(n);
        run(id, graph().task("t", ConformanceKernels::longIndexHash, out, first), out);
        int[] ref = new int[n];
        for (int k = 0; k < n; k++) {
            long i = first + k;
            long h = i * 0x9E3779B97F4A7C15L;
            ref[k] = (int) (h >>> 33) ^ (int) (i >> 31);
        }
        Check.equal("longIndexHash", ref, out);
    }

    /**
     * A real array of more than 2^31 elements where the device can hold one; where it cannot
     * (PoCL caps one buffer at 1 GiB), the engine must refuse with a clear out-of-memory error.
     */
    @Slow
    @ParameterizedTest(name = "writeFar (array past 2^31 elements) on {0}")
    @MethodSource("devices")
    void writeFar(String id) {
        Device device = TestDevices.open(id);
        int n = 4099;
        long offset = (1L << 31) + 17;
        FloatArray src = random(n, 7, -4, 4);
        try (BFloat16Array big = new BFloat16Array(offset + n)) {
            big.set(offset - 1, 123f);
            TaskGraph g = new TaskGraph("g").transferToDevice(DataTransferMode.FIRST_EXECUTION, src, big)
                    .task("t", ConformanceKernels::writeFar, src, big, offset)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, big);
            if (big.byteSize() > device.info().maxAllocationBytes()) {
                DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> run(device, g));
                assertTrue(e.getMessage().contains("asked for") && e.getMessage().contains("free"), e.getMessage());
                return;
            }
            run(device, g);
            for (int i = 0; i < n; i++) {
                assertEquals(BFloat16Array.toFloat(BFloat16Array.fromFloat(2f * src.get(i))), big.get(offset + i), 0f, "element " + i);
            }
            assertEquals(123f, big.get(offset - 1), 0f, "the element before the written range must come back unchanged");
        }
    }

    @ParameterizedTest(name = "sixteenBit (fp16, bf16) on {0}")
    @MethodSource("devices")
    void sixteenBit(String id) {
        int n = 10_007;
        FloatArray in = random(n, 8, -70000, 70000);
        HalfFloatArray half = new HalfFloatArray(n);
        BFloat16Array bf = new BFloat16Array(n);
        FloatArray back = poisoned(n);
        run(id, graph(in).task("t", ConformanceKernels::sixteenBit, in, half, bf, back), half, bf, back);
        for (int i = 0; i < n; i++) {
            short h = Float.floatToFloat16(in.get(i));
            short b = BFloat16Array.fromFloat(in.get(i) * 3f);
            assertEquals(Float.float16ToFloat(h), half.get(i), 0f, "fp16 element " + i);
            assertEquals(BFloat16Array.toFloat(b), bf.get(i), 0f, "bf16 element " + i);
            assertEquals(Float.float16ToFloat(h) + BFloat16Array.toFloat(b), back.get(i), 0f, "sum element " + i);
        }
    }

    @ParameterizedTest(name = "mathFunctions on {0}")
    @MethodSource("devices")
    void mathFunctions(String id) {
        int n = 20_011;
        FloatArray x = random(n, 9, -3, 3), out = poisoned(n);
        run(id, graph(x).task("t", ConformanceKernels::mathFunctions, x, out), out);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            double v = x.get(i);
            double a = Math.exp(v) + Math.log(Math.abs(v) + 1) + Math.tanh(v);
            double b = Math.sqrt(Math.abs(v)) + 1 / Math.sqrt(v * v + 1) + Math.sin(v) * Math.cos(v);
            double c = (v * 2 + 1) + Math.floor(v) + Math.ceil(v) + Math.pow(2, v) + v % 0.75 + Math.pow(2, -1.5 * v);
            double d = 1 / (1 + Math.exp(-v)) + 1 / (1 + Math.exp(-40 * v));
            ref[i] = a + b + c + d + Math.min(v, 0.5) + Math.max(v, -0.5);
        }
        Check.close("mathFunctions", ref, out, 2e-5, 2e-5);
    }

    @ParameterizedTest(name = "integerSemantics on {0}")
    @MethodSource("devices")
    void integerSemantics(String id) {
        int n = 30_001;
        IntArray x = Check.randomInts(n, 10, Integer.MIN_VALUE, Integer.MAX_VALUE), out = Check.poisonedInts(n);
        FloatArray f = random(n, 11, -5, 5);
        for (int i = 0; i < 7; i++) {
            f.set(i, new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e38f, -3e38f, 2.5f, -2.5f}[i]);
        }
        run(id, graph(x, f).task("t", ConformanceKernels::integerSemantics, x, f, out), out);
        IntArray ref = new IntArray(n);
        ConformanceKernels.integerSemantics(x, f, ref); // the Java method itself defines the result
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) {
            expected[i] = ref.get(i);
        }
        Check.equal("integerSemantics", expected, out);
    }

    @ParameterizedTest(name = "polynomial (device function, private array) on {0}")
    @MethodSource("devices")
    void polynomial(String id) {
        int n = 7_919;
        FloatArray x = random(n, 12, -2, 2), out = poisoned(n);
        run(id, graph(x).task("t", ConformanceKernels::polynomial, x, out, 0.8f), out);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            double v = x.get(i), s = 0.8f;
            ref[i] = ((s / 4 * v + s / 3) * v + s / 2) * v + s;
        }
        Check.close("polynomial", ref, out, 1e-5, 1e-6);
    }

    @ParameterizedTest(name = "prefixSum (single work-item) on {0}")
    @MethodSource("devices")
    void prefixSum(String id) {
        int n = 3_001;
        FloatArray x = random(n, 13, 0, 1), out = poisoned(n);
        run(id, graph(x).task("t", ConformanceKernels::prefixSum, x, out), out);
        double[] ref = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x.get(i);
            ref[i] = s;
        }
        Check.close("prefixSum", ref, out, 1e-6, 0);
    }

    @ParameterizedTest(name = "collatz (while, do, break, continue) on {0}")
    @MethodSource("devices")
    void collatz(String id) {
        int n = 4_093;
        IntArray start = Check.randomInts(n, 14, -20, 1_000_000), steps = Check.poisonedInts(n);
        run(id, graph(start).task("t", ConformanceKernels::collatz, start, steps, 200), steps);
        int[] ref = new int[n];
        for (int i = 0; i < n; i++) {
            long v = start.get(i);
            if (v <= 0) {
                ref[i] = -1;
                continue;
            }
            int count = 0;
            while (v != 1 && count < 200) {
                v = v % 2 == 0 ? v / 2 : 3 * v + 1;
                count++;
            }
            ref[i] = start.get(i) % 2 != 0 ? count + 3 : count;
        }
        Check.equal("collatz", ref, steps);
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

    /** Element (row, channel) of a 64-channel bf16 matrix whose rows at or past {@code rows} read as zeros. */
    private static double bValue(BFloat16Array b, int rows, int row, int channel) {
        return row < rows ? b.get(row * 64L + channel) : 0;
    }

    private static BFloat16Array randomBf16(long n, long seed) {
        return toBf16(random(n, seed, -2, 2));
    }

    private static BFloat16Array toBf16(FloatArray values) {
        BFloat16Array out = new BFloat16Array(values.getSize());
        for (long i = 0; i < values.getSize(); i++) {
            out.set(i, values.get(i));
        }
        return out;
    }

    private static float bf16(float x) {
        return BFloat16Array.toFloat(BFloat16Array.fromFloat(x));
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

    @ParameterizedTest(name = "copy on {0}")
    @MethodSource("devices")
    void copy(String id) {
        int n = 1_000_003;
        FloatArray in = random(n, 15, -1, 1), out = poisoned(n);
        run(id, graph(in).task("t", ConformanceKernels::copy, in, out), out);
        Check.close("copy", Check.toDoubles(in), out, 0, 0);
    }
}
