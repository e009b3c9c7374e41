// TornadoVM's SIMD-group operations on KernelContext (SimdGroups.java): a SIMD group is a warp, 32 threads of
// consecutive linear ids in the block; the last one of a block whose size is no multiple of 32 has fewer lanes, and
// only those take part (they form the shuffles' mask). The lanes of a warp call them together.
__device__ __forceinline__ int longnet_simd_lane() {
    return (int) ((threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z)) & 31u);
}
__device__ __forceinline__ int longnet_simd_lanes() {
    unsigned int id = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
    return (int) min(32u, blockDim.x * blockDim.y * blockDim.z - (id & ~31u));
}
__device__ __forceinline__ unsigned int longnet_simd_mask(int n) { return n == 32 ? 0xFFFFFFFFu : (1u << n) - 1u; }
// Lane 0's sum after the shuffle-down tree (lane j adds lane j + d for d = 16, 8, 4, 2, 1), given to every lane.
__device__ __forceinline__ float longnet_simd_sum(float v) {
    int lane = longnet_simd_lane(), n = longnet_simd_lanes();
    unsigned int mask = longnet_simd_mask(n);
    for (int d = 16; d > 0; d >>= 1) {
        float other = __shfl_down_sync(mask, v, d);
        if (lane + d < n) {
            v += other;
        }
    }
    return __shfl_sync(mask, v, 0);
}
__device__ __forceinline__ float longnet_simd_shuffle_down(float v, int delta) {
    int lane = longnet_simd_lane(), n = longnet_simd_lanes();
    float other = __shfl_down_sync(longnet_simd_mask(n), v, (unsigned int) delta & 31u);
    return delta >= 0 && delta < n - lane ? other : v;
}
__device__ __forceinline__ float longnet_simd_broadcast_first(float v) {
    return __shfl_sync(longnet_simd_mask(longnet_simd_lanes()), v, 0);
}
