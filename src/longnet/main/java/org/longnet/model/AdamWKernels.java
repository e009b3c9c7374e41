package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DistinctIndex;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/**
 * AdamW (decoupled weight decay) on fp32 parameters, with bias correction. What changes every
 * step comes in the device array {@code settings}, so one prepared launch serves all steps:
 * learning rate, gradient scale (clipping's factor), 1 - beta1^step, 1 - beta2^step.
 */
public final class AdamWKernels {
    private AdamWKernels() {
    }

    public static final int LR = 0, GRAD_SCALE = 1, CORRECTION1 = 2, CORRECTION2 = 3, SETTINGS = 4;

    /** The settings array's contents for one step (counted from 1), computed in double. */
    public static void settings(FloatArray settings, double lr, double gradScale, double beta1, double beta2, long step) {
        settings.set(LR, (float) lr);
        settings.set(GRAD_SCALE, (float) gradScale);
        settings.set(CORRECTION1, (float) (1 - Math.pow(beta1, step)));
        settings.set(CORRECTION2, (float) (1 - Math.pow(beta2, step)));
    }

    @Kernel
    public static void update(FloatArray param, FloatArray grad, FloatArray m, FloatArray v, FloatArray settings, float beta1,
                              float beta2, float eps, float weightDecay) {
        for (@Parallel long i = 0; i < param.getSize(); i++) {
            param.set(i, updated(i, param, grad, m, v, settings, beta1, beta2, eps, weightDecay));
        }
    }

    /**
     * {@link #update} of a matrix {@code [rows][cols]} that also writes each new value rounded to bf16 into its copy, the
     * weight operand of bf16 GEMMs: columns {@code [column, column + cols)} of {@code copy}, whose rows are {@code stride}
     * long (the copy alone, {@code stride} = cols, or beside others in one wider matrix). So the copy is current after the
     * step, and no pass rounds the master weights again before the next forward.
     */
    @Kernel
    public static void updateWithBf16(FloatArray param, FloatArray grad, FloatArray m, FloatArray v, FloatArray settings, float beta1,
                                      float beta2, float eps, float weightDecay, BFloat16Array copy, int rows, int cols, int stride,
                                      int column) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int c = 0; c < cols; c++) {
                long i = (long) r * cols + c;
                float p = updated(i, param, grad, m, v, settings, beta1, beta2, eps, weightDecay);
                param.set(i, p);
                @DistinctIndex long at = (long) r * stride + column + c; // column + cols <= stride
                copy.set(at, p);
            }
        }
    }

    /** Element i's moments updated in m and v; returns its new value (which the caller writes). */
    static float updated(long i, FloatArray param, FloatArray grad, FloatArray m, FloatArray v, FloatArray settings, float beta1,
                         float beta2, float eps, float weightDecay) {
        float lr = settings.get(LR);
        float g = grad.get(i) * settings.get(GRAD_SCALE);
        float mi = beta1 * m.get(i) + (1f - beta1) * g;
        float vi = beta2 * v.get(i) + (1f - beta2) * g * g;
        m.set(i, mi);
        v.set(i, vi);
        float mHat = mi / settings.get(CORRECTION1);
        float vHat = vi / settings.get(CORRECTION2);
        float p = param.get(i);
        return p - lr * (mHat / (KernelMath.sqrt(vHat) + eps) + weightDecay * p);
    }
}
