package org.longnet.engine.api;

/**
 * Reductions over a one-dimensional work-group, for kernels that take a {@link KernelContext}:
 * every work-item of the group calls one together (it waits for the whole group, like
 * {@link KernelContext#localBarrier}) with its own value, and each gets the group's result.
 * {@code scratch} is a work-group local array of at least one float per work-item
 * ({@code ctx.allocateFloatLocalArray(GROUP)}); the group size must be a power of two. The values
 * meet in a tree in local memory, one barrier per level, so the order of the additions, and with it
 * the rounding, is the same on every device.
 */
@DeviceFunctions
public final class GroupReductions {
    private GroupReductions() {
    }

    /** The sum of {@code value} over the work-group. */
    public static float sum(KernelContext ctx, float[] scratch, float value) {
        return reduce(ctx, scratch, value, false);
    }

    /** The largest {@code value} of the work-group. */
    public static float max(KernelContext ctx, float[] scratch, float value) {
        return reduce(ctx, scratch, value, true);
    }

    private static float reduce(KernelContext ctx, float[] scratch, float value, boolean max) {
        int lid = ctx.localIdx;
        scratch[lid] = value;
        ctx.localBarrier();
        for (int stride = ctx.localGroupSizeX / 2; stride > 0; stride >>= 1) {
            if (lid < stride) {
                scratch[lid] = max ? KernelMath.max(scratch[lid], scratch[lid + stride]) : scratch[lid] + scratch[lid + stride];
            }
            ctx.localBarrier();
        }
        float result = scratch[0];
        ctx.localBarrier(); // every work-item has read the result before the caller may use scratch again
        return result;
    }
}
