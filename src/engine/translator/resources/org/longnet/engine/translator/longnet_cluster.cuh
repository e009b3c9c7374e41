// Thread-block clusters and warp specialization (org.longnet.engine.api.Clusters, Warpgroups), included by
// longnet_runtime.cuh. A cluster kernel is launched with a cluster dimension of (C, 1, 1) (CudaDevice, through
// cuLaunchKernelEx), so a block's rank is blockIdx.x % C. Before Hopper there are no clusters: a launch with one is
// refused, and here every block is its own cluster of one.
#if __CUDA_ARCH__ >= 900
__device__ __forceinline__ int longnet_cluster_rank() {
    unsigned int r;
    asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(r));
    return (int) r;
}
__device__ __forceinline__ int longnet_cluster_size() {
    unsigned int n;
    asm volatile("mov.u32 %0, %%cluster_nctarank;" : "=r"(n));
    return (int) n;
}
__device__ __forceinline__ int longnet_cluster_id() {
    unsigned int c;
    asm volatile("mov.u32 %0, %%clusterid.x;" : "=r"(c));
    return (int) c;
}
// Release on arrival and acquire on the wait: each block's shared-memory writes before it are visible to every block
// of the cluster after it. The aligned forms: every thread of the warp executes it together, as the contract says.
__device__ __forceinline__ void longnet_cluster_barrier() {
    asm volatile("barrier.cluster.arrive.release.aligned;\n\tbarrier.cluster.wait.acquire.aligned;" ::: "memory");
}
// The shared::cluster address of the same offset as p (this block's shared memory) in block rank's shared memory.
__device__ __forceinline__ unsigned int longnet_cluster_address(const void* p, int rank) {
    unsigned int local = longnet_shared_address(p), remote;
    asm volatile("mapa.shared::cluster.u32 %0, %1, %2;" : "=r"(remote) : "r"(local), "r"(rank));
    return remote;
}
__device__ __forceinline__ float longnet_cluster_load(const float* tile, int rank, int index) {
    float v;
    asm volatile("ld.shared::cluster.f32 %0, [%1];" : "=f"(v) : "r"(longnet_cluster_address(tile + index, rank)) : "memory");
    return v;
}
__device__ __forceinline__ int longnet_cluster_load(const int* tile, int rank, int index) {
    int v;
    asm volatile("ld.shared::cluster.s32 %0, [%1];" : "=r"(v) : "r"(longnet_cluster_address(tile + index, rank)) : "memory");
    return v;
}
__device__ __forceinline__ void longnet_cluster_store(float* tile, int rank, int index, float value) {
    asm volatile("st.shared::cluster.f32 [%0], %1;" :: "r"(longnet_cluster_address(tile + index, rank)), "f"(value) : "memory");
}
__device__ __forceinline__ void longnet_cluster_store(int* tile, int rank, int index, int value) {
    asm volatile("st.shared::cluster.s32 [%0], %1;" :: "r"(longnet_cluster_address(tile + index, rank)), "r"(value) : "memory");
}
#else
__device__ __forceinline__ int longnet_cluster_rank() { return 0; }
__device__ __forceinline__ int longnet_cluster_size() { return 1; }
__device__ __forceinline__ int longnet_cluster_id() { return (int) blockIdx.x; }
__device__ __forceinline__ void longnet_cluster_barrier() { __syncthreads(); }
__device__ __forceinline__ float longnet_cluster_load(const float* tile, int rank, int index) { return tile[index]; }
__device__ __forceinline__ int longnet_cluster_load(const int* tile, int rank, int index) { return tile[index]; }
__device__ __forceinline__ void longnet_cluster_store(float* tile, int rank, int index, float value) { tile[index] = value; }
__device__ __forceinline__ void longnet_cluster_store(int* tile, int rank, int index, int value) { tile[index] = value; }
#endif
// The warpgroup of a thread, read from lane 0 so that the compiler knows it is the same in the whole warp (branches on
// a warp's role then need no divergence handling). Every thread of the warp calls it together.
__device__ __forceinline__ int longnet_warpgroup_index() {
    return __shfl_sync(0xFFFFFFFFu, (int) (threadIdx.x / 128), 0);
}
// setmaxnreg: the translator has checked the count (a multiple of 8 in [24, 256]); the static_assert restates it. Only
// sm_90a has the instruction; it changes no result, so elsewhere it is nothing.
template <int count> __device__ __forceinline__ void longnet_increase_registers() {
    static_assert(count % 8 == 0 && count >= 24 && count <= 256, "setmaxnreg takes a multiple of 8 from 24 to 256");
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
    asm volatile("setmaxnreg.inc.sync.aligned.u32 %0;" :: "n"(count));
#endif
}
template <int count> __device__ __forceinline__ void longnet_decrease_registers() {
    static_assert(count % 8 == 0 && count >= 24 && count <= 256, "setmaxnreg takes a multiple of 8 from 24 to 256");
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
    asm volatile("setmaxnreg.dec.sync.aligned.u32 %0;" :: "n"(count));
#endif
}
