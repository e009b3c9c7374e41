package org.longnet.engine.device;

import org.longnet.engine.api.Kernel;

/**
 * The thread-block clusters of a launch ({@code @Kernel(clusterSize = C)}, see {@code Clusters}): C consecutive work-groups
 * along x. Every device refuses a launch whose groups along x are no multiple of C before it launches; a device without
 * clusters runs each cluster as one work-group C times wider along x ({@link #merged}).
 */
public final class ClusterShape {
    private ClusterShape() {
    }

    /** The kernel's work-groups per cluster, 0 for a kernel without clusters. */
    public static int size(KernelInfo k) {
        Kernel kernel = k.method().getAnnotation(Kernel.class);
        return kernel == null ? 0 : kernel.clusterSize();
    }

    /** The kernel's cluster size, after checking that {@code launch}'s groups along x come in whole clusters. */
    public static int checked(KernelInfo k, Launch launch) {
        int size = size(k);
        if (size > 1 && launch.groups(0) % size != 0) {
            throw new IllegalArgumentException("kernel " + k.qualifiedName() + " runs in clusters of " + size + " work-groups along x, but the "
                    + "launch (" + launch + ") has " + launch.groups(0) + " groups along x: give a multiple of " + size);
        }
        return size;
    }

    /**
     * {@code launch} as a device without clusters runs it: each cluster one work-group of C times the items along x, which
     * must fit the device's {@code maxGroupItems}.
     */
    public static Launch merged(KernelInfo k, Launch launch, long maxGroupItems) {
        int size = checked(k, launch);
        if (size <= 1) {
            return launch;
        }
        if (launch.groupItems() * size > maxGroupItems) {
            throw new IllegalArgumentException("kernel " + k.qualifiedName() + " runs each cluster of " + size + " work-groups of "
                    + launch.groupItems() + " items as one group of " + launch.groupItems() * size + " here, more than this device's limit of "
                    + maxGroupItems + ": use smaller groups or clusters");
        }
        long[] local = launch.local().clone();
        local[0] *= size;
        return new Launch(launch.global(), local);
    }
}
