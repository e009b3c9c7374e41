package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;

import static org.longnet.model.LayerNormKernels.EPS;
import static org.longnet.model.LayerNormKernels.MAX_ROW_GROUP;
import static org.longnet.model.NormFunctions.groupSums;

/** The residual connection: a sublayer's output added to the stream by the LayerNorm that reads the sum next. */
public final class ResidualKernels {
    private ResidualKernels() {
    }

    /** Columns of a row that {@link #addAndNormalize} keeps in each work-item's registers between its passes; the rest are read again. */
    static final int KEPT_COLS = 8;

    /** What {@link #addAndNormalize} writes the normalized row to, bits of its {@code outputs}: an fp32 array, a bf16 one. */
    public static final int FP32 = 1, BF16 = 2;

    /** What {@link #addAndNormalize} does with its y: adds bias and stream to it, or takes it as the sum already. */
    public static final int ADD = 1, WHOLE = 0;

    /**
     * With {@code residual} {@link #ADD}: h = y + bias + stream, written over y (the stream after a sublayer whose product y holds), then
     * LN(h) with gain w and bias b into {@code out} (fp32) or {@code out16} (rounded to bf16), as {@code outputs} says, and the
     * row's mean and 1/std for the backward: the residual and {@link LayerNormKernels#forward} in one pass, which
     * reads the product and the stream once and writes h once. With {@link #WHOLE}, y is h already (bias and stream unread):
     * the same norm of the same h gives the same bits, so a block recomputed from the stream normalizes it as its forward did.
     * One work-group of {@code groupSize} per row; each work-item keeps its first {@link #KEPT_COLS} values of h in registers
     * (columns past them are read back from y, where the work-item wrote them). The row's two sums, of h - h0 and its square
     * around its first value h0 (which every work-item computes before column 0's h is written, after the group's barrier), meet
     * at one barrier ({@code NormFunctions.groupSums}).
     */
    @Kernel
    public static void addAndNormalize(KernelContext ctx, FloatArray y, FloatArray bias, FloatArray stream, FloatArray w, FloatArray b,
                                       FloatArray out, BFloat16Array out16, int outputs, FloatArray mean, FloatArray rstd, int cols,
                                       int groupSize, int residual) {
        float[] partial = ctx.allocateFloatLocalArray(5 * MAX_ROW_GROUP);
        float[] kept = new float[KEPT_COLS];
        float[] sums = new float[2];
        long base = (long) ctx.groupIdx * cols;
        int keptEnd = KernelMath.min(cols, KEPT_COLS * groupSize); // at least column 0: the shift's column is kept
        float shift = residual == ADD ? y.get(base) + bias.get(0) + stream.get(base) : y.get(base);
        sums[0] = 0f;
        sums[1] = 0f;
        for (int k = 0; k < KEPT_COLS; k++) {
            int c = ctx.localIdx + k * groupSize;
            if (c < keptEnd) {
                kept[k] = residual == ADD ? y.get(base + c) + bias.get(c) + stream.get(base + c) : y.get(base + c);
                sums[0] += kept[k] - shift;
                sums[1] += (kept[k] - shift) * (kept[k] - shift);
            }
        }
        for (int c = keptEnd + ctx.localIdx; c < cols; c += groupSize) {
            float h = residual == ADD ? y.get(base + c) + bias.get(c) + stream.get(base + c) : y.get(base + c);
            if (residual == ADD) {
                y.set(base + c, h);
            }
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
                if (residual == ADD) {
                    y.set(base + c, kept[k]);
                }
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
