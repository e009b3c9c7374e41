package org.longnet.engine.graph;

/** Sizes that {@link HelperLocalKernels} take from another class, as kernels take theirs from a class of tile sizes. */
public final class HelperLocalSizes {
    private HelperLocalSizes() {
    }

    /** Work-items per group, which every launch of {@link HelperLocalKernels#groupMoments} uses. */
    public static final int GROUP = 64;
    /** The powers of each input that {@link HelperLocalKernels#groupMoments} sums: x, x^2, x^3. */
    public static final int POWERS = 3;
}
