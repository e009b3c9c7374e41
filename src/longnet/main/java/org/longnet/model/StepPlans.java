package org.longnet.model;

import org.longnet.attention.AttentionShape;
import org.longnet.attention.DilatedAttentionCore;
import org.longnet.attention.SequenceSplit;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.collective.CollectiveTask;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;

import java.util.ArrayList;
import java.util.List;

/**
 * The buffers and plans of one (batch, seqLen) of a {@link LongNetModel}, on several ranks of this rank's chunk: the
 * activations, and the three task graphs built once (forward with the loss, backward, forward to logits), llm.c style.
 */
final class StepPlans implements AutoCloseable {
    final int batch, seqLen, tokens;
    /**
     * Under recomputation, whether every block keeps its own attention output and log-sum-exp (and shares the rest of
     * its activations with the others) so that the backward recomputes it without the attention's forward.
     */
    final boolean keepAttention;
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

    private final ModelConfig config;
    private final ModelWeights weights;
    private final Device device;
    private final LongNetModel.Options options;
    private final Communicator group;
    /** The model's bf16 weight copies, or null. */
    private final Bf16Weights bf16Weights;

    StepPlans(LongNetModel model, int batch, SequenceSplit split, boolean keepAttention) {
        this.keepAttention = keepAttention;
        this.config = model.weights().config();
        this.weights = model.weights();
        this.device = model.device();
        this.options = model.options();
        this.group = model.group();
        this.bf16Weights = model.bf16Weights();
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
        bf16 = options.bf16Gemms() ? new Bf16(bf16Weights, tokens, d, (long) ffnRows * f) : null;
        long operands = DilatedAttentionCore.operandElements(shape, config.attention()); // bf16 Q, K, V, dO with the tensor maps' slack
        scratch = new BlockActivations.Scratch(tokens, ffnRows, d, h, f, options.matrixUnits(), options.bf16Gemms(), operands);
        for (int l = 0; l < layers; l++) {
            if (l == 0 || !options.recompute()) {
                acts.add(new BlockActivations(tokens, ffnRows, d, h, f, options.matrixUnits(), options.bf16Gemms(), scratch, operands));
            } else if (keepAttention) {
                acts.add(acts.getFirst().keepingAttention(tokens, d, h));
            }
            DilatedAttentionCore core = new DilatedAttentionCore(shape, config.attention(), "l" + l + "Attn", options.deterministic(), split)
                    .forDevice(device);
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
        return acts.get(options.recompute() && !keepAttention ? 0 : layer);
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
        if (bf16Weights != null) {
            keep.addAll(bf16Weights.arrays());
        }
        g.persistOnDevice(keep.toArray(new DeviceArray[0]));
        ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device).withProfiler(options.profile())
                .withCudaGraph(options.cudaGraphs(group));
        return plan;
    }

    /** Tokens to the loss (and its gradient in the logits), or to the logits alone; with bf16 GEMMs, from the weights' current bf16 copies. */
    private TaskGraph forwardGraph(boolean withLoss) {
        int d = config.dModel(), vocab = config.vocab();
        TaskGraph g = new TaskGraph(withLoss ? "forwardLoss" : "forwardLogits")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, inputs);
        g.task("embed", EmbeddingKernels::forward, inputs, weights.embedding.value(), stream[0], d);
        DecoderBlock.Residual lacks = null; // what the stream after the last block run lacks (the next norm adds it)
        for (int l = 0; l < blocks.size(); l++) {
            lacks = blocks.get(l).forward(g, stream[l], stream[l + 1], acts(l), lacks);
        }
        if (lacks == null) {
            weights.finalNorm.forward(g, "finalNorm", stream[blocks.size()], normed, finalStats, tokens, LayerNorm.rowGroup(device));
        } else {
            weights.finalNorm.forwardOfResidual(g, "finalNorm", stream[blocks.size()], lacks.bias(), lacks.stream(), normed, finalStats, tokens,
                    LayerNorm.rowGroup(device));
        }
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
        if (bf16 != null) {
            g.transferToDevice(DataTransferMode.FIRST_EXECUTION, bf16.ones);
        }
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
                blocks.getLast().feedForwardOutput(), scratch.columnSums, tokens, false, LayerNorm.rowGroup(device));
        for (int l = blocks.size() - 1; l >= 0; l--) {
            if (options.recompute()) {
                blocks.get(l).recompute(g, stream[l], acts(l), keepAttention);
            }
            blocks.get(l).backward(g, stream[l], acts(l), dy, dx, scratch, l > 0 ? blocks.get(l - 1).feedForwardOutput() : null);
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
