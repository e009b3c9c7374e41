package org.longnet.engine.translator;

/** CUDA C++ for NVRTC (and nvcc); needs no header, so it compiles without an include path. */
final class CudaDialect implements Dialect {
    @Override
    public String name() {
        return "cu";
    }

    @Override
    public String prelude() {
        return """
                // The work-group's local arrays, laid out by the translator and sized at launch.
                extern __shared__ __align__(16) unsigned char longnet_local[];
                __device__ __forceinline__ float longnet_bf2f(unsigned short b) { return __int_as_float(((unsigned int) b) << 16); }
                __device__ __forceinline__ unsigned short longnet_f2bf(float f) {
                    if (f != f) return (unsigned short) 0x7FC0;
                    unsigned int u = __float_as_uint(f);
                    u += 0x7FFFu + ((u >> 16) & 1u);
                    return (unsigned short) (u >> 16);
                }
                __device__ __forceinline__ float longnet_h2f(unsigned short h) {
                    float f; asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h)); return f;
                }
                __device__ __forceinline__ unsigned short longnet_f2h(float f) {
                    unsigned short h; asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f)); return h;
                }
                // BFloat16Array.setPair: one 4-byte store.
                __device__ __forceinline__ void longnet_set_pair_bf16(unsigned short* p, float first, float second) {
                    *(unsigned int*) p = (unsigned int) longnet_f2bf(first) | (unsigned int) longnet_f2bf(second) << 16;
                }
                // FloatArray.setPair and scaleAddPair: one 8-byte store (and load).
                __device__ __forceinline__ void longnet_set_pair(float* p, float first, float second) {
                    *(float2*) p = make_float2(first, second);
                }
                __device__ __forceinline__ void longnet_scale_add_pair(float* p, float scale, float first, float second) {
                    float2 v = *(float2*) p;
                    *(float2*) p = make_float2(v.x * scale + first, v.y * scale + second);
                }
                // FloatArray.atomicAdd: a reduction in L2 when the result is unused, as here.
                __device__ __forceinline__ void longnet_atomic_add(float* p, float v) { atomicAdd(p, v); }
                // FloatArray.atomicAddPair: one 8-byte reduction on sm_90 and later.
                __device__ __forceinline__ void longnet_atomic_add_pair(float* p, float first, float second) {
                #if __CUDA_ARCH__ >= 900
                    asm volatile("red.global.add.v2.f32 [%0], {%1, %2};" :: "l"(p), "f"(first), "f"(second) : "memory");
                #else
                    atomicAdd(p, first);
                    atomicAdd(p + 1, second);
                #endif
                }
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
                    unsigned int r0, r1, r2, r3, at;
                    asm("{ .reg .u64 s; cvta.to.shared.u64 s, %1; cvt.u32.u64 %0, s; }" : "=r"(at) : "l"(tile + (threadIdx.x & 31) * ld));
                    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];"
                        : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3) : "r"(at));
                    regs[0] = (int) r0; regs[1] = (int) r1; regs[2] = (int) r2; regs[3] = (int) r3;
                }
                """ + WARPGROUP;
    }

    /**
     * The warpgroup intrinsics. On sm_90a (Hopper, which NVRTC targets as sm_90a: see CudaDevice)
     * each product is one asm block: fence, the {@code wgmma.mma_async} steps along k, commit and
     * wait, so to the compiler it is a single instruction that reads and writes the accumulators and
     * nothing can slip in while the tensor cores work. Tiles are in chunk layout
     * (KernelContext.chunkLayoutIndex): 8x8 core matrices of 128 bytes, 128 bytes apart along the
     * channels and 1,024 bytes apart along the rows, no swizzle. Read with rows as m or n (K-major),
     * the leading byte offset (between core matrices along k) is 128 and the stride byte offset 1,024;
     * with rows as k (MN-major, P·V) the two swap. Elsewhere the same products as mma.sync.
     */
    private static final String WARPGROUP = """
            // KernelContext.chunkLayoutIndex.
            __device__ __forceinline__ int longnet_chunk(int row, int pair) { return (row >> 3) * 256 + (pair >> 2) * 32 + (row & 7) * 4 + (pair & 3); }
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
                unsigned int at;
                asm("{ .reg .u64 s; cvta.to.shared.u64 s, %1; cvt.u32.u64 %0, s; }" : "=r"(at) : "l"(tile));
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
            #if defined(__CUDA_ARCH_FEAT_SM90_ALL)
            // A wgmma matrix descriptor (no swizzle): the tile's shared-memory address, then the byte offsets between core
            // matrices along k (lbo) and along m or n (sbo), each in units of 16 bytes.
            __device__ __forceinline__ unsigned long long longnet_wgmma_desc(const int* tile, unsigned int lbo, unsigned int sbo) {
                unsigned int at;
                asm("{ .reg .u64 s; cvta.to.shared.u64 s, %1; cvt.u32.u64 %0, s; }" : "=r"(at) : "l"(tile));
                return (unsigned long long) ((at & 0x3FFFF) >> 4) | (unsigned long long) (lbo >> 4) << 16 | (unsigned long long) (sbo >> 4) << 32;
            }
            // KernelContext.mmaBf16Warpgroup: four k-steps of 16 channels, 256 bytes (16 descriptor units) apart in both tiles;
            // without accumulate the first step's scale-d predicate is false, so it overwrites d.
            __device__ __forceinline__ void longnet_mma_warpgroup(const int* a, int aRow, const int* b, int bRow, int n, float* d, bool accumulate) {
                unsigned long long da = longnet_wgmma_desc(a + (aRow >> 3) * 256, 128, 1024);
                unsigned long long db = longnet_wgmma_desc(b + (bRow >> 3) * 256, 128, 1024);
                if (n == 32) {
            """ + wgmmaFromTiles(32, 1, false) + """
                } else {
            """ + wgmmaFromTiles(64, 1, false) + """
                }
            }
            // KernelContext.mmaBf16WarpgroupPair: both products' steps, then one wait.
            __device__ __forceinline__ void longnet_mma_warpgroup_pair(const int* a1, int aRow1, const int* b1, int bRow1, float* d,
                                                                       const int* a2, int aRow2, const int* b2, int bRow2, float* e, int n,
                                                                       bool accumulate) {
                unsigned long long da = longnet_wgmma_desc(a1 + (aRow1 >> 3) * 256, 128, 1024);
                unsigned long long db = longnet_wgmma_desc(b1 + (bRow1 >> 3) * 256, 128, 1024);
                unsigned long long ea = longnet_wgmma_desc(a2 + (aRow2 >> 3) * 256, 128, 1024);
                unsigned long long eb = longnet_wgmma_desc(b2 + (bRow2 >> 3) * 256, 128, 1024);
                if (n == 32) {
            """ + wgmmaFromTiles(32, 2, false) + """
                } else {
            """ + wgmmaFromTiles(64, 2, false) + """
                }
            }
            // KernelContext.mmaBf16WarpgroupTransposedA: both tiles with rows as k (MN-major, as P·V's B), four k-steps of 16 rows,
            // 2,048 bytes (128 units) apart; B's columns from channel bChannel on (8 channels: one 128-byte core matrix, 32 ints).
            __device__ __forceinline__ void longnet_mma_warpgroup_transposed_a(const int* a, int aRow, const int* b, int bRow, int bChannel, int n,
                                                                               float* d, bool accumulate) {
                unsigned long long da = longnet_wgmma_desc(a + (aRow >> 3) * 256, 1024, 128);
                unsigned long long db = longnet_wgmma_desc(b + (bRow >> 3) * 256 + (bChannel >> 3) * 32, 1024, 128);
                if (n == 32) {
            """ + wgmmaFromTiles(32, 1, true) + """
                } else {
            """ + wgmmaFromTiles(64, 1, true) + """
                }
            }
            // KernelContext.mmaBf16WarpgroupRegisters: two k-steps of 16 tile rows, 2,048 bytes (128 units) apart.
            __device__ __forceinline__ void longnet_mma_warpgroup_registers(int* exchange, const int* a, const int* b, int bRow, float* d) {
                unsigned long long db = longnet_wgmma_desc(b + (bRow >> 3) * 256, 1024, 128);
            """ + wgmmaRegistersA(1) + """
            }
            // KernelContext.mmaBf16WarpgroupRegistersPair: both products' steps, then one wait.
            __device__ __forceinline__ void longnet_mma_warpgroup_registers_pair(int* exchange, const int* a, const int* b1, int bRow1, float* d,
                                                                                 const int* f, const int* b2, int bRow2, float* e) {
                unsigned long long db = longnet_wgmma_desc(b1 + (bRow1 >> 3) * 256, 1024, 128);
                unsigned long long eb = longnet_wgmma_desc(b2 + (bRow2 >> 3) * 256, 1024, 128);
            """ + wgmmaRegistersA(2) + """
            }
            #else
            __device__ __forceinline__ void longnet_mma_warpgroup(const int* a, int aRow, const int* b, int bRow, int n, float* d, bool accumulate) {
                int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3, top = aRow + 16 * ((threadIdx.x >> 5) & 3) + g;
                if (!accumulate) {
                    for (int i = 0; i < n / 2; i++) d[i] = 0.0f;
                }
                for (int kk = 0; kk < 4; kk++) {
                    int p = kk * 8 + t;
                    int a0 = a[longnet_chunk(top, p)], a1 = a[longnet_chunk(top + 8, p)];
                    int a2 = a[longnet_chunk(top, p + 4)], a3 = a[longnet_chunk(top + 8, p + 4)];
                    for (int i = 0; i < n / 8; i++) {
                        int col = bRow + 8 * i + g;
                        longnet_mma_bf16_registers(a0, a1, a2, a3, b[longnet_chunk(col, p)], b[longnet_chunk(col, p + 4)], d + 4 * i);
                    }
                }
            }
            __device__ __forceinline__ void longnet_mma_warpgroup_registers(int* exchange, const int* a, const int* b, int bRow, float* d) {
                int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
                unsigned int select = (g & 1) ? 0x7632u : 0x5410u; // the high or low halves of two rows' pairs
                for (int i = 0; i < 8; i++) {
                    for (int s = 0; s < 2; s++) {
                        int k = bRow + 16 * s + 2 * t, pair = 4 * i + (g >> 1);
                        int b0 = (int) __byte_perm(b[longnet_chunk(k, pair)], b[longnet_chunk(k + 1, pair)], select);
                        int b1 = (int) __byte_perm(b[longnet_chunk(k + 8, pair)], b[longnet_chunk(k + 9, pair)], select);
                        longnet_mma_bf16_registers(a[4 * s], a[4 * s + 1], a[4 * s + 2], a[4 * s + 3], b0, b1, d + 4 * i);
                    }
                }
            }
            __device__ __forceinline__ void longnet_mma_warpgroup_transposed_a(const int* a, int aRow, const int* b, int bRow, int bChannel, int n,
                                                                               float* d, bool accumulate) {
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
                        int b0 = (int) __byte_perm(b[longnet_chunk(kb, pair)], b[longnet_chunk(kb + 1, pair)], select);
                        int b1 = (int) __byte_perm(b[longnet_chunk(kb + 8, pair)], b[longnet_chunk(kb + 9, pair)], select);
                        longnet_mma_bf16_registers(a0, a1, a2, a3, b0, b1, d + 4 * i);
                    }
                }
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
            #endif
            """;

    /** {@code %first, ..., %(first + count - 1)}. */
    private static String operands(int first, int count) {
        return java.util.stream.IntStream.range(first, first + count).mapToObj(i -> "%" + i).collect(java.util.stream.Collectors.joining(","));
    }

    /** {@code "+f"(d[0]), ...} for count accumulators of array {@code name}. */
    private static String accumulators(String name, int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "\"+f\"(" + name + "[" + i + "])")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * The asm block of mmaBf16Warpgroup (products 1: accumulators d, descriptors da, db) or of its
     * pair (products 2: also e, ea, eb) for n columns: four k-steps per product, one wait. With
     * {@code rowsAsK} both tiles are read transposed (mmaBf16WarpgroupTransposedA): the k-steps go
     * 16 rows on instead of 16 channels.
     */
    private static String wgmmaFromTiles(int n, int products, boolean rowsAsK) {
        int regs = n / 2, descriptors = regs * products;
        // p: whether the first k-step adds to the accumulators (the accumulate argument, last input); q: true.
        StringBuilder asm = new StringBuilder("        asm volatile(\"{ .reg .pred p, q; setp.ne.b32 p, %").append(descriptors + 8 * products)
                .append(", 0; setp.ne.b32 q, 1, 0; wgmma.fence.sync.aligned;\"\n");
        StringBuilder inputs = new StringBuilder();
        for (int product = 0; product < products; product++) {
            String a = product == 0 ? "da" : "ea", b = product == 0 ? "db" : "eb";
            for (int k = 0; k < 4; k++) {
                int at = descriptors + 8 * product + 2 * k;
                asm.append("            \" wgmma.mma_async.sync.aligned.m64n").append(n).append("k16.f32.bf16.bf16 {")
                        .append(operands(regs * product, regs)).append("}, %").append(at).append(", %").append(at + 1)
                        .append(k == 0 ? ", p" : ", q").append(rowsAsK ? ", 1, 1, 1, 1;\"\n" : ", 1, 1, 0, 0;\"\n");
                int step = rowsAsK ? 128 * k : 16 * k; // 16 rows or 16 channels on, in 16-byte units
                inputs.append(inputs.isEmpty() ? "" : ", ").append("\"l\"(").append(a).append(" + ").append(step).append("), \"l\"(")
                        .append(b).append(" + ").append(step).append(")");
            }
        }
        asm.append("            \" wgmma.commit_group.sync.aligned; wgmma.wait_group.sync.aligned 0; }\"\n");
        asm.append("            : ").append(accumulators("d", regs)).append(products == 2 ? ", " + accumulators("e", regs) : "").append("\n");
        asm.append("            : ").append(inputs).append(", \"r\"((int) accumulate)\n");
        return asm.append("            : \"memory\");\n").toString();
    }

    /**
     * The asm block of mmaBf16WarpgroupRegisters (products 1: A registers a, accumulators d, B
     * descriptor db) or of its pair (2: also f, e, eb): two k-steps of 16 tile rows per product.
     */
    private static String wgmmaRegistersA(int products) {
        int descriptors = 32 * products + 8 * products;
        StringBuilder asm = new StringBuilder("    asm volatile(\"{ .reg .pred p; setp.ne.b32 p, 1, 0; wgmma.fence.sync.aligned;\"\n");
        StringBuilder inputs = new StringBuilder();
        for (int product = 0; product < products; product++) {
            String a = product == 0 ? "a" : "f", b = product == 0 ? "db" : "eb";
            for (int k = 0; k < 2; k++) {
                asm.append("        \" wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {").append(operands(32 * product, 32))
                        .append("}, {").append(operands(32 * products + 8 * product + 4 * k, 4)).append("}, %")
                        .append(descriptors + 2 * product + k).append(", p, 1, 1, 1;\"\n");
            }
            for (int i = 0; i < 8; i++) {
                inputs.append(inputs.isEmpty() ? "" : ", ").append("\"r\"(").append(a).append("[").append(i).append("])");
            }
        }
        for (int product = 0; product < products; product++) {
            String b = product == 0 ? "db" : "eb";
            inputs.append(", \"l\"(").append(b).append("), \"l\"(").append(b).append(" + 128)");
        }
        asm.append("        \" wgmma.commit_group.sync.aligned; wgmma.wait_group.sync.aligned 0; }\"\n");
        asm.append("        : ").append(accumulators("d", 32)).append(products == 2 ? ", " + accumulators("e", 32) : "").append("\n");
        asm.append("        : ").append(inputs).append("\n");
        return asm.append("        : \"memory\");\n").toString();
    }

    @Override
    public String waitChunks(int batches) {
        return "longnet_wait_chunk_batches<" + batches + ">()";
    }

    @Override
    public String commitChunks() {
        return "longnet_commit_chunks()";
    }

    @Override
    public String kernelSignature(String name, String params) {
        return "extern \"C\" __global__ void " + name + "(" + params + ")";
    }

    @Override
    public String kernelSignature(String name, String params, int groupSize, int minGroups) {
        if (groupSize <= 0) {
            return kernelSignature(name, params);
        }
        String bounds = "__launch_bounds__(" + groupSize + (minGroups > 0 ? ", " + minGroups : "") + ")";
        return "extern \"C\" __global__ void " + bounds + " " + name + "(" + params + ")";
    }

    /**
     * Kernel helpers are small and called from several kernels of one module; left to itself nvcc
     * sometimes keeps one as a real call, and which one changes with another kernel's launch bounds
     * (measured on the H200: the attention forward 34 -> 38 ms when dK/dV got bounds). Inlined, each
     * kernel's code depends on that kernel alone.
     */
    @Override
    public String deviceFunctionPrefix() {
        return "__device__ __forceinline__ ";
    }

    @Override
    public String globalPointer(String elementType) {
        return elementType + "*";
    }

    @Override
    public String halfStorageType() {
        return "unsigned short";
    }

    @Override
    public String localPointer(String elementType) {
        return elementType + "*";
    }

    @Override
    public String localArray(String elementType, String name, int size, int offset) {
        // Dynamic shared memory, sized at launch (KernelInfo.localBytes): static arrays may not pass 48 KB a block.
        // Each array starts on 16 bytes, as ldmatrix, wgmma and the 16-byte chunk copies need.
        return elementType + "* " + name + " = (" + elementType + "*) (longnet_local + " + offset + ")";
    }

    @Override
    public String barrier(boolean global, boolean forMatrixUnits) {
        return forMatrixUnits ? "longnet_barrier_for_matrix_units()" : "__syncthreads()";
    }

    @Override
    public String workItem(WorkItem what, int dim) {
        String c = "xyz".substring(dim, dim + 1);
        return switch (what) {
            case GLOBAL_ID -> "((long long) blockIdx." + c + " * blockDim." + c + " + threadIdx." + c + ")";
            case LOCAL_ID -> "((long long) threadIdx." + c + ")";
            case GROUP_ID -> "((long long) blockIdx." + c + ")";
            case GLOBAL_SIZE -> "((long long) gridDim." + c + " * blockDim." + c + ")";
            case LOCAL_SIZE -> "((long long) blockDim." + c + ")";
        };
    }

    @Override
    public String type(String javaPrimitive) {
        return switch (javaPrimitive) {
            case "long" -> "long long";
            case "boolean" -> "bool";
            default -> javaPrimitive;
        };
    }

    @Override
    public String unsignedOf(String javaPrimitive) {
        return switch (javaPrimitive) {
            case "long" -> "unsigned long long";
            case "short" -> "unsigned short";
            default -> "unsigned int";
        };
    }

    @Override
    public String math(String function, String argType, String args) {
        boolean f32 = argType.equals("float");
        return switch (function) {
            case "exp", "log", "sin", "cos" -> (f32 ? "__" + function + "f" : function) + "(" + args + ")";
            case "exp2" -> (f32 ? "longnet_exp2" : "exp2") + "(" + args + ")";
            // __fdividef(1, inf) is 0: the far negative end stays finite.
            case "sigmoid" -> f32 ? "__fdividef(1.0f, 1.0f + __expf(-(" + args + ")))" : "(1.0 / (1.0 + exp(-(" + args + "))))";
            case "sqrt", "rsqrt", "tanh", "pow", "floor", "ceil", "fma", "fmod" -> function + (f32 ? "f" : "") + "(" + args + ")";
            case "abs" -> switch (argType) {
                case "int" -> "abs(" + args + ")";
                case "long" -> "llabs(" + args + ")";
                default -> "fabs" + (f32 ? "f" : "") + "(" + args + ")";
            };
            case "max", "min" -> switch (argType) {
                case "float" -> "f" + function + "f(" + args + ")";
                case "double" -> "f" + function + "(" + args + ")";
                case "long" -> "ll" + function + "(" + args + ")";
                default -> function + "(" + args + ")";
            };
            default -> throw new IllegalArgumentException(function);
        };
    }

    @Override
    public String floatFromBits(String intExpr) {
        return "__int_as_float(" + intExpr + ")";
    }

    @Override
    public String bitsFromFloat(String floatExpr) {
        return "__float_as_int(" + floatExpr + ")";
    }

    @Override
    public String halfLoad(String pointer, String index) {
        return "longnet_h2f(" + pointer + "[" + index + "])";
    }

    @Override
    public String halfStore(String pointer, String index, String value) {
        return pointer + "[" + index + "] = longnet_f2h(" + value + ")";
    }

    @Override
    public String mmaBf16Packed(String a, String lda, String bt, String ldbt, String acc) {
        return "longnet_mma_bf16_packed(" + a + ", " + lda + ", " + bt + ", " + ldbt + ", " + acc + ")";
    }

    @Override
    public String mmaBf16PackedA(String exchange, String a0, String a1, String a2, String a3, String bt, String ldbt, String acc) {
        return "longnet_mma_bf16_packed_a(" + a0 + ", " + a1 + ", " + a2 + ", " + a3 + ", " + bt + ", " + ldbt + ", " + acc + ")";
    }

    @Override
    public String loadBFragments(String tile, String ld, String regs) {
        return "longnet_load_b_fragments(" + tile + ", " + ld + ", " + regs + ")";
    }

    @Override
    public String mmaBf16Registers(String exchange, String a0, String a1, String a2, String a3, String b0, String b1, String acc) {
        return "longnet_mma_bf16_registers(" + String.join(", ", a0, a1, a2, a3, b0, b1, acc) + ")";
    }

    @Override
    public String shuffleXor(String exchange, String value, String laneMask) {
        return "__shfl_xor_sync(0xFFFFFFFFu, " + value + ", " + laneMask + ")";
    }

    @Override
    public String packBf16(String lo, String hi) {
        return "((int) longnet_bf16x2(" + lo + ", " + hi + "))";
    }

    @Override
    public String mmaBf16(String a, String lda, String b, String bRowStride, String bColStride, String acc) {
        return "longnet_mma_bf16(" + a + ", " + lda + ", " + b + ", " + bRowStride + ", " + bColStride + ", " + acc + ")";
    }

    @Override
    public String saturatingCast(String from, String to, String expr) {
        String f = from.equals("float") ? "float" : "double";
        String t = to.equals("int") ? "int" : "ll";
        return "__" + f + "2" + t + "_rz(" + expr + ")";
    }
}
