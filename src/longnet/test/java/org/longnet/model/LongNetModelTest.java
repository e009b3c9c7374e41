package org.longnet.model;

import org.longnet.engine.DeviceTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.attention.Positions;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole model's backward against finite differences of its own forward, on every device:
 * for each parameter tensor, the derivative of the loss along a direction (mostly the gradient's
 * own, plus a random part so that entries the backward wrongly leaves at zero are seen too).
 */
@DeviceTest
class LongNetModelTest {
    /**
     * Two blocks with padding (N = 10 is no multiple of 4 or 6) and a dilation that does not divide
     * its segment; XPOS with rotary base 100, so that the gradient check covers a base other than the usual one.
     */
    static ModelConfig small(Positions positions, boolean tied) {
        return new ModelConfig(2, 16, 2, 24, 256, new int[] {4, 6}, new int[] {1, 4}, positions,
                positions == Positions.XPOS ? 100f : Positions.DEFAULT_ROTARY_BASE, tied);
    }

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            out.add(Arguments.of(d, Positions.ROTARY, true));
            out.add(Arguments.of(d, Positions.XPOS, false));
        }
        return out;
    }

    @ParameterizedTest(name = "whole-model gradient on {0}, {1}, tied head {2}")
    @MethodSource("cases")
    void gradientMatchesFiniteDifferences(String device, Positions positions, boolean tied) {
        int batch = 2, seqLen = 10;
        IntArray inputs = Check.randomInts((long) batch * seqLen, 31, 0, 256), targets = Check.randomInts((long) batch * seqLen, 32, 0, 256);
        for (int i = 0; i < batch * seqLen; i += 7) {
            targets.set(i, CrossEntropyKernels.IGNORED); // positions without loss, as the pass-key task has
        }
        ModelWeights weights = new ModelWeights(small(positions, tied), 5);
        try (LongNetModel model = new LongNetModel(weights, TestDevices.open(device), new LongNetModel.Options(false, false, false, false))) {
            model.forwardBackward(inputs, targets, batch, seqLen);
            model.pullGradients();
            SplittableRandom random = new SplittableRandom(9);
            List<String> failures = new ArrayList<>();
            for (Parameter p : weights.parameters()) {
                FloatArray value = p.value(), grad = p.grad();
                int n = (int) p.size();
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += (double) grad.get(i) * grad.get(i);
                }
                double[] u = new double[n];
                double uNorm = 0;
                for (int i = 0; i < n; i++) {
                    u[i] = grad.get(i) * random.nextDouble(0.5, 1.5) + (random.nextBoolean() ? 1 : -1) * Math.sqrt(norm / n) * 0.5;
                    uNorm += u[i] * u[i];
                }
                uNorm = Math.sqrt(uNorm);
                if (uNorm == 0) {
                    failures.add(p.name() + ": gradient is exactly zero");
                    continue;
                }
                double analytic = 0;
                for (int i = 0; i < n; i++) {
                    u[i] /= uNorm;
                    analytic += u[i] * grad.get(i);
                }
                double h = 1e-2;
                float[] keep = new float[n];
                for (int i = 0; i < n; i++) {
                    keep[i] = value.get(i);
                }
                double[] losses = new double[2];
                for (int side = 0; side < 2; side++) {
                    for (int i = 0; i < n; i++) {
                        value.set(i, (float) (keep[i] + (side == 0 ? h : -h) * u[i]));
                    }
                    model.push();
                    losses[side] = model.loss(inputs, targets, batch, seqLen);
                }
                for (int i = 0; i < n; i++) {
                    value.set(i, keep[i]);
                }
                model.push();
                double numeric = (losses[0] - losses[1]) / (2 * h);
                if (Math.abs(numeric - analytic) > 3e-2 * Math.abs(analytic) + 3e-4) {
                    failures.add(String.format("%s: directional derivative %.6g by finite differences, %.6g by backward", p.name(),
                            numeric, analytic));
                }
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " of " + weights.parameters().size() + " tensors disagree:\n" + String.join("\n", failures));
            }
        }
    }

    @ParameterizedTest(name = "the rotary base reaches the blocks on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void rotaryBaseReachesTheBlocks(String device) {
        ModelConfig usual = small(Positions.ROTARY, true);
        ModelConfig slow = usual.withAttention(usual.segmentLengths(), usual.dilationRates(), Positions.ROTARY, 1e7f);
        LongNetModel.Options options = new LongNetModel.Options(false, false, false, false);
        double relative = Check.relativeError("gradients", gradients(device, usual, options), gradients(device, slow, options));
        assertTrue(relative > 1e-3, "gradients with rotary base 1e7 are those with 1e4 (relative difference " + relative + ")");
    }

    /**
     * Recomputation, with every block's attention output kept (what fits on a test device) and with the attention run again,
     * gives the gradients of a step that keeps everything, bit for bit: the forward's kernels give the same values again.
     */
    @ParameterizedTest(name = "recomputation gives the same gradients on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void recomputationChangesNothing(String device) {
        double[] plain = gradients(device, new LongNetModel.Options(false, false, false, false));
        LongNetModel.Options kept = new LongNetModel.Options(true, false, false, false);
        LongNetModel.Options again = kept.withKeepAttention(false);
        ModelConfig config = small(Positions.ROTARY, true);
        try (LongNetModel a = new LongNetModel(new ModelWeights(config, 6), TestDevices.open(device), kept);
             LongNetModel b = new LongNetModel(new ModelWeights(config, 6), TestDevices.open(device), again)) {
            assertTrue(a.keepsAttention(2, 10), "recomputation keeps the attention outputs where they fit");
            assertFalse(b.keepsAttention(2, 10), "recomputation keeps no attention output when told not to");
            assertEquals(a.activationBytes(2, 10) - b.activationBytes(2, 10), (config.layers() - 1L) * 20 * (config.dModel() + config.heads())
                    * Float.BYTES, "the kept attention outputs' bytes");
        }
        assertTrue(java.util.Arrays.equals(plain, gradients(device, kept)), "gradients with recomputation (attention kept) differ from those without");
        assertTrue(java.util.Arrays.equals(plain, gradients(device, again)), "gradients with recomputation (attention again) differ from those without");
    }

    /**
     * The feed-forward in chunks of 7 of the 20 tokens (7, 7 and 6 rows; the backward recomputes
     * each chunk's hidden layer and adds up the weight gradients) against one pass over all rows:
     * the same gradients up to the order of additions, with and without recomputation of the rest,
     * with fp32 and with bf16 GEMMs.
     */
    @ParameterizedTest(name = "the feed-forward in chunks gives the same gradients on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void feedForwardChunksChangeNothing(String device) {
        for (boolean bf16 : new boolean[] {false, true}) {
            double[] whole = gradients(device, new LongNetModel.Options(false, false, bf16, false));
            for (boolean recompute : new boolean[] {false, true}) {
                double[] chunked = gradients(device, new LongNetModel.Options(recompute, false, bf16, false, 7));
                double relative = Check.relativeError("gradients", whole, chunked);
                assertTrue(relative < 1e-5, "chunked feed-forward gradients (recompute " + recompute + ", bf16 " + bf16
                        + ") are off by a relative " + relative);
            }
        }
    }

    /**
     * bf16 GEMM operands against fp32 GEMMs: all gradients within a 2% relative error norm (bf16
     * keeps 8 bits of mantissa), each tensor's within 5% (a small tensor gone wrong, a bias or a norm's
     * gain, hardly moves the whole), and not equal (the bf16 path must have been taken).
     */
    @ParameterizedTest(name = "bf16 GEMMs follow the fp32 gradients on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void bf16GemmsFollowFp32(String device) {
        double[] exact = gradients(device, new LongNetModel.Options(false, false, false, false));
        double[] rounded = gradients(device, new LongNetModel.Options(false, false, true, false));
        double relative = Check.relativeError("gradients", exact, rounded);
        assertTrue(relative < 2e-2, "bf16 GEMM gradients are off by a relative " + relative);
        assertTrue(relative > 1e-6, "bf16 GEMM gradients equal the fp32 ones (relative " + relative + "): bf16 was not used");
        assertEachTensorWithin(small(Positions.ROTARY, true), exact, rounded, 5e-2, "bf16 GEMM");
    }

    /** Each parameter's gradient of {@code rounded} within {@code bound} of {@code exact}'s (relative error norm), in parameter order. */
    private static void assertEachTensorWithin(ModelConfig config, double[] exact, double[] rounded, double bound, String what) {
        int at = 0;
        for (Parameter p : new ModelWeights(config, 6).parameters()) {
            int n = (int) p.size();
            double tensor = Check.relativeError(p.name(), java.util.Arrays.copyOfRange(exact, at, at + n),
                    java.util.Arrays.copyOfRange(rounded, at, at + n));
            assertTrue(tensor < bound, p.name() + "'s " + what + " gradient is off by a relative " + tensor);
            at += n;
        }
    }

    /**
     * Matrix-unit attention (bf16 Q, K, V and dO; heads of 64) against the fp32 attention kernels: all gradients within a 2%
     * relative error norm, each tensor's within 5%, and not equal. Also with bf16 GEMMs, as training on cuda runs: with the whole feed-forward the
     * Q, K and V products come from one GEMM in bf16 rows, with the feed-forward in chunks one by one in fp32.
     */
    @ParameterizedTest(name = "matrix-unit attention follows the fp32 gradients on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void matrixUnitAttentionFollowsFp32(String device) {
        // FFN 3 d: its bf16 slot holds rows of Q, K and V
        ModelConfig wide = new ModelConfig(2, 128, 2, 384, 256, new int[] {4, 6}, new int[] {1, 4}, Positions.XPOS, false);
        double[] exact = gradients(device, wide, new LongNetModel.Options(false, false, false, false));
        for (LongNetModel.Options options : List.of(new LongNetModel.Options(false, true, false, false),
                new LongNetModel.Options(false, true, true, false), new LongNetModel.Options(false, true, true, false, 7))) {
            double[] rounded = gradients(device, wide, options);
            double relative = Check.relativeError("gradients", exact, rounded);
            assertTrue(relative < 2e-2, "matrix-unit attention gradients (" + options + ") are off by a relative " + relative);
            assertTrue(relative > 1e-6, "matrix-unit attention gradients (" + options + ") equal the fp32 ones (relative " + relative + ")");
            assertEachTensorWithin(wide, exact, rounded, 5e-2, "matrix-unit attention (" + options + ")");
        }
    }

    /**
     * The bf16 weight copies hold the weights whenever a forward runs. After AdamW steps (which write the copies as they
     * update the weights) the loss is that of a new model given the trained weights, which rounds them afresh; after the
     * host's weights are set back and pushed, the loss is the first one again. A forward on stale copies would give the
     * loss of other weights: the steps move the loss by far more than the tolerance.
     */
    @ParameterizedTest(name = "bf16 weight copies follow the weights on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void bf16CopiesFollowTheWeights(String device) {
        int batch = 2, seqLen = 10;
        IntArray inputs = Check.randomInts((long) batch * seqLen, 51, 0, 256), targets = Check.randomInts((long) batch * seqLen, 52, 0, 256);
        LongNetModel.Options bf16 = new LongNetModel.Options(false, false, true, false);
        ModelWeights weights = new ModelWeights(small(Positions.ROTARY, true), 7), first = copyOf(weights);
        try (LongNetModel model = new LongNetModel(weights, TestDevices.open(device), bf16)) {
            double before = model.loss(inputs, targets, batch, seqLen);
            for (int step = 1; step <= 2; step++) {
                model.trainStep(inputs, targets, batch, seqLen, 1e-2, step);
            }
            double trained = model.loss(inputs, targets, batch, seqLen);
            assertTrue(Math.abs(trained - before) > 1e-3, "two steps moved the loss only from " + before + " to " + trained);
            model.pull();
            try (LongNetModel fresh = new LongNetModel(copyOf(weights), TestDevices.open(device), bf16)) {
                assertEquals(fresh.loss(inputs, targets, batch, seqLen), trained, 1e-6, "loss after AdamW steps, against a new model of their weights");
            }
            for (int i = 0; i < weights.parameters().size(); i++) {
                weights.parameters().get(i).value().segment().copyFrom(first.parameters().get(i).value().segment());
            }
            model.push();
            assertEquals(before, model.loss(inputs, targets, batch, seqLen), 1e-6, "loss after the first weights were pushed again");
        }
    }

    /** New weights of the same configuration and values. */
    private static ModelWeights copyOf(ModelWeights weights) {
        ModelWeights out = ModelWeights.empty(weights.config());
        for (int i = 0; i < weights.parameters().size(); i++) {
            out.parameters().get(i).value().segment().copyFrom(weights.parameters().get(i).value().segment());
        }
        return out;
    }

    private static double[] gradients(String device, LongNetModel.Options options) {
        return gradients(device, small(Positions.ROTARY, true), options);
    }

    /** Every gradient of one forward-backward of a small model, flattened in parameter order. */
    private static double[] gradients(String device, ModelConfig config, LongNetModel.Options options) {
        int batch = 2, seqLen = 10;
        IntArray inputs = Check.randomInts((long) batch * seqLen, 41, 0, 256), targets = Check.randomInts((long) batch * seqLen, 42, 0, 256);
        ModelWeights weights = new ModelWeights(config, 6);
        try (LongNetModel model = new LongNetModel(weights, TestDevices.open(device), options)) {
            model.forwardBackward(inputs, targets, batch, seqLen);
            model.pullGradients();
            return weights.parameters().stream().flatMapToDouble(p -> java.util.stream.LongStream.range(0, p.size())
                    .mapToDouble(i -> p.grad().get(i))).toArray();
        }
    }
}
