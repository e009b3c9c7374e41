package org.longnet.model;

import org.longnet.attention.AttentionShape;
import org.longnet.attention.DilatedAttentionCore;
import org.longnet.attention.AttentionTiles;
import org.longnet.attention.SequenceSplit;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.collective.CollectiveTask;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.SingleRank;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.ExecutionResult;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;

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
     * on cuda agree to the last bit, at some speed.
     */
    public record Options(boolean recompute, boolean matrixUnits, boolean bf16Gemms, boolean profile, int ffnChunk, boolean deterministic) {
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
    private Run run;
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
        push();
        this.optimizer = new AdamW(weights.parameters(), device, AdamW.Settings.paper());
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

    /** Copies weights and optimizer moments from the host to the device (after loading them). */
    public void push() {
        for (Parameter p : weights.parameters()) {
            device.copyToDevice(p.value(), false);
            device.copyToDevice(p.m(), false);
            device.copyToDevice(p.v(), false);
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
        Run r = prepare(batch, seqLen);
        r.load(inputs, targets);
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
        Run r = prepare(batch, seqLen);
        r.load(inputs, null);
        r.logitsPlan().execute();
        return r.logits;
    }

    private void record(ExecutionResult result) {
        for (var e : result.profile().events()) {
            profile.merge(e.name().replaceAll("\\.(c\\d+)?(re)?l\\d+", "."), e.deviceNanos(), Long::sum);
        }
    }

    /**
     * With {@link Options#profile}: where device time went per forward-backward (the first one left
     * out), largest first, as a table: every task with at least 0.2% of the time, then the rest in one line.
     */
    public String profileTable() {
        long total = profile.values().stream().mapToLong(Long::longValue).sum();
        double per = 1e6 * Math.max(1, forwardBackwards - 1);
        StringBuilder out = new StringBuilder(String.format("%-36s %12s %7s%n", "task (all layers)", "ms per step", "share"));
        long shown = 0;
        int rest = 0;
        for (var e : profile.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList()) {
            if (e.getValue() * 500 >= total) {
                out.append(String.format("%-36s %12.2f %6.1f%%%n", e.getKey(), e.getValue() / per, 100.0 * e.getValue() / Math.max(1, total)));
                shown += e.getValue();
            } else {
                rest++;
            }
        }
        if (rest > 0) {
            out.append(String.format("%-36s %12.2f %6.1f%%%n", "(" + rest + " smaller tasks)", (total - shown) / per,
                    100.0 * (total - shown) / Math.max(1, total)));
        }
        return out.append(String.format("%-36s %12.2f%n", "total", total / per)).toString();
    }

    /** Device bytes this rank's activations of {@code batch x seqLen} need (weights not counted). */
    public long activationBytes(int batch, int seqLen) {
        return activationBytes(config, options, batch, seqLen, group.size());
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

    private Run prepare(int batch, int seqLen) {
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
        long needed = activationBytes(batch, seqLen);
        long free = device.freeMemory();
        if (needed > free) {
            throw new IllegalArgumentException(String.format("batch %d x seq-len %d needs %.2f GiB of activations on %s, which has "
                    + "%.2f GiB free; use a shorter --seq-len, a smaller --batch%s", batch, seqLen, needed / 1073741824.0,
                    device.info().id(), free / 1073741824.0, options.recompute() ? "" : ", or --recompute"));
        }
        run = new Run(batch, split);
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
        for (Parameter p : weights.parameters()) {
            for (FloatArray a : List.of(p.value(), p.grad(), p.m(), p.v())) {
                device.free(a);
            }
        }
    }

    /** The buffers and plans of one (batch, seqLen); on several ranks, of this rank's chunk. */
    private final class Run implements AutoCloseable {
        final int batch, seqLen, tokens;
        final SequenceSplit split;
        final IntArray inputs, targets;
        final FloatArray[] stream;
        final List<BlockActivations> acts = new ArrayList<>();
        final List<DecoderBlock> blocks = new ArrayList<>();
        final BlockActivations.Scratch scratch;
        final FloatArray normed, logits, losses, dNormed, dStreamA, dStreamB;
        /** 1 / the number of targets with a loss (not {@link CrossEntropyKernels#IGNORED}), set by {@link #load}. */
        final FloatArray lossScale = new FloatArray(1);
        private int counted;
        final LayerNorm.Stats finalStats;
        /** bf16 GEMM operands, or null for fp32 GEMMs. */
        final Bf16 bf16;
        final List<DeviceArray> buffers = new ArrayList<>();
        final ExecutionPlan lossPlan;
        private ExecutionPlan backwardPlan, logitsPlan;

        Run(int batch, SequenceSplit split) {
            this.batch = batch;
            this.split = split;
            this.seqLen = split.length();
            this.tokens = batch * split.chunk();
            int d = config.dModel(), h = config.heads(), f = config.ffn(), layers = config.layers();
            long td = (long) tokens * d;
            inputs = new IntArray(tokens);
            targets = new IntArray(tokens);
            stream = new FloatArray[layers + 1];
            for (int l = 0; l <= layers; l++) {
                stream[l] = new FloatArray(td);
            }
            AttentionShape shape = new AttentionShape(batch, split.chunk(), h, d / h);
            int ffnRows = options.ffnRows(tokens);
            bf16 = options.bf16Gemms() ? new Bf16(weights.blocks, tokens, d, (long) ffnRows * f) : null;
            scratch = new BlockActivations.Scratch(tokens, ffnRows, d, h, f, options.matrixUnits(), options.bf16Gemms());
            for (int l = 0; l < layers; l++) {
                if (l == 0 || !options.recompute()) {
                    acts.add(new BlockActivations(tokens, ffnRows, d, h, f, options.matrixUnits(), options.bf16Gemms(), scratch));
                }
                DilatedAttentionCore core = new DilatedAttentionCore(shape, config.attention(), "l" + l + "Attn", options.deterministic(), split);
                blocks.add(new DecoderBlock(weights.blocks.get(l), core, config.positions(), config.rotaryBase(), "l" + l, bf16, LayerNorm.rowGroup(device),
                        ffnRows));
            }
            normed = new FloatArray(td);
            finalStats = new LayerNorm.Stats(tokens);
            logits = new FloatArray((long) tokens * config.vocab());
            losses = new FloatArray(tokens);
            dNormed = new FloatArray(td);
            dStreamA = new FloatArray(td);
            dStreamB = new FloatArray(td);
            buffers.addAll(List.of(inputs, targets, lossScale, normed, finalStats.mean(), finalStats.rstd(), logits, losses, dNormed, dStreamA, dStreamB));
            buffers.addAll(List.of(stream));
            acts.forEach(a -> buffers.addAll(a.arrays()));
            buffers.addAll(scratch.arrays());
            if (bf16 != null) {
                buffers.addAll(bf16.arrays());
            }
            lossPlan = plan(forwardGraph(true));
        }

        BlockActivations acts(int layer) {
            return acts.get(options.recompute() ? 0 : layer);
        }

        void load(IntArray in, IntArray out) {
            if (in.getSize() != tokens || (out != null && out.getSize() != tokens)) {
                throw new IllegalArgumentException("inputs and targets must hold batch * seqLen" + (split.ranks() > 1 ? " / ranks" : "") + " = "
                        + tokens + " tokens, were " + in.getSize() + (out == null ? "" : " and " + out.getSize()));
            }
            inputs.segment().copyFrom(in.segment());
            if (out != null) {
                targets.segment().copyFrom(out.segment());
                counted = 0;
                for (int i = 0; i < tokens; i++) {
                    int t = targets.get(i);
                    if (t >= config.vocab()) {
                        throw new IllegalArgumentException("target " + i + " is " + t + "; targets must be below the vocabulary size "
                                + config.vocab() + ", or negative for no loss");
                    }
                    counted += t >= 0 ? 1 : 0;
                }
                double[] all = {counted};
                group.allReduce(all); // the mean is over the whole sequences
                counted = (int) all[0];
                if (counted == 0) {
                    throw new IllegalArgumentException("every one of the " + tokens * split.ranks() + " targets is negative (no loss): nothing to learn");
                }
                lossScale.set(0, 1f / counted);
            }
        }

        /** Mean loss over the targets that have one, in every rank's chunk. */
        double meanLoss() {
            double[] sum = {0};
            for (int i = 0; i < tokens; i++) {
                sum[0] += losses.get(i);
            }
            group.allReduce(sum);
            return sum[0] / counted;
        }

        ExecutionPlan backwardPlan() {
            if (backwardPlan == null) {
                backwardPlan = plan(backwardGraph());
            }
            return backwardPlan;
        }

        ExecutionPlan logitsPlan() {
            if (logitsPlan == null) {
                logitsPlan = plan(forwardGraph(false));
            }
            return logitsPlan;
        }

        private ExecutionPlan plan(TaskGraph g) {
            List<DeviceArray> keep = new ArrayList<>(buffers);
            for (Parameter p : weights.parameters()) {
                keep.addAll(List.of(p.value(), p.grad(), p.m(), p.v()));
            }
            blocks.forEach(b -> keep.addAll(b.attention().buffers()));
            g.persistOnDevice(keep.toArray(new DeviceArray[0]));
            ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device).withProfiler(options.profile());
            return plan;
        }

        /** Tokens to the loss (and its gradient in the logits), or to the logits alone. */
        private TaskGraph forwardGraph(boolean withLoss) {
            int d = config.dModel(), vocab = config.vocab();
            TaskGraph g = new TaskGraph(withLoss ? "forwardLoss" : "forwardLogits")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, inputs);
            if (bf16 != null) {
                bf16.refreshWeights(g);
            }
            g.task("embed", EmbeddingKernels::forward, inputs, weights.embedding.value(), stream[0], d);
            for (int l = 0; l < blocks.size(); l++) {
                blocks.get(l).forward(g, stream[l], stream[l + 1], acts(l));
            }
            weights.finalNorm.forward(g, "finalNorm", stream[blocks.size()], normed, finalStats, tokens, LayerNorm.rowGroup(device));
            if (weights.head == null) {
                g.library("head", Gemm.of(new GemmShape(false, true, tokens, vocab, d, 1f, 0f, d, d, vocab, 0, 0, 0, 1),
                        normed, weights.embedding.value(), logits));
            } else {
                g.library("head", Gemm.of(new GemmShape(false, false, tokens, vocab, d, 1f, 0f, d, vocab, vocab, 0, 0, 0, 1),
                        normed, weights.head.value(), logits));
            }
            if (!withLoss) {
                return g.transferToHost(DataTransferMode.EVERY_EXECUTION, logits);
            }
            return g.transferToDevice(DataTransferMode.EVERY_EXECUTION, targets, lossScale)
                    .task("loss", CrossEntropyKernels::forwardBackward, logits, targets, losses, vocab, lossScale)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, losses);
        }

        /** From the logits' gradient (left in place by the loss) to every weight gradient. */
        private TaskGraph backwardGraph() {
            int d = config.dModel(), vocab = config.vocab();
            TaskGraph g = new TaskGraph("backward");
            if (weights.head == null) {
                g.library("headGradW", Gemm.of(new GemmShape(true, false, vocab, d, tokens, 1f, 0f, vocab, d, d, 0, 0, 0, 1),
                        logits, normed, weights.embedding.grad()));
                g.library("headGradX", Gemm.of(new GemmShape(false, false, tokens, d, vocab, 1f, 0f, vocab, d, d, 0, 0, 0, 1),
                        logits, weights.embedding.value(), dNormed));
            } else {
                g.library("headGradW", Gemm.of(new GemmShape(true, false, d, vocab, tokens, 1f, 0f, d, vocab, vocab, 0, 0, 0, 1),
                        normed, logits, weights.head.grad()));
                g.library("headGradX", Gemm.of(new GemmShape(false, true, tokens, d, vocab, 1f, 0f, vocab, vocab, d, 0, 0, 0, 1),
                        logits, weights.head.value(), dNormed));
            }
            FloatArray dy = dStreamA, dx = dStreamB;
            // dy, and with bf16 GEMMs its bf16 copy where the last block's backward takes it
            weights.finalNorm.backward(g, "finalNorm", stream[blocks.size()], finalStats, dNormed, null, dy, DecoderBlock.streamGradient(bf16),
                    scratch.columnSums, tokens, false, LayerNorm.rowGroup(device));
            for (int l = blocks.size() - 1; l >= 0; l--) {
                if (options.recompute()) {
                    blocks.get(l).recompute(g, stream[l], stream[l + 1], acts(l));
                }
                blocks.get(l).backward(g, stream[l], acts(l), dy, dx, scratch);
                FloatArray t = dy;
                dy = dx;
                dx = t;
            }
            // The logits are spent by now (headGradX read them last): they hold the one-hot rows.
            Embedding.backward(g, "embedGrad", inputs, dy, weights.embedding.grad(), logits, vocab, d, weights.head == null);
            if (group.size() > 1) {
                // Each rank's gradients are those of its chunk's share of the loss: their sum is the whole sequences' gradient.
                List<Parameter> params = weights.parameters();
                for (int i = 0; i < params.size(); i++) {
                    g.library("sumGrad" + i, CollectiveTask.allReduce(group, params.get(i).grad()));
                }
            }
            return g;
        }

        @Override
        public void close() {
            for (ExecutionPlan p : new ExecutionPlan[] {lossPlan, backwardPlan, logitsPlan}) {
                if (p != null) {
                    p.close();
                }
            }
            buffers.forEach(device::free);
        }
    }
}
