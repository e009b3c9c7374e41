// TornadoVM's SIMD-group matrices (Matrix8x8Float) for both runtimes, which define LONGNET_VFN, LONGNET_GLOBAL,
// LONGNET_LOCAL and LONGNET_LONG (see longnet_vectors.h), LONGNET_EXACT_FLOATS (what a function body starts with so that
// its compiler fuses no product with a sum: OpenCL's pragma) and LONGNET_ROUNDED_SUM(x, y) (x + y, never fused with the
// product y: CUDA's __fadd_rn), then include this file. A tile is a struct value of 64 floats, row by
// row, that each work-item holds for itself, and each function computes the whole tile in the work-item that calls it,
// as KernelContext's Java methods do (SimdgroupMatrices.java spells the calls): products rounded, then added in the
// order of k, so the results are Java's bit for bit. Row i of a tile in memory starts at base + i * stride.
typedef struct { float s[64]; } longnet_mat8x8f;
LONGNET_VFN longnet_mat8x8f longnet_mat8x8f_zero(void) {
    longnet_mat8x8f r;
    for (int e = 0; e < 64; e++) r.s[e] = 0.0f;
    return r;
}
// A load from each address space a kernel's float arrays live in: global (array parameters), local (the work-group's
// arrays, and each work-item's arrays sized at launch), private (constant-size arrays of the work-item).
#define LONGNET_MAT8X8F_LOAD(SPACE, NAME) \
    LONGNET_VFN longnet_mat8x8f NAME(SPACE const float* p, LONGNET_LONG base, LONGNET_LONG stride) { \
        longnet_mat8x8f r; \
        for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) r.s[i * 8 + j] = p[base + i * stride + j]; \
        return r; }
LONGNET_MAT8X8F_LOAD(LONGNET_GLOBAL, longnet_mat8x8f_load)
LONGNET_MAT8X8F_LOAD(LONGNET_LOCAL, longnet_mat8x8f_load_local)
LONGNET_MAT8X8F_LOAD(, longnet_mat8x8f_load_private)
// Row by row: each product a(i, k) b(k, j) is added to element (i, j) as k rises, exactly the order above; the eight
// columns of a row are independent sums, which lets the compiler put them in vector registers.
LONGNET_VFN longnet_mat8x8f longnet_mat8x8f_multiply_accumulate(longnet_mat8x8f a, longnet_mat8x8f b, longnet_mat8x8f c) {
    LONGNET_EXACT_FLOATS
    longnet_mat8x8f d = c;
    for (int i = 0; i < 8; i++) {
        for (int k = 0; k < 8; k++) {
            float aik = a.s[i * 8 + k];
            for (int j = 0; j < 8; j++) {
                float product = aik * b.s[k * 8 + j];
                d.s[i * 8 + j] = LONGNET_ROUNDED_SUM(d.s[i * 8 + j], product);
            }
        }
    }
    return d;
}
LONGNET_VFN void longnet_mat8x8f_store(longnet_mat8x8f m, LONGNET_GLOBAL float* p, LONGNET_LONG base, LONGNET_LONG stride) {
    for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) p[base + i * stride + j] = m.s[i * 8 + j];
}
// KernelContext.matrixMultiply8x8: c's tile = a's 8 x k block times b's k x 8 block, a sum of tile products, k in steps of 8:
// element (i, j) adds a(i, q) b(q, j) for q from 0 to k - 1 in turn, which is what the loads and products of each step
// add, read straight from the arrays (the tile is stored only at the end, as there).
LONGNET_VFN void longnet_mat8x8f_multiply(LONGNET_GLOBAL const float* a, LONGNET_LONG aBase, LONGNET_LONG lda, LONGNET_GLOBAL const float* b,
        LONGNET_LONG bBase, LONGNET_LONG ldb, LONGNET_GLOBAL float* c, LONGNET_LONG cBase, LONGNET_LONG ldc, int k) {
    LONGNET_EXACT_FLOATS
    longnet_mat8x8f sum = longnet_mat8x8f_zero();
    for (int p = 0; p < k; p += 8) {
        for (int i = 0; i < 8; i++) {
            for (int q = p; q < p + 8; q++) {
                float aiq = a[aBase + i * lda + q];
                for (int j = 0; j < 8; j++) {
                    float product = aiq * b[bBase + q * ldb + j];
                    sum.s[i * 8 + j] = LONGNET_ROUNDED_SUM(sum.s[i * 8 + j], product);
                }
            }
        }
    }
    longnet_mat8x8f_store(sum, c, cBase, ldc);
}
