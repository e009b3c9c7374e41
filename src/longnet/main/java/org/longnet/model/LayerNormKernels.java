package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;

/**
 * LayerNorm over the last dimension of {@code [rows][cols]}: y = (u - mean) / sqrt(var + eps) * w + b, where
 * the normalized input u is x itself or, with {@code gelu} 1, the feed-forward's hidden activation
 * gelu(x + inBias) computed on the fly from its product x (see {@link #input}).
 * The forward keeps each row's mean and 1/std for the backward. The backward writes dx and, in the same pass
 * over x and dy, the partial sums of dw and db by (row chunk, column): a work-group per row chunk, whose work-items
 * add up their own columns' terms; no two work-items write one element.
 */
public final class LayerNormKernels {
    public static final float EPS = 1e-5f;
    /** The tanh form of GELU (as GPT-2 and llm.c): 0.5 v (1 + tanh(SCALE (v + CUBIC v^3))). */
    static final float SCALE = 0.7978845608f, CUBIC = 0.044715f; // sqrt(2 / pi)

    private LayerNormKernels() {
    }

    /** Largest work-group per row; the group size is a power of two up to this (1 on CPUs, where one work-item per row is best). */
    public static final int MAX_ROW_GROUP = 256;

    /** Where {@link #rowStats} leaves the row's mean and 1/std in the kernels' local array of {@code MAX_ROW_GROUP + 2} floats. */
    static final int MEAN = MAX_ROW_GROUP, RSTD = MAX_ROW_GROUP + 1;

    /**
     * One work-group of {@code groupSize} per row: the work-items stride over the row's columns, so
     * neighbours read neighbouring elements, and sum through local memory. {@code inBias} is read only
     * with {@code gelu} 1.
     */
    @Kernel
    public static void forward(KernelContext ctx, FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray b, FloatArray y,
                               FloatArray mean, FloatArray rstd, int cols, int groupSize) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP + 2);
        long base = rowStats(ctx, local, x, inBias, gelu, mean, rstd, cols, groupSize);
        for (int c = ctx.localIdx; c < cols; c += groupSize) {
            y.set(base + c, normalized(input(x, inBias, gelu, base, c), w, b, local, c));
        }
    }

    /**
     * {@link #forward} writing y in bf16: where the normalized row is only a bf16 GEMM's input (the
     * feed-forward's inner norm), it is rounded as it is written instead of in a pass of its own.
     */
    @Kernel
    public static void forwardBf16(KernelContext ctx, FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray b,
                                   BFloat16Array y, FloatArray mean, FloatArray rstd, int cols, int groupSize) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP + 2);
        long base = rowStats(ctx, local, x, inBias, gelu, mean, rstd, cols, groupSize);
        for (int c = ctx.localIdx; c < cols; c += groupSize) {
            y.set(base + c, normalized(input(x, inBias, gelu, base, c), w, b, local, c));
        }
    }

    /**
     * Columns of a row that {@link #forwardOfGeluCached} keeps in local memory between its passes (the base
     * model's 3072 and up to this), so that it computes each GELU once and reads the row once. (The
     * backward does not keep gelu, gelu' and dy w there: at a third of the occupancy that is no faster.)
     */
    public static final int CACHED_COLS = 4096;

    /**
     * The feed-forward's inner norm on the bf16 GEMM path: y = LN(gelu(x + inBias)) in bf16 from fc1's product
     * x in bf16 (written so by its GEMM: half the bytes of fp32 for this pass and the backward's two), for rows
     * of at most {@link #CACHED_COLS} and an even number of columns. Each GELU is computed once, with the
     * statistics, and kept in local memory for the output pass. Work-items take columns in pairs, one 4-byte
     * load or store for two bf16 values.
     */
    @Kernel
    public static void forwardOfGeluCached(KernelContext ctx, BFloat16Array x, FloatArray inBias, FloatArray w, FloatArray b,
                                           BFloat16Array y, FloatArray mean, FloatArray rstd, int cols, int groupSize) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP + 2);
        float[] hidden = ctx.allocateFloatLocalArray(CACHED_COLS);
        long base = (long) ctx.groupIdx * cols;
        // One pass of sums around the row's first value, as rowStats; each work-item reads back only the columns it wrote.
        float shift = geluOf(x.get(base) + inBias.get(0));
        float sum = 0f;
        float squares = 0f;
        for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
            int pair = x.getPair(base + c);
            float u0 = geluOf(first(pair) + inBias.get(c)) - shift;
            float u1 = geluOf(second(pair) + inBias.get(c + 1)) - shift;
            hidden[c / 2] = u0; // pairs split in two halves: neighbouring work-items in neighbouring banks
            hidden[CACHED_COLS / 2 + c / 2] = u1;
            sum += u0 + u1;
            squares += u0 * u0 + u1 * u1;
        }
        float offset = groupSum(ctx, local, sum, groupSize) / cols;
        float variance = KernelMath.max(groupSum(ctx, local, squares, groupSize) / cols - offset * offset, 0f);
        float s = KernelMath.rsqrt(variance + EPS);
        if (ctx.localIdx == 0) {
            mean.set(ctx.groupIdx, shift + offset);
            rstd.set(ctx.groupIdx, s);
        }
        for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
            y.setPair(base + c, (hidden[c / 2] - offset) * s * w.get(c) + b.get(c),
                    (hidden[CACHED_COLS / 2 + c / 2] - offset) * s * w.get(c + 1) + b.get(c + 1));
        }
    }

    /** The first (even) element of a pair of bf16 values read as one int ({@link BFloat16Array#getPair}). */
    static float first(int pair) {
        return KernelMath.intBitsToFloat(pair << 16);
    }

    /** The second element of a pair of bf16 values read as one int. */
    static float second(int pair) {
        return KernelMath.intBitsToFloat(pair & 0xFFFF0000);
    }

    /**
     * Column c of the row at {@code base} as the norm sees it: x, or with {@code gelu} 1 gelu(x + inBias[c]).
     * The feed-forward's bias and GELU are applied here, where the norm reads the row anyway, and again in
     * the backward, rather than in a pass that wrote both the biased product and its GELU (at 32K tokens
     * 1.2 GB per layer; the GELU costs a few instructions per read).
     */
    static float input(FloatArray x, FloatArray inBias, int gelu, long base, int c) {
        float v = x.get(base + c);
        return gelu == 1 ? geluOf(v + inBias.get(c)) : v;
    }

    /**
     * GELU's tanh form written as v sigmoid(2 SCALE (v + CUBIC v^3)), the same function (1 + tanh(z)
     * = 2 sigmoid(2z)): a fast exp and reciprocal where a device's tanh is a long routine.
     */
    static float geluOf(float v) {
        return v * geluSigmoid(v);
    }

    /** gelu'(v) from v and its {@link #geluSigmoid} s: s + 2 v s (1 - s) SCALE (1 + 3 CUBIC v^2). */
    static float geluSlope(float v, float s) {
        return s + 2f * v * s * (1f - s) * SCALE * (1f + 3f * CUBIC * v * v);
    }

    /** sigmoid(2 SCALE (v + CUBIC v^3)): gelu(v) / v. */
    static float geluSigmoid(float v) {
        return KernelMath.sigmoid(2f * SCALE * (v + CUBIC * v * v * v));
    }

    /**
     * The mean and 1/std of the group's row, kept for the backward and left in {@code local[MEAN]},
     * {@code local[RSTD]} for every work-item; returns the row's offset. One pass over the row (the
     * feed-forward's norm computes each GELU once for it): sums of u - u0 and of its square around
     * the row's first value u0, whose mean is within the row's spread, so the variance does not cancel.
     */
    static long rowStats(KernelContext ctx, float[] local, FloatArray x, FloatArray inBias, int gelu, FloatArray mean, FloatArray rstd,
                         int cols, int groupSize) {
        long base = (long) ctx.groupIdx * cols;
        float shift = input(x, inBias, gelu, base, 0);
        float sum = 0f;
        float squares = 0f;
        for (int c = ctx.localIdx; c < cols; c += groupSize) {
            float d = input(x, inBias, gelu, base, c) - shift;
            sum += d;
            squares += d * d;
        }
        float offset = groupSum(ctx, local, sum, groupSize) / cols;
        float variance = KernelMath.max(groupSum(ctx, local, squares, groupSize) / cols - offset * offset, 0f);
        float m = shift + offset;
        float s = KernelMath.rsqrt(variance + EPS);
        if (ctx.localIdx == 0) {
            local[MEAN] = m;
            local[RSTD] = s;
            mean.set(ctx.groupIdx, m);
            rstd.set(ctx.groupIdx, s);
        }
        ctx.localBarrier();
        return base;
    }

    /** Value u of column c normalized with the row's statistics in {@code local}, gain and bias applied. */
    static float normalized(float u, FloatArray w, FloatArray b, float[] local, int c) {
        return (u - local[MEAN]) * local[RSTD] * w.get(c) + b.get(c);
    }

    /**
     * Columns of a row whose gain and bias sums {@link #backward} keeps in local memory. With both, 16 KB a group: six groups
     * of 256 ({@link #BACKWARD_GROUPS_PER_UNIT}) then leave more than half of a Hopper SM's 256 KB of L1 and shared memory to
     * L1, where the dx loop finds the row that the means have just read. Wider rows go by windows of this many columns.
     */
    public static final int SUM_COLS = 2048;

    /**
     * Groups of {@link #MAX_ROW_GROUP} that the backward's CUDA code must fit on one SM: ptxas otherwise gives it 48 to 56
     * registers a work-item, which fit four (sm_90); for six it takes 40 without spilling. (Eight would take 32, with spills.)
     * Narrow rows launch smaller groups, which CUDA allows under these bounds (only a larger group would fail).
     */
    static final int BACKWARD_GROUPS_PER_UNIT = 6;

    /** Where {@link #gradientMeans} leaves mean(g) and mean(g xhat) in the backward's local array of {@code MAX_ROW_GROUP + 4} floats. */
    static final int GRAD_MEAN = MAX_ROW_GROUP + 2, GRAD_XHAT_MEAN = MAX_ROW_GROUP + 3;

    /**
     * The backward of the first {@code rows} rows in one pass over x and dy: dx = rstd * (g - mean(g) - xhat * mean(g xhat))
     * with g = dy w, and the gain and bias gradients' partial sums over row chunks, dy xhat into partials[chunk][c] and dy
     * into partials[chunks + chunk][c] ({@code ProjectionKernels.sumChunks} adds them up). With {@code gelu} 1 (the
     * feed-forward's inner norm, whose input was gelu(x + inBias)) dx is the gradient with respect to the biased product
     * x + inBias instead: times gelu', in the same pass. With {@code addStream} 1 (a norm on the residual stream) dx also gets
     * the stream's gradient {@code stream} added, the residual connection's backward; {@code inBias} and {@code stream} are
     * read only when used.
     * <p>
     * Work-group g takes chunk g / {@link #windows} of {@code chunks} runs of rows, one row after another, and of each row the
     * columns of window g % windows, {@link #SUM_COLS} wide; each work-item adds its own columns' terms up in local memory,
     * where no other work-item touches them. A row of at most SUM_COLS is one window, read once here (apart, the partial
     * sums would read x and dy again); the windows of a wider row each read all of it for the row's means.
     */
    @Kernel(groupSize = MAX_ROW_GROUP, minGroupsPerUnit = BACKWARD_GROUPS_PER_UNIT)
    public static void backward(KernelContext ctx, FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray mean, FloatArray rstd,
                                FloatArray dy, FloatArray stream, int addStream, FloatArray dx, FloatArray partials, long rows, int cols,
                                int groupSize, int chunks) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP + 4);
        float[] sums = ctx.allocateFloatLocalArray(2 * SUM_COLS);
        int chunk = ctx.groupIdx / windows(cols);
        int first = windowStart(ctx, cols);
        int end = KernelMath.min(cols, first + SUM_COLS);
        clearSums(ctx, sums, end - first, groupSize);
        long last = chunkEnd(chunk, rows, chunks);
        for (long row = chunkStart(chunk, rows, chunks); row < last; row++) {
            long base = gradientMeans(ctx, local, x, inBias, gelu, w, mean, rstd, dy, row, cols, groupSize);
            for (int c = first + ctx.localIdx; c < end; c += groupSize) {
                float fromStream = addStream == 1 ? stream.get(base + c) : 0f;
                dx.set(base + c, fromStream + columnGradient(x, inBias, gelu, w, dy, local, sums, c - first, base, c));
            }
        }
        writeSums(ctx, sums, partials, chunk, first, end, cols, groupSize, chunks);
    }

    /**
     * {@link #backward} of a norm on the residual stream (no GELU) that also writes dx rounded to bf16: dx is the stream's
     * gradient, kept in fp32 for the residual sums, and its bf16 copy is the operand of the GEMMs that take it next (the
     * output projection's and fc2's gradients), so no rounding pass comes before them.
     */
    @Kernel(groupSize = MAX_ROW_GROUP, minGroupsPerUnit = BACKWARD_GROUPS_PER_UNIT)
    public static void backwardAndBf16(KernelContext ctx, FloatArray x, FloatArray w, FloatArray mean, FloatArray rstd, FloatArray dy,
                                       FloatArray stream, int addStream, FloatArray dx, BFloat16Array dx16, FloatArray partials, long rows,
                                       int cols, int groupSize, int chunks) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP + 4);
        float[] sums = ctx.allocateFloatLocalArray(2 * SUM_COLS);
        int chunk = ctx.groupIdx / windows(cols);
        int first = windowStart(ctx, cols);
        int end = KernelMath.min(cols, first + SUM_COLS);
        clearSums(ctx, sums, end - first, groupSize);
        long last = chunkEnd(chunk, rows, chunks);
        for (long row = chunkStart(chunk, rows, chunks); row < last; row++) {
            long base = gradientMeans(ctx, local, x, w, 0, w, mean, rstd, dy, row, cols, groupSize); // w stands in for the unread inBias
            for (int c = first + ctx.localIdx; c < end; c += groupSize) {
                float fromStream = addStream == 1 ? stream.get(base + c) : 0f;
                float grad = fromStream + columnGradient(x, w, 0, w, dy, local, sums, c - first, base, c);
                dx.set(base + c, grad);
                dx16.set(base + c, grad);
            }
        }
        writeSums(ctx, sums, partials, chunk, first, end, cols, groupSize, chunks);
    }

    /**
     * {@link #backward} (without a stream) writing dx in bf16: where dx only feeds bf16 GEMMs (attention's output gradient on
     * the matrix units; the feed-forward's hidden gradient where its product is fp32), it is rounded as it is written instead
     * of written in fp32 and rounded in a pass of its own.
     */
    @Kernel(groupSize = MAX_ROW_GROUP, minGroupsPerUnit = BACKWARD_GROUPS_PER_UNIT)
    public static void backwardBf16(KernelContext ctx, FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray mean,
                                    FloatArray rstd, FloatArray dy, BFloat16Array dx, FloatArray partials, long rows, int cols, int groupSize,
                                    int chunks) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP + 4);
        float[] sums = ctx.allocateFloatLocalArray(2 * SUM_COLS);
        int chunk = ctx.groupIdx / windows(cols);
        int first = windowStart(ctx, cols);
        int end = KernelMath.min(cols, first + SUM_COLS);
        clearSums(ctx, sums, end - first, groupSize);
        long last = chunkEnd(chunk, rows, chunks);
        for (long row = chunkStart(chunk, rows, chunks); row < last; row++) {
            long base = gradientMeans(ctx, local, x, inBias, gelu, w, mean, rstd, dy, row, cols, groupSize);
            for (int c = first + ctx.localIdx; c < end; c += groupSize) {
                dx.set(base + c, columnGradient(x, inBias, gelu, w, dy, local, sums, c - first, base, c));
            }
        }
        writeSums(ctx, sums, partials, chunk, first, end, cols, groupSize, chunks);
    }

    /** Column windows of {@link #SUM_COLS} in a row of {@code cols}: the backward's work-groups per row chunk. */
    public static int windows(int cols) {
        return (cols + SUM_COLS - 1) / SUM_COLS;
    }

    /** The first column of the group's window. */
    static int windowStart(KernelContext ctx, int cols) {
        return ctx.groupIdx % windows(cols) * SUM_COLS;
    }

    /** The first row of chunk {@code chunk} of {@code chunks} equal runs of the first {@code rows} rows (the last one shorter). */
    static long chunkStart(int chunk, long rows, int chunks) {
        return KernelMath.min(rows, chunk * ((rows + chunks - 1) / chunks));
    }

    /** The row after the last of chunk {@code chunk}. */
    static long chunkEnd(int chunk, long rows, int chunks) {
        return chunkStart(chunk + 1, rows, chunks);
    }

    /** Zeroes the work-item's first {@code count} gain and bias sums (sums[at], sums[SUM_COLS + at]). */
    static void clearSums(KernelContext ctx, float[] sums, int count, int groupSize) {
        for (int at = ctx.localIdx; at < count; at += groupSize) {
            sums[at] = 0f;
            sums[SUM_COLS + at] = 0f;
        }
    }

    /** The work-item's sums of the window from column {@code first} into its chunk's rows of the gain's and the bias's partials. */
    static void writeSums(KernelContext ctx, float[] sums, FloatArray partials, int chunk, int first, int end, int cols, int groupSize,
                          int chunks) {
        for (int c = first + ctx.localIdx; c < end; c += groupSize) {
            partials.set((long) chunk * cols + c, sums[c - first]);
            partials.set((long) (chunks + chunk) * cols + c, sums[SUM_COLS + c - first]);
        }
    }

    /**
     * dx (bf16: the operand of fc1's gradient GEMMs) of {@link #forwardOfGeluCached}'s norm, with respect to
     * the biased product x + inBias, from x and dy in bf16 (fc1's and fc2's GEMMs write them so): {@link #backward}'s
     * gelu case for rows of at most {@link #CACHED_COLS}, with the gain and bias gradients' partial sums over row chunks as
     * it leaves them. Work-group g takes the rows of chunk g of {@code chunks} one after another; its work-items take
     * columns in pairs, one 4-byte load for two bf16 values.
     */
    @Kernel
    public static void backwardOfGeluBf16(KernelContext ctx, BFloat16Array x, FloatArray inBias, FloatArray w, FloatArray mean,
                                          FloatArray rstd, BFloat16Array dy, BFloat16Array dx, FloatArray partials, long rows, int cols,
                                          int groupSize, int chunks) {
        float[] local = ctx.allocateFloatLocalArray(MAX_ROW_GROUP);
        float[] sums = ctx.allocateFloatLocalArray(2 * CACHED_COLS); // gain's terms, then bias's; each as two halves like hidden's
        for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
            sums[c / 2] = 0f;
            sums[CACHED_COLS / 2 + c / 2] = 0f;
            sums[CACHED_COLS + c / 2] = 0f;
            sums[CACHED_COLS + CACHED_COLS / 2 + c / 2] = 0f;
        }
        long end = chunkEnd(ctx.groupIdx, rows, chunks);
        for (long row = chunkStart(ctx.groupIdx, rows, chunks); row < end; row++) {
            long base = row * cols;
            float m = mean.get(row);
            float s = rstd.get(row);
            float gSum = 0f;
            float gxSum = 0f;
            for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
                int xs = x.getPair(base + c);
                int dys = dy.getPair(base + c);
                float g0 = first(dys) * w.get(c);
                float g1 = second(dys) * w.get(c + 1);
                gSum += g0 + g1;
                gxSum += g0 * (geluOf(first(xs) + inBias.get(c)) - m) + g1 * (geluOf(second(xs) + inBias.get(c + 1)) - m);
            }
            float gMean = groupSum(ctx, local, gSum, groupSize) / cols;
            float gxMean = groupSum(ctx, local, gxSum, groupSize) * s / cols;
            for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
                int xs = x.getPair(base + c);
                int dys = dy.getPair(base + c);
                dx.setPair(base + c, geluNormGradient(sums, c / 2, first(xs) + inBias.get(c), first(dys), w.get(c), m, s, gMean, gxMean),
                        geluNormGradient(sums, CACHED_COLS / 2 + c / 2, second(xs) + inBias.get(c + 1), second(dys), w.get(c + 1), m, s,
                                gMean, gxMean));
            }
        }
        for (int c = 2 * ctx.localIdx; c < cols; c += 2 * groupSize) {
            long gain = (long) ctx.groupIdx * cols + c;
            long bias = (long) (chunks + ctx.groupIdx) * cols + c;
            partials.set(gain, sums[c / 2]);
            partials.set(gain + 1, sums[CACHED_COLS / 2 + c / 2]);
            partials.set(bias, sums[CACHED_COLS + c / 2]);
            partials.set(bias + 1, sums[CACHED_COLS + CACHED_COLS / 2 + c / 2]);
        }
    }

    /**
     * One column of {@link #backwardOfGeluBf16}'s dx, from the biased product {@code pre}, dy, the gain w, the row's
     * statistics and means; its gain and bias terms (dy xhat, dy) are added to sums[at] and sums[CACHED_COLS + at].
     */
    static float geluNormGradient(float[] sums, int at, float pre, float dy, float w, float m, float s, float gMean, float gxMean) {
        float sig = geluSigmoid(pre); // one sigmoid for both gelu(pre) and gelu'(pre)
        return normGradient(sums, at, CACHED_COLS + at, pre * sig, geluSlope(pre, sig), dy, w, m, s, gMean, gxMean);
    }

    /**
     * One column's dx, rstd (dy w - mean(g) - xhat mean(g xhat)) times {@code gate} (gelu' of the biased product, or 1), from
     * the normalized input u, dy, the gain w and the row's statistics (m, s = 1/std, mean(g), mean(g xhat)); its gain and bias
     * gradients' terms, dy xhat and dy, are added to sums[gainAt] and sums[biasAt].
     */
    static float normGradient(float[] sums, int gainAt, int biasAt, float u, float gate, float dy, float w, float m, float s, float gMean,
                              float gxMean) {
        float xhat = (u - m) * s;
        sums[gainAt] += dy * xhat;
        sums[biasAt] += dy;
        return s * (dy * w - gMean - xhat * gxMean) * gate;
    }

    /**
     * Row {@code row}'s statistics for the backward, left in {@code local} for the whole group: its mean and 1/std (MEAN,
     * RSTD, as the forward kept them) and mean(g), mean(g xhat) with g = dy w; returns the row's offset. A group may call
     * it for one row after another: its sums' barriers keep the next row's values from overwriting ones still being read.
     */
    static long gradientMeans(KernelContext ctx, float[] local, FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray mean,
                              FloatArray rstd, FloatArray dy, long row, int cols, int groupSize) {
        long base = row * cols;
        float m = mean.get(row);
        float s = rstd.get(row);
        float gSum = 0f;
        float gxSum = 0f;
        for (int c = ctx.localIdx; c < cols; c += groupSize) {
            float g = dy.get(base + c) * w.get(c);
            gSum += g;
            gxSum += g * (input(x, inBias, gelu, base, c) - m) * s;
        }
        float gMean = groupSum(ctx, local, gSum, groupSize) / cols;
        float gxMean = groupSum(ctx, local, gxSum, groupSize) / cols;
        if (ctx.localIdx == 0) {
            local[MEAN] = m;
            local[RSTD] = s;
            local[GRAD_MEAN] = gMean;
            local[GRAD_XHAT_MEAN] = gxMean;
        }
        ctx.localBarrier();
        return base;
    }

    /**
     * Column c of dx for the row at {@code base}, from the statistics {@link #gradientMeans} left in {@code local}; its gain and
     * bias terms go to sums[at] and sums[SUM_COLS + at].
     */
    static float columnGradient(FloatArray x, FloatArray inBias, int gelu, FloatArray w, FloatArray dy, float[] local, float[] sums, int at,
                                long base, int c) {
        float u = x.get(base + c);
        float gate = 1f;
        if (gelu == 1) { // one sigmoid for both gelu(pre) and gelu'(pre)
            float pre = u + inBias.get(c);
            float sig = geluSigmoid(pre);
            u = pre * sig;
            gate = geluSlope(pre, sig);
        }
        return normGradient(sums, at, SUM_COLS + at, u, gate, dy.get(base + c), w.get(c), local[MEAN], local[RSTD], local[GRAD_MEAN],
                local[GRAD_XHAT_MEAN]);
    }

    /**
     * The sum of {@code v} over a work-group of {@code groupSize} (a power of two), given to every work-item.
     * Groups of whole warps sum within each warp by butterfly exchanges, then over the warps: two barriers
     * where a tree through local memory takes one per halving (nine for 256 work-items).
     */
    static float groupSum(KernelContext ctx, float[] partial, float v, int groupSize) {
        int lid = ctx.localIdx;
        if (groupSize >= 2 * WARP) {
            float warpSum = v;
            for (int mask = WARP / 2; mask > 0; mask /= 2) {
                warpSum += ctx.shuffleXor(partial, warpSum, mask);
            }
            if (lid % WARP == 0) {
                partial[lid / WARP] = warpSum;
            }
            ctx.localBarrier();
            float total = 0f;
            for (int warp = 0; warp < groupSize / WARP; warp++) {
                total += partial[warp];
            }
            ctx.localBarrier();
            return total;
        }
        partial[lid] = v;
        ctx.localBarrier();
        for (int stride = groupSize / 2; stride > 0; stride /= 2) {
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
            ctx.localBarrier();
        }
        float total = partial[0];
        ctx.localBarrier();
        return total;
    }

    /** Work-items of a warp, whose butterfly exchanges {@link #groupSum} uses. */
    static final int WARP = 32;
}
