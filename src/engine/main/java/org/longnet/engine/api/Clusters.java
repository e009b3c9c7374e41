package org.longnet.engine.api;

/**
 * Thread-block clusters (Hopper): a kernel declared {@code @Kernel(clusterSize = C)} runs its work-groups in clusters of
 * {@code C} consecutive groups along x, which may wait for each other ({@link #barrier}) and read and write each other's
 * work-group local arrays ({@link #load}, {@link #store}: distributed shared memory). A launch's number of groups along
 * x must be a multiple of {@code C}; every device refuses another before it launches.
 * <p>
 * Contract, the same on every device: the groups of a cluster run at the same time; every work-item of every group of
 * a cluster reaches the same cluster barriers and group barriers in the same order (no barrier inside a branch that
 * some items skip); a group reads or writes a peer's local array only between two cluster barriers that order it after
 * the peer's own writes and before the peer's later ones, and a kernel that touches peers' memory passes a cluster
 * barrier after its last such access (a peer group may not end while others still use its memory).
 * <p>
 * On CUDA the launch carries the cluster shape ({@code cuLaunchKernelEx} with a cluster dimension of (C, 1, 1)), and
 * these are {@code %cluster_ctarank}, {@code %cluster_nctarank}, {@code %clusterid.x}, {@code barrier.cluster.arrive} /
 * {@code wait}, and {@code mapa.shared::cluster} with {@code ld}/{@code st.shared::cluster}. On OpenCL a cluster is
 * one work-group of C times the group size: the kernel's ids, group size and local arrays are remapped so that each
 * group sees its own (its local arrays are slices of arrays C times longer), and both barriers are the work-group
 * barrier, which the contract above makes equivalent. On the JVM the work-items of a cluster's groups run together,
 * each group with its own local arrays, and both barriers wait for the whole cluster.
 * <p>
 * Limits: 1 to 8 groups a cluster (the portable cluster size of CUDA); these methods are called in the kernel itself
 * (not a helper), only by cluster kernels; in a cluster kernel, helpers do not take the KernelContext, and the warp and
 * warpgroup emulations (shuffles, matrix products) are refused, because their OpenCL forms read the merged group's ids.
 * On OpenCL, C times the group size must fit the device's work-group limit, and local arrays take constant lengths.
 */
public final class Clusters {
    /** The largest cluster, in work-groups. */
    public static final int MAX_SIZE = 8;

    private Clusters() {
    }

    /** What the jvm device's work-items know of their cluster, which these methods read there. */
    public interface Member {
        int clusterRank();

        int clusterSize();

        /** Waits until every work-item of every group of the cluster arrives. */
        void clusterBarrier();

        /** Group {@code rank}'s local array of the same allocation as {@code own}, this group's. */
        Object peerLocalArray(Object own, int rank);
    }

    /** The group's rank in its cluster, 0 to {@link #size} - 1: {@code groupIdx % size}. */
    public static int rank(KernelContext ctx) {
        return member(ctx).clusterRank();
    }

    /** The groups of a cluster, the kernel's {@code clusterSize}. */
    public static int size(KernelContext ctx) {
        return member(ctx).clusterSize();
    }

    /** The cluster's index along x: {@code groupIdx / size}. */
    public static int id(KernelContext ctx) {
        return ctx.groupIdx / size(ctx);
    }

    /**
     * Waits until every work-item of the cluster arrives; local memory written before it, the group's own and its peers',
     * is then visible to every group of the cluster. It is also a barrier of the group.
     */
    public static void barrier(KernelContext ctx) {
        member(ctx).clusterBarrier();
    }

    /** Element {@code index} of the local array {@code tile} of the cluster's group {@code rank} (this group's own at its rank). */
    public static float load(KernelContext ctx, float[] tile, int rank, int index) {
        return ((float[]) peer(ctx, tile, rank))[index];
    }

    /** Element {@code index} of the local array {@code tile} of the cluster's group {@code rank}. */
    public static int load(KernelContext ctx, int[] tile, int rank, int index) {
        return ((int[]) peer(ctx, tile, rank))[index];
    }

    /** Stores {@code value} at {@code index} in the local array {@code tile} of the cluster's group {@code rank}. */
    public static void store(KernelContext ctx, float[] tile, int rank, int index, float value) {
        ((float[]) peer(ctx, tile, rank))[index] = value;
    }

    /** Stores {@code value} at {@code index} in the local array {@code tile} of the cluster's group {@code rank}. */
    public static void store(KernelContext ctx, int[] tile, int rank, int index, int value) {
        ((int[]) peer(ctx, tile, rank))[index] = value;
    }

    private static Object peer(KernelContext ctx, Object tile, int rank) {
        Member m = member(ctx);
        if (rank < 0 || rank >= m.clusterSize()) {
            throw new IndexOutOfBoundsException("Clusters: rank " + rank + " is outside the cluster of " + m.clusterSize() + " groups");
        }
        return m.peerLocalArray(tile, rank);
    }

    private static Member member(KernelContext ctx) {
        if (ctx instanceof Member m) {
            return m;
        }
        throw new IllegalStateException("Clusters work only in a kernel that a device runs (the jvm device's work-items know their "
                + "cluster); this KernelContext is a " + ctx.getClass().getName());
    }
}
