package org.longnet.engine.device;

import java.util.Arrays;

/**
 * The shape of one launch: global and local sizes per dimension (x first). Global sizes are
 * already rounded up to a multiple of the local size.
 */
public record Launch(long[] global, long[] local) {
    public int dims() {
        return global.length;
    }

    /** The work-items of one work-group, all dimensions together. */
    public long groupItems() {
        return Arrays.stream(local).reduce(1, (a, b) -> a * b);
    }

    public long groups(int dim) {
        return global[dim] / local[dim];
    }

    @Override
    public String toString() {
        return "global " + Arrays.toString(global) + " local " + Arrays.toString(local);
    }
}
