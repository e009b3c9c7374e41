package org.longnet.engine.graph;

import java.util.Arrays;

/**
 * Launch sizes for one task, x first. A {@code @Parallel} kernel takes only the local
 * (work-group) size from here, its global size comes from its loop bounds; a KernelContext
 * kernel needs both. Global sizes are rounded up to a multiple of the local size.
 */
public record WorkerGrid(long[] global, long[] local) {
    public WorkerGrid {
        if (local == null || local.length == 0 || local.length > 3) {
            throw new IllegalArgumentException("local size must have 1 to 3 dimensions, was " + Arrays.toString(local));
        }
        for (long l : local) {
            if (l < 1) {
                throw new IllegalArgumentException("local size must be >= 1 in every dimension, was " + Arrays.toString(local));
            }
        }
        if (global != null && global.length != local.length) {
            throw new IllegalArgumentException("global " + Arrays.toString(global) + " and local " + Arrays.toString(local)
                    + " sizes must have the same number of dimensions");
        }
    }

    public static WorkerGrid of(long global, long local) {
        return new WorkerGrid(new long[] {global}, new long[] {local});
    }

    public static WorkerGrid of(long globalX, long globalY, long localX, long localY) {
        return new WorkerGrid(new long[] {globalX, globalY}, new long[] {localX, localY});
    }

    /** Only a work-group size, for {@code @Parallel} kernels. */
    public static WorkerGrid local(long... local) {
        return new WorkerGrid(null, local);
    }
}
