package org.longnet.engine.conformance;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.GroupReductions;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;

/**
 * Device functions for {@link ConformanceKernels#libraryRowStats}: a row's sum and maximum over
 * a work-group, through the engine's {@link GroupReductions} (compiled earlier, read from the class
 * path), so the kernel's barriers are three calls away. Its name sorts before the kernel class, and
 * {@link ConformanceRows}'s after, so javac analyzes one library before the kernels and one after.
 */
@DeviceFunctions
public final class ConformanceGroups {
    private ConformanceGroups() {
    }

    /** Element (row, col) of a row-major matrix with {@code cols} columns ({@link ConformanceRows#index} is column-major). */
    public static long index(int row, int col, int cols) {
        return (long) row * cols + col;
    }

    /** The sum (with {@code max} false) or maximum of row {@code row} of x, for every work-item of the group. */
    public static float rowReduce(KernelContext ctx, float[] scratch, FloatArray x, int row, int cols, boolean max) {
        float partial = max ? -Float.MAX_VALUE : 0f;
        for (int c = ctx.localIdx; c < cols; c += ctx.localGroupSizeX) {
            float v = ConformanceRows.element(x, row, c, cols);
            partial = max ? KernelMath.max(partial, v) : partial + v;
        }
        return max ? GroupReductions.max(ctx, scratch, partial) : GroupReductions.sum(ctx, scratch, partial);
    }
}
