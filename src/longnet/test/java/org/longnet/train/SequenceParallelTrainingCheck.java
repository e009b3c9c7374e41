package org.longnet.train;

import org.longnet.attention.Positions;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.Communicators;
import org.longnet.engine.collective.SingleRank;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.model.Parameter;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One rank of {@link SequenceParallelTrainingTest}: trains the same small LongNet twice from the same
 * weights, on one device alone and with each sequence split across the job's ranks, on the same random
 * batches, and compares every step's loss and, at the end, every weight. Prints one line per rank;
 * exits with 1 past the tolerance.
 * <p>
 * Arguments: device, sequence length, batch, steps, positions (rotary, xpos or none), tolerance.
 */
public final class SequenceParallelTrainingCheck {
    private SequenceParallelTrainingCheck() {
    }

    public static void main(String[] args) {
        Device device = Devices.get(args[0]);
        int seqLen = Integer.parseInt(args[1]), batch = Integer.parseInt(args[2]), steps = Integer.parseInt(args[3]);
        Positions positions = Positions.valueOf(args[4].toUpperCase());
        double tolerance = Double.parseDouble(args[5]);
        Communicator job = Communicators.job();
        ModelConfig tiny = ModelConfig.tiny();
        // The tiny preset's pairs (64, 1), (128, 2), (256, 4): at 256 tokens on 4 ranks two of them span chunks.
        ModelConfig config = tiny.withAttention(tiny.segmentLengths(), tiny.dilationRates(), positions, tiny.rotaryBase());
        LongNetModel.Options options = new LongNetModel.Options(false, false, false, false);
        int ranks = job.size(), chunk = seqLen / ranks;
        double worstLoss = 0, worstGrad = 0;
        try (LongNetModel one = new LongNetModel(new ModelWeights(config, 7), device, options, new SingleRank());
             LongNetModel split = new LongNetModel(new ModelWeights(config, 7), device, options, job)) {
            IntArray inputs = new IntArray((long) batch * seqLen), targets = new IntArray((long) batch * seqLen);
            IntArray chunkInputs = new IntArray((long) batch * chunk), chunkTargets = new IntArray((long) batch * chunk);
            for (int step = 1; step <= steps; step++) {
                SplittableRandom random = new SplittableRandom(1000 + step);
                for (int i = 0; i < batch * seqLen; i++) {
                    inputs.set(i, random.nextInt(config.vocab()));
                    targets.set(i, random.nextInt(8) == 0 ? -1 : random.nextInt(config.vocab())); // some targets without a loss
                }
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < chunk; t++) {
                        chunkInputs.set((long) b * chunk + t, inputs.get((long) b * seqLen + job.rank() * chunk + t));
                        chunkTargets.set((long) b * chunk + t, targets.get((long) b * seqLen + job.rank() * chunk + t));
                    }
                }
                double expected = one.forwardBackward(inputs, targets, batch, seqLen);
                double got = split.forwardBackward(chunkInputs, chunkTargets, batch, seqLen);
                worstLoss = Math.max(worstLoss, Math.abs(got - expected) / Math.abs(expected));
                one.pullGradients();
                split.pullGradients();
                worstGrad = Math.max(worstGrad, largestDifference(one, split, Parameter::grad));
                one.update(LEARNING_RATE, step);
                split.update(LEARNING_RATE, step);
            }
            one.pull();
            split.pull();
            double worstWeight = largestDifference(one, split, Parameter::value);
            boolean ok = worstLoss <= tolerance && worstGrad <= tolerance && worstWeight <= tolerance;
            // One write per line, so the ranks' lines do not interleave in mpirun's output.
            System.out.println(String.format("rank %d of %d: losses %.2e, gradients %.2e, weights %.2e | %s", job.rank(), ranks, worstLoss,
                    worstGrad, worstWeight, ok ? "ok" : "FAILED (tolerance " + tolerance + ")"));
            System.exit(ok ? 0 : 1);
        }
    }

    /**
     * The rate of the AdamW updates. Adam divides each gradient by its running magnitude plus 1e-8, so an element
     * whose gradient is near 1e-8 moves by up to the whole rate when its last bits change: the order in which ranks
     * sum a gradient changes those bits. A small rate keeps that amplified rounding below the tolerance; the
     * gradients themselves are compared at every step.
     */
    private static final double LEARNING_RATE = 2e-4;

    /** The largest difference of one kind of array between the two models, over the largest magnitude of any of them. */
    private static double largestDifference(LongNetModel one, LongNetModel split, java.util.function.Function<Parameter, FloatArray> which) {
        List<Parameter> a = one.weights().parameters(), b = split.weights().parameters();
        double scale = 0, diff = 0;
        for (int p = 0; p < a.size(); p++) {
            FloatArray x = which.apply(a.get(p)), y = which.apply(b.get(p));
            for (long e = 0; e < x.getSize(); e++) {
                scale = Math.max(scale, Math.abs(x.get(e)));
                diff = Math.max(diff, Math.abs(x.get(e) - y.get(e)));
            }
        }
        return diff / Math.max(scale, 1e-30);
    }
}
