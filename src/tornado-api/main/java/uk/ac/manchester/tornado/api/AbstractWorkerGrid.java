package uk.ac.manchester.tornado.api;

import java.util.Arrays;

/** The sizes a {@link WorkerGrid} holds, three per kind whatever its dimension. */
public abstract class AbstractWorkerGrid implements WorkerGrid {
    private final long[] global = new long[3];
    private long[] local;
    private final long[] offset = new long[3];

    protected AbstractWorkerGrid(long x, long y, long z) {
        setGlobalWork(x, y, z);
    }

    @Override
    public long[] getGlobalWork() {
        return global.clone();
    }

    @Override
    public long[] getLocalWork() {
        return local == null ? null : local.clone();
    }

    @Override
    public long[] getNumberOfWorkgroups() {
        if (local == null) {
            return null;
        }
        long[] groups = new long[3];
        for (int d = 0; d < 3; d++) {
            groups[d] = (global[d] + local[d] - 1) / local[d];
        }
        return groups;
    }

    @Override
    public long[] getGlobalOffset() {
        return offset.clone();
    }

    @Override
    public void setGlobalWork(long x, long y, long z) {
        long[] sizes = {x, y, z};
        for (long s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("global work sizes must be >= 1, were " + Arrays.toString(sizes));
            }
        }
        System.arraycopy(sizes, 0, global, 0, 3);
    }

    @Override
    public void setLocalWork(long x, long y, long z) {
        long[] sizes = {x, y, z};
        for (long s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("local work sizes must be >= 1, were " + Arrays.toString(sizes));
            }
        }
        local = sizes;
    }

    @Override
    public void setNumberOfWorkgroupsToNull() {
        local = null;
    }

    @Override
    public void setLocalWorkToNull() {
        local = null;
    }

    /** Offsets are not supported: every kernel starts at work-item 0 (0, 0, 0 is accepted). */
    @Override
    public void setGlobalOffset(long x, long y, long z) {
        if (x != 0 || y != 0 || z != 0) {
            throw new UnsupportedOperationException("global offsets are not supported; was (" + x + ", " + y + ", " + z + ")");
        }
    }

    /**
     * The engine's grid: the global sizes, and the local sizes given or else, per dimension, the largest size up to
     * 256, 16 or 4 (for 1, 2 or 3 dimensions) that divides the global size, so the launch covers it exactly.
     */
    org.longnet.engine.graph.WorkerGrid toEngine() {
        int dims = dimension();
        long[] g = Arrays.copyOf(global, dims);
        long[] l = new long[dims];
        long most = dims == 1 ? 256 : dims == 2 ? 16 : 4;
        for (int d = 0; d < dims; d++) {
            l[d] = local != null ? local[d] : largestDivisor(g[d], most);
        }
        return new org.longnet.engine.graph.WorkerGrid(g, l);
    }

    private static long largestDivisor(long n, long most) {
        for (long l = Math.min(n, most); l > 1; l--) {
            if (n % l == 0) {
                return l;
            }
        }
        return 1;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " global " + Arrays.toString(Arrays.copyOf(global, dimension()))
                + " local " + (local == null ? "auto" : Arrays.toString(Arrays.copyOf(local, dimension())));
    }
}
