package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Private;

import static org.longnet.model.LayerNormKernels.MAX_ROW_GROUP;
import static org.longnet.model.NormFunctions.chunkEnd;
import static org.longnet.model.NormFunctions.chunkStart;
import static org.longnet.model.NormFunctions.geluSigmoid;
import static org.longnet.model.NormFunctions.geluSlope;
import static org.longnet.model.NormFunctions.groupSums;
import static org.longnet.model.NormFunctions.input;

/**
 * LayerNorm's backward ({@link LayerNormKernels} has the forward; {@link GeluNormKernels} the feed-forward norm's on
 * the bf16 path): dx = rstd (g - mean(g) - xhat mean(g xhat)) with g = dy w, and the gain and bias gradients' partial sums
 * over row chunks, dy xhat into partials[chunk][c] and dy into partials[chunks + chunk][c] ({@code ColumnSums.sumChunks} adds
 * them up), in one pass over x and dy. Where asked ({@link #SUM}), dx's own column sums too, into partials[2 chunks + chunk][c]:
 * the bias gradient of the Linear whose output dx is the gradient of, which then needs no pass of its own over dx.
 * <p>
 * A work-group takes the rows of a chunk one after another, each work-item the same columns of every row. Its first
 * {@link #KEPT_COLS} columns stay in registers from the pass that sums the row's means to the pass that writes dx, so each
 * value is read once; columns past them (a group too small for its row) are read again. A row's loads go out while the group
 * still works on the row before ({@link #loadRow}). The gain and bias terms go to sums of the work-item's own columns in local
 * memory, which no other work-item touches, and so do dx's. The row's two sums meet at one barrier on CUDA ({@code NormFunctions.groupSums}).
 */
public final class LayerNormBackwardKernels {
    private LayerNormBackwardKernels() {
    }

    /** Columns of a row whose gain and bias sums a work-group keeps in local memory (16 KB); wider rows go by windows of this many. */
    public static final int SUM_COLS = 2048;

    /** Columns of its window a work-item keeps in registers: rows of up to 1,024 columns for groups of 256 (the base model's 768). */
    static final int KEPT_COLS = 4;

    /**
     * Groups of {@link LayerNormKernels#MAX_ROW_GROUP} that the backward's CUDA code must fit on one SM: 64 registers a
     * work-item. Narrow rows launch smaller groups, which CUDA allows under these bounds (only a larger group would fail).
     */
    static final int GROUPS_PER_UNIT = 4;

    /** The row's statistics in a work-item's registers ({@link #rowMeans}): mean, 1/std, mean(g), mean(g xhat). */
    static final int MEAN = 0, RSTD = 1, GRAD_MEAN = 2, GRAD_XHAT_MEAN = 3;

    /**
     * What {@link #backward} writes, bits of its {@code outputs}: dx in fp32, dx in bf16 (the operand of the GEMMs that take it
     * next), dx's column sums over each row chunk (in fp32, before any rounding to bf16).
     */
    public static final int FP32 = 1, BF16 = 2, SUM = 4;

    /**
     * dx of the first {@code rows} rows, and the gain and bias gradients' partial sums. dx goes to {@code dx} in fp32 and to
     * {@code dx16} rounded to bf16, as {@code outputs} says ({@link #FP32}, {@link #BF16} or both: a bf16 dx is rounded as it
     * is written instead of in a pass of its own), and with {@link #SUM} its column sums to the partials' third set; an array
     * not named there is not touched, and a caller may pass any array of its type. With {@code gelu} 1 (the feed-forward's
     * inner norm, whose input was gelu(x + inBias)) dx is the gradient with respect to the biased product x + inBias instead:
     * times gelu', in the same pass. With {@code addStream} 1 (a norm on the
     * residual stream) dx also gets the stream's gradient {@code stream} added, the residual connection's backward;
     * {@code inBias} and {@code stream} are read only when used. Work-group g takes chunk g / {@link #windows} of
     * {@code chunks} runs of rows and, of each row, the columns of window g % windows, {@link #SUM_COLS} wide (the windows of
     * a wider row each read all of it for the row's means).
     */
    @Kernel(groupSize = MAX_ROW_GROUP, minGroupsPerUnit = GROUPS_PER_UNIT)
    public static void backward(KernelContext ctx, FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray mean, FloatArray rstd,
                                FloatArray dy, FloatArray stream, int addStream, FloatArray dx, BFloat16Array dx16, int outputs,
                                FloatArray partials, long rows, int cols, int groupSize, int chunks) {
        float[] partial = ctx.allocateFloatLocalArray(5 * MAX_ROW_GROUP);
        float[] sums = ctx.allocateFloatLocalArray(3 * SUM_COLS); // the gain's terms, the bias's, dx
        float[] kept = new float[KEPT * KEPT_COLS];
        float[] next = new float[NEXT];
        float[] stats = new float[4];
        int first = windowStart(ctx, cols);
        int end = KernelMath.min(cols, first + SUM_COLS);
        int keptEnd = KernelMath.min(end, first + KEPT_COLS * groupSize);
        clearSums(ctx, sums, end - first, groupSize);
        long last = chunkEnd(chunk(ctx, cols), rows, chunks);
        long start = chunkStart(chunk(ctx, cols), rows, chunks);
        keepColumns(ctx, kept, w, inBias, gelu, first, keptEnd, groupSize);
        loadRow(ctx, next, x, dy, stream, addStream, mean, rstd, start, last, cols, first, keptEnd, groupSize);
        int slot = 0; // the two slots of groupSums, taken in turn
        for (long row = start; row < last; row++) {
            long base = row * cols;
            rowMeans(ctx, partial, stats, kept, next, x, inBias, gelu, w, mean, rstd, dy, stream, addStream, row, last, cols, first, keptEnd,
                    groupSize, slot);
            for (int k = 0; k < KEPT_COLS; k++) {
                int c = first + ctx.localIdx + k * groupSize;
                if (c < keptEnd) {
                    store(sums, c - first, dx, dx16, outputs, base + c, keptGradient(sums, c - first, kept, k, stats));
                }
            }
            for (int c = keptEnd + ctx.localIdx; c < end; c += groupSize) {
                float fromStream = addStream == 1 ? stream.get(base + c) : 0f;
                store(sums, c - first, dx, dx16, outputs, base + c,
                        fromStream + reloadedGradient(sums, c - first, x, inBias, gelu, w, dy, base, c, stats));
            }
            slot = 1 - slot;
        }
        writeSums(ctx, sums, partials, chunk(ctx, cols), first, end, cols, groupSize, chunks, outputs);
    }

    /** Writes one element of dx to the arrays {@code outputs} names, and with {@link #SUM} adds it to its column's sum, sums[2 SUM_COLS + at]. */
    static void store(float[] sums, int sumAt, FloatArray dx, BFloat16Array dx16, int outputs, long at, float grad) {
        if ((outputs & SUM) != 0) {
            sums[2 * SUM_COLS + sumAt] += grad;
        }
        if ((outputs & FP32) != 0) {
            dx.set(at, grad);
        }
        if ((outputs & BF16) != 0) {
            dx16.set(at, grad);
        }
    }

    /** Column windows of {@link #SUM_COLS} in a row of {@code cols}: the backward's work-groups per row chunk. */
    public static int windows(int cols) {
        return (cols + SUM_COLS - 1) / SUM_COLS;
    }

    /** The group's row chunk. */
    static int chunk(KernelContext ctx, int cols) {
        return ctx.groupIdx / windows(cols);
    }

    /** The first column of the group's window. */
    static int windowStart(KernelContext ctx, int cols) {
        return ctx.groupIdx % windows(cols) * SUM_COLS;
    }

    /** Zeroes the work-item's first {@code count} gain, bias and dx sums (sums[at], sums[SUM_COLS + at], sums[2 SUM_COLS + at]). */
    static void clearSums(KernelContext ctx, float[] sums, int count, int groupSize) {
        for (int at = ctx.localIdx; at < count; at += groupSize) {
            sums[at] = 0f;
            sums[SUM_COLS + at] = 0f;
            sums[2 * SUM_COLS + at] = 0f;
        }
    }

    /** The work-item's sums of the window from column {@code first} into its chunk's rows of the gain's, the bias's (and dx's) partials. */
    static void writeSums(KernelContext ctx, float[] sums, FloatArray partials, int chunk, int first, int end, int cols, int groupSize,
                          int chunks, int outputs) {
        for (int c = first + ctx.localIdx; c < end; c += groupSize) {
            partials.set((long) chunk * cols + c, sums[c - first]);
            partials.set((long) (chunks + chunk) * cols + c, sums[SUM_COLS + c - first]);
            if ((outputs & SUM) != 0) {
                partials.set((long) (2 * chunks + chunk) * cols + c, sums[2 * SUM_COLS + c - first]);
            }
        }
    }

    /**
     * What a work-item keeps of each of its first columns, at kept[what * KEPT_COLS + k]: the norm's input u of the row, gelu'
     * (or 1), dy and the stream's gradient, then the gain and the input bias, which hold for every row.
     */
    static final int INPUT = 0, GATE = 1, GRAD = 2, STREAM = 3, GAIN = 4, BIAS = 5, KEPT = 6;

    /**
     * What {@link #loadRow} brings of the next row, at next[what * KEPT_COLS + k]: x, dy, the stream's gradient; then its mean
     * and 1/std at next[NEXT_MEAN], next[NEXT_RSTD].
     */
    static final int NEXT_X = 0, NEXT_GRAD = 1, NEXT_STREAM = 2, NEXT_MEAN = 3 * KEPT_COLS, NEXT_RSTD = NEXT_MEAN + 1, NEXT = NEXT_RSTD + 1;

    /** The gain and (with {@code gelu} 1) input bias of the work-item's first columns of the window, before {@code keptEnd}. */
    static void keepColumns(KernelContext ctx, @Private float[] kept, FloatArray w, FloatArray inBias, int gelu, int first, int keptEnd,
                            int groupSize) {
        for (int k = 0; k < KEPT_COLS; k++) {
            int c = first + ctx.localIdx + k * groupSize;
            if (c < keptEnd) {
                kept[GAIN * KEPT_COLS + k] = w.get(c);
                kept[BIAS * KEPT_COLS + k] = gelu == 1 ? inBias.get(c) : 0f;
            }
        }
    }

    /**
     * Issues the loads of row {@code row} (if before {@code last}) into {@code next}: the work-item's first columns of x, dy and,
     * with {@code addStream} 1, the stream's gradient, and the row's statistics. Nothing reads them until the row's turn, so
     * they arrive while the group works on the row before.
     */
    static void loadRow(KernelContext ctx, @Private float[] next, FloatArray x, FloatArray dy, FloatArray stream, int addStream, FloatArray mean,
                        FloatArray rstd, long row, long last, int cols, int first, int keptEnd, int groupSize) {
        if (row < last) {
            long base = row * cols;
            for (int k = 0; k < KEPT_COLS; k++) {
                int c = first + ctx.localIdx + k * groupSize;
                if (c < keptEnd) {
                    next[NEXT_X * KEPT_COLS + k] = x.get(base + c);
                    next[NEXT_GRAD * KEPT_COLS + k] = dy.get(base + c);
                    next[NEXT_STREAM * KEPT_COLS + k] = addStream == 1 ? stream.get(base + c) : 0f;
                }
            }
            next[NEXT_MEAN] = mean.get(row);
            next[NEXT_RSTD] = rstd.get(row);
        }
    }

    /**
     * Row {@code row}'s statistics into {@code stats} for every work-item of the group: its mean and 1/std as the forward kept
     * them, and mean(g), mean(g xhat) with g = dy w. The row's kept columns come from {@code next} ({@link #loadRow}), whose
     * loads of the following row go out at once; the work-item's other columns of the row are read here, for the sums only.
     * On the way the kept columns become the norm's input u (gelu(x + inBias) with {@code gelu} 1) and gelu' (or 1).
     */
    static void rowMeans(KernelContext ctx, float[] partial, @Private float[] stats, @Private float[] kept, @Private float[] next, FloatArray x,
                         FloatArray inBias, int gelu, FloatArray w, FloatArray mean, FloatArray rstd, FloatArray dy, FloatArray stream,
                         int addStream, long row, long last, int cols, int first, int keptEnd, int groupSize, int slot) {
        long base = row * cols;
        float m = next[NEXT_MEAN];
        float s = next[NEXT_RSTD];
        for (int k = 0; k < KEPT_COLS; k++) {
            kept[INPUT * KEPT_COLS + k] = next[NEXT_X * KEPT_COLS + k];
            kept[GRAD * KEPT_COLS + k] = next[NEXT_GRAD * KEPT_COLS + k];
            kept[STREAM * KEPT_COLS + k] = next[NEXT_STREAM * KEPT_COLS + k];
        }
        loadRow(ctx, next, x, dy, stream, addStream, mean, rstd, row + 1, last, cols, first, keptEnd, groupSize);
        stats[GRAD_MEAN] = 0f; // the sums of g and g (u - m) until groupSums
        stats[GRAD_XHAT_MEAN] = 0f;
        for (int k = 0; k < KEPT_COLS; k++) {
            if (first + ctx.localIdx + k * groupSize < keptEnd) {
                float u = kept[INPUT * KEPT_COLS + k];
                kept[GATE * KEPT_COLS + k] = 1f;
                if (gelu == 1) { // one sigmoid for both gelu(pre) and gelu'(pre)
                    float pre = u + kept[BIAS * KEPT_COLS + k];
                    float sig = geluSigmoid(pre);
                    u = pre * sig;
                    kept[GATE * KEPT_COLS + k] = geluSlope(pre, sig);
                }
                kept[INPUT * KEPT_COLS + k] = u;
                float g = kept[GRAD * KEPT_COLS + k] * kept[GAIN * KEPT_COLS + k];
                stats[GRAD_MEAN] += g;
                stats[GRAD_XHAT_MEAN] += g * (u - m);
            }
        }
        for (int c = ctx.localIdx; c < cols; c += groupSize) {
            if (c < first || c >= keptEnd) {
                float g = dy.get(base + c) * w.get(c);
                stats[GRAD_MEAN] += g;
                stats[GRAD_XHAT_MEAN] += g * (input(x, inBias, gelu, base, c) - m);
            }
        }
        float[] sums = new float[2];
        sums[0] = stats[GRAD_MEAN];
        sums[1] = stats[GRAD_XHAT_MEAN];
        groupSums(ctx, partial, sums, groupSize, slot);
        stats[MEAN] = m;
        stats[RSTD] = s;
        stats[GRAD_MEAN] = sums[0] / cols;
        stats[GRAD_XHAT_MEAN] = sums[1] * s / cols;
    }

    /** dx of the work-item's kept column k (the stream's gradient added), its gain and bias terms added to sums[at], sums[SUM_COLS + at]. */
    static float keptGradient(float[] sums, int at, @Private float[] kept, int k, @Private float[] stats) {
        return kept[STREAM * KEPT_COLS + k] + gradient(sums, at, kept[INPUT * KEPT_COLS + k], kept[GATE * KEPT_COLS + k],
                kept[GRAD * KEPT_COLS + k], kept[GAIN * KEPT_COLS + k], stats);
    }

    /** dx of column c of the row at {@code base}, read again (no stream), its terms added to sums[at], sums[SUM_COLS + at]. */
    static float reloadedGradient(float[] sums, int at, FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray dy, long base,
                                  int c, @Private float[] stats) {
        float u = x.get(base + c);
        float gate = 1f;
        if (gelu == 1) {
            float pre = u + inBias.get(c);
            float sig = geluSigmoid(pre);
            u = pre * sig;
            gate = geluSlope(pre, sig);
        }
        return gradient(sums, at, u, gate, dy.get(base + c), w.get(c), stats);
    }

    /**
     * dx = rstd (dy w - mean(g) - xhat mean(g xhat)) times {@code gate} (gelu' of the biased product, or 1), from the normalized
     * input u, dy, the gain w and the row's statistics; the gain and bias terms, dy xhat and dy, are added to sums[at] and
     * sums[SUM_COLS + at].
     */
    static float gradient(float[] sums, int at, float u, float gate, float dy, float w, @Private float[] stats) {
        float xhat = (u - stats[MEAN]) * stats[RSTD];
        sums[at] += dy * xhat;
        sums[SUM_COLS + at] += dy;
        return stats[RSTD] * (dy * w - stats[GRAD_MEAN] - xhat * stats[GRAD_XHAT_MEAN]) * gate;
    }
}
