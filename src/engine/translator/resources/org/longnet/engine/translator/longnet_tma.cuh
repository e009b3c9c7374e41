// Hopper's mbarriers and tensor-memory-accelerator copies (the Java classes Mbarriers, Tma and TensorMap say what each
// function means), included by longnet_runtime.cuh. A barrier is one 8-byte word of a long local array; a tensor map
// is the driver's 128-byte CUtensorMap (cuTensorMapEncodeTiled), a const __grid_constant__ kernel parameter, so its
// generic address is valid for cp.async.bulk.tensor. The calls that every work-item of the group makes together
// (init, load, store, waitStores) issue from the group's first work-item alone. Before sm_90 there is no such
// hardware, and the launch refuses tensor maps there; a call traps.
struct __align__(64) longnet_tensor_map {
    unsigned long long opaque[16];
};
__device__ __forceinline__ bool longnet_first_item() {
    return (threadIdx.x | threadIdx.y | threadIdx.z) == 0;
}
#if __CUDA_ARCH__ >= 900
// The barrier's initialisation is made visible to the copy engine (the async proxy) before the group goes on.
__device__ __forceinline__ void longnet_mbarrier_init(long long* barriers, int index, int arrivals) {
    if (longnet_first_item()) {
        asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" :: "r"(longnet_shared_address(barriers + index)), "r"(arrivals) : "memory");
        asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
        asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    }
    __syncthreads();
}
__device__ __forceinline__ void longnet_mbarrier_arrive(long long* barriers, int index) {
    asm volatile("{ .reg .b64 state; mbarrier.arrive.shared::cta.b64 state, [%0]; }"
        :: "r"(longnet_shared_address(barriers + index)) : "memory");
}
__device__ __forceinline__ void longnet_mbarrier_arrive_expect_tx(long long* barriers, int index, int bytes) {
    asm volatile("{ .reg .b64 state; mbarrier.arrive.expect_tx.shared::cta.b64 state, [%0], %1; }"
        :: "r"(longnet_shared_address(barriers + index)), "r"(bytes) : "memory");
}
// try_wait may give up after a time the hardware chooses; the loop tries again until the phase has completed.
__device__ __forceinline__ void longnet_mbarrier_wait(long long* barriers, int index, int parity) {
    unsigned int at = longnet_shared_address(barriers + index), done;
    do {
        asm volatile("{ .reg .pred p; mbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2; selp.u32 %0, 1, 0, p; }"
            : "=r"(done) : "r"(at), "r"(parity & 1) : "memory");
    } while (!done);
}
// Only the copies' issuer waits; its warp reconverges before the warpgroup products that may follow.
__device__ __forceinline__ void longnet_mbarrier_wait_before_copy(long long* barriers, int index, int parity) {
    if (longnet_first_item()) {
        longnet_mbarrier_wait(barriers, index, parity);
    }
    __syncwarp();
}
// TMA writes local memory at 128-byte aligned addresses only; a tile elsewhere stops the kernel (the JVM names the offset).
// No message here: printf is a function call, and ptxas serializes every warpgroup product in flight across a call, so a
// message would cost the kernels that overlap products with their copies their overlap.
__device__ __forceinline__ unsigned int longnet_tma_tile_address(const void* tile) {
    unsigned int at = longnet_shared_address(tile);
    if (at & 127u) {
        __trap();
    }
    return at;
}
// One box from (row, column) of the map into the tile; its bytes complete on the barrier's current phase.
__device__ __forceinline__ void longnet_tma_load_2d(const longnet_tensor_map* map, void* tile, int row, int column, long long* barriers,
        int index) {
    if (longnet_first_item()) {
        asm volatile("cp.async.bulk.tensor.2d.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3}], [%4];"
            :: "r"(longnet_tma_tile_address(tile)), "l"(map), "r"(column), "r"(row), "r"(longnet_shared_address(barriers + index))
            : "memory");
    }
}
// The same from (d3, d2, d1, d0) of a four-dimensional map; the instruction takes its coordinates innermost first.
__device__ __forceinline__ void longnet_tma_load_4d(const longnet_tensor_map* map, void* tile, int d3, int d2, int d1, int d0,
        long long* barriers, int index) {
    if (longnet_first_item()) {
        asm volatile("cp.async.bulk.tensor.4d.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5}], [%6];"
            :: "r"(longnet_tma_tile_address(tile)), "l"(map), "r"(d0), "r"(d1), "r"(d2), "r"(d3),
               "r"(longnet_shared_address(barriers + index))
            : "memory");
    }
}
__device__ __forceinline__ void longnet_tma_load_5d(const longnet_tensor_map* map, void* tile, int d4, int d3, int d2, int d1, int d0,
        long long* barriers, int index) {
    if (longnet_first_item()) {
        asm volatile("cp.async.bulk.tensor.5d.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1, {%2, %3, %4, %5, %6}], [%7];"
            :: "r"(longnet_tma_tile_address(tile)), "l"(map), "r"(d0), "r"(d1), "r"(d2), "r"(d3), "r"(d4),
               "r"(longnet_shared_address(barriers + index))
            : "memory");
    }
}
// The group's stores to the tile are fenced for the copy engine and published by the barrier before the copy reads it.
__device__ __forceinline__ void longnet_tma_store_2d(const longnet_tensor_map* map, const void* tile, int row, int column) {
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    __syncthreads();
    if (longnet_first_item()) {
        asm volatile("cp.async.bulk.tensor.2d.global.shared::cta.bulk_group [%0, {%1, %2}], [%3];"
            :: "l"(map), "r"(column), "r"(row), "r"(longnet_tma_tile_address(tile)) : "memory");
        asm volatile("cp.async.bulk.commit_group;" ::: "memory");
    }
}
__device__ __forceinline__ void longnet_tma_store_4d(const longnet_tensor_map* map, const void* tile, int d3, int d2, int d1, int d0) {
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    __syncthreads();
    if (longnet_first_item()) {
        asm volatile("cp.async.bulk.tensor.4d.global.shared::cta.bulk_group [%0, {%1, %2, %3, %4}], [%5];"
            :: "l"(map), "r"(d0), "r"(d1), "r"(d2), "r"(d3), "r"(longnet_tma_tile_address(tile)) : "memory");
        asm volatile("cp.async.bulk.commit_group;" ::: "memory");
    }
}
__device__ __forceinline__ void longnet_tma_store_5d(const longnet_tensor_map* map, const void* tile, int d4, int d3, int d2, int d1,
        int d0) {
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    __syncthreads();
    if (longnet_first_item()) {
        asm volatile("cp.async.bulk.tensor.5d.global.shared::cta.bulk_group [%0, {%1, %2, %3, %4, %5}], [%6];"
            :: "l"(map), "r"(d0), "r"(d1), "r"(d2), "r"(d3), "r"(d4), "r"(longnet_tma_tile_address(tile)) : "memory");
        asm volatile("cp.async.bulk.commit_group;" ::: "memory");
    }
}
// The stores have written global memory and read their tiles, which the group may then write again.
__device__ __forceinline__ void longnet_tma_wait_stores() {
    if (longnet_first_item()) {
        asm volatile("cp.async.bulk.wait_group 0;" ::: "memory");
    }
    __syncthreads();
}
#else
__device__ __forceinline__ void longnet_tma_unsupported() {
    printf("longnet: Mbarriers and Tma need sm_90 or later\n");
    __trap();
}
__device__ __forceinline__ void longnet_mbarrier_init(long long* barriers, int index, int arrivals) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_mbarrier_arrive(long long* barriers, int index) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_mbarrier_arrive_expect_tx(long long* barriers, int index, int bytes) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_mbarrier_wait(long long* barriers, int index, int parity) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_mbarrier_wait_before_copy(long long* barriers, int index, int parity) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_tma_load_2d(const longnet_tensor_map* map, void* tile, int row, int column, long long* barriers,
        int index) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_tma_store_2d(const longnet_tensor_map* map, const void* tile, int row, int column) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_tma_load_4d(const longnet_tensor_map* map, void* tile, int d3, int d2, int d1, int d0,
        long long* barriers, int index) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_tma_store_4d(const longnet_tensor_map* map, const void* tile, int d3, int d2, int d1, int d0) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_tma_load_5d(const longnet_tensor_map* map, void* tile, int d4, int d3, int d2, int d1, int d0,
        long long* barriers, int index) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_tma_store_5d(const longnet_tensor_map* map, const void* tile, int d4, int d3, int d2, int d1,
        int d0) {
    longnet_tma_unsupported();
}
__device__ __forceinline__ void longnet_tma_wait_stores() {
    longnet_tma_unsupported();
}
#endif
