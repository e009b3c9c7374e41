package org.longnet.engine.graph;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;

import static org.longnet.engine.graph.HelperLocalSizes.GROUP;
import static org.longnet.engine.graph.HelperLocalSizes.POWERS;

/**
 * Helpers that allocate their own work-group local arrays of constant lengths (constants of another class, products
 * and quotients of them, a helper's parameter that the call gives a constant), and private arrays, for
 * {@link HelperLocalArraysTest}: one helper called from two places, one called in a loop.
 */
public final class HelperLocalKernels {
    private HelperLocalKernels() {
    }

    /** Per group of {@link HelperLocalSizes#GROUP} items: the sums of x, x^2, x^3, of 2x + 1 and of x, and the count of positive x. */
    @Kernel(groupSize = GROUP)
    public static void groupMoments(KernelContext ctx, FloatArray x, FloatArray moments, IntArray positives, int n) {
        int g = ctx.globalIdx;
        boolean inside = g < n;
        float value = inside ? x.get(g) : 0f;
        int at = ctx.groupIdx * (POWERS + 2);
        powerSums(ctx, value, moments, at);
        float shifted = 0f;
        for (int round = 0; round < 2; round++) {
            shifted += groupSum(ctx, inside ? value + round : 0f);
        }
        float plain = groupSum(ctx, value);
        int count = positive(ctx, value, GROUP);
        if (ctx.localIdx == 0) {
            moments.set(at + POWERS, shifted);
            moments.set(at + POWERS + 1, plain);
            positives.set(ctx.groupIdx, count);
        }
    }

    /** The group's sum of {@code value}, through a local array of its own; every item gets it. */
    static float groupSum(KernelContext ctx, float value) {
        float[] partial = ctx.allocateFloatLocalArray(GROUP);
        int lid = ctx.localIdx;
        partial[lid] = value;
        for (int stride = partial.length / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
        }
        ctx.localBarrier();
        float sum = partial[0];
        // a second run of this call (in a loop) writes the same array: every item must have read it first
        ctx.localBarrier();
        return sum;
    }

    /** The group's sums of value^1 .. value^POWERS into {@code out} from {@code at}: a private array of powers, one local row per power. */
    static void powerSums(KernelContext ctx, float value, FloatArray out, int at) {
        float[] rows = ctx.allocateFloatLocalArray(POWERS * GROUP);
        float[] powers = new float[POWERS];
        int lid = ctx.localIdx;
        float p = 1f;
        for (int k = 0; k < powers.length; k++) {
            p *= value;
            powers[k] = p;
        }
        for (int k = 0; k < POWERS; k++) {
            rows[k * GROUP + lid] = powers[k];
        }
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            ctx.localBarrier();
            if (lid < stride) {
                for (int k = 0; k < POWERS; k++) {
                    rows[k * GROUP + lid] += rows[k * GROUP + lid + stride];
                }
            }
        }
        ctx.localBarrier();
        if (lid < POWERS) {
            out.set(at + lid, rows[lid * GROUP]);
        }
    }

    /** How many items of the group hold a positive value, counted in int and long local arrays; {@code group} is a constant at the call. */
    static int positive(KernelContext ctx, float value, int group) {
        int[] flags = ctx.allocateIntLocalArray(group);
        long[] wide = ctx.allocateLongLocalArray(GROUP / 4);
        int lid = ctx.localIdx;
        flags[lid] = value > 0f ? 1 : 0;
        ctx.localBarrier();
        if (lid < wide.length) {
            wide[lid] = (long) flags[4 * lid] + flags[4 * lid + 1] + flags[4 * lid + 2] + flags[4 * lid + 3];
        }
        ctx.localBarrier();
        long total = 0;
        for (int i = 0; i < wide.length; i++) {
            total += wide[i];
        }
        return (int) total;
    }
}
