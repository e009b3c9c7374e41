// TornadoVM's warp matrix products on KernelContext (MmaCalls.java, and WarpMatrices.java of the tornado API, which the
// jvm device runs): PTX's ldmatrix loads and mma.sync products, where a warp is 32 work-items of consecutive linear local
// ids (lane = id % 32, g = lane / 4, c = lane % 4). OpenCL C has no warps here, so the lanes meet in the kernel's hidden
// local array longnet_mma_scratch between two barriers: every work-item of the work-group must make each call together,
// and the work-group must be whole warps. A work-group larger than LONGNET_MMA_ITEMS takes turns of that many items.
// Products of the operands are exact in float, so sums round as the jvm device's do (k ascending, one statement each).
#define LONGNET_MMA_ITEMS 256
#define LONGNET_MMA_WORDS 6
#define LONGNET_MMA_SCRATCH (LONGNET_MMA_ITEMS * LONGNET_MMA_WORDS)
#define LONGNET_MMA_F16 0
#define LONGNET_MMA_BF16 1
#define LONGNET_MMA_E4M3 2
#define LONGNET_MMA_E5M2 3
#define LONGNET_MMA_S8 4
inline int longnet_mma_id() {
    return (int) (get_local_id(0) + get_local_size(0) * (get_local_id(1) + get_local_size(1) * get_local_id(2)));
}
inline int longnet_mma_size() { return (int) (get_local_size(0) * get_local_size(1) * get_local_size(2)); }
inline void longnet_mma_fill(float* d, float v) { for (int i = 0; i < 4; i++) d[i] = v; }
inline void longnet_mma_fill_int(int* d, int v) { for (int i = 0; i < 4; i++) d[i] = v; }
// The 16 bits at byte `at` of a tile: of ints (little-endian pairs), or of an fp16 tile held as floats.
inline uint longnet_mma_word16(__local const int* ints, __local const float* halves, int at) {
    return ints ? ((uint) ints[at >> 2] >> ((at & 2) * 8)) & 0xFFFFu : (uint) longnet_half_bits(halves[at >> 1]);
}
// ldmatrix: this lane gives the byte address `row` of one 8-word row; register i gets, of matrix i (the rows of lanes
// 8i .. 8i + 7), row g's words 2c and 2c + 1, or transposed word g of rows 2c and 2c + 1.
inline void longnet_mma_load(__local int* scratch, __local const int* ints, __local const float* halves, int row, int matrices,
                             int transposed, uint* regs) {
    int id = longnet_mma_id(), size = longnet_mma_size(), lane = id & 31, g = lane >> 2, c = lane & 3;
    for (int first = 0; first < size; first += LONGNET_MMA_ITEMS) {
        bool turn = id >= first && id < first + LONGNET_MMA_ITEMS;
        if (turn) {
            scratch[id - first] = row;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (turn) {
            __local const int* rows = scratch + ((id & ~31) - first);
            for (int i = 0; i < matrices; i++) {
                int lo = transposed ? rows[i * 8 + 2 * c] + 2 * g : rows[i * 8 + g] + 4 * c;
                int hi = transposed ? rows[i * 8 + 2 * c + 1] + 2 * g : rows[i * 8 + g] + 4 * c + 2;
                regs[i] = longnet_mma_word16(ints, halves, lo) | longnet_mma_word16(ints, halves, hi) << 16;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}
// The rows lanes give: A (x4) rows of 32 bytes, matrices 0-3 rows 0-7 and 8-15 of bytes 0-15, then of bytes 16-31;
// B (x2.trans) rows of 16 bytes, matrix 1 from byte 128, swizzled as swizzleStoreFp16Stride32 where asked.
inline int longnet_mma_row_a(int byteOffset) {
    int lane = longnet_mma_id() & 31, m = lane >> 3;
    return (((m & 1) << 3) + (lane & 7)) * 32 + (m >> 1) * 16 + byteOffset;
}
inline int longnet_mma_row_b(int swizzled, int byteOffset) {
    int lane = longnet_mma_id() & 31, row = (lane & 7) * 16 + ((lane >> 3) & 1) * 128;
    return (swizzled ? row ^ (((row >> 7) & 7) << 4) : row) + byteOffset;
}
inline void longnet_mma_load_a(__local int* scratch, __local const int* tile, int byteOffset, uint* regs) {
    longnet_mma_load(scratch, tile, (__local const float*) 0, longnet_mma_row_a(byteOffset), 4, 0, regs);
}
inline void longnet_mma_load_b(__local int* scratch, __local const int* tile, int byteOffset, uint* regs) {
    longnet_mma_load(scratch, tile, (__local const float*) 0, longnet_mma_row_b(0, byteOffset), 2, 1, regs);
}
inline void longnet_mma_load_b_swizzled(__local int* scratch, __local const float* tile, int byteOffset, uint* regs) {
    longnet_mma_load(scratch, (__local const int*) 0, tile, longnet_mma_row_b(1, byteOffset), 2, 1, regs);
}
inline float longnet_mma_e4m3(uint b) {
    uint m = b & 0x7Fu;
    float v = m < 8u ? (float) m * 0.001953125f : as_float((m + ((127u - 7u) << 3)) << 20);
    v = (b & 0x80u) ? -v : v;
    return m == 0x7Fu ? as_float(0x7fc00000) : v;
}
// Element `part` of a register of operand type `op`.
inline float longnet_mma_value(uint word, int part, int op) {
    if (op == LONGNET_MMA_F16) return longnet_half_from_bits((short) (word >> (16 * part)));
    if (op == LONGNET_MMA_BF16) return as_float((word >> (16 * part)) << 16);
    uint b = (word >> (8 * part)) & 0xFFu;
    if (op == LONGNET_MMA_E4M3) return longnet_mma_e4m3(b);
    if (op == LONGNET_MMA_E5M2) return longnet_half_from_bits((short) (b << 8));
    return (float) (char) b;
}
// A[r][k] and B[k][n] of the warp whose registers start at `regs` (LONGNET_MMA_WORDS a lane: A's 4, then B's 2), as PTX
// lays out m16n8k16 (16-bit elements, pairs) and m16n8k32 (8-bit, quads).
inline float longnet_mma_a(__local const int* regs, int r, int k, int op) {
    int per = op < LONGNET_MMA_E4M3 ? 2 : 4, kHalf = 4 * per;
    return longnet_mma_value((uint) regs[((r & 7) * 4 + (k % kHalf) / per) * LONGNET_MMA_WORDS + (r >> 3) + 2 * (k / kHalf)], k % per, op);
}
inline float longnet_mma_b(__local const int* regs, int k, int n, int op) {
    int per = op < LONGNET_MMA_E4M3 ? 2 : 4, kHalf = 4 * per;
    return longnet_mma_value((uint) regs[(n * 4 + (k % kHalf) / per) * LONGNET_MMA_WORDS + 4 + k / kHalf], k % per, op);
}
inline bool longnet_mma_publish(__local int* scratch, const uint* a, const uint* b, int first) {
    int id = longnet_mma_id();
    bool turn = id >= first && id < first + LONGNET_MMA_ITEMS;
    if (turn) {
        for (int j = 0; j < 4; j++) scratch[(id - first) * LONGNET_MMA_WORDS + j] = (int) a[j];
        scratch[(id - first) * LONGNET_MMA_WORDS + 4] = (int) b[0];
        scratch[(id - first) * LONGNET_MMA_WORDS + 5] = (int) b[1];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    return turn;
}
// D = A B + C with float accumulation; d may be c.
inline void longnet_mma_product(__local int* scratch, const uint* a, const uint* b, const float* c, int op, float* d) {
    int id = longnet_mma_id(), size = longnet_mma_size(), lane = id & 31;
    int depth = op < LONGNET_MMA_E4M3 ? 16 : 32;
    float out[4];
    for (int first = 0; first < size; first += LONGNET_MMA_ITEMS) {
        if (longnet_mma_publish(scratch, a, b, first)) {
            __local const int* regs = scratch + ((id & ~31) - first) * LONGNET_MMA_WORDS;
            for (int i = 0; i < 4; i++) {
                int r = (lane >> 2) + 8 * (i >> 1), n = 2 * (lane & 3) + (i & 1);
                float sum = c[i];
                for (int k = 0; k < depth; k++) {
                    float p = longnet_mma_a(regs, r, k, op) * longnet_mma_b(regs, k, n, op);
                    sum += p;
                }
                out[i] = sum;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < 4; i++) d[i] = out[i];
}
// D = A B + C of int8 operands with int accumulation (wrapping, as s32); d may be c.
inline void longnet_mma_product_s8(__local int* scratch, const uint* a, const uint* b, const int* c, int* d) {
    int id = longnet_mma_id(), size = longnet_mma_size(), lane = id & 31;
    int out[4];
    for (int first = 0; first < size; first += LONGNET_MMA_ITEMS) {
        if (longnet_mma_publish(scratch, a, b, first)) {
            __local const int* regs = scratch + ((id & ~31) - first) * LONGNET_MMA_WORDS;
            for (int i = 0; i < 4; i++) {
                int r = (lane >> 2) + 8 * (i >> 1), n = 2 * (lane & 3) + (i & 1);
                uint sum = (uint) c[i];
                for (int k = 0; k < 32; k++) {
                    sum += (uint) ((int) longnet_mma_a(regs, r, k, LONGNET_MMA_S8) * (int) longnet_mma_b(regs, k, n, LONGNET_MMA_S8));
                }
                out[i] = (int) sum;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int i = 0; i < 4; i++) d[i] = out[i];
}
// This lane's four elements of D into a row-major matrix of `ld` columns at (row, col).
inline void longnet_mma_store(const float* d, __global float* out, int row, int col, int ld) {
    int lane = longnet_mma_id() & 31;
    for (int i = 0; i < 4; i++) out[(row + (lane >> 2) + 8 * (i >> 1)) * ld + col + 2 * (lane & 3) + (i & 1)] = d[i];
}
inline void longnet_mma_store_int(const int* d, __global int* out, int row, int col, int ld) {
    int lane = longnet_mma_id() & 31;
    for (int i = 0; i < 4; i++) out[(row + (lane >> 2) + 8 * (i >> 1)) * ld + col + 2 * (lane & 3) + (i & 1)] = d[i];
}
// asyncCopyToLocal: two 16-bit words, or four bytes, into one int of a tile, the first lowest.
inline void longnet_mma_copy_halves(__global const ushort* src, int at, __local int* tile, int index) {
    tile[index] = (int) ((uint) src[at] | (uint) src[at + 1] << 16);
}
inline void longnet_mma_copy_bytes(__global const uchar* src, int at, __local int* tile, int index) {
    tile[index] = (int) ((uint) src[at] | (uint) src[at + 1] << 8 | (uint) src[at + 2] << 16 | (uint) src[at + 3] << 24);
}
