package org.longnet.engine.device.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The launch configuration of {@code cuLaunchKernelEx} for a kernel with thread-block clusters: a {@code CUlaunchConfig}
 * (grid, block, dynamic shared memory, stream, attributes) with one {@code CUlaunchAttribute}, the cluster dimension
 * (C, 1, 1). Layouts as cuda.h declares them on 64-bit hosts.
 */
final class ClusterLaunch {
    /** CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION. */
    private static final int ATTRIBUTE_CLUSTER_DIMENSION = 4;
    /** sizeof(CUlaunchConfig); offsets of hStream, attrs, numAttrs. */
    private static final long CONFIG_BYTES = 56, STREAM = 32, ATTRIBUTES = 40, ATTRIBUTE_COUNT = 48;
    /** sizeof(CUlaunchAttribute): the id, padding to 8, and a 64-byte union whose clusterDim is x, y, z from its start. */
    private static final long ATTRIBUTE_BYTES = 72, VALUE = 8;

    private ClusterLaunch() {
    }

    /**
     * The configuration, allocated in {@code arena}, of a launch of kernel {@code what} in {@code grid} blocks of {@code block}, in
     * clusters of {@code size}; {@code arch} is what NVRTC compiles for (sm_XY or sm_XYa): GPUs before Hopper have no clusters.
     */
    static MemorySegment config(Arena arena, String what, String arch, long[] grid, long[] block, int sharedBytes, int size) {
        if (!CudaArch.hopperOrLater(arch)) {
            throw new IllegalArgumentException("kernel " + what + " runs in clusters of " + size + " blocks, which need compute capability "
                    + "9.0 (Hopper) or later; this device compiles for " + arch);
        }
        MemorySegment attribute = arena.allocate(ATTRIBUTE_BYTES, 8);
        attribute.set(JAVA_INT, 0, ATTRIBUTE_CLUSTER_DIMENSION);
        attribute.set(JAVA_INT, VALUE, size);
        attribute.set(JAVA_INT, VALUE + 4, 1);
        attribute.set(JAVA_INT, VALUE + 8, 1);
        MemorySegment config = arena.allocate(CONFIG_BYTES, 8);
        for (int d = 0; d < 3; d++) {
            config.set(JAVA_INT, 4L * d, (int) grid[d]);
            config.set(JAVA_INT, 12 + 4L * d, (int) block[d]);
        }
        config.set(JAVA_INT, 24, sharedBytes);
        config.set(ADDRESS, STREAM, MemorySegment.NULL);
        config.set(ADDRESS, ATTRIBUTES, attribute);
        config.set(JAVA_INT, ATTRIBUTE_COUNT, 1);
        return config;
    }

    /** {@code config} with {@code stream} as its hStream: set at each launch, since a launch goes to a graph's stream while it is recorded. */
    static MemorySegment on(MemorySegment config, MemorySegment stream) {
        config.set(ADDRESS, STREAM, stream);
        return config;
    }
}
