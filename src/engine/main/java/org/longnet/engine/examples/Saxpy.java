package org.longnet.engine.examples;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/** The README's example kernels: compiled in every build, so the README cannot drift. */
public final class Saxpy {
    private Saxpy() {
    }

    // README:start
    /** out = a * x + y, one work-item per element. */
    @Kernel
    public static void saxpy(float a, FloatArray x, FloatArray y, FloatArray out) {
        for (@Parallel long i = 0; i < out.getSize(); i++) {
            out.set(i, a * x.get(i) + y.get(i));
        }
    }

    // README:end

    static final int GROUP = 128;

    /** Sum of |x| per work-group, through local memory and barriers. */
    @Kernel
    public static void groupAbsSum(KernelContext ctx, FloatArray x, FloatArray sums) {
        float[] partial = ctx.allocateFloatLocalArray(GROUP);
        int gid = ctx.globalIdx;
        int lid = ctx.localIdx;
        partial[lid] = gid < x.getSize() ? KernelMath.abs(x.get(gid)) : 0f;
        for (int stride = GROUP / 2; stride > 0; stride >>= 1) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        if (lid == 0) {
            sums.set(ctx.groupIdx, partial[0]);
        }
    }
}
