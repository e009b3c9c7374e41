// The OpenCL C runtime of the LongNet kernel translator (OpenCL C 1.2, which every driver we meet accepts).
// The translator puts this file at the top of every generated .cl file. Each longnet_ function implements an
// intrinsic (Intrinsics.java names them) with the semantics of its Java method: where a device has no matrix
// units or warp shuffles, the same results from plain loops and local memory. RuntimeBuildsTest builds this
// file alone on every OpenCL device.
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#define LONGNET_VFN inline
#define LONGNET_GLOBAL __global
#define LONGNET_LOCAL __local
#define LONGNET_LONG long
#include "longnet_vectors.h"
#define LONGNET_EXACT_FLOATS _Pragma("OPENCL FP_CONTRACT OFF")
#define LONGNET_ROUNDED_SUM(x, y) ((x) + (y))
#include "longnet_simdmat.h"
#include "longnet_simd.cl"
#include "longnet_cluster.cl"
// KernelMath.abs of int and long: MIN_VALUE stays MIN_VALUE, as in Java (negated in the unsigned type, where it wraps).
// KernelMath.signum: Java's, which keeps -0 and NaN (OpenCL's sign gives 0 for NaN).
inline float longnet_signum(float x) { return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x; }
inline double longnet_signum_double(double x) { return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : x; }
inline int longnet_abs_int(int x) { return x < 0 ? (int) (0u - (uint) x) : x; }
inline long longnet_abs_long(long x) { return x < 0 ? (long) (0ul - (ulong) x) : x; }
// Java's (int) of a double and (long) of a float or double. OpenCL's saturating conversions give 0 for NaN, but
// NVIDIA's give the most negative value (its conversion instructions' result), so NaN is taken out first.
inline int longnet_d2i(double x) { return isnan(x) ? 0 : convert_int_sat_rtz(x); }
inline long longnet_f2l(float x) { return isnan(x) ? 0L : convert_long_sat_rtz(x); }
inline long longnet_d2l(double x) { return isnan(x) ? 0L : convert_long_sat_rtz(x); }
inline float longnet_bf2f(ushort b) { return as_float(((uint) b) << 16); }
inline ushort longnet_f2bf(float f) {
    if (isnan(f)) return (ushort) 0x7FC0;
    uint u = as_uint(f);
    u += 0x7FFFu + ((u >> 16) & 1u);
    return (ushort) (u >> 16);
}
inline float longnet_bf16_round(float f) { return longnet_bf2f(longnet_f2bf(f)); }
// BFloat16Array.setPair: one 4-byte store.
inline void longnet_set_pair_bf16(__global ushort* p, float first, float second) {
    *(__global uint*) p = (uint) longnet_f2bf(first) | (uint) longnet_f2bf(second) << 16;
}
// FloatArray.setPair and scaleAddPair: one 8-byte store (and load).
inline void longnet_set_pair(__global float* p, float first, float second) {
    vstore2((float2) (first, second), 0, p);
}
inline void longnet_scale_add_pair(__global float* p, float scale, float first, float second) {
    float2 v = vload2(0, p);
    vstore2((float2) (v.x * scale + first, v.y * scale + second), 0, p);
}
// TornadoVM's HalfFloat (HalfFloats.java): a float holding an fp16 value. Conversions go through a private 16-bit word
// with vstore_half_rte and vload_half, which need no cl_khr_fp16.
inline ushort longnet_half_bits(float f) { ushort h; vstore_half_rte(f, 0, (__private half*) &h); return h; }
inline float longnet_half_from_bits(short bits) { ushort h = (ushort) bits; return vload_half(0, (__private const half*) &h); }
inline float longnet_half_round(float f) { return longnet_half_from_bits((short) longnet_half_bits(f)); }
// An fp16 word of global memory as a kernel's HalfFloat, and back (rounded to nearest even).
inline float longnet_half_load(__global const half* p, long i) { return vload_half(i, p); }
inline void longnet_half_store(__global half* p, long i, float v) { vstore_half_rte(v, i, p); }
#define LONGNET_HALF_STORAGE half
#include "longnet_half_vectors.h"
// TornadoMath.max and min of two HalfFloats: TornadoVM's order, by the bits read as signed shorts.
inline float longnet_half_max(float a, float b) { return (short) longnet_half_bits(a) > (short) longnet_half_bits(b) ? a : b; }
inline float longnet_half_min(float a, float b) { return (short) longnet_half_bits(a) > (short) longnet_half_bits(b) ? b : a; }
// KernelContext's swizzled local tiles (Swizzles.java): the byte offset with bits [flip, flip + 3) flipped by its line.
inline int longnet_swizzle(int byteOffset, int lineShift, int flipShift) {
    return byteOffset ^ (((byteOffset >> lineShift) & 7) << flipShift);
}
// FloatArray.atomicAdd: compare-and-swap on the float's bits until no other work-item came between.
inline void longnet_atomic_add(__global float* p, float v) {
    __global volatile int* bits = (__global volatile int*) p;
    int seen = *bits, expected;
    do {
        expected = seen;
        seen = atomic_cmpxchg(bits, expected, as_int(as_float(expected) + v));
    } while (seen != expected);
}
// AtomicInteger's incrementAndGet and decrementAndGet (AtomicIntegers.java): the value after the add, wrapping as Java's int.
inline int longnet_add_and_get(__global volatile int* p, int v) { return (int) ((uint) atomic_add(p, v) + (uint) v); }
inline void longnet_atomic_add_pair(__global float* p, float first, float second) {
    longnet_atomic_add(p, first);
    longnet_atomic_add(p + 1, second);
}
// @Reduce: a work-item's part joins the element, by compare-and-swap on its bits (Reductions.java).
#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable
#define LONGNET_REDUCE(T, BITS, CMPXCHG, OP, COMBINE) \
inline void longnet_reduce_##OP##_##T(__global T* p, T v) { \
    __global volatile BITS* bits = (__global volatile BITS*) p; \
    BITS seen = *bits, expected; \
    do { \
        expected = seen; \
        T old = as_##T(expected); \
        seen = CMPXCHG(bits, expected, as_##BITS((T) (COMBINE))); \
    } while (seen != expected); \
}
#define LONGNET_REDUCTIONS(T, BITS, CMPXCHG, MAX, MIN) \
    LONGNET_REDUCE(T, BITS, CMPXCHG, add, old + v) \
    LONGNET_REDUCE(T, BITS, CMPXCHG, mul, old * v) \
    LONGNET_REDUCE(T, BITS, CMPXCHG, max, MAX(old, v)) \
    LONGNET_REDUCE(T, BITS, CMPXCHG, min, MIN(old, v))
LONGNET_REDUCTIONS(float, int, atomic_cmpxchg, fmax, fmin)
LONGNET_REDUCTIONS(int, int, atomic_cmpxchg, max, min)
LONGNET_REDUCTIONS(double, long, atom_cmpxchg, fmax, fmin)
LONGNET_REDUCTIONS(long, long, atom_cmpxchg, max, min)
// KernelContext.mmaBf16 as plain loops: C (16x8) += A (16x16) B (16x8), B[k][n] = b[k * bk + n * bn], bf16-rounded inputs.
inline void longnet_mma_bf16(__local const float* a, int lda, __local const float* b, int bk, int bn, float* acc) {
    int lane = (int) (get_local_id(0) & 31);
    int g = lane >> 2, t = lane & 3;
    for (int i = 0; i < 4; i++) {
        int row = g + (i >= 2 ? 8 : 0), col = 2 * t + (i & 1);
        float sum = 0.0f;
        for (int k = 0; k < 16; k++) {
            sum += longnet_bf16_round(a[row * lda + k]) * longnet_bf16_round(b[k * bk + col * bn]);
        }
        acc[i] += sum;
    }
}
// KernelContext.mmaBf16Packed as plain loops: A and B^T hold bf16 pairs along k, the lower k in the low half.
inline float longnet_bf16_half(int pair, int k) { return longnet_bf2f((ushort) ((k & 1) ? ((uint) pair >> 16) : ((uint) pair & 0xFFFFu))); }
inline void longnet_mma_bf16_packed(__local const int* a, int lda, __local const int* b, int ldb, float* acc) {
    int lane = (int) (get_local_id(0) & 31);
    int g = lane >> 2, t = lane & 3;
    for (int i = 0; i < 4; i++) {
        int row = g + (i >= 2 ? 8 : 0), col = 2 * t + (i & 1);
        float sum = 0.0f;
        for (int k = 0; k < 16; k++) {
            sum += longnet_bf16_half(a[row * lda + k / 2], k) * longnet_bf16_half(b[col * ldb + k / 2], k);
        }
        acc[i] += sum;
    }
}
// KernelContext.mmaBf16Registers: the warp's A and B registers make its A tile and B^T tile (8 x 8 ints).
inline void longnet_mma_bf16_registers(__local int* x, int a0, int a1, int a2, int a3, int b0, int b1, float* acc) {
    int lid = (int) get_local_id(0), tile = (lid & ~31) * 6, lane = lid & 31;
    int top = tile + (lane >> 2) * 8 + (lane & 3);
    x[top] = a0; x[top + 64] = a1; x[top + 4] = a2; x[top + 68] = a3; x[top + 128] = b0; x[top + 132] = b1;
    barrier(CLK_LOCAL_MEM_FENCE);
    longnet_mma_bf16_packed(x + tile, 8, x + tile + 128, 8, acc);
    barrier(CLK_LOCAL_MEM_FENCE);
}
// KernelContext.mmaBf16PackedA: B from its packed tile, then as mmaBf16Registers.
inline void longnet_mma_bf16_packed_a(__local int* x, int a0, int a1, int a2, int a3, __local const int* b, int ldb, float* acc) {
    int lane = (int) (get_local_id(0) & 31), at = (lane >> 2) * ldb + (lane & 3);
    longnet_mma_bf16_registers(x, a0, a1, a2, a3, b[at], b[at + 4], acc);
}
// KernelContext.loadBFragments as plain reads: B[k][n] is half n & 1 of tile[k * ld + n / 2].
inline void longnet_load_b_fragments(__local const int* tile, int ld, int* regs) {
    int lane = (int) (get_local_id(0) & 31), g = lane >> 2, t = lane & 3;
    for (int i = 0; i < 4; i++) {
        int k = 8 * i + 2 * t;
        uint lo = (uint) tile[k * ld + g / 2], hi = (uint) tile[(k + 1) * ld + g / 2];
        lo = (g & 1) ? lo >> 16 : lo & 0xFFFFu;
        hi = (g & 1) ? hi >> 16 : hi & 0xFFFFu;
        regs[i] = (int) (lo | hi << 16);
    }
}
// KernelContext.chunkLayoutIndex, loadChunk and the warpgroup products as plain loops (KernelContext's Java is the same).
inline int longnet_chunk(int row, int pair) { return (row >> 3) * 256 + (pair >> 2) * 32 + (row & 7) * 4 + (pair & 3); }
inline void longnet_load_chunk(__global const ushort* src, __local int* tile, bool present) {
    for (int i = 0; i < 4; i++) {
        tile[i] = present ? ((__global const int*) src)[i] : 0;
    }
}
// KernelContext.loadChunkAsync and waitChunks: plain copies, nothing to wait for.
inline void longnet_load_chunk_async(__global const ushort* src, __local int* tile, bool present) { longnet_load_chunk(src, tile, present); }
inline void longnet_wait_chunks(void) {}
// WarpgroupMma.swizzledIndex: 128-byte rows, chunk c of row r at chunk c ^ (r % 8).
inline int longnet_swizzled(int row, int pair) { return row * 32 + ((pair >> 2) ^ (row & 7)) * 4 + (pair & 3); }
// The tiles' int for (row, pair) in chunk layout or, with swizzled, in WarpgroupMma's swizzled layout.
inline int longnet_tile_pair(int row, int pair, bool swizzled) { return swizzled ? longnet_swizzled(row, pair) : longnet_chunk(row, pair); }
inline void longnet_mma_warpgroup_laid(__local const int* a, int aRow, __local const int* b, int bRow, int n, float* acc, bool accumulate,
                                       bool swizzled) {
    int lid = (int) get_local_id(0), w = (lid >> 5) & 3, lane = lid & 31;
    for (int i = 0; i < n / 8 * 4; i++) {
        int row = aRow + 16 * w + (lane >> 2) + ((i & 2) ? 8 : 0), col = bRow + 8 * (i >> 2) + 2 * (lane & 3) + (i & 1);
        float sum = 0.0f;
        for (int k = 0; k < 64; k++) {
            sum += longnet_bf16_half(a[longnet_tile_pair(row, k >> 1, swizzled)], k) * longnet_bf16_half(b[longnet_tile_pair(col, k >> 1, swizzled)], k);
        }
        acc[i] = (accumulate ? acc[i] : 0.0f) + sum;
    }
}
inline void longnet_mma_warpgroup(__local const int* a, int aRow, __local const int* b, int bRow, int n, float* acc, bool accumulate) {
    longnet_mma_warpgroup_laid(a, aRow, b, bRow, n, acc, accumulate, false);
}
inline void longnet_mma_warpgroup_swizzled(__local const int* a, int aRow, __local const int* b, int bRow, int n, float* acc, bool accumulate) {
    longnet_mma_warpgroup_laid(a, aRow, b, bRow, n, acc, accumulate, true);
}
// KernelContext.mmaBf16WarpgroupTransposedA and, with B swizzled, WarpgroupMma.issueTransposedSwizzled.
inline void longnet_mma_warpgroup_transposed_laid(__local const int* a, int aRow, __local const int* b, int bRow, int bChannel, int n,
                                                  float* acc, bool accumulate, bool swizzled) {
    int lid = (int) get_local_id(0), w = (lid >> 5) & 3, lane = lid & 31;
    for (int i = 0; i < n / 8 * 4; i++) {
        int row = 16 * w + (lane >> 2) + ((i & 2) ? 8 : 0), col = bChannel + 8 * (i >> 2) + 2 * (lane & 3) + (i & 1);
        float sum = 0.0f;
        for (int k = 0; k < 64; k++) {
            sum += longnet_bf16_half(a[longnet_chunk(aRow + k, row >> 1)], row)
                * longnet_bf16_half(b[longnet_tile_pair(bRow + k, col >> 1, swizzled)], col);
        }
        acc[i] = (accumulate ? acc[i] : 0.0f) + sum;
    }
}
inline void longnet_mma_warpgroup_transposed_a(__local const int* a, int aRow, __local const int* b, int bRow, int bChannel, int n,
                                               float* acc, bool accumulate) {
    longnet_mma_warpgroup_transposed_laid(a, aRow, b, bRow, bChannel, n, acc, accumulate, false);
}
inline void longnet_mma_warpgroup_transposed_swizzled(__local const int* a, int aRow, __local const int* b, int bRow, int bChannel, int n,
                                                      float* acc, bool accumulate) {
    longnet_mma_warpgroup_transposed_laid(a, aRow, b, bRow, bChannel, n, acc, accumulate, true);
}
inline void longnet_mma_warpgroup_registers_laid(__local int* x, const int* regs, __local const int* b, int bRow, float* acc, bool swizzled) {
    int lid = (int) get_local_id(0), lane = lid & 31, warp = lid & ~31;
    for (int i = 0; i < 8; i++) {
        x[lid * 8 + i] = regs[i];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int i = 0; i < 32; i++) {
        int row = (lane >> 2) + ((i & 2) ? 8 : 0), col = 8 * (i >> 2) + 2 * (lane & 3) + (i & 1);
        float sum = 0.0f;
        for (int k = 0; k < 32; k++) {
            int holder = warp + 4 * (row & 7) + ((k & 7) >> 1), reg = (row >> 3) + ((k & 8) >> 2) + ((k & 16) >> 2);
            sum += longnet_bf16_half(x[holder * 8 + reg], k) * longnet_bf16_half(b[longnet_tile_pair(bRow + k, col >> 1, swizzled)], col);
        }
        acc[i] += sum;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}
inline void longnet_mma_warpgroup_registers(__local int* x, const int* regs, __local const int* b, int bRow, float* acc) {
    longnet_mma_warpgroup_registers_laid(x, regs, b, bRow, acc, false);
}
inline void longnet_mma_warpgroup_registers_swizzled(__local int* x, const int* regs, __local const int* b, int bRow, float* acc) {
    longnet_mma_warpgroup_registers_laid(x, regs, b, bRow, acc, true);
}
// WarpgroupMma.issueSwizzledFromRegisters: A's four k-steps of fragments (16 registers a work-item) meet in x.
inline void longnet_mma_warpgroup_swizzled_from_registers(__local int* x, const int* regs, __local const int* b, int bRow, int n, float* acc,
                                                          bool accumulate) {
    int lid = (int) get_local_id(0), lane = lid & 31, warp = lid & ~31;
    for (int i = 0; i < 16; i++) {
        x[lid * 16 + i] = regs[i];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int i = 0; i < n / 8 * 4; i++) {
        int row = (lane >> 2) + ((i & 2) ? 8 : 0), col = bRow + 8 * (i >> 2) + 2 * (lane & 3) + (i & 1);
        float sum = 0.0f;
        for (int k = 0; k < 64; k++) {
            int holder = warp + 4 * (row & 7) + ((k & 7) >> 1), reg = 4 * (k >> 4) + (row >> 3) + ((k & 8) >> 2);
            sum += longnet_bf16_half(x[holder * 16 + reg], k) * longnet_bf16_half(b[longnet_swizzled(col, k >> 1)], k);
        }
        acc[i] = (accumulate ? acc[i] : 0.0f) + sum;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}
inline void longnet_mma_warpgroup_pair(__local const int* a1, int aRow1, __local const int* b1, int bRow1, float* acc1,
                                       __local const int* a2, int aRow2, __local const int* b2, int bRow2, float* acc2, int n,
                                       bool accumulate) {
    longnet_mma_warpgroup(a1, aRow1, b1, bRow1, n, acc1, accumulate);
    longnet_mma_warpgroup(a2, aRow2, b2, bRow2, n, acc2, accumulate);
}
inline void longnet_mma_warpgroup_registers_pair(__local int* x, const int* regs1, __local const int* b1, int bRow1, float* acc1,
                                                 const int* regs2, __local const int* b2, int bRow2, float* acc2) {
    longnet_mma_warpgroup_registers(x, regs1, b1, bRow1, acc1);
    longnet_mma_warpgroup_registers(x, regs2, b2, bRow2, acc2);
}
// KernelContext.shuffleXor through local memory (one float per work-item).
inline float longnet_shuffle_xor(__local float* x, float v, int mask) {
    int lid = (int) get_local_id(0);
    x[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    float other = x[lid ^ mask];
    barrier(CLK_LOCAL_MEM_FENCE);
    return other;
}
#include "longnet_mma.cl"
// Mbarriers, tensor maps and Tma copies, lowered for devices without them.
#include "longnet_tma.cl"
