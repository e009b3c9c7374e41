package org.longnet.engine.device.cuda;

import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;

/** The grid of a CUDA launch: its work-groups per dimension, within CUDA's limits. */
final class CudaGrid {
    private CudaGrid() {
    }

    /** Work-groups per dimension; a @Parallel kernel's grid-stride loops let the grid be capped at CUDA's limits. */
    static long[] of(KernelInfo k, Launch launch) {
        long[] grid = {1, 1, 1};
        for (int d = 0; d < launch.dims(); d++) {
            grid[d] = launch.groups(d);
            long limit = d == 0 ? Integer.MAX_VALUE : 65535;
            if (grid[d] > limit) {
                if (k.kind() != KernelInfo.Kind.PARALLEL) {
                    throw new DeviceException("kernel " + k.qualifiedName() + ": " + grid[d] + " work-groups in dimension "
                            + d + " exceed the CUDA limit of " + limit);
                }
                grid[d] = limit;
            }
        }
        return grid;
    }
}
