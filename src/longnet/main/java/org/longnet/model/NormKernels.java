package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;

/**
 * Sum of squares of a gradient, for clipping by the global norm: each work-group of
 * {@link #GROUP} reduces its grid-stride share in local memory and writes one partial sum; the
 * host adds the (few) partials of every parameter.
 */
public final class NormKernels {
    public static final int GROUP = 256;

    private NormKernels() {
    }

    @Kernel
    public static void sumOfSquares(KernelContext ctx, FloatArray x, FloatArray partials) {
        float[] scratch = ctx.allocateFloatLocalArray(GROUP);
        int lid = ctx.localIdx;
        float sum = 0f;
        for (long i = ctx.globalIdx; i < x.getSize(); i += ctx.globalGroupSizeX) {
            float v = x.get(i);
            sum += v * v;
        }
        scratch[lid] = sum;
        ctx.localBarrier();
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            if (lid < stride) {
                scratch[lid] += scratch[lid + stride];
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            partials.set(ctx.groupIdx, scratch[0]);
        }
    }
}
