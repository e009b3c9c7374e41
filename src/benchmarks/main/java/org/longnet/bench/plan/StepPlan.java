package org.longnet.bench.plan;

import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;

/**
 * The predicted cost of one training step of a LongNet LM with each sequence split across P devices
 * (LongNet's distributed algorithm), per rank: its memory, its compute time, the bytes it receives
 * and the time they take, and the step time.
 * <p>
 * Assumptions, stated so a reader can judge the numbers: compute runs at the profile's rates whatever
 * the size; the slowest rank sets the step (with causal attention, the last rank of a segment that spans
 * ranks attends to the most keys); communication does not overlap compute; a collective costs its
 * latency plus the bytes this rank receives over the link bandwidth (an all-gather receives the other
 * ranks' blocks; a reduce-scatter sends as much; the gradients' all-reduce moves twice the parameters);
 * every rank holds the whole model (weights, gradients and AdamW moments in fp32, and bf16 copies with
 * bf16 GEMMs) and its chunk's activations as {@link LongNetModel#activationBytes(ModelConfig,
 * LongNetModel.Options, int, int, int)} counts them.
 */
public record StepPlan(long seqLen, int ranks, int batch, double memoryBytes, double attentionSeconds, double modelSeconds,
                       double receivedBytes, double commSeconds, int collectives) {
    /** Parameter tensors of one decoder block (norms, projections and their biases); the model adds the embedding and a final norm. */
    private static final int TENSORS_PER_BLOCK = 20;

    /**
     * One layer's dilated attention forward on the rank that takes longest, for the runtime plot (the paper's Figure 5):
     * compute at the profile's attention rate and the all-gather of the keys and values of pairs across ranks.
     */
    public static double attentionForwardSeconds(int[] segments, int[] rates, double dModel, double heads, DeviceProfile device, long seqLen,
                                                 int ranks) {
        long chunk = seqLen / ranks;
        double flops = 0, received = 0;
        int calls = 0;
        for (int i = 0; i < segments.length; i++) {
            double r = rates[i];
            long segment = Math.min(segments[i], seqLen);
            if (segment <= chunk) {
                flops += 2.0 * chunk * dModel * segment / (r * r);
            } else {
                double rows = chunk / r;
                flops += heads * 4 * (dModel / heads) * rows * rows * (segment / chunk - 0.5);
                received += 2 * (segment / chunk - 1) * rows * dModel * (device.bf16() ? 2 : 4);
                calls += 2;
            }
        }
        return flops / (device.attentionTflops() * 1e12) + received / (device.linkGBps() * 1e9) + calls * device.latencyMicros() * 1e-6;
    }

    /** Dense causal attention's forward on one device: 2 N² d FLOPs (half of 4 N² d). */
    public static double denseForwardSeconds(double dModel, DeviceProfile device, long seqLen) {
        return 2.0 * seqLen * (double) seqLen * dModel / (device.denseTflops() * 1e12);
    }

    public double computeSeconds() {
        return attentionSeconds + modelSeconds;
    }

    public double stepSeconds() {
        return computeSeconds() + commSeconds;
    }

    public double tokensPerSecond() {
        return (double) batch * seqLen / stepSeconds();
    }

    /** Plans one step of {@code batch} sequences of {@code seqLen} tokens over {@code ranks} devices. */
    public static StepPlan of(ModelConfig config, LongNetModel.Options options, DeviceProfile device, long seqLen, int ranks, int batch) {
        if (seqLen % ranks != 0) {
            throw new IllegalArgumentException("sequence length " + seqLen + " must be a multiple of the " + ranks + " devices");
        }
        long chunk = seqLen / ranks;
        double d = config.dModel(), heads = config.heads(), headDim = d / heads;
        double attentionForward = 0, kvBytes = device.bf16() ? 2 : 4, received = 0;
        int calls = 0;
        for (int i = 0; i < config.segmentLengths().length; i++) {
            double r = config.dilationRates()[i];
            long segment = Math.min(config.segmentLengths()[i], seqLen);
            if (segment <= chunk) {
                attentionForward += 2.0 * batch * chunk * d * segment / (r * r); // causal: half of 4 N d w / r^2
                continue;
            }
            long group = segment / chunk;
            double rows = chunk / r; // per head, per rank of the segment
            // The last rank of the segment sees the keys of all group ranks before it and half of its own.
            attentionForward += batch * heads * 4 * headDim * rows * rows * (group - 0.5);
            // forward: all-gather K and V; backward: reduce-scatter dK and dV (fp32); recomputation gathers again
            double others = (group - 1) * rows * batch * d;
            received += 2 * others * kvBytes * (options.recompute() ? 2 : 1) + 2 * others * Float.BYTES;
            calls += options.recompute() ? 6 : 4;
        }
        double layers = config.layers();
        double attentionFlops = layers * attentionForward * (3.5 + (options.recompute() ? 1 : 0));
        double tokens = (double) batch * chunk;
        double modelFlops = tokens * config.nonEmbeddingParameters() * (6 + (options.recompute() ? 2 : 0));
        double allCalls = layers * calls;
        double params = config.nonEmbeddingParameters() + (double) config.vocab() * config.dModel();
        if (ranks > 1) {
            received = layers * received + 2 * params * Float.BYTES;
            allCalls += 2 * (config.layers() * TENSORS_PER_BLOCK + 3); // a reduction and a broadcast per parameter tensor
        } else {
            received = 0;
            allCalls = 0;
        }
        double memory = params * (16 + (options.bf16Gemms() ? 2 : 0))
                + LongNetModel.activationBytes(config, options, batch, (int) Math.min(Integer.MAX_VALUE, seqLen), ranks);
        double comm = received / (device.linkGBps() * 1e9) + allCalls * device.latencyMicros() * 1e-6;
        return new StepPlan(seqLen, ranks, batch, memory, attentionFlops / (device.attentionTflops() * 1e12),
                modelFlops / (device.modelTflops() * 1e12), received, comm, (int) allCalls);
    }
}
