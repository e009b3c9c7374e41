package org.longnet.model;

import org.longnet.engine.DeviceTest;
import org.longnet.attention.ColumnSums;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model's LayerNorm, GELU, bias and residual kernels on every device: forward against float64, backward against
 * central differences (eps 1e-6) of the float64 forward, outputs poisoned with NaN first.
 */
@DeviceTest
class ModelKernelsTest {
    static List<String> devices() {
        return TestDevices.ids();
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
            for (int group : new int[] {1, 8, 32, 64, LayerNormKernels.MAX_ROW_GROUP}) { // 64 and up: sums within warps first
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
        FloatArray dxAlso = Check.poisoned(rows * cols); // the same from the backward that also writes bf16
        BFloat16Array dx16 = poisoned16(rows * cols), dxOnly16 = poisoned16(rows * cols); // the second from the bf16-only backward
        double[] dwBefore = Check.toDoubles(dw);
        // each backward's gain and bias gradients, through partial sums of its own
        // the backward that writes bf16 too also sums dx (a third set of partials); the others' partials have room for two only
        FloatArray partials = Check.poisoned(2 * chunks * cols), partialsAlso = Check.poisoned(3 * chunks * cols), dxSums = Check.poisoned(cols);
        FloatArray partials16 = Check.poisoned(2 * chunks * cols);
        FloatArray dwAlso = Check.poisoned(cols), dbAlso = Check.poisoned(cols), dw16 = Check.poisoned(cols), db16 = Check.poisoned(cols);
        WorkerGrid chunked = WorkerGrid.of((long) chunks * group, group);
        // the outputs a backward is not asked for: passed poisoned, they must stay so
        FloatArray unwritten = Check.poisoned(rows * cols);
        BFloat16Array unwritten16 = poisoned16(rows * cols);
        int both = LayerNormBackwardKernels.FP32 | LayerNormBackwardKernels.BF16 | LayerNormBackwardKernels.SUM;
        // the outputs go to the device poisoned too
        TaskGraph graph = new TaskGraph("ln").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, w, b, dy, dw, stream, dx16, dxOnly16, dx, db,
                        dxAlso, partials, partialsAlso, partials16, dwAlso, dbAlso, dw16, db16, unwritten, unwritten16, dxSums)
                .task("fwd", LayerNormKernels::forward, new KernelContext(), x, w, 0, w, b, y, mean, rstd, cols, group)
                .withGrid("fwd", WorkerGrid.of((long) rows * group, group))
                .task("fwd16", LayerNormKernels::forwardBf16, new KernelContext(), x, w, 0, w, b, y16, mean16, rstd16, cols, group)
                .withGrid("fwd16", WorkerGrid.of((long) rows * group, group))
                .task("dx", LayerNormBackwardKernels::backward, new KernelContext(), x, w, 0, w, mean, rstd, dy, stream, 1, dx, unwritten16,
                        LayerNormBackwardKernels.FP32, partials, (long) rows, cols, group, chunks)
                .withGrid("dx", chunked)
                .task("dxAndBf16", LayerNormBackwardKernels::backward, new KernelContext(), x, w, 0, w, mean, rstd, dy, stream, 1, dxAlso, dx16,
                        both, partialsAlso, (long) rows, cols, group, chunks)
                .withGrid("dxAndBf16", chunked)
                .task("dxBf16", LayerNormBackwardKernels::backward, new KernelContext(), x, w, 0, w, mean, rstd, dy, dy, 0, unwritten, dxOnly16,
                        LayerNormBackwardKernels.BF16, partials16, (long) rows, cols, group, chunks)
                .withGrid("dxBf16", chunked);
        sumParameterGradients(graph, "", partials, dw, db, cols, chunks, true);
        sumParameterGradients(graph, "Also", partialsAlso, dwAlso, dbAlso, cols, chunks, false);
        sumParameterGradients(graph, "16", partials16, dw16, db16, cols, chunks, false);
        ColumnSums.sumChunks(graph, "dxSums", partialsAlso, dxSums, cols, chunks, 2 * chunks, false);
        TestDevices.run(device, graph.transferToHost(DataTransferMode.EVERY_EXECUTION, y, y16, mean, rstd, mean16, rstd16, dx, dw, db, dxAlso, dx16,
                dxOnly16, dwAlso, dbAlso, dw16, db16, unwritten, unwritten16, dxSums));
        assertUnwritten(unwritten, unwritten16);
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
        double[] dxRef = Check.centralDifferences(xs, v -> dot(layerNorm(v, ws, bs, cols), g));
        for (int i = 0; i < rows * cols; i++) {
            dxRef[i] += stream.get(i);
        }
        Check.close("LayerNorm dx plus the stream's gradient", dxRef, dx, 1e-3, 1e-4);
        Check.close("LayerNorm dx plus the stream's gradient (backward that writes bf16 too)", dxRef, dxAlso, 1e-3, 1e-4);
        Check.close("LayerNorm dx's column sums (a Linear's bias gradient)", columnSums(dxRef, cols), dxSums, 1e-3, 1e-4);
        Check.close("LayerNorm dx plus the stream's gradient in bf16", dxRef, widen(dx16), 5e-3, 1e-3);
        double[] dxOwn = Check.centralDifferences(xs, v -> dot(layerNorm(v, ws, bs, cols), g));
        Check.close("LayerNorm dx in bf16 (backward that writes only bf16)", dxOwn, widen(dxOnly16), 5e-3, 1e-3);
        double[] dwRef = Check.centralDifferences(ws, v -> dot(layerNorm(xs, v, bs, cols), g));
        double[] dbRef = Check.centralDifferences(bs, v -> dot(layerNorm(xs, ws, v, cols), g));
        Check.close("LayerNorm dw (backward that writes bf16 too)", dwRef, dwAlso, 1e-3, 1e-4);
        Check.close("LayerNorm dw (backward that writes only bf16)", dwRef, dw16, 1e-3, 1e-4);
        Check.close("LayerNorm db (backward that writes bf16 too)", dbRef, dbAlso, 1e-3, 1e-4);
        Check.close("LayerNorm db (backward that writes only bf16)", dbRef, db16, 1e-3, 1e-4);
        Check.close("LayerNorm db", dbRef, db, 1e-3, 1e-4);
        for (int c = 0; c < cols; c++) {
            dwRef[c] += dwBefore[c];
        }
        Check.close("LayerNorm dw added to what it held", dwRef, dw, 1e-3, 1e-4);
    }

    /**
     * Rows wider than the backward keeps in local memory ({@link LayerNormBackwardKernels#SUM_COLS}): the work-groups of a row chunk
     * each take a window of its columns. dx and the gain and bias gradients against the float64 formulas (whose agreement with
     * central differences {@link #layerNorm} checks), past the rows NaN; of a plain norm with the stream's gradient added, and
     * of the feed-forward's norm of gelu(x + inBias), whose windows past the first read the input bias from their own columns.
     */
    @ParameterizedTest(name = "LayerNorm backward of rows wider than its local sums on {0}, {1} work-items per row")
    @MethodSource("devicesAndRowGroups")
    void layerNormBackwardOfWideRows(String device, int group) {
        int rows = 5, cols = 2 * LayerNormBackwardKernels.SUM_COLS + 37, n = rows * cols, chunks = 4; // three windows; chunks of 2, 2, 1 and 0 rows
        FloatArray x = poisonedTail(Check.random(n, 31, -2, 2), cols), dy = poisonedTail(Check.random(n, 32, -1, 1), cols);
        FloatArray w = Check.random(cols, 33, 0.5f, 1.5f), b = Check.random(cols, 34, -1, 1), stream = Check.random(n, 35, -1, 1);
        FloatArray y = Check.poisoned(n), mean = Check.poisoned(rows), rstd = Check.poisoned(rows), dx = Check.poisoned(n);
        FloatArray partials = Check.poisoned(3L * chunks * cols), dw = Check.poisoned(cols), db = Check.poisoned(cols), dxSums = Check.poisoned(cols);
        FloatArray inBias = Check.random(cols, 36, -1, 1), meanG = Check.poisoned(rows), rstdG = Check.poisoned(rows);
        FloatArray dpre = Check.poisoned(n), partialsG = Check.poisoned(2L * chunks * cols), dwG = Check.poisoned(cols), dbG = Check.poisoned(cols);
        WorkerGrid windowed = WorkerGrid.of((long) chunks * LayerNormBackwardKernels.windows(cols) * group, group);
        TaskGraph graph = new TaskGraph("lnWide").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, w, b, dy, stream, dx, partials, dw, db,
                        inBias, dpre, partialsG, dwG, dbG, dxSums)
                .task("fwd", LayerNormKernels::forward, new KernelContext(), x, w, 0, w, b, y, mean, rstd, cols, group)
                .withGrid("fwd", WorkerGrid.of((long) rows * group, group))
                .task("dx", LayerNormBackwardKernels::backward, new KernelContext(), x, w, 0, w, mean, rstd, dy, stream, 1, dx, poisoned16(1),
                        LayerNormBackwardKernels.FP32 | LayerNormBackwardKernels.SUM, partials, (long) rows, cols, group, chunks)
                .withGrid("dx", windowed)
                .task("fwdGelu", LayerNormKernels::forward, new KernelContext(), x, inBias, 1, w, b, Check.poisoned(n), meanG, rstdG, cols, group)
                .withGrid("fwdGelu", WorkerGrid.of((long) rows * group, group))
                .task("dxGelu", LayerNormBackwardKernels::backward, new KernelContext(), x, inBias, 1, w, meanG, rstdG, dy, dy, 0, dpre,
                        poisoned16(1), LayerNormBackwardKernels.FP32, partialsG, (long) rows, cols, group, chunks)
                .withGrid("dxGelu", windowed);
        sumParameterGradients(graph, "", partials, dw, db, cols, chunks, false);
        sumParameterGradients(graph, "Gelu", partialsG, dwG, dbG, cols, chunks, false);
        ColumnSums.sumChunks(graph, "dxSums", partials, dxSums, cols, chunks, 2 * chunks, false);
        TestDevices.run(device, graph.transferToHost(DataTransferMode.EVERY_EXECUTION, dx, dw, db, dpre, dwG, dbG, dxSums));
        double[] xs = java.util.Arrays.copyOf(Check.toDoubles(x), n), g = java.util.Arrays.copyOf(Check.toDoubles(dy), n);
        double[] ws = Check.toDoubles(w);
        double[][] ref = layerNormBackward(xs, ws, g, cols);
        for (int i = 0; i < n; i++) {
            ref[0][i] += stream.get(i);
        }
        Check.close("wide LayerNorm dx plus the stream's gradient", ref[0], dx, 1e-4, 1e-4);
        Check.close("wide LayerNorm dw", ref[1], dw, 1e-4, 1e-4);
        Check.close("wide LayerNorm db", ref[2], db, 1e-4, 1e-4);
        Check.close("wide LayerNorm dx's column sums", columnSums(ref[0], cols), dxSums, 1e-4, 1e-4);
        // the norm of gelu(pre), pre = x + inBias: its backward times gelu'(pre), by central differences of the float64 GELU
        double[] hidden = new double[n], slope = new double[n];
        for (int i = 0; i < n; i++) {
            double pre = xs[i] + inBias.get(i % cols), h = 1e-5;
            hidden[i] = gelu(pre);
            slope[i] = (gelu(pre + h) - gelu(pre - h)) / (2 * h);
        }
        double[][] refG = layerNormBackward(hidden, ws, g, cols);
        for (int i = 0; i < n; i++) {
            refG[0][i] *= slope[i];
        }
        Check.close("wide LayerNorm of GELU dx", refG[0], dpre, 1e-4, 1e-4);
        Check.close("wide LayerNorm of GELU dw", refG[1], dwG, 1e-4, 1e-4);
        Check.close("wide LayerNorm of GELU db", refG[2], dbG, 1e-4, 1e-4);
    }

    /** Checks that a LayerNorm backward left the outputs it was not asked for as poisoned as they came (NaN). */
    private static void assertUnwritten(FloatArray unwritten, BFloat16Array unwritten16) {
        for (long i = 0; i < unwritten.getSize(); i++) {
            assertTrue(Float.isNaN(unwritten.get(i)) && Float.isNaN(unwritten16.get(i)), "LayerNorm backward wrote an output it was not asked for, at " + i);
        }
    }

    /** dx, dw and db of {@link #layerNorm} given dy, by the formulas: dx = (g - mean(g) - xhat mean(g xhat)) / std with g = dy w. */
    private static double[][] layerNormBackward(double[] x, double[] w, double[] dy, int cols) {
        double[] dx = new double[x.length], dw = new double[cols], db = new double[cols];
        for (int row = 0; row < x.length / cols; row++) {
            int base = row * cols;
            double m = 0, var = 0, gMean = 0, gxMean = 0;
            for (int c = 0; c < cols; c++) {
                m += x[base + c] / cols;
            }
            for (int c = 0; c < cols; c++) {
                var += Math.pow(x[base + c] - m, 2) / cols;
            }
            double rstd = 1 / Math.sqrt(var + LayerNormKernels.EPS);
            for (int c = 0; c < cols; c++) {
                double xhat = (x[base + c] - m) * rstd;
                gMean += dy[base + c] * w[c] / cols;
                gxMean += dy[base + c] * w[c] * xhat / cols;
                dw[c] += dy[base + c] * xhat;
                db[c] += dy[base + c];
            }
            for (int c = 0; c < cols; c++) {
                dx[base + c] = rstd * (dy[base + c] * w[c] - gMean - (x[base + c] - m) * rstd * gxMean);
            }
        }
        return new double[][] {dx, dw, db};
    }

    /** dw and db (named "dw" + suffix, "db" + suffix) from a backward's partial sums; dw added to with {@code accumulateGain}. */
    private static void sumParameterGradients(TaskGraph graph, String suffix, FloatArray partials, FloatArray dw, FloatArray db, int cols,
                                              int chunks, boolean accumulateGain) {
        ColumnSums.sumChunks(graph, "dw" + suffix, partials, dw, cols, chunks, 0, accumulateGain);
        ColumnSums.sumChunks(graph, "db" + suffix, partials, db, cols, chunks, chunks, false);
    }

    /** The sums of each column of {@code m}, rows of {@code cols}. */
    private static double[] columnSums(double[] m, int cols) {
        double[] out = new double[cols];
        for (int i = 0; i < m.length; i++) {
            out[i % cols] += m[i];
        }
        return out;
    }

    /** A bf16 array of n NaNs. */
    private static BFloat16Array poisoned16(long n) {
        BFloat16Array a = new BFloat16Array(n);
        for (long i = 0; i < n; i++) {
            a.set(i, Float.NaN);
        }
        return a;
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

    /**
     * The residual and the norm after it in one pass: h = y + bias + stream over y, LN(h) in fp32 and in bf16, and the row
     * statistics, against float64, and the same bits again from the written h without the residual (what a recomputed block
     * does); rows of 37 columns (all kept in registers, but for groups of one work-item) and of 1,100
     * (past {@link ResidualKernels#KEPT_COLS} columns a work-item even in groups of 64, read back from y); past the rows NaN,
     * which must stay so; the outputs not asked for poisoned, which must stay so.
     */
    @ParameterizedTest(name = "residual and LayerNorm in one pass on {0}, {1} work-items per row")
    @MethodSource("devicesAndRowGroups")
    void residualAndNorm(String device, int group) {
        for (int cols : new int[] {37, 1100}) {
            int rows = 9, n = rows * cols;
            FloatArray y = poisonedTail(Check.random(n, 41, -2, 2), cols), bias = Check.random(cols, 42, -1, 1);
            FloatArray stream = Check.random(n, 43, -3, 3), w = Check.random(cols, 44, 0.5f, 1.5f), b = Check.random(cols, 45, -1, 1);
            FloatArray out = Check.poisoned(n), mean = Check.poisoned(rows), rstd = Check.poisoned(rows), unwritten = Check.poisoned(n);
            FloatArray y2 = Check.poisoned(n), mean16 = Check.poisoned(rows), rstd16 = Check.poisoned(rows);
            FloatArray again = Check.poisoned(n), meanAgain = Check.poisoned(rows), rstdAgain = Check.poisoned(rows);
            BFloat16Array out16 = poisoned16(n), unwritten16 = poisoned16(n);
            double[] h = new double[n];
            for (int i = 0; i < n; i++) {
                h[i] = (double) y.get(i) + bias.get(i % cols) + stream.get(i);
                y2.set(i, y.get(i));
            }
            WorkerGrid perRow = WorkerGrid.of((long) rows * group, group);
            TestDevices.run(device, new TaskGraph("residualNorm").transferToDevice(DataTransferMode.FIRST_EXECUTION, y, y2, bias, stream, w, b,
                            out, out16, unwritten, unwritten16, again, meanAgain, rstdAgain)
                    .task("fp32", ResidualKernels::addAndNormalize, new KernelContext(), y, bias, stream, w, b, out, unwritten16,
                            ResidualKernels.FP32, mean, rstd, cols, group, ResidualKernels.ADD)
                    .withGrid("fp32", perRow)
                    .task("bf16", ResidualKernels::addAndNormalize, new KernelContext(), y2, bias, stream, w, b, unwritten, out16,
                            ResidualKernels.BF16, mean16, rstd16, cols, group, ResidualKernels.ADD)
                    .withGrid("bf16", perRow)
                    // the sum just written, normalized again without the residual: a recomputed block's norm of its input
                    .task("again", ResidualKernels::addAndNormalize, new KernelContext(), y, w, w, w, b, again, unwritten16,
                            ResidualKernels.FP32, meanAgain, rstdAgain, cols, group, ResidualKernels.WHOLE)
                    .withGrid("again", perRow)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, y, y2, out, out16, mean, rstd, mean16, rstd16, unwritten, unwritten16,
                            again, meanAgain, rstdAgain));
            assertUnwritten(unwritten, unwritten16);
            double[] ln = layerNorm(h, Check.toDoubles(w), Check.toDoubles(b), cols);
            Check.close(cols + " columns: h written over y", h, prefix(y, n), 1e-6, 1e-6);
            Check.close(cols + " columns: h written over y (bf16 output)", h, prefix(y2, n), 1e-6, 1e-6);
            Check.close(cols + " columns: LN(h)", ln, out, 1e-5, 1e-5);
            Check.close(cols + " columns: LN(h) in bf16", ln, widen(out16), 4e-3, 1e-5);
            double[] means = new double[rows], rstds = new double[rows];
            for (int row = 0; row < rows; row++) {
                double m = 0, var = 0;
                for (int c = 0; c < cols; c++) {
                    m += h[row * cols + c] / cols;
                }
                for (int c = 0; c < cols; c++) {
                    var += (h[row * cols + c] - m) * (h[row * cols + c] - m) / cols;
                }
                means[row] = m;
                rstds[row] = 1 / Math.sqrt(var + LayerNormKernels.EPS);
            }
            Check.close(cols + " columns: mean", means, mean, 1e-5, 1e-5);
            Check.close(cols + " columns: 1/std", rstds, rstd, 1e-5, 1e-5);
            Check.close(cols + " columns: mean (bf16 output)", means, mean16, 1e-5, 1e-5);
            for (int i = n; i < n + cols; i++) {
                assertTrue(Float.isNaN(y.get(i)), cols + " columns: element " + i + " past the rows was written");
            }
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(out.get(i)), Float.floatToIntBits(again.get(i)),
                        cols + " columns: LN of the written sum differs from LN on the way at " + i);
            }
            for (int row = 0; row < rows; row++) {
                assertEquals(Float.floatToIntBits(mean.get(row)), Float.floatToIntBits(meanAgain.get(row)), cols + " columns: mean again, row " + row);
                assertEquals(Float.floatToIntBits(rstd.get(row)), Float.floatToIntBits(rstdAgain.get(row)), cols + " columns: 1/std again, row " + row);
            }
        }
    }

    /**
     * The feed-forward's inner norm, which reads the hidden layer's product x and normalizes gelu(x + inBias):
     * its output, statistics and all three gradients (the input's with respect to x + inBias) against float64.
     */
    @ParameterizedTest(name = "LayerNorm of gelu(x + bias), forward and backward, on {0}, {1} work-items per row")
    @MethodSource("devicesAndRowGroups")
    void layerNormOfGelu(String device, int group) {
        // 78 columns (39 pairs for the bf16 kernels): not a multiple of any group; 17 chunks: more than the chunk sums' parts,
        // twelve of three rows (the backward's next row in flight), one of one row and four empty ones; the bf16 forward's 11:
        // nine of four rows, one of one, one empty
        int rows = 37, cols = 78, n = rows * cols, chunks = 17, forwardChunks = 11;
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
        // the bf16 outputs: of the fp32-input kernels, and of the bf16 path's (x16 in, the row kept in registers)
        BFloat16Array dpre16 = new BFloat16Array(n), y16 = new BFloat16Array(n), dpreOf16 = new BFloat16Array(n);
        FloatArray mean16 = Check.poisoned(rows), rstd16 = Check.poisoned(rows);
        FloatArray partials16 = Check.poisoned(3 * chunks * cols), dw16 = Check.poisoned(cols), db16 = Check.poisoned(cols);
        // the gain and bias gradients of the fp32-input backward that writes dx in bf16, and of the one for bf16 x
        FloatArray partialsTo16 = Check.poisoned(3 * chunks * cols), dwTo16 = Check.poisoned(cols), dbTo16 = Check.poisoned(cols);
        // and both of those sum dx too (fc1's bias gradient), into a third set of partials
        FloatArray dxSumsTo16 = Check.poisoned(cols), dxSums16 = Check.poisoned(cols);
        WorkerGrid chunked = WorkerGrid.of((long) chunks * group, group);
        for (int i = 0; i < n; i++) {
            dpre16.set(i, Float.NaN); // poisoned
            y16.set(i, Float.NaN);
            dpreOf16.set(i, Float.NaN);
        }
        // the outputs a backward is not asked for: passed poisoned, they must stay so
        FloatArray unwritten = Check.poisoned(n);
        BFloat16Array unwritten16 = poisoned16(n);
        TaskGraph graph = new TaskGraph("lnGelu").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, x16, inBias, dy, dy16, w, b, dpre16,
                        y16, dpreOf16, dpre, partials, partialsTo16, partials16, dw, db, dwTo16, dbTo16, dw16, db16, unwritten, unwritten16,
                        dxSumsTo16, dxSums16)
                .task("fwd", LayerNormKernels::forward, new KernelContext(), x, inBias, 1, w, b, y, mean, rstd, cols, group)
                .withGrid("fwd", WorkerGrid.of((long) rows * group, group))
                .task("dx", LayerNormBackwardKernels::backward, new KernelContext(), x, inBias, 1, w, mean, rstd, dy, dy, 0, dpre, unwritten16,
                        LayerNormBackwardKernels.FP32, partials, (long) rows, cols, group, chunks)
                .withGrid("dx", chunked)
                .task("dx16", LayerNormBackwardKernels::backward, new KernelContext(), x, inBias, 1, w, mean, rstd, dy, dy, 0, unwritten,
                        dpre16, LayerNormBackwardKernels.BF16 | LayerNormBackwardKernels.SUM, partialsTo16, (long) rows, cols, group, chunks)
                .withGrid("dx16", chunked)
                .task("fwdOf16", GeluNormKernels::forwardOfGeluBf16, new KernelContext(), x16, inBias, w, b, y16, mean16,
                        rstd16, (long) rows, cols, group, forwardChunks)
                .withGrid("fwdOf16", WorkerGrid.of((long) forwardChunks * group, group))
                .task("dxOf16", GeluNormKernels::backwardOfGeluBf16, new KernelContext(), x16, inBias, w, mean16, rstd16, dy16,
                        dpreOf16, 1, partials16, (long) rows, cols, group, chunks)
                .withGrid("dxOf16", WorkerGrid.of((long) chunks * group, group));
        sumParameterGradients(graph, "", partials, dw, db, cols, chunks, false);
        sumParameterGradients(graph, "To16", partialsTo16, dwTo16, dbTo16, cols, chunks, false);
        sumParameterGradients(graph, "16", partials16, dw16, db16, cols, chunks, false);
        ColumnSums.sumChunks(graph, "dxSumsTo16", partialsTo16, dxSumsTo16, cols, chunks, 2 * chunks, false);
        ColumnSums.sumChunks(graph, "dxSums16", partials16, dxSums16, cols, chunks, 2 * chunks, false);
        TestDevices.run(device, graph.transferToHost(DataTransferMode.EVERY_EXECUTION, y, dpre, dpre16, dw, db, y16, mean, rstd, mean16, rstd16,
                dpreOf16, dw16, db16, dwTo16, dbTo16, unwritten, unwritten16, dxSumsTo16, dxSums16));
        assertUnwritten(unwritten, unwritten16);
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
        double[] dpreRef = Check.centralDifferences(pres, v -> dot(layerNorm(geluOf.apply(v), ws, bs, cols), g));
        Check.close("LayerNorm of GELU dx", dpreRef, dpre, 1e-3, 1e-4);
        FloatArray dpre16AsFloats = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            dpre16AsFloats.set(i, dpre16.get(i));
        }
        Check.close("LayerNorm of GELU dx in bf16", dpreRef, dpre16AsFloats, 5e-3, 1e-3);
        Check.close("LayerNorm of GELU y from bf16 x, row kept in registers", layerNorm(hidden, ws, bs, cols), widen(y16), 4e-3, 1e-5);
        Check.close("LayerNorm of GELU mean (row kept)", Check.toDoubles(mean), mean16, 1e-6, 1e-6);
        Check.close("LayerNorm of GELU rstd (row kept)", Check.toDoubles(rstd), rstd16, 1e-6, 1e-6);
        double[] dwRef = Check.centralDifferences(ws, v -> dot(layerNorm(hidden, v, bs, cols), g));
        double[] dbRef = Check.centralDifferences(bs, v -> dot(layerNorm(hidden, ws, v, cols), g));
        Check.close("LayerNorm of GELU dw", dwRef, dw, 1e-3, 1e-4);
        Check.close("LayerNorm of GELU db", dbRef, db, 1e-3, 1e-4);
        Check.close("LayerNorm of GELU dw (backward that writes dx in bf16)", dwRef, dwTo16, 1e-3, 1e-4);
        Check.close("LayerNorm of GELU db (backward that writes dx in bf16)", dbRef, dbTo16, 1e-3, 1e-4);
        Check.close("LayerNorm of GELU dx from bf16 x", dpreRef, widen(dpreOf16), 5e-3, 1e-3);
        Check.close("LayerNorm of GELU dw from bf16 x", dwRef, dw16, 1e-3, 1e-4);
        Check.close("LayerNorm of GELU db from bf16 x", dbRef, db16, 1e-3, 1e-4);
        // dx's sums are of fp32 dx, before it is rounded to bf16
        Check.close("LayerNorm of GELU dx's column sums (backward that writes dx in bf16)", columnSums(dpreRef, cols), dxSumsTo16, 1e-3, 1e-4);
        Check.close("LayerNorm of GELU dx's column sums from bf16 x", columnSums(dpreRef, cols), dxSums16, 1e-3, 1e-4);
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
}
