// TornadoVM's vector types (Float4, Int3, Double8, ...) as C struct values, with the lane-wise operations of their Java
// methods, written once for both runtimes: longnet_runtime.cl and longnet_runtime.cuh define LONGNET_VFN (what precedes a
// function), LONGNET_GLOBAL (the address space of arrays), LONGNET_LOCAL (of work-group memory) and LONGNET_LONG, then
// include this file. A vector of N lanes of type T is longnet_vec_TN, lane i at .s[i]; its functions are longnet_vec_OP_TN
// (Vectors.java spells the calls). Lane loops have constant trip counts, so compilers unroll them into registers.
#define LONGNET_V(T, N) longnet_vec_##T##N
#define LONGNET_FN(T, N, OP) longnet_vec_##OP##_##T##N
#define LONGNET_EACH(N, BODY) for (int i = 0; i < N; i++) { BODY; }
// OP lane by lane on two vectors, and on a vector and one value for every lane; the lanes are x and y in EXPR. (Lane-wise
// min and max are named minimum and maximum: OpenCL compilers may define min and max as macros.)
#define LONGNET_LANEWISE(T, N, OP, EXPR) \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, OP)(LONGNET_V(T, N) a, LONGNET_V(T, N) b) { \
        LONGNET_V(T, N) r; LONGNET_EACH(N, T x = a.s[i]; T y = b.s[i]; r.s[i] = (EXPR)) return r; } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, OP##_scalar)(LONGNET_V(T, N) a, T y) { \
        LONGNET_V(T, N) r; LONGNET_EACH(N, T x = a.s[i]; r.s[i] = (EXPR)) return r; }
// Every vector type: T its lanes, W the type that + - * compute in (the unsigned type for int: Java wraps around, where
// C leaves signed overflow undefined), MIN and MAX the lanes' min and max functions. load and store move vector index of
// an array of vectors (load_local and store_local of a kernel's own collection, in work-group memory); gather reads lanes
// stride elements apart (a matrix's row, column or diagonal).
#define LONGNET_VECTOR(T, N, W, MIN, MAX) \
    typedef struct { T s[N]; } LONGNET_V(T, N); \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, splat)(T x) { LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = x) return r; } \
    LONGNET_LANEWISE(T, N, add, (T) ((W) x + (W) y)) \
    LONGNET_LANEWISE(T, N, sub, (T) ((W) x - (W) y)) \
    LONGNET_LANEWISE(T, N, mult, (T) ((W) x * (W) y)) \
    LONGNET_LANEWISE(T, N, div, x / y) \
    LONGNET_LANEWISE(T, N, minimum, MIN(x, y)) \
    LONGNET_LANEWISE(T, N, maximum, MAX(x, y)) \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, clamp)(LONGNET_V(T, N) a, T lo, T hi) { \
        LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = MIN(MAX(a.s[i], lo), hi)) return r; } \
    LONGNET_VFN T LONGNET_FN(T, N, sum)(LONGNET_V(T, N) a) { T r = 0; LONGNET_EACH(N, r = (T) ((W) r + (W) a.s[i])) return r; } \
    LONGNET_VFN T LONGNET_FN(T, N, lanes_min)(LONGNET_V(T, N) a) { T r = a.s[0]; LONGNET_EACH(N, r = MIN(r, a.s[i])) return r; } \
    LONGNET_VFN T LONGNET_FN(T, N, lanes_max)(LONGNET_V(T, N) a) { T r = a.s[0]; LONGNET_EACH(N, r = MAX(r, a.s[i])) return r; } \
    LONGNET_VFN T LONGNET_FN(T, N, dot)(LONGNET_V(T, N) a, LONGNET_V(T, N) b) { return LONGNET_FN(T, N, sum)(LONGNET_FN(T, N, mult)(a, b)); } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, load)(LONGNET_GLOBAL const T* p, LONGNET_LONG index) { \
        LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = p[index * N + i]) return r; } \
    LONGNET_VFN void LONGNET_FN(T, N, store)(LONGNET_GLOBAL T* p, LONGNET_LONG index, LONGNET_V(T, N) v) { \
        LONGNET_EACH(N, p[index * N + i] = v.s[i]) } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, load_local)(LONGNET_LOCAL const T* p, LONGNET_LONG index) { \
        LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = p[index * N + i]) return r; } \
    LONGNET_VFN void LONGNET_FN(T, N, store_local)(LONGNET_LOCAL T* p, LONGNET_LONG index, LONGNET_V(T, N) v) { \
        LONGNET_EACH(N, p[index * N + i] = v.s[i]) } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, gather)(LONGNET_GLOBAL const T* p, LONGNET_LONG first, LONGNET_LONG stride) { \
        LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = p[first + i * stride]) return r; }
// What float and double vectors have besides: roots, floors, lengths.
#define LONGNET_FLOATING_VECTOR(T, N) \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, sqrt)(LONGNET_V(T, N) a) { LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = sqrt(a.s[i])) return r; } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, floor)(LONGNET_V(T, N) a) { LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = floor(a.s[i])) return r; } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, cos)(LONGNET_V(T, N) a) { LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = cos(a.s[i])) return r; } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, sin)(LONGNET_V(T, N) a) { LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = sin(a.s[i])) return r; } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, fract)(LONGNET_V(T, N) a) { \
        LONGNET_V(T, N) r; LONGNET_EACH(N, r.s[i] = a.s[i] - floor(a.s[i])) return r; } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, scale_by_inverse)(LONGNET_V(T, N) a, T by) { \
        return LONGNET_FN(T, N, mult_scalar)(a, (T) 1 / by); } \
    LONGNET_VFN T LONGNET_FN(T, N, length)(LONGNET_V(T, N) a) { return sqrt(LONGNET_FN(T, N, dot)(a, a)); } \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, normalise)(LONGNET_V(T, N) a) { \
        return LONGNET_FN(T, N, scale_by_inverse)(a, LONGNET_FN(T, N, length)(a)); }
// A vector from its lanes, one constructor per width.
#define LONGNET_MAKE(T, N, PARAMS, ...) \
    LONGNET_VFN LONGNET_V(T, N) LONGNET_FN(T, N, make) PARAMS { LONGNET_V(T, N) r = {{__VA_ARGS__}}; return r; }
#define LONGNET_VECTORS(T, W, MIN, MAX) \
    LONGNET_VECTOR(T, 2, W, MIN, MAX) LONGNET_VECTOR(T, 3, W, MIN, MAX) LONGNET_VECTOR(T, 4, W, MIN, MAX) LONGNET_VECTOR(T, 8, W, MIN, MAX) \
    LONGNET_MAKE(T, 2, (T a, T b), a, b) \
    LONGNET_MAKE(T, 3, (T a, T b, T c), a, b, c) \
    LONGNET_MAKE(T, 4, (T a, T b, T c, T d), a, b, c, d) \
    LONGNET_MAKE(T, 8, (T a, T b, T c, T d, T e, T f, T g, T h), a, b, c, d, e, f, g, h)
// Float16, Int16, Double16: TornadoVM has 16 lanes for these three only.
#define LONGNET_VECTORS16(T, W, MIN, MAX) \
    LONGNET_VECTOR(T, 16, W, MIN, MAX) \
    LONGNET_MAKE(T, 16, (T a, T b, T c, T d, T e, T f, T g, T h, T i, T j, T k, T l, T m, T n, T o, T p), \
        a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)
#define LONGNET_FLOATING_VECTORS(T) LONGNET_FLOATING_VECTOR(T, 2) LONGNET_FLOATING_VECTOR(T, 3) LONGNET_FLOATING_VECTOR(T, 4) \
    LONGNET_FLOATING_VECTOR(T, 8) LONGNET_FLOATING_VECTOR(T, 16)
// An int vector's lanes as floats (TornadoVM's Float4.mult(Float4, Int4) and its kin), rounded as Java's int to float.
#define LONGNET_FROM_INT(N) \
    LONGNET_VFN LONGNET_V(float, N) LONGNET_FN(float, N, from_int)(LONGNET_V(int, N) a) { \
        LONGNET_V(float, N) r; LONGNET_EACH(N, r.s[i] = (float) a.s[i]) return r; }
LONGNET_VECTORS(float, float, fmin, fmax)
LONGNET_VECTORS(double, double, fmin, fmax)
LONGNET_VECTORS(int, unsigned int, min, max)
LONGNET_VECTORS16(float, float, fmin, fmax)
LONGNET_VECTORS16(double, double, fmin, fmax)
LONGNET_VECTORS16(int, unsigned int, min, max)
LONGNET_FROM_INT(2) LONGNET_FROM_INT(3) LONGNET_FROM_INT(4) LONGNET_FROM_INT(8) LONGNET_FROM_INT(16)
// Short2, Short3, Byte3, Byte4 and their kin compute in int, as Java does, and wrap on the cast back. Java's byte is a C
// type name here for the byte vectors' names (longnet_vec_byte3): the kernels' byte arrays are OpenCL's char (signed) and
// CUDA's signed char.
#ifdef __OPENCL_VERSION__
typedef char byte;
#else
typedef signed char byte;
#endif
LONGNET_VECTORS(short, int, min, max)
LONGNET_VECTORS(byte, int, min, max)
LONGNET_FLOATING_VECTORS(float)
LONGNET_FLOATING_VECTORS(double)
// Float3.cross.
LONGNET_VFN longnet_vec_float3 longnet_vec_cross_float3(longnet_vec_float3 a, longnet_vec_float3 b) {
    return longnet_vec_make_float3(a.s[1] * b.s[2] - a.s[2] * b.s[1], a.s[2] * b.s[0] - a.s[0] * b.s[2], a.s[0] * b.s[1] - a.s[1] * b.s[0]);
}
