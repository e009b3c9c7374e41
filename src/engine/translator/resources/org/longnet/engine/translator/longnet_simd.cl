// TornadoVM's SIMD-group operations on KernelContext (SimdGroups.java): a SIMD group is 32 work-items of consecutive
// linear local ids (x fastest, as CUDA forms warps); the last one of a work-group whose size is no multiple of 32 has
// fewer lanes, and only those take part. OpenCL C has no such groups of a known width here, so the lanes meet in
// the kernel's hidden local array longnet_simd_scratch between two barriers: every work-item of the work-group must
// call them together, as with a barrier. A work-group larger than the scratch takes turns of LONGNET_SIMD_SCRATCH items.
#define LONGNET_SIMD_WIDTH 32
#define LONGNET_SIMD_SCRATCH 1024
#define LONGNET_SIMD_SUM 0
#define LONGNET_SIMD_SHUFFLE_DOWN 1
#define LONGNET_SIMD_BROADCAST_FIRST 2
// Lane 0's sum after the shuffle-down tree (lane j adds lane j + d for d = 16, 8, 4, 2, 1), which CUDA computes too.
inline float longnet_simd_tree_sum(__local const float* lanes, int n) {
    float t[LONGNET_SIMD_WIDTH];
    for (int j = 0; j < n; j++) {
        t[j] = lanes[j];
    }
    for (int d = LONGNET_SIMD_WIDTH / 2; d > 0; d >>= 1) {
        for (int j = 0; j < d && j + d < n; j++) {
            t[j] += t[j + d];
        }
    }
    return t[0];
}
inline float longnet_simd(__local float* scratch, float v, int op, int delta) {
    int id = (int) (get_local_id(0) + get_local_size(0) * (get_local_id(1) + get_local_size(1) * get_local_id(2)));
    int size = (int) (get_local_size(0) * get_local_size(1) * get_local_size(2));
    int base = id & ~(LONGNET_SIMD_WIDTH - 1), lane = id - base;
    int n = min(LONGNET_SIMD_WIDTH, size - base);
    float result = v;
    for (int first = 0; first < size; first += LONGNET_SIMD_SCRATCH) {
        bool turn = id >= first && id < first + LONGNET_SIMD_SCRATCH;
        if (turn) {
            scratch[id - first] = v;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (turn) {
            __local const float* lanes = scratch + (base - first);
            if (op == LONGNET_SIMD_SUM) {
                result = longnet_simd_tree_sum(lanes, n);
            } else if (op == LONGNET_SIMD_BROADCAST_FIRST) {
                result = lanes[0];
            } else if (delta >= 0 && delta < n - lane) {
                result = lanes[lane + delta];
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return result;
}
inline float longnet_simd_sum(__local float* scratch, float v) { return longnet_simd(scratch, v, LONGNET_SIMD_SUM, 0); }
inline float longnet_simd_shuffle_down(__local float* scratch, float v, int delta) {
    return longnet_simd(scratch, v, LONGNET_SIMD_SHUFFLE_DOWN, delta);
}
inline float longnet_simd_broadcast_first(__local float* scratch, float v) {
    return longnet_simd(scratch, v, LONGNET_SIMD_BROADCAST_FIRST, 0);
}
