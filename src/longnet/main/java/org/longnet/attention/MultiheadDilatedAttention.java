package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.collective.CollectiveTask;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.SingleRank;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-head dilated attention as in the paper: input {@code (batch, seqLen, dModel)} → output of
 * the same shape, with Q/K/V/output projections (weights {@code [dModel][dModel]}, y = x W + b),
 * optional rotary/XPOS positions, and the mixture of (segment length, dilation) patterns.
 * Forward and backward each run as one task graph on the device; activations are allocated once
 * per (batch, seqLen). With {@link #splitAcross}, each sequence is split across the ranks of a group
 * (LongNet's distributed algorithm): every rank gives its chunk of the input and gets its chunk of the
 * output, and the parameter gradients are summed over the ranks.
 */
public class MultiheadDilatedAttention implements AutoCloseable {
    private final int dModel;
    private final int numHeads;
    private final DilatedAttentionConfig config;
    private final Positions positions;
    /** Parameters and their gradients: wq, wk, wv, wo, bq, bk, bv, bo. */
    private final FloatArray[] params = new FloatArray[8];
    private final FloatArray[] grads = new FloatArray[8];
    /** Matrix-unit attention (bf16 Q, K, V) forced on or off; null: on where it pays (cuda, heads of 64). */
    private Boolean matrixUnits;
    private Activations act;
    /** The ranks that share each sequence; one rank on its own. */
    private Communicator group = new SingleRank();

    public MultiheadDilatedAttention(int dModel, int numHeads, int[] segmentLengths, int[] dilationRates, boolean causal,
                                     Positions positions, long seed) {
        if (dModel < 1 || numHeads < 1 || dModel % numHeads != 0) {
            throw new IllegalArgumentException("dModel (" + dModel + ") must be a positive multiple of numHeads (" + numHeads + ")");
        }
        int headDim = dModel / numHeads;
        if (headDim > AttentionTiles.MAX_D) {
            throw new IllegalArgumentException("dModel / numHeads = " + headDim + " must be <= " + AttentionTiles.MAX_D);
        }
        if (positions != Positions.NONE && headDim % 2 != 0) {
            throw new IllegalArgumentException("rotary positions need an even head dimension, dModel / numHeads = " + headDim);
        }
        this.dModel = dModel;
        this.numHeads = numHeads;
        this.config = DilatedAttentionConfig.of(segmentLengths, dilationRates, causal);
        this.positions = positions;
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1 / Math.sqrt(dModel);
        for (int i = 0; i < 8; i++) {
            params[i] = new FloatArray(i < 4 ? (long) dModel * dModel : dModel);
            grads[i] = new FloatArray(params[i].getSize());
            for (long e = 0; e < params[i].getSize(); e++) {
                params[i].set(e, i < 4 ? (float) random.nextDouble(-bound, bound) : 0f);
            }
        }
    }

    public int dModel() {
        return dModel;
    }

    public DilatedAttentionConfig config() {
        return config;
    }

    /** wq, wk, wv, wo ({@code [dModel][dModel]}, y = x W) then bq, bk, bv, bo. */
    public List<FloatArray> parameters() {
        return List.of(params);
    }

    /** Gradients of {@link #parameters()}, in the same order, after {@link #backward}. */
    public List<FloatArray> gradients() {
        return List.of(grads);
    }

    /**
     * Forces the attention core's matrix-unit kernels (bf16 Q, K, V; tensor cores on cuda; heads of
     * {@value AttentionTiles#MMA_HEAD_DIM}) on or off; see {@link #usesMatrixUnits} for the default.
     */
    public MultiheadDilatedAttention withMatrixUnits(boolean on) {
        if (on && dModel / numHeads != AttentionTiles.MMA_HEAD_DIM) {
            throw new IllegalArgumentException("matrix units need dModel / numHeads = " + AttentionTiles.MMA_HEAD_DIM
                    + ", was " + dModel / numHeads);
        }
        matrixUnits = on;
        close();
        return this;
    }

    /**
     * Whether attention runs on the matrix-unit kernels (bf16 Q, K, V) on {@code device} for
     * sequences of {@code seqLen}: by default on cuda with heads of 64 when every pair's blocks hold
     * at least a work-group's {@value AttentionTiles#MMA_GROUP_ROWS} rows. Smaller blocks
     * (the seed's segment 64 with dilation 2 has 32 rows) would leave most of each group idle; the
     * fp32 kernels, with 32-row groups, are faster there (benchmarks/RESULTS.md: the seed's layer).
     */
    public boolean usesMatrixUnits(Device device, int seqLen) {
        if (matrixUnits != null) {
            return matrixUnits;
        }
        boolean bigBlocks = config.pairs().stream().allMatch(
                p -> (p.effectiveLength(seqLen) + p.dilationRate() - 1) / p.dilationRate() >= AttentionTiles.MMA_GROUP_ROWS);
        return device.matrixUnits() && dModel / numHeads == AttentionTiles.MMA_HEAD_DIM && bigBlocks;
    }

    /**
     * Splits each sequence across the ranks of {@code group}: then {@link #forward} takes this rank's chunk of
     * every sequence ({@code batch * seqLen / ranks * dModel} floats, seqLen the whole sequence's length).
     */
    public MultiheadDilatedAttention splitAcross(Communicator group) {
        this.group = group;
        close();
        return this;
    }

    /**
     * Runs the layer on {@code x} ({@code batch * seqLen * dModel} floats; with {@link #splitAcross}, this rank's
     * chunk of them) and returns the output (owned by the layer).
     */
    public FloatArray forward(Device device, FloatArray x, int batch, int seqLen) {
        prepare(device, batch, seqLen);
        if (x.getSize() != act.x.getSize()) {
            throw new IllegalArgumentException("input must hold batch * seqLen * dModel = " + act.x.getSize() + " floats, has " + x.getSize());
        }
        act.x.segment().copyFrom(x.segment().asSlice(0, x.byteSize()));
        act.forward.execute();
        return act.y;
    }

    /** Given dL/dy of the last forward, returns dL/dx and fills {@link #gradients()}. */
    public FloatArray backward(FloatArray gradY) {
        if (act == null) {
            throw new IllegalStateException("backward needs a forward first");
        }
        if (gradY.getSize() != act.gy.getSize()) {
            throw new IllegalArgumentException("gradient must hold " + act.gy.getSize() + " floats, has " + gradY.getSize());
        }
        act.gy.segment().copyFrom(gradY.segment().asSlice(0, gradY.byteSize()));
        act.backward.execute();
        return act.gx;
    }

    /**
     * Device bytes the layer needs for {@code tokens} tokens (activations, gradients, parameters),
     * counting the bf16 copies that matrix-unit attention adds wherever it may run.
     */
    public long bytesFor(long tokens, boolean withBackward) {
        long perToken = (long) dModel * (withBackward ? 14 : 7) + (long) numHeads * (withBackward ? 2 : 1);
        return Float.BYTES * (perToken * tokens + 16L * dModel * dModel);
    }

    private void prepare(Device device, int batch, int seqLen) {
        if (act != null && act.device == device && act.shape.batch() == batch && act.split.length() == seqLen) {
            return;
        }
        SequenceSplit split = new SequenceSplit(group, seqLen);
        split.check(config);
        if (positions == Positions.XPOS && seqLen > Positions.XPOS_MAX_LENGTH) {
            throw new IllegalArgumentException("XPOS positions leave the fp32 range beyond " + Positions.XPOS_MAX_LENGTH
                    + " tokens; seqLen " + seqLen + " needs ROTARY or NONE");
        }
        long needed = bytesFor((long) batch * split.chunk(), true);
        long free = device.freeMemory();
        if (needed > free) {
            throw new IllegalArgumentException(String.format("batch %d x seqLen %d needs %.1f GiB of activations on %s, which has "
                    + "%.1f GiB free; use a shorter sequence or a smaller batch", batch, seqLen, needed / 1073741824.0,
                    device.info().id(), free / 1073741824.0));
        }
        close();
        act = new Activations(device, new AttentionShape(batch, split.chunk(), numHeads, dModel / numHeads), split);
    }

    @Override
    public void close() {
        if (act != null) {
            act.forward.close();
            act.backward.close();
            act = null;
        }
    }

    /** Everything one (device, batch, seqLen) needs: activation buffers and the two plans. */
    private final class Activations {
        final Device device;
        final AttentionShape shape;
        final SequenceSplit split;
        final FloatArray x, q, k, v, o, lse, y, gy, gx, go, gq, gk, gv, delta, columnSums;
        /** bf16 Q, K, V and dO for matrix-unit attention, or null. */
        final BFloat16Array q16, k16, v16, go16;
        final ExecutionPlan forward, backward;

        Activations(Device device, AttentionShape shape, SequenceSplit split) {
            this.device = device;
            this.shape = shape;
            this.split = split;
            long elements = shape.elements();
            x = new FloatArray(elements);
            q = new FloatArray(elements);
            k = new FloatArray(elements);
            v = new FloatArray(elements);
            o = new FloatArray(elements);
            y = new FloatArray(elements);
            gy = new FloatArray(elements);
            gx = new FloatArray(elements);
            go = new FloatArray(elements);
            gq = new FloatArray(elements);
            gk = new FloatArray(elements);
            gv = new FloatArray(elements);
            lse = new FloatArray(shape.rows());
            delta = new FloatArray(shape.rows());
            columnSums = ColumnSums.scratch(dModel);
            boolean bf16 = usesMatrixUnits(device, split.length());
            q16 = bf16 ? new BFloat16Array(elements) : null;
            k16 = bf16 ? new BFloat16Array(elements) : null;
            v16 = bf16 ? new BFloat16Array(elements) : null;
            go16 = bf16 ? new BFloat16Array(elements) : null;
            DilatedAttentionCore core = new DilatedAttentionCore(shape, config, "attn", false, split);
            forward = new ExecutionPlan(forwardGraph(core).snapshot()).withDevice(device);
            backward = new ExecutionPlan(backwardGraph(core).snapshot()).withDevice(device);
        }

        private TaskGraph forwardGraph(DilatedAttentionCore core) {
            int tokens = shape.batch() * shape.seqLen();
            TaskGraph g = new TaskGraph("mhdaForward")
                    .transferToDevice(DataTransferMode.FIRST_EXECUTION, params)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, x);
            FloatArray[] outs = {q, k, v};
            String[] names = {"q", "k", "v"};
            for (int i = 0; i < 3; i++) {
                g.library(names[i] + "Proj", Gemm.of(product(false, false, tokens, 0f), x, params[i], outs[i]));
                g.task(names[i] + "Bias", ProjectionKernels::addBias, outs[i], params[4 + i], tokens, dModel);
            }
            if (positions != Positions.NONE) {
                int xpos = positions == Positions.XPOS ? 1 : 0;
                g.task("qRotate", ProjectionKernels::rotate, q, shape.seqLen(), numHeads, shape.headDim(), xpos, 1f, 0, Positions.DEFAULT_ROTARY_BASE,
                        split.offset(), split.length());
                g.task("kRotate", ProjectionKernels::rotate, k, shape.seqLen(), numHeads, shape.headDim(), xpos, -1f, 0, Positions.DEFAULT_ROTARY_BASE,
                        split.offset(), split.length());
            }
            if (q16 != null) {
                core.appendForward(g, q, k, v, q16, k16, v16, o, lse);
            } else {
                core.appendForward(g, q, k, v, o, lse);
            }
            g.library("oProj", Gemm.of(product(false, false, tokens, 0f), o, params[3], y));
            g.task("oBias", ProjectionKernels::addBias, y, params[7], tokens, dModel);
            return g.transferToHost(DataTransferMode.EVERY_EXECUTION, y);
        }

        private TaskGraph backwardGraph(DilatedAttentionCore core) {
            int tokens = shape.batch() * shape.seqLen();
            TaskGraph g = new TaskGraph("mhdaBackward").consumeFromDevice(params)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, gy);
            // y = o Wo + bo
            g.library("woGrad", Gemm.of(weightGrad(tokens), o, gy, grads[3]));
            ColumnSums.add(g, "boGrad", gy, grads[7], columnSums, tokens, dModel);
            g.library("oGrad", Gemm.of(product(false, true, tokens, 0f), gy, params[3], go));
            if (q16 != null) {
                core.appendBackward(g, q16, k16, v16, o, lse, go, go16, delta, gq, gk, gv);
            } else {
                core.appendBackward(g, q, k, v, o, lse, go, delta, gq, gk, gv);
            }
            if (positions != Positions.NONE) {
                int xpos = positions == Positions.XPOS ? 1 : 0;
                g.task("qUnrotate", ProjectionKernels::rotate, gq, shape.seqLen(), numHeads, shape.headDim(), xpos, 1f, 1, Positions.DEFAULT_ROTARY_BASE,
                        split.offset(), split.length());
                g.task("kUnrotate", ProjectionKernels::rotate, gk, shape.seqLen(), numHeads, shape.headDim(), xpos, -1f, 1, Positions.DEFAULT_ROTARY_BASE,
                        split.offset(), split.length());
            }
            FloatArray[] gin = {gq, gk, gv};
            String[] names = {"q", "k", "v"};
            for (int i = 0; i < 3; i++) {
                g.library("w" + names[i] + "Grad", Gemm.of(weightGrad(tokens), x, gin[i], grads[i]));
                ColumnSums.add(g, "b" + names[i] + "Grad", gin[i], grads[4 + i], columnSums, tokens, dModel);
                g.library("x" + names[i] + "Grad", Gemm.of(product(false, true, tokens, i == 0 ? 0f : 1f), gin[i], params[i], gx));
            }
            if (group.size() > 1) {
                for (int i = 0; i < grads.length; i++) {
                    g.library("sumGrad" + i, CollectiveTask.allReduce(group, grads[i])); // this rank's chunk's share of each gradient
                }
            }
            return g.transferToHost(DataTransferMode.EVERY_EXECUTION, gx).transferToHost(DataTransferMode.EVERY_EXECUTION, grads);
        }

        /** (tokens x dModel) times a (dModel x dModel) weight, optionally transposed, into C with beta. */
        private GemmShape product(boolean transA, boolean transB, int tokens, float beta) {
            return new GemmShape(transA, transB, tokens, dModel, dModel, 1f, beta, dModel, dModel, dModel, 0, 0, 0, 1);
        }

        /** dW = A^T dY: (dModel x tokens) times (tokens x dModel). */
        private GemmShape weightGrad(int tokens) {
            return new GemmShape(true, false, dModel, dModel, tokens, 1f, 0f, dModel, dModel, dModel, 0, 0, 0, 1);
        }
    }
}
