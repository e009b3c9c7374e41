// The CUDA C++ runtime of the LongNet kernel translator, for NVRTC and nvcc. The translator puts this file (with
// the generated longnet_wgmma.cuh in place of its #include) at the top of every generated .cu file, so that file
// needs no include path. Each longnet_ function implements an intrinsic (Intrinsics.java names them) with the
// semantics of its Java method. GeneratedCudaCompilesTest compiles this file alone with nvcc for sm_90 and
// sm_90a, RuntimeBuildsTest with NVRTC on every CUDA device.
// The work-group's local arrays, laid out by the translator and sized at launch. 1,024-byte aligned: the translator
// places a Tma tile at a multiple of 1,024 bytes from here, and the copy engine needs the tile's own address aligned to
// 128 bytes, and to 1,024 for a 128-byte swizzle, whose chunk permutation it takes from the address's bits 7 to 9.
extern __shared__ __align__(1024) unsigned char longnet_local[];
#define LONGNET_VFN __device__ __forceinline__
// The shared-memory (state space) address of p, a pointer into the local arrays. Through the compiler's own conversion rather
// than an asm cvta: it sees that a local array's address is longnet_local's plus a constant, so the address of a tile or a
// barrier is computed once, in the uniform registers a warp shares, instead of converted again at every use.
__device__ __forceinline__ unsigned int longnet_shared_address(const void* p) {
    return (unsigned int) __cvta_generic_to_shared(p);
}
#define LONGNET_GLOBAL
#define LONGNET_LOCAL
#define LONGNET_LONG long long
#include "longnet_vectors.h"
#define LONGNET_EXACT_FLOATS
#define LONGNET_ROUNDED_SUM(x, y) __fadd_rn(x, y)
#include "longnet_simdmat.h"
#include "longnet_simd.cuh"
#include "longnet_cluster.cuh"
// KernelMath.abs of int and long: MIN_VALUE stays MIN_VALUE, as in Java (negated in the unsigned type, where it wraps).
// KernelMath.signum: Java's, which keeps -0 and NaN.
__device__ __forceinline__ float longnet_signum(float x) { return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x; }
__device__ __forceinline__ double longnet_signum_double(double x) { return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; }
__device__ __forceinline__ int longnet_abs_int(int x) { return x < 0 ? (int) (0u - (unsigned int) x) : x; }
__device__ __forceinline__ long long longnet_abs_long(long long x) { return x < 0 ? (long long) (0ull - (unsigned long long) x) : x; }
// Java's (int) of a double and (long) of a float or double: round toward zero, saturate, and NaN to 0. These
// conversion instructions saturate but turn NaN into the most negative value, so NaN is taken out first (float to int
// already gives 0).
__device__ __forceinline__ int longnet_d2i(double x) { return x != x ? 0 : __double2int_rz(x); }
__device__ __forceinline__ long long longnet_f2ll(float x) { return x != x ? 0LL : __float2ll_rz(x); }
__device__ __forceinline__ long long longnet_d2ll(double x) { return x != x ? 0LL : __double2ll_rz(x); }
__device__ __forceinline__ float longnet_bf2f(unsigned short b) { return __int_as_float(((unsigned int) b) << 16); }
// Rounded to nearest even; NaN to a quiet NaN (0x7FC0 here as in Java, 0x7FFF from the instruction of sm_80 on, which
// takes one instruction where the integer rounding takes six: the passes that write bf16 are bound by their arithmetic).
__device__ __forceinline__ unsigned short longnet_f2bf(float f) {
#if __CUDA_ARCH__ >= 800
    unsigned short h; asm("cvt.rn.bf16.f32 %0, %1;" : "=h"(h) : "f"(f)); return h;
#else
    if (f != f) return (unsigned short) 0x7FC0;
    unsigned int u = __float_as_uint(f);
    u += 0x7FFFu + ((u >> 16) & 1u);
    return (unsigned short) (u >> 16);
#endif
}
__device__ __forceinline__ float longnet_h2f(unsigned short h) {
    float f; asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h)); return f;
}
__device__ __forceinline__ unsigned short longnet_f2h(float f) {
    unsigned short h; asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f)); return h;
}
// BFloat16Array.setPair: one 4-byte store.
__device__ __forceinline__ void longnet_set_pair_bf16(unsigned short* p, float first, float second) {
#if __CUDA_ARCH__ >= 800
    unsigned int u; asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(u) : "f"(second), "f"(first)); *(unsigned int*) p = u;
#else
    *(unsigned int*) p = (unsigned int) longnet_f2bf(first) | (unsigned int) longnet_f2bf(second) << 16;
#endif
}
// FloatArray.setPair and scaleAddPair: one 8-byte store (and load).
__device__ __forceinline__ void longnet_set_pair(float* p, float first, float second) {
    *(float2*) p = make_float2(first, second);
}
__device__ __forceinline__ void longnet_scale_add_pair(float* p, float scale, float first, float second) {
    float2 v = *(float2*) p;
    *(float2*) p = make_float2(v.x * scale + first, v.y * scale + second);
}
// TornadoVM's HalfFloat (HalfFloats.java): a float holding an fp16 value, rounded to nearest even by cvt.rn.
__device__ __forceinline__ unsigned short longnet_half_bits(float f) { return longnet_f2h(f); }
__device__ __forceinline__ float longnet_half_from_bits(short bits) { return longnet_h2f((unsigned short) bits); }
__device__ __forceinline__ float longnet_half_round(float f) { return longnet_h2f(longnet_f2h(f)); }
// An fp16 word of global memory as a kernel's HalfFloat, and back (rounded to nearest even).
__device__ __forceinline__ float longnet_half_load(const unsigned short* p, long long i) { return longnet_h2f(p[i]); }
__device__ __forceinline__ void longnet_half_store(unsigned short* p, long long i, float v) { p[i] = longnet_f2h(v); }
#define LONGNET_HALF_STORAGE unsigned short
#include "longnet_half_vectors.h"
// TornadoMath.max and min of two HalfFloats: TornadoVM's order, by the bits read as signed shorts.
__device__ __forceinline__ float longnet_half_max(float a, float b) { return (short) longnet_f2h(a) > (short) longnet_f2h(b) ? a : b; }
__device__ __forceinline__ float longnet_half_min(float a, float b) { return (short) longnet_f2h(a) > (short) longnet_f2h(b) ? b : a; }
// KernelContext's swizzled local tiles (Swizzles.java): the byte offset with bits [flip, flip + 3) flipped by its line.
__device__ __forceinline__ int longnet_swizzle(int byteOffset, int lineShift, int flipShift) {
    return byteOffset ^ (((byteOffset >> lineShift) & 7) << flipShift);
}
#include "longnet_mma.cuh"
// FloatArray.atomicAdd: a reduction in L2 when the result is unused, as here.
__device__ __forceinline__ void longnet_atomic_add(float* p, float v) { atomicAdd(p, v); }
// AtomicInteger's incrementAndGet and decrementAndGet (AtomicIntegers.java): the value after the add, wrapping as Java's int.
__device__ __forceinline__ int longnet_add_and_get(int* p, int v) { return (int) ((unsigned) atomicAdd(p, v) + (unsigned) v); }
// FloatArray.atomicAddPair: one 8-byte reduction on sm_90 and later.
__device__ __forceinline__ void longnet_atomic_add_pair(float* p, float first, float second) {
#if __CUDA_ARCH__ >= 900
    asm volatile("red.global.add.v2.f32 [%0], {%1, %2};" :: "l"(p), "f"(first), "f"(second) : "memory");
#else
    atomicAdd(p, first);
    atomicAdd(p + 1, second);
#endif
}
// @Reduce: a work-item's part joins the element, by compare-and-swap on its bits (Reductions.java).
#define LONGNET_REDUCE(T, NAME, CT, BITS, TO_BITS, FROM_BITS, COMBINE) \
__device__ __forceinline__ void longnet_reduce_##NAME##_##T(CT* p, CT v) { \
    BITS* bits = (BITS*) p; \
    BITS seen = *bits, expected; \
    do { \
        expected = seen; \
        CT old = FROM_BITS(expected); \
        seen = atomicCAS(bits, expected, TO_BITS((CT) (COMBINE))); \
    } while (seen != expected); \
}
#define LONGNET_REDUCTIONS(T, CT, BITS, TO_BITS, FROM_BITS, MAX, MIN) \
    LONGNET_REDUCE(T, add, CT, BITS, TO_BITS, FROM_BITS, old + v) \
    LONGNET_REDUCE(T, mul, CT, BITS, TO_BITS, FROM_BITS, old * v) \
    LONGNET_REDUCE(T, max, CT, BITS, TO_BITS, FROM_BITS, MAX(old, v)) \
    LONGNET_REDUCE(T, min, CT, BITS, TO_BITS, FROM_BITS, MIN(old, v))
#define LONGNET_SAME(x) (x)
#define LONGNET_LL_BITS(x) ((unsigned long long) (x))
#define LONGNET_LL_FROM(x) ((long long) (x))
#define LONGNET_D_BITS(x) ((unsigned long long) __double_as_longlong(x))
#define LONGNET_D_FROM(x) __longlong_as_double((long long) (x))
LONGNET_REDUCTIONS(float, float, int, __float_as_int, __int_as_float, fmaxf, fminf)
LONGNET_REDUCTIONS(int, int, int, LONGNET_SAME, LONGNET_SAME, max, min)
LONGNET_REDUCTIONS(double, double, unsigned long long, LONGNET_D_BITS, LONGNET_D_FROM, fmax, fmin)
LONGNET_REDUCTIONS(long, long long, unsigned long long, LONGNET_LL_BITS, LONGNET_LL_FROM, llmax, llmin)
// KernelMath.exp2 as the hardware's approximation (relative error about 2^-22; results under 2^-126 are 0).
__device__ __forceinline__ float longnet_exp2(float x) { float y; asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x)); return y; }
// Two floats rounded to bf16 (nearest even, as longnet_f2bf) in one instruction, lo in the low half.
__device__ __forceinline__ unsigned int longnet_bf16x2(float lo, float hi) {
    unsigned int u; asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(u) : "f"(hi), "f"(lo)); return u;
}
// KernelContext.mmaBf16 on tensor cores: C (16x8) += A (16x16) B (16x8), B[k][n] = b[k * bk + n * bn],
// fragments as PTX lays them out. The strides are constants at every call, so the compiler folds them.
__device__ __forceinline__ void longnet_mma_bf16(const float* a, int lda, const float* b, int bk, int bn, float* acc) {
    int lane = threadIdx.x & 31;
    int g = lane >> 2, t = lane & 3;
    unsigned int a0 = longnet_bf16x2(a[g * lda + 2 * t], a[g * lda + 2 * t + 1]);
    unsigned int a1 = longnet_bf16x2(a[(g + 8) * lda + 2 * t], a[(g + 8) * lda + 2 * t + 1]);
    unsigned int a2 = longnet_bf16x2(a[g * lda + 2 * t + 8], a[g * lda + 2 * t + 9]);
    unsigned int a3 = longnet_bf16x2(a[(g + 8) * lda + 2 * t + 8], a[(g + 8) * lda + 2 * t + 9]);
    unsigned int b0 = longnet_bf16x2(b[(2 * t) * bk + g * bn], b[(2 * t + 1) * bk + g * bn]);
    unsigned int b1 = longnet_bf16x2(b[(2 * t + 8) * bk + g * bn], b[(2 * t + 9) * bk + g * bn]);
    asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
        : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])
        : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
}
// KernelContext.mmaBf16Registers: both operands in registers, one tensor-core instruction.
__device__ __forceinline__ void longnet_mma_bf16_registers(int a0, int a1, int a2, int a3, int b0, int b1, float* acc) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
        : "+f"(acc[0]), "+f"(acc[1]), "+f"(acc[2]), "+f"(acc[3])
        : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
}
// KernelContext.mmaBf16PackedA: A from the caller's registers (FlashAttention-2's P), B^T packed in shared memory.
__device__ __forceinline__ void longnet_mma_bf16_packed_a(int a0, int a1, int a2, int a3, const int* b, int ldb, float* acc) {
    int lane = threadIdx.x & 31;
    int g = lane >> 2, t = lane & 3;
    longnet_mma_bf16_registers(a0, a1, a2, a3, b[g * ldb + t], b[g * ldb + t + 4], acc);
}
// KernelContext.mmaBf16Packed: tiles of bf16 pairs along k (B transposed), one 32-bit read per register.
__device__ __forceinline__ void longnet_mma_bf16_packed(const int* a, int lda, const int* b, int ldb, float* acc) {
    int lane = threadIdx.x & 31;
    int g = lane >> 2, t = lane & 3;
    longnet_mma_bf16_packed_a(a[g * lda + t], a[(g + 8) * lda + t], a[g * lda + t + 4], a[(g + 8) * lda + t + 4], b, ldb, acc);
}
// KernelContext.loadBFragments: lane l gives the address of row l of the 32 x 8 tile; .trans hands each
// work-item B[2t, 2t+1][g] of each block of 8 rows. volatile, as CUTLASS has it: the asm reads shared
// memory the compiler does not see, so it must not move across the barriers around it or out of a loop.
__device__ __forceinline__ void longnet_load_b_fragments(const int* tile, int ld, int* regs) {
    unsigned int r0, r1, r2, r3, at = longnet_shared_address(tile + (threadIdx.x & 31) * ld);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];"
        : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3) : "r"(at));
    regs[0] = (int) r0; regs[1] = (int) r1; regs[2] = (int) r2; regs[3] = (int) r3;
}
// KernelContext.chunkLayoutIndex.
__device__ __forceinline__ int longnet_chunk(int row, int pair) { return (row >> 3) * 256 + (pair >> 2) * 32 + (row & 7) * 4 + (pair & 3); }
// WarpgroupMma.swizzledIndex: 128-byte rows, chunk c of row r at chunk c ^ (r % 8) (the 128-byte swizzle of TMA and wgmma).
__device__ __forceinline__ int longnet_swizzled(int row, int pair) { return row * 32 + ((pair >> 2) ^ (row & 7)) * 4 + (pair & 3); }
__device__ __forceinline__ int longnet_tile_pair(int row, int pair, bool swizzled) {
    return swizzled ? longnet_swizzled(row, pair) : longnet_chunk(row, pair);
}
struct __align__(16) longnet_int4 { int x, y, z, w; };
// KernelContext.loadChunk: one 16-byte load and store.
__device__ __forceinline__ void longnet_load_chunk(const unsigned short* src, int* tile, bool present) {
    longnet_int4 v = {0, 0, 0, 0};
    if (present) v = *(const longnet_int4*) src;
    *(longnet_int4*) tile = v;
}
// KernelContext.loadChunkAsync and waitChunks: cp.async (sm_80 on), 16 bytes or, when absent, 16 zeros (source size
// 0 reads nothing); the copies land in local memory through the generic proxy, so the barrier below fences them too.
__device__ __forceinline__ void longnet_load_chunk_async(const unsigned short* src, int* tile, bool present) {
#if __CUDA_ARCH__ >= 800
    unsigned int at = longnet_shared_address(tile);
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" :: "r"(at), "l"(src), "r"(present ? 16 : 0) : "memory");
#else
    longnet_load_chunk(src, tile, present);
#endif
}
__device__ __forceinline__ void longnet_wait_chunks() {
#if __CUDA_ARCH__ >= 800
    asm volatile("cp.async.wait_all;" ::: "memory");
#endif
}
// KernelContext.commitChunks and waitChunks(batches): cp.async's groups.
__device__ __forceinline__ void longnet_commit_chunks() {
#if __CUDA_ARCH__ >= 800
    asm volatile("cp.async.commit_group;" ::: "memory");
#endif
}
template <int batches> __device__ __forceinline__ void longnet_wait_chunk_batches() {
#if __CUDA_ARCH__ >= 800
    asm volatile("cp.async.wait_group %0;" :: "n"(batches) : "memory");
#endif
}
// The barrier of kernels with warpgroup products. wgmma reads local memory through the async proxy, so on
// sm_90a each work-item's earlier stores are fenced for it before the barrier publishes them.
__device__ __forceinline__ void longnet_barrier_for_matrix_units() {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
#endif
    __syncthreads();
}
// The warpgroup products on Hopper (sm_90a, which NVRTC targets on the H200: see CudaDevice). Each product is
// one asm block: fence, the wgmma.mma_async steps along k, commit and wait, so to the compiler it is a single
// instruction that reads and writes the accumulators and nothing can slip in while the tensor cores work.
// Tiles are in chunk layout (KernelContext.chunkLayoutIndex): 8x8 core matrices of 128 bytes, 128 bytes apart
// along the channels and 1,024 bytes apart along the rows, no swizzle. Read with rows as m or n (K-major), the
// leading byte offset (between core matrices along k) is 128 and the stride byte offset 1,024; with rows as k
// (MN-major, P·V) the two swap. Elsewhere (#else) the same products as mma.sync.
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
// A wgmma matrix descriptor (no swizzle): the tile's shared-memory address, then the byte offsets between core
// matrices along k (lbo) and along m or n (sbo), each in units of 16 bytes.
__device__ __forceinline__ unsigned long long longnet_wgmma_desc(const int* tile, unsigned int lbo, unsigned int sbo) {
    unsigned int at = longnet_shared_address(tile);
    return (unsigned long long) ((at & 0x3FFFF) >> 4) | (unsigned long long) (lbo >> 4) << 16 | (unsigned long long) (sbo >> 4) << 32;
}
// The descriptor of the tile `units` x 16 bytes further on: the start address is the low word's low 14 bits, which a tile's
// k-steps never carry out of (a tile lies within the 228 KB of local memory), so a 32-bit add on the low word alone.
__device__ __forceinline__ unsigned long long longnet_desc_step(unsigned long long d, unsigned int units) {
    return (unsigned long long) ((unsigned int) d + units) | (d & 0xFFFFFFFF00000000ull);
}
// A descriptor of a tile in swizzled layout (WarpgroupMma.swizzledIndex): 128-byte rows under the 128-byte swizzle (layout
// type 1 in bits 62-63), 1,024 bytes between groups of 8 rows (sbo). The leading offset is unused there (1): read K-major a
// row's 64 channels are the whole k of four steps, read N-major (rows as k) they are the whole n. The tile starts on 1,024
// bytes, so the base offset (bits 49-51) is 0. A k-step adds 32 bytes (16 channels) K-major, 2,048 (16 rows) N-major.
__device__ __forceinline__ unsigned long long longnet_wgmma_desc_swizzled(const int* tile) {
    return longnet_wgmma_desc(tile, 16, 1024) | 1ull << 62;
}
#include "longnet_wgmma.cuh"
// WarpgroupMma.wait: at most `pending` of this warpgroup's committed groups still running. The empty asm with each
// accumulator as an in-out operand comes after the wait, so the compiler cannot read an element before the wait
// (CUTLASS's warpgroup_fence_operand); the array reference keeps the count of elements the kernel's own.
template <int pending, int N> __device__ __forceinline__ void longnet_mma_warpgroup_wait(float (&d)[N]) {
    asm volatile("wgmma.wait_group.sync.aligned %0;" :: "n"(pending) : "memory");
#pragma unroll
    for (int i = 0; i < N; i++) {
        asm volatile("" : "+f"(d[i]) :: "memory");
    }
}
#else
__device__ __forceinline__ void longnet_mma_warpgroup_laid(const int* a, int aRow, const int* b, int bRow, int n, float* d, bool accumulate,
                                                           bool swizzled) {
    int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3, top = aRow + 16 * ((threadIdx.x >> 5) & 3) + g;
    if (!accumulate) {
        for (int i = 0; i < n / 2; i++) d[i] = 0.0f;
    }
    for (int kk = 0; kk < 4; kk++) {
        int p = kk * 8 + t;
        int a0 = a[longnet_tile_pair(top, p, swizzled)], a1 = a[longnet_tile_pair(top + 8, p, swizzled)];
        int a2 = a[longnet_tile_pair(top, p + 4, swizzled)], a3 = a[longnet_tile_pair(top + 8, p + 4, swizzled)];
        for (int i = 0; i < n / 8; i++) {
            int col = bRow + 8 * i + g;
            longnet_mma_bf16_registers(a0, a1, a2, a3, b[longnet_tile_pair(col, p, swizzled)], b[longnet_tile_pair(col, p + 4, swizzled)], d + 4 * i);
        }
    }
}
__device__ __forceinline__ void longnet_mma_warpgroup(const int* a, int aRow, const int* b, int bRow, int n, float* d, bool accumulate) {
    longnet_mma_warpgroup_laid(a, aRow, b, bRow, n, d, accumulate, false);
}
__device__ __forceinline__ void longnet_mma_warpgroup_registers_laid(const int* a, const int* b, int bRow, float* d, bool swizzled) {
    int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
    unsigned int select = (g & 1) ? 0x7632u : 0x5410u; // the high or low halves of two rows' pairs
    for (int i = 0; i < 8; i++) {
        for (int s = 0; s < 2; s++) {
            int k = bRow + 16 * s + 2 * t, pair = 4 * i + (g >> 1);
            int b0 = (int) __byte_perm(b[longnet_tile_pair(k, pair, swizzled)], b[longnet_tile_pair(k + 1, pair, swizzled)], select);
            int b1 = (int) __byte_perm(b[longnet_tile_pair(k + 8, pair, swizzled)], b[longnet_tile_pair(k + 9, pair, swizzled)], select);
            longnet_mma_bf16_registers(a[4 * s], a[4 * s + 1], a[4 * s + 2], a[4 * s + 3], b0, b1, d + 4 * i);
        }
    }
}
__device__ __forceinline__ void longnet_mma_warpgroup_registers(int* exchange, const int* a, const int* b, int bRow, float* d) {
    longnet_mma_warpgroup_registers_laid(a, b, bRow, d, false);
}
__device__ __forceinline__ void longnet_mma_warpgroup_transposed_laid(const int* a, int aRow, const int* b, int bRow, int bChannel, int n,
                                                                      float* d, bool accumulate, bool swizzled) {
    int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3, m = 16 * ((threadIdx.x >> 5) & 3) + g;
    unsigned int select = (g & 1) ? 0x7632u : 0x5410u; // C's row m and B's column g have g's parity
    if (!accumulate) {
        for (int i = 0; i < n / 2; i++) d[i] = 0.0f;
    }
    for (int kk = 0; kk < 4; kk++) {
        int ka = aRow + 16 * kk + 2 * t, kb = bRow + 16 * kk + 2 * t;
        int a0 = (int) __byte_perm(a[longnet_chunk(ka, m >> 1)], a[longnet_chunk(ka + 1, m >> 1)], select);
        int a1 = (int) __byte_perm(a[longnet_chunk(ka, (m >> 1) + 4)], a[longnet_chunk(ka + 1, (m >> 1) + 4)], select);
        int a2 = (int) __byte_perm(a[longnet_chunk(ka + 8, m >> 1)], a[longnet_chunk(ka + 9, m >> 1)], select);
        int a3 = (int) __byte_perm(a[longnet_chunk(ka + 8, (m >> 1) + 4)], a[longnet_chunk(ka + 9, (m >> 1) + 4)], select);
        for (int i = 0; i < n / 8; i++) {
            int pair = (bChannel >> 1) + 4 * i + (g >> 1);
            int b0 = (int) __byte_perm(b[longnet_tile_pair(kb, pair, swizzled)], b[longnet_tile_pair(kb + 1, pair, swizzled)], select);
            int b1 = (int) __byte_perm(b[longnet_tile_pair(kb + 8, pair, swizzled)], b[longnet_tile_pair(kb + 9, pair, swizzled)], select);
            longnet_mma_bf16_registers(a0, a1, a2, a3, b0, b1, d + 4 * i);
        }
    }
}
__device__ __forceinline__ void longnet_mma_warpgroup_transposed_a(const int* a, int aRow, const int* b, int bRow, int bChannel, int n,
                                                                   float* d, bool accumulate) {
    longnet_mma_warpgroup_transposed_laid(a, aRow, b, bRow, bChannel, n, d, accumulate, false);
}
__device__ __forceinline__ void longnet_mma_warpgroup_pair(const int* a1, int aRow1, const int* b1, int bRow1, float* d,
                                                           const int* a2, int aRow2, const int* b2, int bRow2, float* e, int n,
                                                           bool accumulate) {
    longnet_mma_warpgroup(a1, aRow1, b1, bRow1, n, d, accumulate);
    longnet_mma_warpgroup(a2, aRow2, b2, bRow2, n, e, accumulate);
}
__device__ __forceinline__ void longnet_mma_warpgroup_registers_pair(int* exchange, const int* a, const int* b1, int bRow1, float* d,
                                                                     const int* f, const int* b2, int bRow2, float* e) {
    longnet_mma_warpgroup_registers(exchange, a, b1, bRow1, d);
    longnet_mma_warpgroup_registers(exchange, f, b2, bRow2, e);
}
// WarpgroupMma without wgmma: the product at issue, and nothing to wait for.
__device__ __forceinline__ void longnet_mma_warpgroup_issue(const int* a, int aRow, const int* b, int bRow, int n, float* d, bool accumulate) {
    longnet_mma_warpgroup(a, aRow, b, bRow, n, d, accumulate);
}
__device__ __forceinline__ void longnet_mma_warpgroup_registers_issue(const int* a, const int* b, int bRow, float* d) {
    longnet_mma_warpgroup_registers(nullptr, a, b, bRow, d);
}
__device__ __forceinline__ void longnet_mma_warpgroup_swizzled_issue(const int* a, int aRow, const int* b, int bRow, int n, float* d,
                                                                     bool accumulate) {
    longnet_mma_warpgroup_laid(a, aRow, b, bRow, n, d, accumulate, true);
}
__device__ __forceinline__ void longnet_mma_warpgroup_registers_swizzled_issue(const int* a, const int* b, int bRow, float* d) {
    longnet_mma_warpgroup_registers_laid(a, b, bRow, d, true);
}
__device__ __forceinline__ void longnet_mma_warpgroup_swizzled_from_registers_issue(const int* a, const int* b, int bRow, int n, float* d,
                                                                                    bool accumulate) {
    int g = (threadIdx.x & 31) >> 2, t = threadIdx.x & 3;
    if (!accumulate) {
        for (int i = 0; i < n / 2; i++) d[i] = 0.0f;
    }
    for (int kk = 0; kk < 4; kk++) {
        for (int i = 0; i < n / 8; i++) {
            int col = bRow + 8 * i + g;
            longnet_mma_bf16_registers(a[4 * kk], a[4 * kk + 1], a[4 * kk + 2], a[4 * kk + 3], b[longnet_swizzled(col, kk * 8 + t)],
                                       b[longnet_swizzled(col, kk * 8 + 4 + t)], d + 4 * i);
        }
    }
}
__device__ __forceinline__ void longnet_mma_warpgroup_transposed_swizzled_issue(const int* a, int aRow, const int* b, int bRow, int bChannel,
                                                                                int n, float* d, bool accumulate) {
    longnet_mma_warpgroup_transposed_laid(a, aRow, b, bRow, bChannel, n, d, accumulate, true);
}
template <int pending, int N> __device__ __forceinline__ void longnet_mma_warpgroup_wait(float (&d)[N]) {
}
#endif
// Mbarriers, tensor maps and Tma copies (sm_90).
#include "longnet_tma.cuh"
