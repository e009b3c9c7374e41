package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.collective.CollectiveTask;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.SingleRank;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;
import org.longnet.engine.library.PrecisionKernels;

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
 * <p>
 * {@link #withPrecision} picks the storage of input, weights and activations: fp32 (the default; its products may
 * run as TF32 where allowed), or fp16/bf16 for the forward pass, with fp32 math and accumulation (tensor-core
 * GEMMs on cuda). Blocks of at most 32 rows run {@link SmallBlockAttention}, which reads Q, K, V and writes O once.
 * A caller that times the layer as the seed does uploads its input once ({@link #input}, {@link #upload}), runs
 * {@link #forwardOnDevice} on device-resident data, and copies the output back apart ({@link #download}).
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
    private Precision precision = Precision.FP32;
    /** Whether fp32 projections may run as TF32 (cuBLAS). */
    private boolean tf32;
    /** Whether the input and output's host memory is page-locked for their copies. */
    private boolean pinned;

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
     * Stores input, weights and activations in {@code precision}; with fp32, {@code allowTf32} lets the projections
     * run as TF32 on cuBLAS (operands rounded to 10 mantissa bits, fp32 accumulation). 16-bit layers run the
     * forward pass only. docs/attention-precision.md gives the accuracy of each choice.
     */
    public MultiheadDilatedAttention withPrecision(Precision precision, boolean allowTf32) {
        this.precision = precision;
        this.tf32 = allowTf32 && precision == Precision.FP32;
        close();
        return this;
    }

    /** Page-locks the host memory of the input and output (cuda), so {@link #upload} and {@link #download} run at the bus's rate. */
    public MultiheadDilatedAttention withPinnedHostCopies(boolean on) {
        this.pinned = on;
        close();
        return this;
    }

    /** The layer's input for (device, batch, seqLen) in its precision, for the caller to fill before {@link #upload}. */
    public DeviceArray input(Device device, int batch, int seqLen) {
        prepare(device, batch, seqLen);
        return act.x;
    }

    /** Copies the input to the device; returns device nanoseconds when {@code timed}. */
    public long upload(boolean timed) {
        return prepared().device.copyToDevice(act.x, timed);
    }

    /** Runs the forward pass on the input already on the device, leaving the output there. */
    public void forwardOnDevice() {
        prepared().forward.execute();
    }

    /** Copies the output to its host array ({@link #output}); returns device nanoseconds when {@code timed}. */
    public long download(boolean timed) {
        return prepared().device.copyToHost(act.y, timed);
    }

    /** The output in the layer's precision: on the host after {@link #download}. */
    public DeviceArray output() {
        return prepared().y;
    }

    /** Whether the input's and output's host memory is page-locked (asked for, and the device can). */
    public boolean hostCopiesPinned() {
        return prepared().hostPinned;
    }

    /** Which attention kernels the prepared forward runs, in words. */
    public String attentionKernels() {
        return prepared().kernels;
    }

    /**
     * Runs the layer on {@code x} ({@code batch * seqLen * dModel} floats; with {@link #splitAcross}, this rank's
     * chunk of them, rounded to the layer's precision) and returns the output as floats (owned by the layer).
     */
    public FloatArray forward(Device device, FloatArray x, int batch, int seqLen) {
        prepare(device, batch, seqLen);
        if (x.getSize() != act.x.getSize()) {
            throw new IllegalArgumentException("input must hold batch * seqLen * dModel = " + act.x.getSize() + " floats, has " + x.getSize());
        }
        if (act.x instanceof FloatArray fx) {
            fx.segment().copyFrom(x.segment().asSlice(0, x.byteSize()));
        } else {
            for (long i = 0; i < x.getSize(); i++) {
                Precision.set(act.x, i, x.get(i));
            }
        }
        upload(false);
        forwardOnDevice();
        download(false);
        if (act.y instanceof FloatArray fy) {
            return fy;
        }
        for (long i = 0; i < act.yFloats.getSize(); i++) {
            act.yFloats.set(i, Precision.get(act.y, i));
        }
        return act.yFloats;
    }

    private Activations prepared() {
        if (act == null) {
            throw new IllegalStateException("the layer has no input yet: call input() or forward() first");
        }
        return act;
    }

    /** Given dL/dy of the last forward, returns dL/dx and fills {@link #gradients()}. */
    public FloatArray backward(FloatArray gradY) {
        if (act == null) {
            throw new IllegalStateException("backward needs a forward first");
        }
        if (precision != Precision.FP32) {
            throw new IllegalStateException("backward needs precision fp32; this layer stores " + precision.label());
        }
        if (gradY.getSize() != act.gy.getSize()) {
            throw new IllegalArgumentException("gradient must hold " + act.gy.getSize() + " floats, has " + gradY.getSize());
        }
        act.gy.segment().copyFrom(gradY.segment().asSlice(0, gradY.byteSize()));
        act.backward.execute();
        return act.gx;
    }

    /**
     * Device bytes the layer needs for {@code tokens} tokens (activations, gradients, parameters), counting the bf16
     * copies of matrix-unit attention; a 16-bit layer holds x, Q, K, V, O, y in 16 bits, and fp32 Q, K, V, O where
     * its attention runs on the fp32 kernels.
     */
    public long bytesFor(long tokens, boolean withBackward) {
        long weights = Float.BYTES * 16L * dModel * dModel;
        if (precision != Precision.FP32) {
            long perToken = (long) dModel * (6 * 2 + (smallBlocks16() ? 0 : 4 * Float.BYTES)) + (long) numHeads * Float.BYTES;
            return perToken * tokens + weights;
        }
        long perToken = (long) dModel * (withBackward ? 14 : 7) + (long) numHeads * (withBackward ? 2 : 1);
        return Float.BYTES * perToken * tokens + weights;
    }

    /** Whether a 16-bit forward keeps every activation in 16 bits: small blocks on one device, no rotated positions. */
    private boolean smallBlocks16() {
        return positions == Positions.NONE && group.size() == 1 && dModel / numHeads <= SmallBlocks.MAX_D && config.pairs().stream()
                .allMatch(p -> (p.segmentLength() + p.dilationRate() - 1) / p.dilationRate() <= SmallBlocks.ROWS);
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
        long needed = bytesFor((long) batch * split.chunk(), precision == Precision.FP32);
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
            if (act.backward != null) {
                act.backward.close();
            }
            act.device.unpinHost(act.x);
            act.device.unpinHost(act.y);
            act = null;
        }
    }

    /** Everything one (device, batch, seqLen) needs: activation buffers and the plans (no backward for 16-bit layers). */
    private final class Activations {
        final Device device;
        final AttentionShape shape;
        final SequenceSplit split;
        /** Input and output in the layer's precision; the output widened for {@link #forward}'s callers when 16-bit. */
        final DeviceArray x, y;
        final FloatArray yFloats;
        final FloatArray q, k, v, o, lse, gy, gx, go, gq, gk, gv, delta, columnSums;
        /** bf16 Q, K, V and dO for matrix-unit attention, or null. */
        final BFloat16Array qBf16, kBf16, vBf16, goBf16;
        /** A 16-bit layer's weights, and its Q, K, V, O where they stay in 16 bits (small blocks), or null. */
        final DeviceArray[] weights16 = new DeviceArray[4];
        final DeviceArray q16, k16, v16, o16;
        final String kernels;
        final boolean hostPinned;
        final ExecutionPlan forward, backward;

        Activations(Device device, AttentionShape shape, SequenceSplit split) {
            this.device = device;
            this.shape = shape;
            this.split = split;
            long elements = shape.elements();
            x = precision.allocate(elements);
            y = precision.allocate(elements);
            yFloats = precision == Precision.FP32 ? null : new FloatArray(elements);
            q = new FloatArray(elements);
            k = new FloatArray(elements);
            v = new FloatArray(elements);
            o = new FloatArray(elements);
            gy = new FloatArray(elements);
            gx = new FloatArray(elements);
            go = new FloatArray(elements);
            gq = new FloatArray(elements);
            gk = new FloatArray(elements);
            gv = new FloatArray(elements);
            lse = new FloatArray(shape.rows());
            delta = new FloatArray(shape.rows());
            columnSums = ColumnSums.scratch(dModel);
            DilatedAttentionCore core = new DilatedAttentionCore(shape, config, "attn", false, split).forDevice(device);
            boolean bf16 = usesMatrixUnits(device, split.length());
            boolean small = core.smallBlocks() && !bf16;
            boolean narrow = precision != Precision.FP32;
            boolean narrowAttention = narrow && small && positions == Positions.NONE;
            long operands = core.operandElements();
            qBf16 = bf16 ? new BFloat16Array(operands) : null;
            kBf16 = bf16 ? new BFloat16Array(operands) : null;
            vBf16 = bf16 ? new BFloat16Array(operands) : null;
            goBf16 = bf16 && !narrow ? new BFloat16Array(operands) : null;
            for (int i = 0; i < 4 && narrow; i++) {
                weights16[i] = precision.allocate((long) dModel * dModel);
            }
            q16 = narrowAttention ? precision.allocate(elements) : null;
            k16 = narrowAttention ? precision.allocate(elements) : null;
            v16 = narrowAttention ? precision.allocate(elements) : null;
            o16 = narrow ? precision.allocate(elements) : null;
            String storage = narrowAttention ? precision.label() : "fp32";
            kernels = bf16 ? "matrix units (bf16 Q, K, V, fp32 accumulation)"
                    : small ? "small blocks (" + storage + " Q, K, V, O; fp32 math)" : "fp32 tiles";
            TaskGraph graph = new TaskGraph("mhdaForward").transferToDevice(DataTransferMode.FIRST_EXECUTION, params);
            if (narrowAttention) {
                forward16(graph, core);
            } else {
                forwardFp32Attention(graph, core, small);
            }
            forward = new ExecutionPlan(graph.snapshot()).withDevice(device);
            backward = narrow ? null : new ExecutionPlan(backwardGraph(core).snapshot()).withDevice(device);
            hostPinned = pinned && device.pinHost(x) && device.pinHost(y);
        }

        /**
         * Projections into fp32 Q, K, V, attention in fp32 (or on matrix units), the output projection: every fp32
         * layer, and 16-bit layers whose blocks are too large for the small-block kernels or whose positions rotate.
         */
        private void forwardFp32Attention(TaskGraph g, DilatedAttentionCore core, boolean small) {
            int tokens = shape.batch() * shape.seqLen();
            narrowWeights(g);
            FloatArray[] outs = {q, k, v};
            String[] names = {"q", "k", "v"};
            for (int i = 0; i < 3; i++) {
                g.library(names[i] + "Proj", projection(x, i, outs[i], tokens));
                g.task(names[i] + "Bias", BiasKernels::addBiasFloat, outs[i], params[4 + i], tokens, dModel);
            }
            if (positions != Positions.NONE) {
                int xpos = positions == Positions.XPOS ? 1 : 0;
                g.task("qRotate", ProjectionKernels::rotate, q, shape.seqLen(), numHeads, shape.headDim(), xpos, 1f, 0, Positions.DEFAULT_ROTARY_BASE,
                        split.offset(), split.length());
                g.task("kRotate", ProjectionKernels::rotate, k, shape.seqLen(), numHeads, shape.headDim(), xpos, -1f, 0, Positions.DEFAULT_ROTARY_BASE,
                        split.offset(), split.length());
            }
            if (qBf16 != null) {
                core.appendForward(g, q, k, v, qBf16, kBf16, vBf16, o, lse);
            } else if (small) {
                core.appendSmallBlockForward(g, q, k, v, o, lse, null);
            } else {
                core.appendForward(g, q, k, v, o, lse);
            }
            if (o16 != null) {
                narrow(g, "oNarrow", o, o16, shape.elements());
            }
            g.library("oProj", projection(o16 != null ? o16 : o, 3, y, tokens));
            addBias(g, "oBias", y, params[7], tokens);
        }

        /**
         * The 16-bit forward of small blocks: Q, K, V, O in 16 bits from end to end, fp32 only inside the kernels, which
         * add Q's, K's and V's biases as they load them (three passes fewer).
         */
        private void forward16(TaskGraph g, DilatedAttentionCore core) {
            int tokens = shape.batch() * shape.seqLen();
            narrowWeights(g);
            g.library("qProj", projection(x, 0, q16, tokens)).library("kProj", projection(x, 1, k16, tokens))
                    .library("vProj", projection(x, 2, v16, tokens));
            core.appendSmallBlockForward(g, q16, k16, v16, o16, lse, new FloatArray[] {params[4], params[5], params[6]});
            g.library("oProj", projection(o16, 3, y, tokens));
            addBias(g, "oBias", y, params[7], tokens);
        }

        /** in times weight {@code w} (its 16-bit copy in a 16-bit layer) into out; TF32 where the layer allows it. */
        private Gemm projection(DeviceArray in, int w, DeviceArray out, int tokens) {
            DeviceArray weight = weights16[w] != null ? weights16[w] : params[w];
            return Gemm.of(product(false, false, tokens, 0f), in, weight, out).allowingTf32(tf32);
        }

        /** A 16-bit layer's weights rounded from the fp32 parameters on the device, each pass (a quarter million elements each). */
        private void narrowWeights(TaskGraph g) {
            for (int i = 0; i < 4 && weights16[i] != null; i++) {
                narrow(g, "w" + i + "Narrow", params[i], weights16[i], params[i].getSize());
            }
        }

        private void narrow(TaskGraph g, String name, FloatArray from, DeviceArray to, long count) {
            switch (to) {
                case HalfFloatArray h -> g.task(name, PrecisionKernels::toHalf, from, h, count);
                case BFloat16Array b -> g.task(name, PrecisionKernels::toBf16, from, b, count);
                default -> throw new IllegalArgumentException("narrowing needs a 16-bit array, not " + to.getClass().getSimpleName());
            }
        }

        private void addBias(TaskGraph g, String name, DeviceArray to, FloatArray bias, int tokens) {
            switch (to) {
                case FloatArray f -> g.task(name, BiasKernels::addBiasFloat, f, bias, tokens, dModel);
                case HalfFloatArray h -> g.task(name, BiasKernelsHalf::addBiasHalf, h, bias, tokens, dModel);
                case BFloat16Array b -> g.task(name, BiasKernelsBf16::addBiasBf16, b, bias, tokens, dModel);
                default -> throw new IllegalArgumentException("a bias adds to fp32, fp16 or bf16, not " + to.getClass().getSimpleName());
            }
        }

        private TaskGraph backwardGraph(DilatedAttentionCore core) {
            int tokens = shape.batch() * shape.seqLen();
            TaskGraph g = new TaskGraph("mhdaBackward").consumeFromDevice(params)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, gy);
            // y = o Wo + bo
            g.library("woGrad", Gemm.of(weightGrad(tokens), o, gy, grads[3]));
            ColumnSums.add(g, "boGrad", gy, grads[7], columnSums, tokens, dModel);
            g.library("oGrad", Gemm.of(product(false, true, tokens, 0f), gy, params[3], go));
            if (qBf16 != null) {
                core.appendBackward(g, qBf16, kBf16, vBf16, o, lse, go, goBf16, delta, gq, gk, gv);
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
                g.library("w" + names[i] + "Grad", Gemm.of(weightGrad(tokens), (FloatArray) x, gin[i], grads[i]));
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
