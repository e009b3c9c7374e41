package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Private;

import static org.longnet.model.LayerNormKernels.EPS;
import static org.longnet.model.LayerNormKernels.MAX_ROW_GROUP;
import static org.longnet.model.NormFunctions.chunkEnd;
import static org.longnet.model.NormFunctions.chunkStart;
import static org.longnet.model.NormFunctions.first;
import static org.longnet.model.NormFunctions.geluOf;
import static org.longnet.model.NormFunctions.geluSigmoid;
import static org.longnet.model.NormFunctions.geluSlope;
import static org.longnet.model.NormFunctions.groupSums;
import static org.longnet.model.NormFunctions.second;

/**
 * The feed-forward's inner norm on the bf16 path, forward and backward: y = LN(gelu(x + inBias)) in bf16 from fc1's bf16
 * product x ({@link #forwardOfGeluBf16}), and dx with respect to the biased product x + inBias, in bf16 (the operand of fc1's
 * gradient GEMMs), with the gain and bias gradients' partial sums over row chunks, as {@link LayerNormBackwardKernels} leaves
 * them, and where asked dx's own column sums, fc1's bias gradient, into the partials' third set ({@link #backwardOfGeluBf16}).
 * <p>
 * Both take the rows of a chunk one after another, each work-item the same columns of every row, in pairs (one 4-byte load
 * for two bf16 values). The first {@link #KEPT_PAIRS} pairs of a work-item stay in registers from the pass that sums the
 * row to the pass that writes it: each GELU (and in the backward its slope) is computed once and each value is read once.
 * Columns past them (a group too small for its row) are read and computed again in the second pass. A row's loads go out
 * while the group still works on the row before, and the row's two sums meet at one barrier on CUDA
 * ({@code NormFunctions.groupSums}).
 */
public final class GeluNormKernels {
    private GeluNormKernels() {
    }

    /** Columns of a row whose sums the backward keeps in local memory (the base model's 3,072 and up to this). */
    public static final int CACHED_COLS = 4096;

    /** Column pairs of a row a work-item keeps in registers: a row of the base model's 3,072 columns for groups of 256. */
    static final int KEPT_PAIRS = 6;

    /**
     * Rows a work-group of the forward takes in turn, so that one row's loads are in flight while it writes the row before,
     * and the bias of its kept columns is read once for all of them.
     */
    static final int FORWARD_ROWS = 8;

    /** Groups of {@link LayerNormKernels#MAX_ROW_GROUP} the forward's CUDA code must fit on one SM: 80 registers a work-item. */
    static final int FORWARD_GROUPS_PER_UNIT = 3;

    /**
     * y = LN(gelu(x + inBias)) of the first {@code rows} rows in bf16, with each row's mean and 1/std for the backward.
     * Work-group g takes chunk g of {@code chunks} ({@link NormFunctions#chunkStart}). The row's sums are taken around its first
     * value u0 = gelu(x[row][0] + inBias[0]), whose distance from the mean is within the row's spread, so the variance
     * E[(u - u0)^2] - E[u - u0]^2 does not cancel.
     */
    @Kernel(groupSize = MAX_ROW_GROUP, minGroupsPerUnit = FORWARD_GROUPS_PER_UNIT)
    public static void forwardOfGeluBf16(KernelContext ctx, BFloat16Array x, FloatArray inBias, FloatArray w, FloatArray b, BFloat16Array y,
                                         FloatArray mean, FloatArray rstd, long rows, int cols, int groupSize, int chunks) {
        float[] partial = ctx.allocateFloatLocalArray(5 * MAX_ROW_GROUP);
        float[] us = new float[2 * KEPT_PAIRS]; // the kept columns' gelu(x + inBias) - u0 in this row
        float[] biases = new float[2 * KEPT_PAIRS]; // and their inBias, the same in every row
        int[] next = new int[KEPT_PAIRS + 1]; // the next row's kept pairs, then its first pair (for u0)
        float[] sums = new float[2];
        int kept = KernelMath.min(cols, 2 * groupSize * KEPT_PAIRS);
        for (int k = 0; k < KEPT_PAIRS; k++) {
            int c = 2 * (ctx.localIdx + k * groupSize);
            if (c < kept) {
                biases[2 * k] = inBias.get(c);
                biases[2 * k + 1] = inBias.get(c + 1);
            }
        }
        long last = chunkEnd(ctx.groupIdx, rows, chunks);
        long start = chunkStart(ctx.groupIdx, rows, chunks);
        loadPairs(ctx, next, x, start, last, cols, kept, groupSize);
        int slot = 0;
        for (long row = start; row < last; row++) {
            long base = row * cols;
            float shift = geluOf(first(next[KEPT_PAIRS]) + inBias.get(0));
            sums[0] = 0f;
            sums[1] = 0f;
            for (int k = 0; k < KEPT_PAIRS; k++) {
                int c = 2 * (ctx.localIdx + k * groupSize);
                if (c < kept) {
                    us[2 * k] = geluOf(first(next[k]) + biases[2 * k]) - shift;
                    us[2 * k + 1] = geluOf(second(next[k]) + biases[2 * k + 1]) - shift;
                    addSums(sums, us[2 * k], us[2 * k + 1]);
                }
            }
            loadPairs(ctx, next, x, row + 1, last, cols, kept, groupSize);
            for (int c = kept + 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
                int xs = x.getPair(base + c);
                addSums(sums, geluOf(first(xs) + inBias.get(c)) - shift, geluOf(second(xs) + inBias.get(c + 1)) - shift);
            }
            groupSums(ctx, partial, sums, groupSize, slot);
            float offset = sums[0] / cols;
            float s = KernelMath.rsqrt(KernelMath.max(sums[1] / cols - offset * offset, 0f) + EPS);
            if (ctx.localIdx == 0) {
                mean.set(row, shift + offset);
                rstd.set(row, s);
            }
            for (int k = 0; k < KEPT_PAIRS; k++) {
                int c = 2 * (ctx.localIdx + k * groupSize);
                if (c < kept) {
                    y.setPair(base + c, normalized(us[2 * k], offset, s, w, b, c), normalized(us[2 * k + 1], offset, s, w, b, c + 1));
                }
            }
            for (int c = kept + 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
                int xs = x.getPair(base + c);
                float u0 = geluOf(first(xs) + inBias.get(c)) - shift;
                float u1 = geluOf(second(xs) + inBias.get(c + 1)) - shift;
                y.setPair(base + c, normalized(u0, offset, s, w, b, c), normalized(u1, offset, s, w, b, c + 1));
            }
            slot = 1 - slot;
        }
    }

    /**
     * Issues the loads of row {@code row}'s kept pairs of x (if before {@code last}) into {@code next}, and of its first pair at
     * {@link #KEPT_PAIRS}; nothing reads them until the row's turn.
     */
    static void loadPairs(KernelContext ctx, @Private int[] next, BFloat16Array x, long row, long last, int cols, int kept, int groupSize) {
        if (row < last) {
            loadKept(ctx, next, 0, x, row * cols, kept, groupSize);
            next[KEPT_PAIRS] = x.getPair(row * cols);
        }
    }

    /** The work-item's kept pairs of the row of x at {@code base} into next[at + k], k below {@link #KEPT_PAIRS}. */
    static void loadKept(KernelContext ctx, @Private int[] next, int at, BFloat16Array x, long base, int kept, int groupSize) {
        for (int k = 0; k < KEPT_PAIRS; k++) {
            int c = 2 * (ctx.localIdx + k * groupSize);
            if (c < kept) {
                next[at + k] = x.getPair(base + c);
            }
        }
    }

    /** Column c's output from its u - u0, the row's mean of u - u0 ({@code offset}) and 1/std: (u - mean) / std w[c] + b[c]. */
    static float normalized(float u, float offset, float s, FloatArray w, FloatArray b, int c) {
        return (u - offset) * s * w.get(c) + b.get(c);
    }

    /** Adds two columns' u - u0 to the row's sums of them and of their squares. */
    static void addSums(@Private float[] sums, float u0, float u1) {
        sums[0] += u0 + u1;
        sums[1] += u0 * u0 + u1 * u1;
    }

    /** Groups of {@link LayerNormKernels#MAX_ROW_GROUP} the kernel's CUDA code must fit on one SM: 80 registers a work-item, no spills. */
    static final int GROUPS_PER_UNIT = 3;

    /**
     * dx (bf16) of the first {@code rows} rows from x and dy in bf16, with the gain and bias gradients' terms summed per row
     * chunk: dy xhat into partials[chunk][c], dy into partials[chunks + chunk][c], and with {@code sumDx} 1 dx (before its
     * rounding to bf16) into partials[2 chunks + chunk][c]. Work-group g takes chunk g of {@code chunks}.
     * The sums stay in local memory by column, each pair in two halves (column c at c / 2, column c + 1 half an array further
     * on), so that neighbouring work-items add to neighbouring banks.
     */
    @Kernel(groupSize = MAX_ROW_GROUP, minGroupsPerUnit = GROUPS_PER_UNIT)
    public static void backwardOfGeluBf16(KernelContext ctx, BFloat16Array x, FloatArray inBias, FloatArray w, FloatArray mean,
                                          FloatArray rstd, BFloat16Array dy, BFloat16Array dx, int sumDx, FloatArray partials, long rows,
                                          int cols, int groupSize, int chunks) {
        float[] partial = ctx.allocateFloatLocalArray(5 * MAX_ROW_GROUP);
        float[] sums = ctx.allocateFloatLocalArray(3 * CACHED_COLS); // gain's terms, bias's, dx
        float[] us = new float[2 * KEPT_PAIRS]; // the kept columns' gelu(x + inBias) in this row
        float[] gates = new float[2 * KEPT_PAIRS]; // and their gelu'
        int[] xPairs = new int[KEPT_PAIRS];
        int[] dyPairs = new int[KEPT_PAIRS];
        int[] next = new int[2 * KEPT_PAIRS + 2]; // the next row's x and dy pairs, then its mean and 1/std as float bits
        float[] means = new float[2];
        int half = CACHED_COLS / 2;
        for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
            sums[c / 2] = 0f;
            sums[half + c / 2] = 0f;
            sums[CACHED_COLS + c / 2] = 0f;
            sums[CACHED_COLS + half + c / 2] = 0f;
            sums[2 * CACHED_COLS + c / 2] = 0f;
            sums[2 * CACHED_COLS + half + c / 2] = 0f;
        }
        int kept = KernelMath.min(cols, 2 * groupSize * KEPT_PAIRS);
        long last = chunkEnd(ctx.groupIdx, rows, chunks);
        long start = chunkStart(ctx.groupIdx, rows, chunks);
        loadRow(ctx, next, x, dy, mean, rstd, start, last, cols, kept, groupSize);
        int slot = 0; // the two slots of groupSums, taken in turn
        for (long row = start; row < last; row++) {
            long base = row * cols;
            float m = KernelMath.intBitsToFloat(next[2 * KEPT_PAIRS]);
            float s = KernelMath.intBitsToFloat(next[2 * KEPT_PAIRS + 1]);
            for (int k = 0; k < KEPT_PAIRS; k++) {
                xPairs[k] = next[k];
                dyPairs[k] = next[KEPT_PAIRS + k];
            }
            loadRow(ctx, next, x, dy, mean, rstd, row + 1, last, cols, kept, groupSize);
            means[0] = 0f;
            means[1] = 0f;
            for (int k = 0; k < KEPT_PAIRS; k++) {
                int c = 2 * (ctx.localIdx + k * groupSize);
                if (c < kept) {
                    keep(us, gates, 2 * k, first(xPairs[k]) + inBias.get(c));
                    keep(us, gates, 2 * k + 1, second(xPairs[k]) + inBias.get(c + 1));
                    addMeans(means, first(dyPairs[k]) * w.get(c), us[2 * k], second(dyPairs[k]) * w.get(c + 1), us[2 * k + 1], m);
                }
            }
            for (int c = kept + 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
                int xs = x.getPair(base + c);
                int dys = dy.getPair(base + c);
                addMeans(means, first(dys) * w.get(c), geluOf(first(xs) + inBias.get(c)), second(dys) * w.get(c + 1),
                        geluOf(second(xs) + inBias.get(c + 1)), m);
            }
            groupSums(ctx, partial, means, groupSize, slot);
            float gMean = means[0] / cols;
            float gxMean = means[1] * s / cols;
            for (int k = 0; k < KEPT_PAIRS; k++) {
                int c = 2 * (ctx.localIdx + k * groupSize);
                if (c < kept) {
                    dx.setPair(base + c, gradient(sums, c / 2, us[2 * k], gates[2 * k], first(dyPairs[k]), w.get(c), m, s, gMean, gxMean, sumDx),
                            gradient(sums, half + c / 2, us[2 * k + 1], gates[2 * k + 1], second(dyPairs[k]), w.get(c + 1), m, s, gMean,
                                    gxMean, sumDx));
                }
            }
            for (int c = kept + 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
                int xs = x.getPair(base + c);
                int dys = dy.getPair(base + c);
                keep(us, gates, 0, first(xs) + inBias.get(c));
                keep(us, gates, 1, second(xs) + inBias.get(c + 1));
                dx.setPair(base + c, gradient(sums, c / 2, us[0], gates[0], first(dys), w.get(c), m, s, gMean, gxMean, sumDx),
                        gradient(sums, half + c / 2, us[1], gates[1], second(dys), w.get(c + 1), m, s, gMean, gxMean, sumDx));
            }
            slot = 1 - slot;
        }
        for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
            long gain = (long) ctx.groupIdx * cols + c;
            long bias = (long) (chunks + ctx.groupIdx) * cols + c;
            partials.set(gain, sums[c / 2]);
            partials.set(gain + 1, sums[half + c / 2]);
            partials.set(bias, sums[CACHED_COLS + c / 2]);
            partials.set(bias + 1, sums[CACHED_COLS + half + c / 2]);
            if (sumDx == 1) {
                long own = (long) (2 * chunks + ctx.groupIdx) * cols + c;
                partials.set(own, sums[2 * CACHED_COLS + c / 2]);
                partials.set(own + 1, sums[2 * CACHED_COLS + half + c / 2]);
            }
        }
    }

    /**
     * Issues the loads of row {@code row} (if before {@code last}) into {@code next}: the work-item's kept pairs of x and dy (at
     * k and KEPT_PAIRS + k), the row's mean and 1/std (as float bits, at 2 KEPT_PAIRS and one on). Nothing reads them until the
     * row's turn, so they arrive while the group works on the row before.
     */
    static void loadRow(KernelContext ctx, @Private int[] next, BFloat16Array x, BFloat16Array dy, FloatArray mean, FloatArray rstd, long row,
                        long last, int cols, int kept, int groupSize) {
        if (row < last) {
            loadKept(ctx, next, 0, x, row * cols, kept, groupSize);
            loadKept(ctx, next, KEPT_PAIRS, dy, row * cols, kept, groupSize);
            next[2 * KEPT_PAIRS] = KernelMath.floatToIntBits(mean.get(row));
            next[2 * KEPT_PAIRS + 1] = KernelMath.floatToIntBits(rstd.get(row));
        }
    }

    /** us[at] = gelu(pre), the norm's input, and gates[at] = gelu'(pre), from one sigmoid. */
    static void keep(@Private float[] us, @Private float[] gates, int at, float pre) {
        float sig = geluSigmoid(pre);
        us[at] = pre * sig;
        gates[at] = geluSlope(pre, sig);
    }

    /** Adds two columns' g = dy w ({@code g0}, {@code g1}) and g (u - mean) to the row's sums in {@code means}. */
    static void addMeans(@Private float[] means, float g0, float u0, float g1, float u1, float m) {
        means[0] += g0 + g1;
        means[1] += g0 * (u0 - m) + g1 * (u1 - m);
    }

    /**
     * One column's dx = rstd (dy w - mean(g) - xhat mean(g xhat)) gelu', from its norm input u and gelu' ({@code gate}) and
     * the row's statistics; its gain and bias terms, dy xhat and dy, go to sums[at] and sums[CACHED_COLS + at], and with
     * {@code sumDx} 1 dx itself to sums[2 CACHED_COLS + at].
     */
    static float gradient(float[] sums, int at, float u, float gate, float dy, float w, float m, float s, float gMean, float gxMean,
                          int sumDx) {
        float xhat = (u - m) * s;
        sums[at] += dy * xhat;
        sums[CACHED_COLS + at] += dy;
        float dx = s * (dy * w - gMean - xhat * gxMean) * gate;
        if (sumDx == 1) {
            sums[2 * CACHED_COLS + at] += dx;
        }
        return dx;
    }
}
