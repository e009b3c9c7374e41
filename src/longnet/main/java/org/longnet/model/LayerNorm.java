package org.longnet.model;

import org.longnet.attention.ColumnSums;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;

/** LayerNorm with gain and bias over rows of {@code width}: forward and backward side by side. */
final class LayerNorm {
    final Parameter gain, bias;
    final int width;
    /** Stands in for the bf16 dx of a backward that writes dx in fp32 only: the kernel takes both arrays and writes the ones asked for. */
    private final BFloat16Array unwrittenBf16 = new BFloat16Array(1);

    LayerNorm(Parameter gain, Parameter bias) {
        this.gain = gain;
        this.bias = bias;
        this.width = (int) gain.size();
    }

    /**
     * Where a backward also sums dx over the rows: into {@code grad}, the bias gradient of the Linear whose output dx is the
     * gradient of (overwritten, or added to where the backward accumulates), by the task {@code task}. That Linear's own
     * backward then skips its bias.
     */
    record DxSums(String task, FloatArray grad) {
    }

    /** Statistics one forward keeps for its backward: each row's mean and 1/std. */
    record Stats(FloatArray mean, FloatArray rstd) {
        Stats(long rows) {
            this(new FloatArray(rows), new FloatArray(rows));
        }
    }

    /**
     * y = LN(x) over the first {@code rows} rows, y a FloatArray or (rounded as it is written) a
     * BFloat16Array; {@code rowGroup} work-items per row (a power of two; see {@link #rowGroup}).
     */
    void forward(TaskGraph g, String name, FloatArray x, DeviceArray y, Stats stats, int rows, int rowGroup) {
        forward(g, name, x, gain.value(), 0, y, stats, rows, rowGroup); // the gain stands in for the unread input bias
    }

    /**
     * h = y + inBias + stream over the first {@code rows} rows, written over y (the residual stream after a sublayer whose
     * product y holds, inBias that sublayer's bias), then LN(h) into {@code out} (a FloatArray or, rounded as it is written, a
     * BFloat16Array), in one pass ({@link ResidualKernels#addAndNormalize}).
     */
    void forwardOfResidual(TaskGraph g, String name, FloatArray y, FloatArray inBias, FloatArray stream, DeviceArray out, Stats stats, int rows,
                           int rowGroup) {
        addAndNormalize(g, name, y, inBias, stream, out, stats, rows, rowGroup);
    }

    /**
     * LN(x) of a residual stream x by the kernel of {@link #forwardOfResidual}: the same bits as that gave where it wrote x,
     * so that a recomputed block normalizes its input as its forward did.
     */
    void forwardOfStream(TaskGraph g, String name, FloatArray x, DeviceArray out, Stats stats, int rows, int rowGroup) {
        addAndNormalize(g, name, x, null, null, out, stats, rows, rowGroup);
    }

    /** {@link ResidualKernels#addAndNormalize}, adding inBias and stream to y unless they are null. */
    private void addAndNormalize(TaskGraph g, String name, FloatArray y, FloatArray inBias, FloatArray stream, DeviceArray out, Stats stats,
                                 int rows, int rowGroup) {
        int group = Math.min(rowGroup, Integer.highestOneBit(Math.max(1, width / 6))); // a sixth of the row: 128 for 768
        int outputs = switch (out) {
            case FloatArray f -> ResidualKernels.FP32;
            case BFloat16Array h -> ResidualKernels.BF16;
            default -> throw new IllegalArgumentException("LayerNorm " + name + ": out must be a FloatArray or a BFloat16Array, was "
                    + out.getClass().getSimpleName());
        };
        int residual = inBias == null ? ResidualKernels.WHOLE : ResidualKernels.ADD;
        FloatArray unread = gain.value();
        g.task(name, ResidualKernels::addAndNormalize, new KernelContext(), y, inBias == null ? unread : inBias, inBias == null ? unread : stream,
                gain.value(), bias.value(), out instanceof FloatArray f ? f : y, out instanceof BFloat16Array h ? h : unwrittenBf16, outputs,
                stats.mean(), stats.rstd(), width, group, residual);
        g.withGrid(name, WorkerGrid.of((long) rows * group, group));
    }

    /**
     * y = LN(gelu(x + inBias)): the feed-forward's inner norm, straight from the hidden layer's product x
     * (the bias and the GELU applied as the norm reads it; the backward applies them again). With bf16
     * GEMMs x and y are bf16 ({@link GeluNormKernels#forwardOfGeluBf16}: groups of {@link GeluNormKernels#FORWARD_ROWS} rows), and
     * rows of up to {@link GeluNormKernels#CACHED_COLS}.
     */
    void forwardOfGelu(TaskGraph g, String name, DeviceArray x, FloatArray inBias, DeviceArray y, Stats stats, int rows, int rowGroup) {
        if (x instanceof FloatArray f) {
            forward(g, name, f, inBias, 1, y, stats, rows, rowGroup);
            return;
        }
        int group = groupFor(rowGroup);
        int chunks = (rows + GeluNormKernels.FORWARD_ROWS - 1) / GeluNormKernels.FORWARD_ROWS;
        g.task(name, GeluNormKernels::forwardOfGeluBf16, new KernelContext(), bf16Operand(name, x), inBias, gain.value(), bias.value(),
                bf16Operand(name, y), stats.mean(), stats.rstd(), (long) rows, width, group, chunks);
        g.withGrid(name, WorkerGrid.of((long) chunks * group, group));
    }

    /**
     * x as the bf16 array of the feed-forward norm's bf16 kernels, which hold a row of at most {@link GeluNormKernels#CACHED_COLS}
     * and take its columns in pairs.
     */
    private BFloat16Array bf16Operand(String name, DeviceArray x) {
        if (!(x instanceof BFloat16Array h) || !BlockActivations.fitsBf16Hidden(width)) {
            throw new IllegalArgumentException("LayerNorm " + name + ": the bf16 path needs bf16 arrays and rows of an even number of columns, at most "
                    + GeluNormKernels.CACHED_COLS + "; was " + x.getClass().getSimpleName() + " with rows of " + width);
        }
        return h;
    }

    private void forward(TaskGraph g, String name, FloatArray x, FloatArray inBias, int gelu, DeviceArray y, Stats stats, int rows,
                         int maxRowGroup) {
        int rowGroup = groupFor(maxRowGroup);
        switch (y) {
            case FloatArray f -> g.task(name, LayerNormKernels::forward, new KernelContext(), x, inBias, gelu, gain.value(), bias.value(), f,
                    stats.mean(), stats.rstd(), width, rowGroup);
            case BFloat16Array h -> g.task(name, LayerNormKernels::forwardBf16, new KernelContext(), x, inBias, gelu, gain.value(),
                    bias.value(), h, stats.mean(), stats.rstd(), width, rowGroup);
            default -> throw new IllegalArgumentException("LayerNorm " + name + ": y must be a FloatArray or a BFloat16Array, was "
                    + y.getClass().getSimpleName());
        }
        g.withGrid(name, WorkerGrid.of((long) rows * rowGroup, rowGroup));
    }

    /** At most width / 8 work-items per row: a narrow row's reductions are mostly barriers. */
    private int groupFor(int rowGroup) {
        return Math.min(rowGroup, Integer.highestOneBit(Math.max(1, width / 8)));
    }

    /**
     * Work-items of the backward's groups, one per row chunk: at most width / 2. Unlike the forward's, whose groups take one
     * row each and keep more rows in flight the smaller they are, these are all the work-items a chunk has: on the base
     * model's rows of 768, groups of 64 (the forward's) would leave three quarters of a GPU's threads idle (1,024 chunks).
     */
    private int chunkGroupFor(int rowGroup) {
        return Math.min(rowGroup, Integer.highestOneBit(Math.max(1, width / 2)));
    }

    /** Work-items per row for a device: a GPU wants many on each row, a CPU one. */
    static int rowGroup(Device device) {
        return device.info().gpu() ? LayerNormKernels.MAX_ROW_GROUP : 1;
    }

    /**
     * dx (overwritten) of the first {@code rows} rows, a FloatArray or (rounded as it is written: a bf16
     * operand) a BFloat16Array, and the gain and bias gradients (overwritten, or added to with
     * {@code accumulate}); {@code scratch} from {@link #scratch}.
     */
    void backward(TaskGraph g, String name, FloatArray x, Stats stats, FloatArray dy, DeviceArray dx, FloatArray scratch, int rows,
                  boolean accumulate, int rowGroup) {
        backward(g, name, x, gain.value(), 0, stats, dy, null, dx, null, null, scratch, rows, accumulate, rowGroup); // the gain stands in for inBias
    }

    /**
     * The same for a norm on a residual stream: dx = {@code streamGrad} (if not null) + the norm's own
     * gradient, the residual connection's sum in the same pass; where {@code dx16} is not null dx is also
     * written there in bf16, the operand of the GEMMs that take the stream's gradient next; where {@code sums} is not null,
     * dx's column sums go there.
     */
    void backward(TaskGraph g, String name, FloatArray x, Stats stats, FloatArray dy, FloatArray streamGrad, FloatArray dx,
                  BFloat16Array dx16, DxSums sums, FloatArray scratch, int rows, boolean accumulate, int rowGroup) {
        backward(g, name, x, gain.value(), 0, stats, dy, streamGrad, dx, dx16, sums, scratch, rows, accumulate, rowGroup);
    }

    /**
     * The same for {@link #forwardOfGelu}: dx is the gradient with respect to the biased product x + inBias (x, dy and dx bf16 or
     * fp32 alike), and where {@code sums} is not null its column sums (the gradient of inBias) go there.
     */
    void backwardOfGelu(TaskGraph g, String name, DeviceArray x, FloatArray inBias, Stats stats, DeviceArray dy, DeviceArray dx,
                        DxSums sums, FloatArray scratch, int rows, boolean accumulate, int rowGroup) {
        if (x instanceof FloatArray f && dy instanceof FloatArray fdy) {
            backward(g, name, f, inBias, 1, stats, fdy, null, dx, null, sums, scratch, rows, accumulate, rowGroup);
            return;
        }
        BFloat16Array hx = bf16Operand(name, x), hdy = bf16Operand(name, dy);
        int group = chunkGroupFor(rowGroup);
        int chunks = chunks(scratch, rows);
        g.task(name + "GradX", GeluNormKernels::backwardOfGeluBf16, new KernelContext(), hx, inBias, gain.value(), stats.mean(), stats.rstd(),
                hdy, bf16Operand(name, dx), sums == null ? 0 : 1, scratch, (long) rows, width, group, chunks);
        g.withGrid(name + "GradX", WorkerGrid.of((long) chunks * group, group));
        sumParameterGradients(g, name, scratch, chunks, sums, accumulate);
    }

    /**
     * Row chunks of the backward, which sums the gain and bias gradients per chunk as it goes, one work-group each (per
     * column window). For the feed-forward norm a fixed 1,024 trains faster than as many chunks as work-groups fit at once,
     * or fewer, though fewer chunks leave less to add up afterwards (CHANGELOG.md has the counts tried).
     */
    static final int ROW_CHUNKS = 1024;

    /** Chunks of {@code rows} rows: at most {@link #ROW_CHUNKS}, one row each at least, and as many as {@code scratch} holds. */
    private int chunks(FloatArray scratch, int rows) {
        return (int) Math.min(Math.min(ROW_CHUNKS, rows), scratch.getSize() / ((long) SUMS * width));
    }

    /** Partial sums a backward keeps per row chunk and column: the gain's, the bias's and dx's. */
    private static final int SUMS = 3;

    /** Scratch for the partial sums of parameter gradients (LayerNorms', biases') of rows at most {@code width} wide. */
    static FloatArray scratch(int width) {
        return new FloatArray(scratchSize(width));
    }

    /** Floats in {@link #scratch}: gain, bias and dx partial sums for the most row chunks any caller takes. */
    static long scratchSize(int width) {
        return (long) SUMS * Math.max(ROW_CHUNKS, ColumnSums.CHUNKS) * width;
    }

    /**
     * {@code stream}: the residual stream's gradient to add to dx (an fp32 dx), or null; {@code copy16}: where
     * an fp32 dx of a norm without GELU is also written in bf16, or null. One pass writes dx and the parameter
     * gradients' partial sums in {@code scratch}, which a second adds up.
     */
    private void backward(TaskGraph g, String name, FloatArray x, FloatArray inBias, int gelu, Stats stats, FloatArray dy, FloatArray stream,
                          DeviceArray dx, BFloat16Array copy16, DxSums sums, FloatArray scratch, int rows, boolean accumulate,
                          int maxRowGroup) {
        int rowGroup = chunkGroupFor(maxRowGroup);
        int chunks = chunks(scratch, rows);
        int outputs;
        FloatArray dx32;
        BFloat16Array dx16;
        switch (dx) {
            case FloatArray f when copy16 == null || gelu == 0 -> {
                outputs = copy16 == null ? LayerNormBackwardKernels.FP32 : LayerNormBackwardKernels.FP32 | LayerNormBackwardKernels.BF16;
                dx32 = f;
                dx16 = copy16 == null ? unwrittenBf16 : copy16;
            }
            case BFloat16Array h when stream == null && copy16 == null -> {
                outputs = LayerNormBackwardKernels.BF16;
                dx32 = scratch; // stands in for the unwritten fp32 dx
                dx16 = h;
            }
            default -> throw new IllegalArgumentException("LayerNorm " + name + ": dx must be a FloatArray (with a bf16 copy only without "
                    + "GELU), or a BFloat16Array without a stream, was " + dx.getClass().getSimpleName());
        }
        g.task(name + "GradX", LayerNormBackwardKernels::backward, new KernelContext(), x, inBias, gelu, gain.value(), stats.mean(),
                stats.rstd(), dy, stream == null ? dy : stream, stream == null ? 0 : 1, dx32, dx16,
                outputs | (sums == null ? 0 : LayerNormBackwardKernels.SUM), scratch, (long) rows, width, rowGroup, chunks);
        g.withGrid(name + "GradX", WorkerGrid.of((long) chunks * LayerNormBackwardKernels.windows(width) * rowGroup, rowGroup));
        sumParameterGradients(g, name, scratch, chunks, sums, accumulate);
    }

    /** The gain and bias gradients (and dx's sums) from the partial sums over {@code chunks} row chunks in {@code scratch}. */
    private void sumParameterGradients(TaskGraph g, String name, FloatArray scratch, int chunks, DxSums sums, boolean accumulate) {
        ColumnSums.sumChunks(g, name + "GradGain", scratch, gain.grad(), width, chunks, 0, accumulate);
        ColumnSums.sumChunks(g, name + "GradBias", scratch, bias.grad(), width, chunks, chunks, accumulate);
        if (sums != null) {
            if (sums.grad().getSize() != width) {
                throw new IllegalArgumentException("LayerNorm " + name + ": dx's sums go to a bias of " + width + ", not of " + sums.grad().getSize());
            }
            ColumnSums.sumChunks(g, sums.task(), scratch, sums.grad(), width, chunks, 2 * chunks, accumulate);
        }
    }
}
