// TornadoVM's warp matrix products on KernelContext (MmaCalls.java): PTX's ldmatrix loads and mma.sync products of a
// warp, 32 threads of consecutive linear ids in the block (lane = id % 32, g = lane / 4, c = lane % 4); every lane of
// the warp makes each call together. Loads from int tiles are ldmatrix, products mma.sync (fp8 from sm_89 on); an fp16
// tile held as floats (mmaLoadBSwizzled), and older targets, take the same values through shuffles, as the OpenCL
// lowering does (longnet_mma.cl).
#define LONGNET_MMA_F16 0
#define LONGNET_MMA_BF16 1
#define LONGNET_MMA_E4M3 2
#define LONGNET_MMA_E5M2 3
#define LONGNET_MMA_S8 4
__device__ __forceinline__ void longnet_mma_fill(float* d, float v) { for (int i = 0; i < 4; i++) d[i] = v; }
__device__ __forceinline__ void longnet_mma_fill_int(int* d, int v) { for (int i = 0; i < 4; i++) d[i] = v; }
__device__ __forceinline__ unsigned int longnet_mma_word16(const int* ints, const float* halves, int at) {
    return ints ? ((unsigned int) ints[at >> 2] >> ((at & 2) * 8)) & 0xFFFFu : (unsigned int) longnet_half_bits(halves[at >> 1]);
}
// ldmatrix through shuffles: this lane gives the byte address `row` of one 8-word row; register i gets, of matrix i
// (the rows of lanes 8i .. 8i + 7), row g's words 2c and 2c + 1, or transposed word g of rows 2c and 2c + 1.
__device__ __forceinline__ void longnet_mma_load_lanes(const int* ints, const float* halves, int row, int matrices, int transposed,
                                                       unsigned int* regs) {
    int lane = longnet_simd_lane(), g = lane >> 2, c = lane & 3;
    for (int i = 0; i < matrices; i++) {
        int lo = transposed ? __shfl_sync(0xFFFFFFFFu, row, i * 8 + 2 * c) + 2 * g : __shfl_sync(0xFFFFFFFFu, row, i * 8 + g) + 4 * c;
        int hi = transposed ? __shfl_sync(0xFFFFFFFFu, row, i * 8 + 2 * c + 1) + 2 * g : lo + 2;
        regs[i] = longnet_mma_word16(ints, halves, lo) | longnet_mma_word16(ints, halves, hi) << 16;
    }
}
__device__ __forceinline__ int longnet_mma_row_a(int byteOffset) {
    int lane = longnet_simd_lane(), m = lane >> 3;
    return (((m & 1) << 3) + (lane & 7)) * 32 + (m >> 1) * 16 + byteOffset;
}
__device__ __forceinline__ int longnet_mma_row_b(int swizzled, int byteOffset) {
    int lane = longnet_simd_lane(), row = (lane & 7) * 16 + ((lane >> 3) & 1) * 128;
    return (swizzled ? row ^ (((row >> 7) & 7) << 4) : row) + byteOffset;
}
// volatile: the asm reads shared memory the compiler does not see, so it must stay between the barriers around it.
__device__ __forceinline__ void longnet_mma_load_a(const int* tile, int byteOffset, unsigned int* regs) {
#if __CUDA_ARCH__ >= 750
    unsigned int at = longnet_shared_address((const char*) tile + longnet_mma_row_a(byteOffset));
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];"
        : "=r"(regs[0]), "=r"(regs[1]), "=r"(regs[2]), "=r"(regs[3]) : "r"(at));
#else
    longnet_mma_load_lanes(tile, (const float*) 0, longnet_mma_row_a(byteOffset), 4, 0, regs);
#endif
}
__device__ __forceinline__ void longnet_mma_load_b(const int* tile, int byteOffset, unsigned int* regs) {
#if __CUDA_ARCH__ >= 750
    unsigned int at = longnet_shared_address((const char*) tile + longnet_mma_row_b(0, byteOffset));
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];" : "=r"(regs[0]), "=r"(regs[1]) : "r"(at));
#else
    longnet_mma_load_lanes(tile, (const float*) 0, longnet_mma_row_b(0, byteOffset), 2, 1, regs);
#endif
}
__device__ __forceinline__ void longnet_mma_load_b_swizzled(const float* tile, int byteOffset, unsigned int* regs) {
    longnet_mma_load_lanes((const int*) 0, tile, longnet_mma_row_b(1, byteOffset), 2, 1, regs);
}
__device__ __forceinline__ float longnet_mma_e4m3(unsigned int b) {
    unsigned int m = b & 0x7Fu;
    float v = m < 8u ? (float) m * 0.001953125f : __uint_as_float((m + ((127u - 7u) << 3)) << 20);
    v = (b & 0x80u) ? -v : v;
    return m == 0x7Fu ? __int_as_float(0x7fc00000) : v;
}
__device__ __forceinline__ float longnet_mma_value(unsigned int word, int part, int op) {
    if (op == LONGNET_MMA_F16) return longnet_half_from_bits((short) (word >> (16 * part)));
    if (op == LONGNET_MMA_BF16) return __uint_as_float((word >> (16 * part)) << 16);
    unsigned int b = (word >> (8 * part)) & 0xFFu;
    if (op == LONGNET_MMA_E4M3) return longnet_mma_e4m3(b);
    if (op == LONGNET_MMA_E5M2) return longnet_half_from_bits((short) (b << 8));
    return (float) (signed char) b;
}
// The product through shuffles: this lane gathers rows g and g + 8 of A and columns 2c and 2c + 1 of B from the lanes
// that hold them (PTX's m16n8k16 and m16n8k32 layouts), and sums as the OpenCL lowering does.
__device__ __forceinline__ void longnet_mma_lanes(const unsigned int* a, const unsigned int* b, const float* c, const int* ci, int op,
                                                  float* d, int* di) {
    int lane = longnet_simd_lane(), g = lane >> 2, t = lane & 3;
    unsigned int aw[4][4], bw[2][4][2];
    for (int q = 0; q < 4; q++) {
        for (int j = 0; j < 4; j++) aw[q][j] = __shfl_sync(0xFFFFFFFFu, a[j], g * 4 + q);
        for (int e = 0; e < 2; e++) {
            for (int j = 0; j < 2; j++) bw[e][q][j] = __shfl_sync(0xFFFFFFFFu, b[j], (2 * t + e) * 4 + q);
        }
    }
    int per = op < LONGNET_MMA_E4M3 ? 2 : 4, kHalf = 4 * per;
    float out[4];
    int outi[4];
    for (int i = 0; i < 4; i++) {
        int h = i >> 1, e = i & 1;
        float sum = c ? c[i] : 0.0f;
        unsigned int sumi = ci ? (unsigned int) ci[i] : 0u;
        for (int k = 0; k < 2 * kHalf; k++) {
            int q = (k % kHalf) / per, part = k % per;
            float x = longnet_mma_value(aw[q][h + 2 * (k / kHalf)], part, op), y = longnet_mma_value(bw[e][q][k / kHalf], part, op);
            sum = __fadd_rn(sum, __fmul_rn(x, y));
            sumi += (unsigned int) ((int) x * (int) y);
        }
        out[i] = sum;
        outi[i] = (int) sumi;
    }
    for (int i = 0; i < 4; i++) {
        if (d) d[i] = out[i];
        if (di) di[i] = outi[i];
    }
}
#define LONGNET_MMA_SYNC(SHAPE_TYPES) \
    asm volatile("mma.sync.aligned." SHAPE_TYPES " {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};" \
        : "=f"(d0), "=f"(d1), "=f"(d2), "=f"(d3) \
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "f"(c[0]), "f"(c[1]), "f"(c[2]), "f"(c[3]))
// D = A B + C with float accumulation; d may be c.
__device__ __forceinline__ void longnet_mma_product(const unsigned int* a, const unsigned int* b, const float* c, int op, float* d) {
    float d0 = 0.0f, d1 = 0.0f, d2 = 0.0f, d3 = 0.0f;
    bool done = false;
#if __CUDA_ARCH__ >= 800
    if (op == LONGNET_MMA_F16) { LONGNET_MMA_SYNC("m16n8k16.row.col.f32.f16.f16.f32"); done = true; }
    if (op == LONGNET_MMA_BF16) { LONGNET_MMA_SYNC("m16n8k16.row.col.f32.bf16.bf16.f32"); done = true; }
#endif
#if __CUDA_ARCH__ >= 890
    if (op == LONGNET_MMA_E4M3) { LONGNET_MMA_SYNC("m16n8k32.row.col.f32.e4m3.e4m3.f32"); done = true; }
    if (op == LONGNET_MMA_E5M2) { LONGNET_MMA_SYNC("m16n8k32.row.col.f32.e5m2.e5m2.f32"); done = true; }
#endif
    if (done) {
        d[0] = d0; d[1] = d1; d[2] = d2; d[3] = d3;
    } else {
        longnet_mma_lanes(a, b, c, (const int*) 0, op, d, (int*) 0);
    }
}
// D = A B + C of int8 operands with int accumulation (wrapping, as s32); d may be c.
__device__ __forceinline__ void longnet_mma_product_s8(const unsigned int* a, const unsigned int* b, const int* c, int* d) {
#if __CUDA_ARCH__ >= 800
    int d0, d1, d2, d3;
    asm volatile("mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};"
        : "=r"(d0), "=r"(d1), "=r"(d2), "=r"(d3)
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "r"(c[0]), "r"(c[1]), "r"(c[2]), "r"(c[3]));
    d[0] = d0; d[1] = d1; d[2] = d2; d[3] = d3;
#else
    longnet_mma_lanes(a, b, (const float*) 0, c, LONGNET_MMA_S8, (float*) 0, d);
#endif
}
__device__ __forceinline__ void longnet_mma_store(const float* d, float* out, int row, int col, int ld) {
    int lane = longnet_simd_lane();
    for (int i = 0; i < 4; i++) out[(row + (lane >> 2) + 8 * (i >> 1)) * ld + col + 2 * (lane & 3) + (i & 1)] = d[i];
}
__device__ __forceinline__ void longnet_mma_store_int(const int* d, int* out, int row, int col, int ld) {
    int lane = longnet_simd_lane();
    for (int i = 0; i < 4; i++) out[(row + (lane >> 2) + 8 * (i >> 1)) * ld + col + 2 * (lane & 3) + (i & 1)] = d[i];
}
__device__ __forceinline__ void longnet_mma_copy_halves(const unsigned short* src, int at, int* tile, int index) {
    tile[index] = (int) ((unsigned int) src[at] | (unsigned int) src[at + 1] << 16);
}
__device__ __forceinline__ void longnet_mma_copy_bytes(const unsigned char* src, int at, int* tile, int index) {
    tile[index] = (int) ((unsigned int) src[at] | (unsigned int) src[at + 1] << 8 | (unsigned int) src[at + 2] << 16
        | (unsigned int) src[at + 3] << 24);
}
