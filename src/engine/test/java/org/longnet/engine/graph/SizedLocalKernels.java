package org.longnet.engine.graph;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;

/** A work-group reduction whose local arrays take their lengths from a parameter, as TornadoVM's tests size them, for {@link SizedLocalArraysTest}. */
public final class SizedLocalKernels {
    private SizedLocalKernels() {
    }

    /**
     * Each group's sum of {@code x} and count of its positive elements, through two local arrays of {@code group} elements (the
     * work-group size, a power of two; the second as twice {@code half}) around one of constant size.
     */
    @Kernel
    public static void groupSums(KernelContext ctx, FloatArray x, FloatArray sums, IntArray positives, int group, int half, int n) {
        float[] tile = ctx.allocateFloatLocalArray(group);
        float[] one = ctx.allocateFloatLocalArray(4);
        int[] counts = ctx.allocateIntLocalArray(2 * half);
        int l = ctx.localIdx;
        int g = ctx.globalIdx;
        tile[l] = g < n ? x.get(g) : 0f;
        counts[l] = g < n && x.get(g) > 0f ? 1 : 0;
        if (l < one.length) {
            one[l] = 1f;
        }
        for (int stride = tile.length / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (l < stride) {
                tile[l] += tile[l + stride];
                counts[l] += counts[l + stride];
            }
        }
        if (l == 0) {
            sums.set(ctx.groupIdx, tile[0] * one[0]);
            positives.set(ctx.groupIdx, counts[0]);
        }
    }
}
