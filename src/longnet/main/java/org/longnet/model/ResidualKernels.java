package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

import static org.longnet.model.LayerNormKernels.EPS;
import static org.longnet.model.LayerNormKernels.MAX_ROW_GROUP;
import static org.longnet.model.NormFunctions.groupSums;

/** The residual connection: a sublayer's output added to the stream, alone or with the LayerNorm that reads the sum next. */
public final class ResidualKernels {
    private ResidualKernels() {
    }

    /**
     * y[row][col] += bias[col] + stream[row][col]: a sublayer's bias and the residual stream added to its
     * product in one pass: two passes would read and write the product twice.
     */
    @Kernel
    public static void addBiasAndStream(FloatArray y, FloatArray bias, FloatArray stream, int rows, int cols) {
        for (@Parallel int row = 0; row < rows; row++) {
            for (@Parallel int col = 0; col < cols; col++) {
                long i = (long) row * cols + col;
                y.set(i, y.get(i) + bias.get(col) + stream.get(i));
            }
        }
    }

    /** Columns of a row that {@link #addAndNormalize} keeps in each work-item's registers between its passes; the rest are read again. */
    static final int KEPT_COLS = 8;

    /** What {@link #addAndNormalize} writes the normalized row to, bits of its {@code outputs}: an fp32 array, a bf16 one. */
    public static final int FP32 = 1, BF16 = 2;

    /**
     * h = y + bias + stream, written over y (the stream after a sublayer whose product y holds), then LN(h) with gain w and bias
     * b into {@code out} (fp32) or {@code out16} (rounded to bf16), as {@code outputs} says, and the row's mean and 1/std for the
     * backward: {@link #addBiasAndStream} and {@link LayerNormKernels#forward} in one pass, which reads the product and the
     * stream once and writes h once. One work-group of {@code groupSize} per row; each work-item keeps its first
     * {@link #KEPT_COLS} values of h in registers for the output (columns past them are read back from y, where the work-item
     * wrote them). The row's two sums, of h - h0 and its square around a value h0 of the row (from the arrays that are only
     * read, so that every work-item has the same), meet at one barrier ({@code NormFunctions.groupSums}).
     */
    @Kernel
    public static void addAndNormalize(KernelContext ctx, FloatArray y, FloatArray bias, FloatArray stream, FloatArray w, FloatArray b,
                                       FloatArray out, BFloat16Array out16, int outputs, FloatArray mean, FloatArray rstd, int cols,
                                       int groupSize) {
        float[] partial = ctx.allocateFloatLocalArray(5 * MAX_ROW_GROUP);
        float[] kept = new float[KEPT_COLS];
        float[] sums = new float[2];
        long base = (long) ctx.groupIdx * cols;
        int keptEnd = KernelMath.min(cols, KEPT_COLS * groupSize);
        float shift = stream.get(base) + bias.get(0);
        sums[0] = 0f;
        sums[1] = 0f;
        for (int k = 0; k < KEPT_COLS; k++) {
            int c = ctx.localIdx + k * groupSize;
            if (c < keptEnd) {
                kept[k] = y.get(base + c) + bias.get(c) + stream.get(base + c);
                y.set(base + c, kept[k]);
                sums[0] += kept[k] - shift;
                sums[1] += (kept[k] - shift) * (kept[k] - shift);
            }
        }
        for (int c = keptEnd + ctx.localIdx; c < cols; c += groupSize) {
            float h = y.get(base + c) + bias.get(c) + stream.get(base + c);
            y.set(base + c, h);
            sums[0] += h - shift;
            sums[1] += (h - shift) * (h - shift);
        }
        groupSums(ctx, partial, sums, groupSize, 0);
        float offset = sums[0] / cols;
        float m = shift + offset;
        float s = KernelMath.rsqrt(KernelMath.max(sums[1] / cols - offset * offset, 0f) + EPS);
        if (ctx.localIdx == 0) {
            mean.set(ctx.groupIdx, m);
            rstd.set(ctx.groupIdx, s);
        }
        for (int k = 0; k < KEPT_COLS; k++) {
            int c = ctx.localIdx + k * groupSize;
            if (c < keptEnd) {
                write(out, out16, outputs, base + c, (kept[k] - m) * s * w.get(c) + b.get(c));
            }
        }
        for (int c = keptEnd + ctx.localIdx; c < cols; c += groupSize) {
            write(out, out16, outputs, base + c, (y.get(base + c) - m) * s * w.get(c) + b.get(c));
        }
    }

    /** One normalized value to the array {@code outputs} names. */
    static void write(FloatArray out, BFloat16Array out16, int outputs, long at, float v) {
        if ((outputs & FP32) != 0) {
            out.set(at, v);
        }
        if ((outputs & BF16) != 0) {
            out16.set(at, v);
        }
    }
}
