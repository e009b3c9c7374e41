package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/**
 * AdamW (decoupled weight decay) on fp32 parameters, with bias correction. {@code step} counts
 * from 1; {@code gradScale} multiplies the gradient first (gradient clipping passes its factor).
 */
public final class AdamWKernels {
    private AdamWKernels() {
    }

    @Kernel
    public static void update(FloatArray param, FloatArray grad, FloatArray m, FloatArray v, float lr, float beta1, float beta2,
                              float eps, float weightDecay, float gradScale, int step) {
        for (@Parallel long i = 0; i < param.getSize(); i++) {
            float g = grad.get(i) * gradScale;
            float mi = beta1 * m.get(i) + (1f - beta1) * g;
            float vi = beta2 * v.get(i) + (1f - beta2) * g * g;
            m.set(i, mi);
            v.set(i, vi);
            float mHat = mi / (1f - KernelMath.pow(beta1, step));
            float vHat = vi / (1f - KernelMath.pow(beta2, step));
            float p = param.get(i);
            param.set(i, p - lr * (mHat / (KernelMath.sqrt(vHat) + eps) + weightDecay * p));
        }
    }
}
