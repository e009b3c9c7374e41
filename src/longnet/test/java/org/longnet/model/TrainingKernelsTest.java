package org.longnet.model;

import org.longnet.engine.DeviceTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training kernels on every device (byte embedding, softmax cross-entropy, AdamW, the gradient norm's sum of
 * squares) against float64 references and central differences, and the learning-rate schedule.
 */
@DeviceTest
class TrainingKernelsTest {
    static List<String> devices() {
        return TestDevices.ids();
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
        TestDevices.run(device, g.transferToHost(DataTransferMode.EVERY_EXECUTION, out, dtable, summed));
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
        TestDevices.run(device, new TaskGraph("ce").transferToDevice(DataTransferMode.FIRST_EXECUTION, logits, targets, scale)
                .task("ce", CrossEntropyKernels::forwardBackward, logits, targets, losses, vocab, scale)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, losses, logits));
        double mean = 0;
        for (int i = 0; i < rows; i++) {
            mean += losses.get(i) / counted;
        }
        assertEquals(meanLoss(before, t, vocab), mean, 1e-5);
        Check.close("dlogits", Check.centralDifferences(before, v -> meanLoss(v, t, vocab)), logits, 1e-3, 1e-6);
    }

    /**
     * AdamW against float64 over three steps; and the same on a [rows][cols] matrix (a third copy of the same numbers) with
     * the update that also writes the bf16 copy into columns of a wider matrix: the copy must be the new values rounded
     * to bf16, exactly, and the columns around it untouched (NaN).
     */
    @ParameterizedTest(name = "AdamW on {0}")
    @MethodSource("devices")
    void adamW(String device) {
        int rows = 7, cols = 111, n = rows * cols, stride = 3 * cols + 5, column = cols + 2;
        FloatArray p = Check.random(n, 12, -1, 1), g = Check.random(n, 13, -1, 1), m = new FloatArray(n), v = new FloatArray(n);
        FloatArray p2 = Check.random(n, 12, -1, 1), m2 = new FloatArray(n), v2 = new FloatArray(n);
        BFloat16Array copy = new BFloat16Array((long) rows * stride);
        for (long i = 0; i < copy.getSize(); i++) {
            copy.set(i, Float.NaN); // poisoned
        }
        double[] ps = Check.toDoubles(p), gs = Check.toDoubles(g), ms = new double[n], vs = new double[n];
        FloatArray settings = new FloatArray(AdamWKernels.SETTINGS);
        TaskGraph graph = new TaskGraph("adam").transferToDevice(DataTransferMode.FIRST_EXECUTION, p, g, m, v, p2, m2, v2, copy)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, settings)
                .task("step", AdamWKernels::update, p, g, m, v, settings, 0.9f, 0.98f, 1e-8f, 0.01f)
                .task("stepWithBf16", AdamWKernels::updateWithBf16, p2, g, m2, v2, settings, 0.9f, 0.98f, 1e-8f, 0.01f, copy, rows, cols,
                        stride, column)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, p, p2, copy);
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
        Check.close("AdamW parameters after 3 steps (the update that writes bf16 too)", ps, p2, 1e-6, 1e-6);
        BFloat16Array rounded = new BFloat16Array(1);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < stride; c++) {
                float got = copy.get((long) r * stride + c);
                if (c < column || c >= column + cols) {
                    assertTrue(Float.isNaN(got), "bf16 copy (" + r + ", " + c + ") outside the parameter's columns was written");
                } else {
                    rounded.set(0, p2.get((long) r * cols + c - column));
                    assertEquals(rounded.get(0), got, 0f, "bf16 copy (" + r + ", " + c + ")");
                }
            }
        }
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
