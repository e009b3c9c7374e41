// TornadoVM's fp16 vectors (Half2, Half3, Half4, Half8, Half16: HalfVector.java) as C struct values, written once for both
// runtimes, which include this file after their HalfFloat functions (longnet_half_round, longnet_half_load,
// longnet_half_store) and define LONGNET_HALF_STORAGE, the C type of an fp16 word in global memory. A vector of N lanes is
// longnet_vec_halfN of N floats, each holding an fp16 value as a kernel's HalfFloat does (HalfFloats.java); every operation
// computes a lane in float and rounds it to fp16, as HalfFloat.add ... div do, so no device needs fp16 arithmetic. The lanes
// live as fp16 words in global memory (load, store: vector index of a collection; load_at, store_at: from an element, as
// HalfFloatArray.getHalf2) and as floats in work-group memory (load_local, store_local), which hold them exactly.
#define LONGNET_HV(N) longnet_vec_half##N
#define LONGNET_HFN(N, OP) longnet_vec_##OP##_half##N
#define LONGNET_HALF_LANEWISE(N, OP, SYMBOL) \
    LONGNET_VFN LONGNET_HV(N) LONGNET_HFN(N, OP)(LONGNET_HV(N) a, LONGNET_HV(N) b) { \
        LONGNET_HV(N) r; LONGNET_EACH(N, r.s[i] = longnet_half_round(a.s[i] SYMBOL b.s[i])) return r; } \
    LONGNET_VFN LONGNET_HV(N) LONGNET_HFN(N, OP##_scalar)(LONGNET_HV(N) a, float y) { \
        LONGNET_HV(N) r; LONGNET_EACH(N, r.s[i] = longnet_half_round(a.s[i] SYMBOL y)) return r; }
// dot adds the products in TornadoVM's order, a pairwise tree (HalfVector.dot): each level adds neighbours, an odd last
// lane passing up alone.
#define LONGNET_HALF_VECTOR(N) \
    typedef struct { float s[N]; } LONGNET_HV(N); \
    LONGNET_VFN LONGNET_HV(N) LONGNET_HFN(N, splat)(float x) { LONGNET_HV(N) r; LONGNET_EACH(N, r.s[i] = x) return r; } \
    LONGNET_HALF_LANEWISE(N, add, +) \
    LONGNET_HALF_LANEWISE(N, sub, -) \
    LONGNET_HALF_LANEWISE(N, mult, *) \
    LONGNET_HALF_LANEWISE(N, div, /) \
    LONGNET_VFN LONGNET_HV(N) LONGNET_HFN(N, fma)(LONGNET_HV(N) a, LONGNET_HV(N) b, LONGNET_HV(N) c) { \
        return LONGNET_HFN(N, add)(LONGNET_HFN(N, mult)(a, b), c); } \
    LONGNET_VFN float LONGNET_HFN(N, dot)(LONGNET_HV(N) a, LONGNET_HV(N) b) { \
        LONGNET_HV(N) t = LONGNET_HFN(N, mult)(a, b); \
        for (int n = N; n > 1; n = (n + 1) / 2) { \
            for (int i = 0; i < n / 2; i++) { t.s[i] = longnet_half_round(t.s[2 * i] + t.s[2 * i + 1]); } \
            if (n % 2 == 1) { t.s[n / 2] = t.s[n - 1]; } \
        } \
        return t.s[0]; } \
    LONGNET_VFN LONGNET_HV(N) LONGNET_HFN(N, load_at)(LONGNET_GLOBAL const LONGNET_HALF_STORAGE* p, LONGNET_LONG first) { \
        LONGNET_HV(N) r; LONGNET_EACH(N, r.s[i] = longnet_half_load(p, first + i)) return r; } \
    LONGNET_VFN void LONGNET_HFN(N, store_at)(LONGNET_GLOBAL LONGNET_HALF_STORAGE* p, LONGNET_LONG first, LONGNET_HV(N) v) { \
        LONGNET_EACH(N, longnet_half_store(p, first + i, v.s[i])) } \
    LONGNET_VFN LONGNET_HV(N) LONGNET_HFN(N, load)(LONGNET_GLOBAL const LONGNET_HALF_STORAGE* p, LONGNET_LONG index) { \
        return LONGNET_HFN(N, load_at)(p, index * N); } \
    LONGNET_VFN void LONGNET_HFN(N, store)(LONGNET_GLOBAL LONGNET_HALF_STORAGE* p, LONGNET_LONG index, LONGNET_HV(N) v) { \
        LONGNET_HFN(N, store_at)(p, index * N, v); } \
    LONGNET_VFN LONGNET_HV(N) LONGNET_HFN(N, load_local)(LONGNET_LOCAL const float* p, LONGNET_LONG index) { \
        LONGNET_HV(N) r; LONGNET_EACH(N, r.s[i] = p[index * N + i]) return r; } \
    LONGNET_VFN void LONGNET_HFN(N, store_local)(LONGNET_LOCAL float* p, LONGNET_LONG index, LONGNET_HV(N) v) { \
        LONGNET_EACH(N, p[index * N + i] = v.s[i]) }
LONGNET_HALF_VECTOR(2) LONGNET_HALF_VECTOR(3) LONGNET_HALF_VECTOR(4) LONGNET_HALF_VECTOR(8) LONGNET_HALF_VECTOR(16)
LONGNET_VFN LONGNET_HV(2) LONGNET_HFN(2, make)(float a, float b) { LONGNET_HV(2) r = {{a, b}}; return r; }
LONGNET_VFN LONGNET_HV(3) LONGNET_HFN(3, make)(float a, float b, float c) { LONGNET_HV(3) r = {{a, b, c}}; return r; }
LONGNET_VFN LONGNET_HV(4) LONGNET_HFN(4, make)(float a, float b, float c, float d) { LONGNET_HV(4) r = {{a, b, c, d}}; return r; }
LONGNET_VFN LONGNET_HV(8) LONGNET_HFN(8, make)(float a, float b, float c, float d, float e, float f, float g, float h) {
    LONGNET_HV(8) r = {{a, b, c, d, e, f, g, h}}; return r; }
LONGNET_VFN LONGNET_HV(16) LONGNET_HFN(16, make)(float a, float b, float c, float d, float e, float f, float g, float h, float i, float j,
        float k, float l, float m, float n, float o, float p) {
    LONGNET_HV(16) r = {{a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p}}; return r; }
// Half2's packed-pair helpers: lanes as floats, and two floats rounded into a pair.
LONGNET_VFN float LONGNET_HFN(2, low_float)(LONGNET_HV(2) a) { return a.s[0]; }
LONGNET_VFN float LONGNET_HFN(2, high_float)(LONGNET_HV(2) a) { return a.s[1]; }
LONGNET_VFN LONGNET_HV(2) LONGNET_HFN(2, from_floats)(float x, float y) {
    return LONGNET_HFN(2, make)(longnet_half_round(x), longnet_half_round(y)); }
// VectorHalf.dot: the products of a collection's first n values added first to last, each product and sum rounded.
LONGNET_VFN float LONGNET_HFN(1, dot)(LONGNET_GLOBAL const LONGNET_HALF_STORAGE* a, LONGNET_GLOBAL const LONGNET_HALF_STORAGE* b, LONGNET_LONG n) {
    float sum = 0.0f;
    for (LONGNET_LONG i = 0; i < n; i++) { sum = longnet_half_round(sum + longnet_half_round(longnet_half_load(a, i) * longnet_half_load(b, i))); }
    return sum;
}
