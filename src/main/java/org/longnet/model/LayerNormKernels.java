package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/**
 * LayerNorm over the last dimension of {@code [rows][cols]}: y = (x - mean) / sqrt(var + eps) * w + b.
 * The forward keeps each row's mean and 1/std for the backward; the backward is split by what it
 * owns, rows (dx) and (row chunk, column) pairs (dw, db), so no two work-items write one element.
 */
public final class LayerNormKernels {
    public static final float EPS = 1e-5f;

    private LayerNormKernels() {
    }

    @Kernel
    public static void forward(FloatArray x, FloatArray w, FloatArray b, FloatArray y, FloatArray mean, FloatArray rstd, int cols) {
        for (@Parallel int row = 0; row < mean.getSize(); row++) {
            long base = (long) row * cols;
            float sum = 0f;
            for (int c = 0; c < cols; c++) {
                sum += x.get(base + c);
            }
            float m = sum / cols;
            float var = 0f;
            for (int c = 0; c < cols; c++) {
                float d = x.get(base + c) - m;
                var += d * d;
            }
            float s = KernelMath.rsqrt(var / cols + EPS);
            for (int c = 0; c < cols; c++) {
                y.set(base + c, (x.get(base + c) - m) * s * w.get(c) + b.get(c));
            }
            mean.set(row, m);
            rstd.set(row, s);
        }
    }

    /** dx of each row: rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * w. */
    @Kernel
    public static void backwardInput(FloatArray x, FloatArray w, FloatArray mean, FloatArray rstd, FloatArray dy, FloatArray dx,
                                     int cols) {
        for (@Parallel int row = 0; row < mean.getSize(); row++) {
            long base = (long) row * cols;
            float m = mean.get(row);
            float s = rstd.get(row);
            float gMean = 0f;
            float gxMean = 0f;
            for (int c = 0; c < cols; c++) {
                float g = dy.get(base + c) * w.get(c);
                gMean += g;
                gxMean += g * (x.get(base + c) - m) * s;
            }
            gMean /= cols;
            gxMean /= cols;
            for (int c = 0; c < cols; c++) {
                float xhat = (x.get(base + c) - m) * s;
                dx.set(base + c, s * (dy.get(base + c) * w.get(c) - gMean - xhat * gxMean));
            }
        }
    }

    /**
     * dw[c] = sum over rows of dy * xhat and db[c] = sum over rows of dy, first pass: work-item
     * (chunk, c) sums one of {@code chunks} equal runs of rows into partials[chunk][c] (dw) and
     * partials[chunks + chunk][c] (db); {@code ProjectionKernels.sumChunks} adds them up.
     * One work-item per column cannot fill a GPU (768 columns, each looping over every row, was 9%
     * of a training step); chunks x columns can.
     */
    @Kernel
    public static void backwardParamsPartial(FloatArray x, FloatArray mean, FloatArray rstd, FloatArray dy, FloatArray partials,
                                             int cols, int chunks) {
        for (@Parallel int i = 0; i < chunks * cols; i++) {
            int chunk = i / cols;
            int c = i % cols;
            long rows = mean.getSize();
            long perChunk = (rows + chunks - 1) / chunks;
            long end = KernelMath.min(rows, (chunk + 1) * perChunk);
            float sw = 0f;
            float sb = 0f;
            for (long row = chunk * perChunk; row < end; row++) {
                float g = dy.get(row * cols + c);
                sw += g * (x.get(row * cols + c) - mean.get(row)) * rstd.get(row);
                sb += g;
            }
            partials.set(i, sw);
            partials.set((long) chunks * cols + i, sb);
        }
    }
}
