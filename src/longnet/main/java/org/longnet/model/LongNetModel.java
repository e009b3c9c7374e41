package org.longnet.model;

import org.longnet.attention.DilatedAttentionCore;
import org.longnet.attention.AttentionTiles;
import org.longnet.attention.SequenceSplit;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.SingleRank;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.ExecutionResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A LongNet decoder language model on one device (spec §6). Its weights, gradients and AdamW
 * moments live on the device; for each (batch, seqLen) the model allocates one set of activations
 * and builds three task graphs once, llm.c style: forward with the loss, backward, and forward to
 * logits. The host only sends tokens and receives losses or logits.
 * <p>
 * On a group of several ranks (sequence parallelism, {@link #LongNetModel(ModelWeights, Device, Options, Communicator)})
 * every rank holds the same weights and one chunk of each sequence: the token arrays it is given are its
 * chunk ({@code batch x seqLen / ranks} tokens, rank d's positions {@code [d l, (d + 1) l)} of every
 * sequence), attention exchanges keys and values where its segments span chunks, the loss is the mean
 * over the whole sequences, and the gradients are summed over the ranks before each update, so the
 * weights stay equal on every rank and equal to one device's run.
 * <pre>{@code
 * try (LongNetModel model = new LongNetModel(new ModelWeights(ModelConfig.tiny(), 1), device, Options.defaults(device, config))) {
 *     double loss = model.trainStep(inputs, targets, batch, seqLen, 1e-3, 1).loss();
 * }
 * }</pre>
 */
public final class LongNetModel implements AutoCloseable {
    /**
     * How to run: {@code recompute} keeps only each block's input and recomputes the rest in the
     * backward (longer sequences for about a third more work); {@code matrixUnits} runs attention
     * on bf16 tensor-core kernels (cuda, head dimension 64); {@code bf16Gemms} gives the projection
     * and feed-forward GEMMs bf16 operands (fp32 master weights, accumulation and results);
     * {@code ffnChunk} runs the feed-forward half of every block over chunks of at most that many
     * tokens, recomputing each chunk's hidden layer in the backward, so its {@code tokens x ffn}
     * activations exist for one chunk at a time (0: {@link #DEFAULT_FFN_CHUNK} with recomputation,
     * no chunks without); {@code deterministic} makes the matrix-unit attention backward
     * bit-reproducible ({@link DilatedAttentionCore#deterministic()}), so that runs and resumed runs
     * on cuda agree to the last bit, at some speed; {@code cudaGraph} records each step plan's runs of kernels and GEMMs
     * into CUDA graphs and replays them from the second step on ({@link #cudaGraphs}); {@code keepAttention}, with
     * {@code recompute} on one device, keeps every block's attention output and log-sum-exp from the forward where the
     * device's free memory holds them ({@link #keepsAttention}), so that the backward recomputes a block without the
     * attention kernels' forward: the same values, so the same gradients.
     */
    public record Options(boolean recompute, boolean matrixUnits, boolean bf16Gemms, boolean profile, int ffnChunk, boolean deterministic,
                          boolean cudaGraph, boolean keepAttention) {
        /**
         * Large enough that each chunk's GEMMs still run at full speed (a 64K x 3072 x 768 product
         * is about 300 GFLOP), small enough that the chunk buffers of the base preset take about 4 GiB.
         */
        public static final int DEFAULT_FFN_CHUNK = 65536;

        public Options {
            if (ffnChunk < 0) {
                throw new IllegalArgumentException("ffnChunk must be >= 0 (0: automatic), was " + ffnChunk);
            }
        }

        public Options(boolean recompute, boolean matrixUnits, boolean bf16Gemms, boolean profile, int ffnChunk, boolean deterministic,
                       boolean cudaGraph) {
            this(recompute, matrixUnits, bf16Gemms, profile, ffnChunk, deterministic, cudaGraph, true);
        }

        public Options(boolean recompute, boolean matrixUnits, boolean bf16Gemms, boolean profile, int ffnChunk, boolean deterministic) {
            this(recompute, matrixUnits, bf16Gemms, profile, ffnChunk, deterministic, false);
        }

        /** These options, with CUDA graphs on or off. */
        public Options withCudaGraph(boolean on) {
            return new Options(recompute, matrixUnits, bf16Gemms, profile, ffnChunk, deterministic, on, keepAttention);
        }

        /** These options, keeping the attention outputs under recomputation where they fit, or never. */
        public Options withKeepAttention(boolean on) {
            return new Options(recompute, matrixUnits, bf16Gemms, profile, ffnChunk, deterministic, cudaGraph, on);
        }

        /**
         * Whether the step plans record CUDA graphs: when asked, without the profiler (a timed launch cannot be recorded), on
         * one rank (a collective's host calls cannot be). On devices without graphs the plans then run as they would anyway.
         */
        public boolean cudaGraphs(Communicator group) {
            return cudaGraph && !profile && group.size() == 1;
        }

        public Options(boolean recompute, boolean matrixUnits, boolean bf16Gemms, boolean profile) {
            this(recompute, matrixUnits, bf16Gemms, profile, 0);
        }

        public Options(boolean recompute, boolean matrixUnits, boolean bf16Gemms, boolean profile, int ffnChunk) {
            this(recompute, matrixUnits, bf16Gemms, profile, ffnChunk, false);
        }

        /** Rows of each feed-forward chunk for {@code tokens} tokens per step. */
        public int ffnRows(int tokens) {
            return Math.min(tokens, ffnChunk > 0 ? ffnChunk : recompute ? DEFAULT_FFN_CHUNK : tokens);
        }

        /**
         * On cuda, matrix units (head dimension 64) and bf16 GEMMs, which run at several times the
         * fp32 rate there; elsewhere fp32, where bf16 would only add rounding. No recomputation, no profiling.
         */
        public static Options defaults(Device device, ModelConfig config) {
            boolean cuda = device.matrixUnits();
            return new Options(false, cuda && config.dModel() / config.heads() == AttentionTiles.MMA_HEAD_DIM, cuda, false);
        }
    }

    /** What one training step measured: mean loss in nats per byte, and the gradient norm before clipping. */
    public record StepResult(double loss, double gradNorm) {
    }

    private final ModelWeights weights;
    private final ModelConfig config;
    private final Device device;
    private final Options options;
    private final AdamW optimizer;
    /** With bf16 GEMMs the weights' bf16 copies, which every forward reads; else null. */
    private final Bf16Weights bf16Weights;
    private StepPlans run;
    /**
     * With {@link Options#profile}: device nanoseconds per task, layers and feed-forward chunks
     * folded together (l3Q and c2l3Fc1 count as Q and Fc1), from the second forward-backward on: the first one also loads modules and tunes libraries.
     */
    private final Map<String, Long> profile = new TreeMap<>();
    private int forwardBackwards;
    /** The ranks that share each sequence; one rank on its own. */
    private final Communicator group;

    public LongNetModel(ModelWeights weights, Device device, Options options) {
        this(weights, device, options, new SingleRank());
    }

    /** The model on this rank of a group that splits every sequence across its ranks (see the class comment). */
    public LongNetModel(ModelWeights weights, Device device, Options options, Communicator group) {
        this.group = group;
        this.weights = weights;
        this.config = weights.config();
        this.device = device;
        this.options = options;
        for (Parameter p : weights.parameters()) {
            for (FloatArray a : List.of(p.value(), p.grad(), p.m(), p.v())) {
                device.allocate(a);
            }
        }
        this.bf16Weights = options.bf16Gemms() ? new Bf16Weights(weights.blocks, config.dModel(), device, options.cudaGraphs(group)) : null;
        push();
        this.optimizer = new AdamW(weights.parameters(), bf16Weights, device, AdamW.Settings.paper(), options.cudaGraphs(group));
    }

    public ModelWeights weights() {
        return weights;
    }

    public Device device() {
        return device;
    }

    public Options options() {
        return options;
    }

    /** The ranks that share each sequence. */
    public Communicator group() {
        return group;
    }

    /**
     * Copies weights and optimizer moments from the host to the device: after loading them, or after any change to the
     * host's weights (on the JVM device too, whose arrays are the host's: this is also what says they changed).
     */
    public void push() {
        for (Parameter p : weights.parameters()) {
            device.copyToDevice(p.value(), false);
            device.copyToDevice(p.m(), false);
            device.copyToDevice(p.v(), false);
        }
        if (bf16Weights != null) {
            bf16Weights.stale();
        }
    }

    /** The weights' bf16 copies (with bf16 GEMMs; else null), for the plans that read them. */
    Bf16Weights bf16Weights() {
        return bf16Weights;
    }

    /** Before a forward: the bf16 weight copies hold the weights as they are (see {@link Bf16Weights}). */
    private void currentCopies() {
        if (bf16Weights != null) {
            bf16Weights.makeCurrent();
        }
    }

    /** Copies weights and optimizer moments from the device to the host (before saving them). */
    public void pull() {
        for (Parameter p : weights.parameters()) {
            device.copyToHost(p.value(), false);
            device.copyToHost(p.m(), false);
            device.copyToHost(p.v(), false);
        }
    }

    /** Copies the gradients of the last {@link #forwardBackward} to the host. */
    public void pullGradients() {
        weights.parameters().forEach(p -> device.copyToHost(p.grad(), false));
    }

    /**
     * Mean cross-entropy (nats per token) of {@code targets} given {@code inputs}, over the targets
     * that are not negative ({@link CrossEntropyKernels#IGNORED}); no gradients kept.
     */
    public double loss(IntArray inputs, IntArray targets, int batch, int seqLen) {
        return loss(inputs, targets, batch, seqLen, false);
    }

    private double loss(IntArray inputs, IntArray targets, int batch, int seqLen, boolean profiled) {
        StepPlans r = prepare(batch, seqLen);
        r.load(inputs, targets);
        currentCopies();
        ExecutionResult result = r.lossPlan.execute();
        if (profiled) {
            record(result);
        }
        return r.meanLoss();
    }

    /** Loss and every gradient on the device (no update). */
    public double forwardBackward(IntArray inputs, IntArray targets, int batch, int seqLen) {
        double loss = loss(inputs, targets, batch, seqLen, true);
        record(run.backwardPlan().execute());
        if (forwardBackwards++ == 0) {
            profile.clear();
        }
        return loss;
    }

    /** One AdamW step at learning rate {@code lr}; {@code step} counts from 1. */
    public StepResult trainStep(IntArray inputs, IntArray targets, int batch, int seqLen, double lr, long step) {
        double loss = forwardBackward(inputs, targets, batch, seqLen);
        return new StepResult(loss, update(lr, step));
    }

    /** The AdamW update from the gradients of the last {@link #forwardBackward}; returns their norm before clipping. */
    public double update(double lr, long step) {
        return optimizer.step(lr, step);
    }

    /** Next-byte logits ({@code [batch * seqLen][vocab]}, owned by the model) for {@code inputs}. */
    public FloatArray logits(IntArray inputs, int batch, int seqLen) {
        StepPlans r = prepare(batch, seqLen);
        r.load(inputs, null);
        currentCopies();
        r.logitsPlan().execute();
        return r.logits;
    }

    private void record(ExecutionResult result) {
        for (var e : result.profile().events()) {
            profile.merge(e.name().replaceAll("\\.(c\\d+)?(re)?l\\d+", "."), e.deviceNanos(), Long::sum);
        }
    }

    /** One line of {@link #profileRows}: a task (summed over the layers), its device milliseconds per step and its share. */
    public record ProfileRow(String task, double msPerStep, double share) {
    }

    /**
     * With {@link Options#profile}: where device time went per forward-backward (the first one left out), largest first:
     * every task with at least 0.2% of the time, then the rest in one row ("(n smaller tasks)"), then "total".
     */
    public List<ProfileRow> profileRows() {
        long total = profile.values().stream().mapToLong(Long::longValue).sum();
        double per = 1e6 * Math.max(1, forwardBackwards - 1);
        List<ProfileRow> rows = new ArrayList<>();
        long shown = 0;
        int rest = 0;
        for (var e : profile.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList()) {
            if (e.getValue() * 500 >= total) {
                rows.add(new ProfileRow(e.getKey(), e.getValue() / per, (double) e.getValue() / Math.max(1, total)));
                shown += e.getValue();
            } else {
                rest++;
            }
        }
        if (rest > 0) {
            rows.add(new ProfileRow("(" + rest + " smaller tasks)", (total - shown) / per, (double) (total - shown) / Math.max(1, total)));
        }
        rows.add(new ProfileRow("total", total / per, total > 0 ? 1 : 0));
        return rows;
    }

    /** {@link #profileRows} as a table to print. */
    public String profileTable() {
        StringBuilder out = new StringBuilder(String.format("%-36s %12s %7s%n", "task (all layers)", "ms per step", "share"));
        for (ProfileRow row : profileRows()) {
            out.append(row.task().equals("total") ? String.format("%-36s %12.2f%n", row.task(), row.msPerStep())
                    : String.format("%-36s %12.2f %6.1f%%%n", row.task(), row.msPerStep(), 100 * row.share()));
        }
        return out.toString();
    }

    /** Device bytes this rank's activations of {@code batch x seqLen} need (weights not counted). */
    public long activationBytes(int batch, int seqLen) {
        return activationBytes(batch, seqLen, keepsAttention(batch, seqLen));
    }

    /** {@link #activationBytes(int, int)} with the choice of {@link #keepsAttention} already made. */
    private long activationBytes(int batch, int seqLen, boolean keepAttention) {
        return activationBytes(config, options, batch, seqLen, group.size()) + (keepAttention ? keptAttentionBytes(batch, seqLen) : 0);
    }

    /**
     * Whether a step of {@code batch x seqLen} keeps every block's attention output and log-sum-exp for the backward
     * under recomputation ({@link Options#keepAttention}): on one device, when they fit in its free memory beside the
     * rest of the step's activations (decided when the step's plans are made; before that, by the memory free now).
     */
    public boolean keepsAttention(int batch, int seqLen) {
        if (run != null && run.batch == batch && run.seqLen == seqLen) {
            return run.keepAttention;
        }
        // A sixteenth of the free memory stays free for what the libraries allocate as they run (GEMM workspaces, graphs):
        // keeping is an option, and a step that would have fitted without it must not fail for it.
        long free = device.freeMemory();
        return options.recompute() && options.keepAttention() && group.size() == 1 && config.layers() > 1
                && activationBytes(config, options, batch, seqLen, 1) + keptAttentionBytes(batch, seqLen) <= free - free / 16;
    }

    /** What keeping the attention outputs adds: every block's but the first, whose arrays the recomputation uses anyway. */
    private long keptAttentionBytes(int batch, int seqLen) {
        return (config.layers() - 1L) * BlockActivations.attentionBytes((long) batch * seqLen, config.dModel(), config.heads());
    }

    /**
     * Device bytes one rank's activations need for {@code batch} sequences of {@code seqLen} tokens split across
     * {@code ranks} (1: one device), weights not counted: what {@link #activationBytes(int, int)} says before a
     * model exists (a planner's question).
     */
    public static long activationBytes(ModelConfig config, Options options, int batch, int seqLen, int ranks) {
        long tokens = (long) batch * (seqLen / ranks), rows = options.ffnRows((int) Math.min(Integer.MAX_VALUE, tokens));
        int d = config.dModel(), h = config.heads(), f = config.ffn();
        long blocks = options.recompute() ? 1 : config.layers();
        // the residual stream of every layer; normed, dNormed and two stream gradients; final stats, logits, losses, tokens
        long model = tokens * (Float.BYTES * ((config.layers() + 1L) * d + 4L * d + 2 + config.vocab() + 1) + 2L * Integer.BYTES);
        return model + blocks * BlockActivations.bytes(tokens, rows, d, h, f, options.matrixUnits(), options.bf16Gemms())
                + BlockActivations.Scratch.bytes(tokens, rows, d, h, f, options.matrixUnits(), options.bf16Gemms())
                + (options.bf16Gemms() ? tokens * Bf16.bytesPerToken(d) + rows * Bf16.bytesPerFfnRow(f) : 0)
                + config.layers() * gatheredBytes(config, options, batch, seqLen, ranks);
    }

    /**
     * One layer's arrays for the pairs whose segments span ranks: the gathered keys and values (kept from forward
     * to backward) and their gradients, plus the blocks in flight, at most twice the gathered keys.
     */
    private static long gatheredBytes(ModelConfig config, Options options, int batch, int seqLen, int ranks) {
        long bytes = 0, chunk = seqLen / ranks;
        for (int i = 0; i < config.segmentLengths().length; i++) {
            long segment = Math.min(config.segmentLengths()[i], seqLen);
            if (ranks > 1 && segment > chunk) {
                long rows = (segment + config.dilationRates()[i] - 1) / config.dilationRates()[i];
                long elements = batch * rows * config.dModel();
                bytes += elements * (2L * (options.matrixUnits() ? Short.BYTES : Float.BYTES) + 2L * Float.BYTES + 2L * Float.BYTES);
            }
        }
        return bytes;
    }

    private StepPlans prepare(int batch, int seqLen) {
        if (run != null && run.batch == batch && run.seqLen == seqLen) {
            return run;
        }
        if (batch < 1 || seqLen < 1) {
            throw new IllegalArgumentException("batch and seqLen must be >= 1, were " + batch + " and " + seqLen);
        }
        SequenceSplit split = new SequenceSplit(group, seqLen);
        split.check(config.attention());
        long tokens = (long) batch * split.chunk();
        int widest = Math.max(config.vocab(), config.dModel());
        if (tokens * widest > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format("batch %d x seqLen %d = %d tokens is too many: the widest activation "
                    + "(tokens x %d) must stay below 2^31 elements, so at most %d tokens per step", batch, seqLen,
                    tokens, widest, Integer.MAX_VALUE / widest));
        }
        if ((long) options.ffnRows((int) tokens) * config.ffn() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format("batch %d x seqLen %d = %d tokens is too many for one feed-forward pass "
                    + "(tokens x %d must stay below 2^31 elements); use --recompute, which runs it in chunks of %d tokens", batch,
                    seqLen, tokens, config.ffn(), Options.DEFAULT_FFN_CHUNK));
        }
        closeRun();
        boolean keepAttention = keepsAttention(batch, seqLen);
        long needed = activationBytes(batch, seqLen, keepAttention);
        long free = device.freeMemory();
        if (needed > free) {
            throw new IllegalArgumentException(String.format("batch %d x seq-len %d needs %.2f GiB of activations on %s, which has "
                    + "%.2f GiB free; use a shorter --seq-len, a smaller --batch%s", batch, seqLen, needed / 1073741824.0,
                    device.info().id(), free / 1073741824.0, options.recompute() ? "" : ", or --recompute"));
        }
        run = new StepPlans(this, batch, split, keepAttention);
        return run;
    }

    private void closeRun() {
        if (run != null) {
            run.close();
            run = null;
        }
    }

    @Override
    public void close() {
        closeRun();
        optimizer.close();
        if (bf16Weights != null) {
            bf16Weights.close();
        }
        for (Parameter p : weights.parameters()) {
            for (FloatArray a : List.of(p.value(), p.grad(), p.m(), p.v())) {
                device.free(a);
            }
        }
    }
}
