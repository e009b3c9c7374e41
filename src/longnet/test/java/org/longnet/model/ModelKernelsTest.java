package org.longnet.model;

import org.longnet.engine.DeviceTest;
import org.longnet.attention.ColumnSums;
import org.longnet.attention.ProjectionKernels;
import org.longnet.attention.RotaryReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;
import org.longnet.engine.library.PrecisionKernels;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model's layer kernels on every device: forward against float64, backward against central
 * differences (eps 1e-6) of the float64 forward, outputs poisoned with NaN first.
 */
@DeviceTest
class ModelKernelsTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    private static void run(String device, TaskGraph g) {
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(TestDevices.open(device))) {
            plan.execute();
        }
    }

    /** Central differences of f at x, element by element. */
    private static double[] numeric(double[] x, Function<double[], Double> f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + 1e-6;
            double up = f.apply(x);
            x[i] = keep - 1e-6;
            double down = f.apply(x);
            x[i] = keep;
            out[i] = (up - down) / 2e-6;
        }
        return out;
    }

    private static double[] layerNorm(double[] x, double[] w, double[] b, int cols) {
        double[] y = new double[x.length];
        for (int row = 0; row < x.length / cols; row++) {
            double m = 0, var = 0;
            for (int c = 0; c < cols; c++) {
                m += x[row * cols + c] / cols;
            }
            for (int c = 0; c < cols; c++) {
                var += Math.pow(x[row * cols + c] - m, 2) / cols;
            }
            for (int c = 0; c < cols; c++) {
                y[row * cols + c] = (x[row * cols + c] - m) / Math.sqrt(var + LayerNormKernels.EPS) * w[c] + b[c];
            }
        }
        return y;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static List<Arguments> devicesAndRowGroups() {
        List<Arguments> out = new ArrayList<>();
        for (String d : devices()) {
            for (int group : new int[] {1, 8, 64, LayerNormKernels.MAX_ROW_GROUP}) { // 64 and up: sums within warps first
                out.add(Arguments.of(d, group));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "LayerNorm forward and backward on {0}, {1} work-items per row")
    @MethodSource("devicesAndRowGroups")
    void layerNorm(String device, int group) {
        int rows = 301, cols = 13, chunks = 8;
        // x and dy have two more rows than are normalised, NaN: the kernels must stop at rows (a chunk of a longer sequence)
        FloatArray x = poisonedTail(Check.random(rows * cols, 1, -2, 2), 2 * cols), dy = poisonedTail(Check.random(rows * cols, 4, -1, 1), 2 * cols);
        FloatArray w = Check.random(cols, 2, 0.5f, 1.5f), b = Check.random(cols, 3, -1, 1);
        FloatArray y = Check.poisoned(rows * cols), mean = Check.poisoned(rows), rstd = Check.poisoned(rows);
        BFloat16Array y16 = new BFloat16Array(rows * cols);
        FloatArray mean16 = Check.poisoned(rows), rstd16 = Check.poisoned(rows);
        for (int i = 0; i < rows * cols; i++) {
            y16.set(i, Float.NaN); // poisoned
        }
        // dw accumulates onto what it holds (gradients summed over chunks), db is overwritten
        FloatArray dx = Check.poisoned(rows * cols), dw = Check.random(cols, 8, -1, 1), db = Check.poisoned(cols);
        FloatArray stream = Check.random(rows * cols, 9, -1, 1); // the residual stream's gradient, added to dx
        FloatArray dxAlso = Check.poisoned(rows * cols); // the same from the kernel that also writes bf16
        BFloat16Array dx16 = new BFloat16Array(rows * cols);
        for (int i = 0; i < rows * cols; i++) {
            dx16.set(i, Float.NaN); // poisoned
        }
        double[] dwBefore = Check.toDoubles(dw);
        FloatArray partials = Check.poisoned(2 * chunks * cols);
        TaskGraph graph = new TaskGraph("ln").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, w, b, dy, dw, stream, dx16)
                .task("fwd", LayerNormKernels::forward, new KernelContext(), x, w, 0, w, b, y, mean, rstd, cols, group)
                .withGrid("fwd", WorkerGrid.of((long) rows * group, group))
                .task("fwd16", LayerNormKernels::forwardBf16, new KernelContext(), x, w, 0, w, b, y16, mean16, rstd16, cols, group)
                .withGrid("fwd16", WorkerGrid.of((long) rows * group, group))
                .task("dx", LayerNormKernels::backwardInput, new KernelContext(), x, w, 0, w, mean, rstd, dy, stream, 1, dx, cols, group)
                .withGrid("dx", WorkerGrid.of((long) rows * group, group))
                .task("dxAndBf16", LayerNormKernels::backwardInputAndBf16, new KernelContext(), x, w, mean, rstd, dy, stream, 1, dxAlso, dx16,
                        cols, group)
                .withGrid("dxAndBf16", WorkerGrid.of((long) rows * group, group))
                .task("partial", LayerNormKernels::backwardParamsPartial, x, w, 0, mean, rstd, dy, partials, (long) rows, cols, chunks);
        ColumnSums.sumChunks(graph, "dw", partials, dw, cols, chunks, 0, true);
        ColumnSums.sumChunks(graph, "db", partials, db, cols, chunks, chunks, false);
        run(device, graph.transferToHost(DataTransferMode.EVERY_EXECUTION, y, y16, mean, rstd, mean16, rstd16, dx, dw, db, dxAlso, dx16));
        double[] xs = java.util.Arrays.copyOf(Check.toDoubles(x), rows * cols), ws = Check.toDoubles(w), bs = Check.toDoubles(b);
        double[] g = java.util.Arrays.copyOf(Check.toDoubles(dy), rows * cols);
        Check.close("LayerNorm y", layerNorm(xs, ws, bs, cols), y, 1e-5, 1e-5);
        // in bf16: the same values rounded once (relative error at most 2^-9), and the same statistics
        FloatArray y16AsFloats = new FloatArray(rows * cols);
        for (int i = 0; i < rows * cols; i++) {
            y16AsFloats.set(i, y16.get(i));
        }
        Check.close("LayerNorm y in bf16", layerNorm(xs, ws, bs, cols), y16AsFloats, 4e-3, 1e-5);
        Check.close("LayerNorm mean (bf16 output)", Check.toDoubles(mean), mean16, 0, 0);
        Check.close("LayerNorm rstd (bf16 output)", Check.toDoubles(rstd), rstd16, 0, 0);
        double[] dxRef = numeric(xs, v -> dot(layerNorm(v, ws, bs, cols), g));
        for (int i = 0; i < rows * cols; i++) {
            dxRef[i] += stream.get(i);
        }
        Check.close("LayerNorm dx plus the stream's gradient", dxRef, dx, 1e-3, 1e-4);
        Check.close("LayerNorm dx plus the stream's gradient (kernel that writes bf16 too)", dxRef, dxAlso, 1e-3, 1e-4);
        Check.close("LayerNorm dx plus the stream's gradient in bf16", dxRef, widen(dx16), 5e-3, 1e-3);
        double[] dwRef = numeric(ws, v -> dot(layerNorm(xs, v, bs, cols), g));
        for (int c = 0; c < cols; c++) {
            dwRef[c] += dwBefore[c];
        }
        Check.close("LayerNorm dw", dwRef, dw, 1e-3, 1e-4);
        Check.close("LayerNorm db", numeric(bs, v -> dot(layerNorm(xs, ws, v, cols), g)), db, 1e-3, 1e-4);
    }

    /** a followed by {@code extra} NaNs. */
    private static FloatArray poisonedTail(FloatArray a, long extra) {
        FloatArray out = Check.poisoned(a.getSize() + extra);
        for (long i = 0; i < a.getSize(); i++) {
            out.set(i, a.get(i));
        }
        return out;
    }

    private static double gelu(double v) {
        return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
    }

    @ParameterizedTest(name = "bias and residual stream added to a product on {0}")
    @MethodSource("devices")
    void biasAndStream(String device) {
        int rows = 13, cols = 77, n = rows * cols; // 77 columns: not a multiple of the group width
        // two NaN rows past the product's rows in y: the kernel must stop at rows
        FloatArray y = poisonedTail(Check.random(n, 21, -2, 2), 2 * cols), bias = Check.random(cols, 22, -1, 1);
        FloatArray stream = Check.random(n, 23, -3, 3);
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = (double) y.get(i) + bias.get(i % cols) + stream.get(i);
        }
        run(device, new TaskGraph("residual").transferToDevice(DataTransferMode.FIRST_EXECUTION, y, bias, stream)
                .task("add", ResidualKernels::addBiasAndStream, y, bias, stream, rows, cols)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y));
        Check.close("y + bias + stream", ref, prefix(y, n), 1e-6, 1e-6);
        for (int i = n; i < n + 2 * cols; i++) {
            assertTrue(Float.isNaN(y.get(i)), "element " + i + " past the rows was written");
        }
    }

    /**
     * The feed-forward's inner norm, which reads the hidden layer's product x and normalizes gelu(x + inBias):
     * its output, statistics and all three gradients (the input's with respect to x + inBias) against float64.
     */
    @ParameterizedTest(name = "LayerNorm of gelu(x + bias), forward and backward, on {0}, {1} work-items per row")
    @MethodSource("devicesAndRowGroups")
    void layerNormOfGelu(String device, int group) {
        // 78 columns (39 pairs for the bf16 kernels): not a multiple of any group; 21 chunks: more than the chunk sums' parts
        int rows = 37, cols = 78, n = rows * cols, chunks = 21;
        // x's and dy's values are bf16 numbers, so the fp32 kernels (FloatArrays) and the bf16 path's (x16, dy16) share references
        FloatArray x = Check.random(n, 11, -4, 4), inBias = Check.random(cols, 15, -1, 1), dy = Check.random(n, 12, -1, 1);
        BFloat16Array x16 = new BFloat16Array(n), dy16 = new BFloat16Array(n);
        for (int i = 0; i < n; i++) {
            x16.set(i, x.get(i));
            x.set(i, x16.get(i));
            dy16.set(i, dy.get(i));
            dy.set(i, dy16.get(i));
        }
        FloatArray w = Check.random(cols, 13, 0.5f, 1.5f), b = Check.random(cols, 14, -1, 1);
        FloatArray y = Check.poisoned(n), mean = Check.poisoned(rows), rstd = Check.poisoned(rows), dpre = Check.poisoned(n);
        FloatArray partials = Check.poisoned(2 * chunks * cols), dw = Check.poisoned(cols), db = Check.poisoned(cols);
        // the bf16 outputs: of the generic kernels, and of the bf16 path's (x16 in, the row kept in local memory)
        BFloat16Array dpre16 = new BFloat16Array(n), yCached = new BFloat16Array(n), dpreOf16 = new BFloat16Array(n);
        FloatArray meanCached = Check.poisoned(rows), rstdCached = Check.poisoned(rows);
        FloatArray partials16 = Check.poisoned(2 * chunks * cols), dw16 = Check.poisoned(cols), db16 = Check.poisoned(cols);
        for (int i = 0; i < n; i++) {
            dpre16.set(i, Float.NaN); // poisoned
            yCached.set(i, Float.NaN);
            dpreOf16.set(i, Float.NaN);
        }
        TaskGraph graph = new TaskGraph("lnGelu").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, x16, inBias, dy, dy16, w, b, dpre16,
                        yCached, dpreOf16)
                .task("fwd", LayerNormKernels::forward, new KernelContext(), x, inBias, 1, w, b, y, mean, rstd, cols, group)
                .withGrid("fwd", WorkerGrid.of((long) rows * group, group))
                .task("dx", LayerNormKernels::backwardInput, new KernelContext(), x, inBias, 1, w, mean, rstd, dy, dy, 0, dpre, cols, group)
                .withGrid("dx", WorkerGrid.of((long) rows * group, group))
                .task("dx16", LayerNormKernels::backwardInputBf16, new KernelContext(), x, inBias, 1, w, mean, rstd, dy, dpre16, cols, group)
                .withGrid("dx16", WorkerGrid.of((long) rows * group, group))
                .task("partial", LayerNormKernels::backwardParamsPartial, x, inBias, 1, mean, rstd, dy, partials, (long) rows, cols, chunks)
                .task("fwdCached", LayerNormKernels::forwardOfGeluCached, new KernelContext(), x16, inBias, w, b, yCached, meanCached,
                        rstdCached, cols, group)
                .withGrid("fwdCached", WorkerGrid.of((long) rows * group, group))
                .task("dxOf16", LayerNormKernels::backwardOfGeluBf16, new KernelContext(), x16, inBias, w, meanCached, rstdCached, dy16,
                        dpreOf16, partials16, (long) rows, cols, group, chunks)
                .withGrid("dxOf16", WorkerGrid.of((long) chunks * group, group));
        ColumnSums.sumChunks(graph, "dw", partials, dw, cols, chunks, 0, false);
        ColumnSums.sumChunks(graph, "db", partials, db, cols, chunks, chunks, false);
        ColumnSums.sumChunks(graph, "dw16", partials16, dw16, cols, chunks, 0, false);
        ColumnSums.sumChunks(graph, "db16", partials16, db16, cols, chunks, chunks, false);
        run(device, graph.transferToHost(DataTransferMode.EVERY_EXECUTION, y, dpre, dpre16, dw, db, yCached, mean, rstd, meanCached, rstdCached,
                dpreOf16, dw16, db16));
        double[] pres = Check.toDoubles(x), g = Check.toDoubles(dy), ws = Check.toDoubles(w), bs = Check.toDoubles(b);
        for (int i = 0; i < n; i++) {
            pres[i] += inBias.get(i % cols);
        }
        java.util.function.Function<double[], double[]> geluOf = v -> {
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = gelu(v[i]);
            }
            return out;
        };
        double[] hidden = geluOf.apply(pres);
        Check.close("LayerNorm of GELU y", layerNorm(hidden, ws, bs, cols), y, 1e-5, 1e-5);
        double[] dpreRef = numeric(pres, v -> dot(layerNorm(geluOf.apply(v), ws, bs, cols), g));
        Check.close("LayerNorm of GELU dx", dpreRef, dpre, 1e-3, 1e-4);
        FloatArray dpre16AsFloats = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            dpre16AsFloats.set(i, dpre16.get(i));
        }
        Check.close("LayerNorm of GELU dx in bf16", dpreRef, dpre16AsFloats, 5e-3, 1e-3);
        Check.close("LayerNorm of GELU y from bf16 x, row kept in local memory", layerNorm(hidden, ws, bs, cols), widen(yCached), 4e-3, 1e-5);
        Check.close("LayerNorm of GELU mean (row kept)", Check.toDoubles(mean), meanCached, 1e-6, 1e-6);
        Check.close("LayerNorm of GELU rstd (row kept)", Check.toDoubles(rstd), rstdCached, 1e-6, 1e-6);
        double[] dwRef = numeric(ws, v -> dot(layerNorm(hidden, v, bs, cols), g));
        double[] dbRef = numeric(bs, v -> dot(layerNorm(hidden, ws, v, cols), g));
        Check.close("LayerNorm of GELU dw", dwRef, dw, 1e-3, 1e-4);
        Check.close("LayerNorm of GELU db", dbRef, db, 1e-3, 1e-4);
        Check.close("LayerNorm of GELU dx from bf16 x", dpreRef, widen(dpreOf16), 5e-3, 1e-3);
        Check.close("LayerNorm of GELU dw from bf16 x", dwRef, dw16, 1e-3, 1e-4);
        Check.close("LayerNorm of GELU db from bf16 x", dbRef, db16, 1e-3, 1e-4);
    }

    /** A bf16 array's values as floats. */
    private static FloatArray widen(BFloat16Array a) {
        FloatArray out = new FloatArray(a.getSize());
        for (long i = 0; i < a.getSize(); i++) {
            out.set(i, a.get(i));
        }
        return out;
    }

    /** The first n elements of a (past them: the poisoned tail). */
    private static FloatArray prefix(FloatArray a, int n) {
        FloatArray out = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            out.set(i, a.get(i));
        }
        return out;
    }

    /** Also on a chunk of a longer sequence (rows that are positions 700 .. 736 of 2,000, as on one rank of several). */
    @ParameterizedTest(name = "rotary and XPOS positions, and their transposes, on {0}")
    @MethodSource("devices")
    void rotary(String device) {
        int batch = 2, n = 37, heads = 3, d = 10; // 555 rows of 5 channel pairs
        float[] bases = {10_000f, 1e7f};
        int[][] placements = {{0, n}, {700, 2000}};
        for (int xpos = 0; xpos <= 1; xpos++) {
            for (float base : bases) {
                for (int inverse = 0; inverse <= 1; inverse++) {
                    for (int[] at : placements) {
                        FloatArray x = Check.random((long) batch * n * heads * d, 11 + xpos + inverse, -2, 2);
                        double[] ref = Check.toDoubles(x);
                        RotaryReference.rotate(ref, n, heads, d, xpos == 1, -1, inverse == 1, base, at[0], at[1]);
                        run(device, new TaskGraph("rotary").transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                                .task("rotate", ProjectionKernels::rotate, x, n, heads, d, xpos, -1f, inverse, base, at[0], at[1])
                                .transferToHost(DataTransferMode.EVERY_EXECUTION, x));
                        Check.close("rotary, base " + base + ", xpos " + xpos + ", inverse " + inverse + ", rows from " + at[0] + " of " + at[1],
                                ref, x, 2e-5, 2e-5);
                    }
                }
            }
        }
    }

    /**
     * At a million positions the first pair turns a million radians: a device's fast sine and cosine
     * of such an argument are off by a tenth or more, so the kernel reduces the angle first.
     */
    @ParameterizedTest(name = "rotary angles at 1M positions on {0}")
    @MethodSource("devices")
    void rotaryFarAlong(String device) {
        int n = 1 << 20, heads = 1, d = 2; // one channel pair, whose frequency is exactly 1
        FloatArray x = Check.random((long) n * d, 13, -2, 2);
        double[] ref = Check.toDoubles(x);
        RotaryReference.rotate(ref, n, heads, d, false, 1, false, 10_000f);
        run(device, new TaskGraph("rotary").transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                .task("rotate", ProjectionKernels::rotate, x, n, heads, d, 0, 1f, 0, 10_000f, 0, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, x));
        Check.close("rotary at positions up to " + n, ref, x, 1e-4, 1e-4);
    }

    /**
     * bf16 operands in one pass: forward, a projection's product plus bias, positioned (or not), for the
     * matrix-unit attention; backward, attention's dQ or dK with the positions' transpose, for the GEMMs.
     * The output is the middle part of wider rows (as K's in rows of Q, K and V): the rest must stay untouched.
     */
    @ParameterizedTest(name = "bias, positions and bf16 rounding of attention and projection operands on {0}")
    @MethodSource("devices")
    void attentionOperand(String device) {
        int batch = 2, n = 37, heads = 3, d = 10, size = batch * n * heads * d; // 555 rows of 5 channel pairs
        for (int inverse = 0; inverse <= 1; inverse++) {
            for (int rotary = 0; rotary <= 1; rotary++) {
                for (int xpos = 0; xpos <= rotary; xpos++) {
                    int addBias = 1 - inverse; // gradients have no bias
                    FloatArray x = Check.random(size, 31 + xpos + rotary + 2 * inverse, -2, 2), bias = Check.random(heads * d, 33, -1, 1);
                    int rows = batch * n, width = heads * d, stride = 3 * width + 2, column = width;
                    BFloat16Array out = new BFloat16Array((long) rows * stride);
                    for (int i = 0; i < rows * stride; i++) {
                        out.set(i, Float.NaN); // poisoned
                    }
                    double[] ref = Check.toDoubles(x);
                    for (int i = 0; i < size; i++) {
                        ref[i] += addBias * bias.get(i % (heads * d));
                    }
                    if (rotary == 1) {
                        RotaryReference.rotate(ref, n, heads, d, xpos == 1, -1, inverse == 1, 1e7f, 300, 1000);
                    }
                    run(device, new TaskGraph("operand").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, bias, out)
                            .task("operand", ProjectionKernels::biasRotateBf16, x, bias, addBias, out, stride, column, n, heads, d, rotary, xpos,
                                    -1f, inverse, 1e7f, 300, 1000)
                            .transferToHost(DataTransferMode.EVERY_EXECUTION, out));
                    FloatArray got = new FloatArray(size);
                    for (int i = 0; i < rows * stride; i++) {
                        int c = i % stride - column;
                        if (c >= 0 && c < width) {
                            got.set((long) i / stride * width + c, out.get(i));
                        } else {
                            assertTrue(Float.isNaN(out.get(i)), "element " + i % stride + " of row " + i / stride + " outside the operand's columns");
                        }
                    }
                    // bf16 keeps 8 bits: relative error up to 2^-9 on top of the fp32 kernel's
                    Check.close("operand, inverse " + inverse + ", rotary " + rotary + ", xpos " + xpos, ref, got, 4e-3, 1e-4);
                }
            }
        }
    }

    @ParameterizedTest(name = "rounding to bf16 for GEMM operands, and filling, on {0}")
    @MethodSource("devices")
    void bf16Rounding(String device) {
        // Lengths that are not multiples of 4 (each work-item rounds four elements a quarter of the length apart),
        // and ones shorter than four quarters.
        for (int used : new int[] {999, 5, 2, 1}) {
            int n = used + 2;
            FloatArray x = Check.random(n, 7, -300, 300);
            BFloat16Array y = new BFloat16Array(n);
            BFloat16Array filled = new BFloat16Array(n);
            for (int i = 0; i < n; i++) {
                y.set(i, Float.NaN);
                filled.set(i, Float.NaN);
            }
            run(device, new TaskGraph("bf16").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, y, filled)
                    .task("round", PrecisionKernels::toBf16, x, y, (long) used)
                    .task("fill", PrecisionKernels::fill, filled, 1.5f, (long) used)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, y, filled));
            for (int i = 0; i < n; i++) {
                float expected = i < used ? BFloat16Array.toFloat(BFloat16Array.fromFloat(x.get(i))) : Float.NaN;
                assertEquals(expected, y.get(i), 0f, "element " + i + " of " + x.get(i) + ", length " + used);
                assertEquals(i < used ? 1.5f : Float.NaN, filled.get(i), 0f, "filled element " + i + ", length " + used);
            }
        }
    }

    /** A weight's bf16 copy into some columns of a wider matrix (odd sizes: no pairs), the rest untouched. */
    @ParameterizedTest(name = "rounding to bf16 into columns of a wider matrix on {0}")
    @MethodSource("devices")
    void bf16Columns(String device) {
        int rows = 37, cols = 5, stride = 13, column = 3;
        FloatArray x = Check.random(rows * cols, 8, -300, 300);
        BFloat16Array y = new BFloat16Array((long) rows * stride);
        for (int i = 0; i < rows * stride; i++) {
            y.set(i, Float.NaN);
        }
        run(device, new TaskGraph("columns").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, y)
                .task("round", PrecisionKernels::toBf16Columns, x, y, rows, cols, stride, column)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y));
        for (int i = 0; i < rows * stride; i++) {
            int r = i / stride, c = i % stride - column;
            float expected = c >= 0 && c < cols ? BFloat16Array.toFloat(BFloat16Array.fromFloat(x.get((long) r * cols + c))) : Float.NaN;
            assertEquals(expected, y.get(i), 0f, "row " + r + ", column " + i % stride);
        }
    }

    @ParameterizedTest(name = "byte embedding forward and backward on {0}")
    @MethodSource("devices")
    void embedding(String device) {
        int tokens = 301, dim = 12, vocab = 256;
        IntArray ids = Check.randomInts(tokens, 7, 0, 40); // few distinct bytes, so rows repeat
        FloatArray table = Check.random((long) vocab * dim, 8, -1, 1), dout = Check.random((long) tokens * dim, 9, -1, 1);
        FloatArray out = Check.poisoned((long) tokens * dim), dtable = Check.poisoned((long) vocab * dim);
        FloatArray prior = Check.random((long) vocab * dim, 10, -1, 1), summed = Check.random((long) vocab * dim, 10, -1, 1);
        FloatArray oneHot = Check.poisoned((long) tokens * vocab);
        TaskGraph g = new TaskGraph("emb").transferToDevice(DataTransferMode.FIRST_EXECUTION, ids, table, dout, summed, oneHot)
                .task("fwd", EmbeddingKernels::forward, ids, table, out, dim);
        Embedding.backward(g, "bwd", ids, dout, dtable, oneHot, vocab, dim, false);
        Embedding.backward(g, "bwdAccumulate", ids, dout, summed, oneHot, vocab, dim, true);
        run(device, g.transferToHost(DataTransferMode.EVERY_EXECUTION, out, dtable, summed));
        double[] ref = new double[tokens * dim], grad = new double[vocab * dim];
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < dim; c++) {
                ref[t * dim + c] = table.get((long) ids.get(t) * dim + c);
                grad[ids.get(t) * dim + c] += dout.get((long) t * dim + c);
            }
        }
        Check.close("embedding out", ref, out, 0, 0);
        Check.close("embedding dtable", grad, dtable, 1e-5, 1e-5);
        double[] accumulated = new double[vocab * dim];
        for (int i = 0; i < accumulated.length; i++) {
            accumulated[i] = prior.get(i) + grad[i];
        }
        Check.close("embedding dtable added to a tied head's share", accumulated, summed, 1e-5, 1e-5);
    }

    /** Mean over rows with a target (negative: ignored). */
    private static double meanLoss(double[] logits, int[] targets, int vocab) {
        double total = 0;
        int counted = 0;
        for (int row = 0; row < targets.length; row++) {
            if (targets[row] < 0) {
                continue;
            }
            counted++;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int v = 0; v < vocab; v++) {
                max = Math.max(max, logits[row * vocab + v]);
            }
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[row * vocab + v] - max);
            }
            total += max + Math.log(sum) - logits[row * vocab + targets[row]];
        }
        return total / counted;
    }

    @ParameterizedTest(name = "softmax cross-entropy forward and backward on {0}")
    @MethodSource("devices")
    void crossEntropy(String device) {
        int rows = 9, vocab = 256;
        FloatArray logits = Check.random((long) rows * vocab, 10, -6, 6);
        IntArray targets = Check.randomInts(rows, 11, 0, vocab);
        targets.set(2, CrossEntropyKernels.IGNORED); // two rows without loss
        targets.set(7, CrossEntropyKernels.IGNORED);
        int counted = rows - 2;
        FloatArray scale = new FloatArray(1);
        scale.set(0, 1f / counted);
        FloatArray losses = Check.poisoned(rows);
        double[] before = Check.toDoubles(logits);
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = targets.get(i);
        }
        run(device, new TaskGraph("ce").transferToDevice(DataTransferMode.FIRST_EXECUTION, logits, targets, scale)
                .task("ce", CrossEntropyKernels::forwardBackward, logits, targets, losses, vocab, scale)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, losses, logits));
        double mean = 0;
        for (int i = 0; i < rows; i++) {
            mean += losses.get(i) / counted;
        }
        assertEquals(meanLoss(before, t, vocab), mean, 1e-5);
        Check.close("dlogits", numeric(before, v -> meanLoss(v, t, vocab)), logits, 1e-3, 1e-6);
    }

    @ParameterizedTest(name = "AdamW on {0}")
    @MethodSource("devices")
    void adamW(String device) {
        int n = 777;
        FloatArray p = Check.random(n, 12, -1, 1), g = Check.random(n, 13, -1, 1), m = new FloatArray(n), v = new FloatArray(n);
        double[] ps = Check.toDoubles(p), gs = Check.toDoubles(g), ms = new double[n], vs = new double[n];
        FloatArray settings = new FloatArray(AdamWKernels.SETTINGS);
        TaskGraph graph = new TaskGraph("adam").transferToDevice(DataTransferMode.FIRST_EXECUTION, p, g, m, v)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, settings)
                .task("step", AdamWKernels::update, p, g, m, v, settings, 0.9f, 0.98f, 1e-8f, 0.01f)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, p);
        try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot()).withDevice(TestDevices.open(device))) {
            for (int step = 1; step <= 3; step++) {
                AdamWKernels.settings(settings, 6e-4, 0.5, 0.9, 0.98, step);
                plan.execute();
                for (int i = 0; i < n; i++) {
                    double gi = gs[i] * 0.5;
                    ms[i] = 0.9 * ms[i] + 0.1 * gi;
                    vs[i] = 0.98 * vs[i] + 0.02 * gi * gi;
                    double mHat = ms[i] / (1 - Math.pow(0.9, step)), vHat = vs[i] / (1 - Math.pow(0.98, step));
                    ps[i] -= 6e-4 * (mHat / (Math.sqrt(vHat) + 1e-8) + 0.01 * ps[i]);
                }
            }
        }
        Check.close("AdamW parameters after 3 steps", ps, p, 1e-6, 1e-6);
    }

    @ParameterizedTest(name = "sum of squares (gradient norm) on {0}")
    @MethodSource("devices")
    void sumOfSquares(String device) {
        int n = 100_003, groups = 13;
        FloatArray x = Check.random(n, 14, -1, 1), partials = Check.poisoned(groups);
        TaskGraph g = new TaskGraph("norm").transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                .task("sq", NormKernels::sumOfSquares, new org.longnet.engine.api.KernelContext(), x, partials)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, partials);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(TestDevices.open(device))
                .withGrid("norm.sq", org.longnet.engine.graph.WorkerGrid.of((long) groups * NormKernels.GROUP, NormKernels.GROUP))) {
            plan.execute();
        }
        double ref = 0, got = 0;
        for (int i = 0; i < n; i++) {
            ref += (double) x.get(i) * x.get(i);
        }
        for (int i = 0; i < groups; i++) {
            got += partials.get(i);
        }
        assertEquals(ref, got, 1e-5 * ref);
    }

    @org.junit.jupiter.api.Test
    void learningRateWarmsUpThenDecays() {
        LearningRate lr = new LearningRate(6e-4, 0, 750, 10_749, 1);
        assertEquals(6e-4 / 750, lr.at(1), 1e-12);
        assertEquals(6e-4, lr.at(750), 1e-12);
        assertEquals(3e-4, lr.at(5750), 1e-12, "linear decay over the 10,000 steps after the warm-up, to step 10,750");
        assertEquals(6e-4 / 10_000, lr.at(10_749), 1e-12, "the last step still moves the weights");
        assertEquals(0, lr.at(10_750), 1e-12, "the end rate one step after the last");
        assertEquals(0, lr.at(20_000), 1e-12, "past the end it stays at the end rate");
        for (long total : new long[] {1, 2, 3, 10}) {
            for (long warmup = 0; warmup <= total; warmup++) {
                LearningRate short_ = new LearningRate(1e-3, 0, warmup, total, 1);
                for (long step = 1; step <= total; step++) {
                    org.junit.jupiter.api.Assertions.assertTrue(short_.at(step) > 0,
                            "step " + step + " of " + total + " (warm-up " + warmup + ") moves the weights");
                }
            }
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LearningRate(6e-4, 0, 800, 700, 1));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("warm-up steps"), e.getMessage());
    }
}
