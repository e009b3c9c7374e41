package org.longnet.engine.conformance;

import org.longnet.engine.Slow;
import org.longnet.engine.DeviceTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.DeviceOutOfMemoryException;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.engine.Check.poisoned;
import static org.longnet.engine.Check.random;
import static org.longnet.engine.conformance.ConformanceRuns.graph;
import static org.longnet.engine.conformance.ConformanceRuns.run;

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

    @ParameterizedTest(name = "copy on {0}")
    @MethodSource("devices")
    void copy(String id) {
        int n = 1_000_003;
        FloatArray in = random(n, 15, -1, 1), out = poisoned(n);
        run(id, graph(in).task("t", ConformanceKernels::copy, in, out), out);
        Check.close("copy", Check.toDoubles(in), out, 0, 0);
    }
}
