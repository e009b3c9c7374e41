// Thread-block clusters (org.longnet.engine.api.Clusters), included by longnet_runtime.cl. A cluster of C groups of L
// work-items runs as one work-group of C * L (OpenClDevice merges them), so the group of a work-item is its rank,
// get_local_id(0) / L, and its own id in that group get_local_id(0) % L. The translator spells the kernel's C for
// LONGNET_CLUSTER_SIZE in the kernels that have clusters; elsewhere a group is a cluster of one.
#define LONGNET_CLUSTER_SIZE 1
inline int longnet_cluster_rank(int size) {
    return (int) (get_local_id(0) / (get_local_size(0) / size));
}
inline long longnet_block_local_id(int size) {
    return (long) (get_local_id(0) % (get_local_size(0) / size));
}
