// Mbarriers and Tma copies lowered for OpenCL (the Java classes Mbarriers, Tma and TensorMap give the contract that
// makes this faithful): copies are synchronous and made by the whole group together, a wait is a group barrier, and a
// barrier word counts arrivals (int 0) against the arrivals per phase (int 1). A tensor map arrives as its array and
// numbers, which LONGNET_TMA_MAP passes on.
#define LONGNET_TMA_MAP(m) m, m##_offset, m##_size0, m##_size1, m##_size2, m##_size3, m##_size4, m##_stride1, m##_stride2, \
    m##_stride3, m##_stride4, m##_box0, m##_box1, m##_box2, m##_box3, m##_box4, m##_swizzle
#define LONGNET_TMA_MAP_PARAMETERS(base) base, long offset, long size0, long size1, long size2, long size3, long size4, \
    long stride1, long stride2, long stride3, long stride4, int box0, int box1, int box2, int box3, int box4, int swizzle
inline int longnet_tma_item(void) {
    return (int) (get_local_id(0) + get_local_size(0) * (get_local_id(1) + get_local_size(1) * get_local_id(2)));
}
inline int longnet_tma_items(void) {
    return (int) (get_local_size(0) * get_local_size(1) * get_local_size(2));
}
inline void longnet_mbarrier_init(__local long* barriers, int index, int arrivals) {
    if (longnet_tma_item() == 0) {
        __local int* word = (__local int*) (barriers + index);
        word[0] = 0;
        word[1] = arrivals;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}
inline void longnet_mbarrier_arrive(__local long* barriers, int index) {
    atomic_inc((volatile __local int*) (barriers + index));
}
inline void longnet_mbarrier_arrive_expect_tx(__local long* barriers, int index, int bytes) {
    atomic_inc((volatile __local int*) (barriers + index));
}
inline void longnet_mbarrier_wait(__local long* barriers, int index, int parity) {
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
}
inline void longnet_mbarrier_wait_before_copy(__local long* barriers, int index, int parity) {
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
}
// The array index of element i of the box at (d4, d3, d2, d1, d0), innermost first, or -1 where it lies outside the region.
inline long longnet_tma_element(long offset, long size0, long size1, long size2, long size3, long size4, long stride1,
        long stride2, long stride3, long stride4, int box0, int box1, int box2, int box3, int box4, int d4, int d3, int d2,
        int d1, int d0, int i) {
    long x0 = d0 + i % box0, x1 = d1 + i / box0 % box1, x2 = d2 + i / (box0 * box1) % box2;
    long x3 = d3 + i / (box0 * box1 * box2) % box3, x4 = d4 + i / (box0 * box1 * box2 * box3);
    bool inside = x0 >= 0 && x0 < size0 && x1 >= 0 && x1 < size1 && x2 >= 0 && x2 < size2 && x3 >= 0 && x3 < size3 && x4 >= 0
        && x4 < size4;
    return inside ? offset + x0 + x1 * stride1 + x2 * stride2 + x3 * stride3 + x4 * stride4 : -1;
}
#define LONGNET_TMA_NUMBERS offset, size0, size1, size2, size3, size4, stride1, stride2, stride3, stride4, box0, box1, box2, box3, box4
// The tile element that holds box element i of element_bytes: where its byte lands under the map's swizzle (TensorMap.tileByte).
inline int longnet_tma_slot(int i, int element_bytes, int swizzle) {
    int b = i * element_bytes;
    return (swizzle == 0 ? b : b ^ ((b >> 7) & (swizzle / 16 - 1)) << 4) / element_bytes;
}
// The group copies the box element by element; elements outside the region read as zeros.
inline void longnet_tma_load_5d(LONGNET_TMA_MAP_PARAMETERS(__global const uchar* base), __local void* tile, int element_bytes,
        int d4, int d3, int d2, int d1, int d0) {
    int n = box0 * box1 * box2 * box3 * box4;
    for (int i = longnet_tma_item(); i < n; i += longnet_tma_items()) {
        long at = longnet_tma_element(LONGNET_TMA_NUMBERS, d4, d3, d2, d1, d0, i);
        if (element_bytes == 4) {
            ((__local uint*) tile)[longnet_tma_slot(i, 4, swizzle)] = at >= 0 ? ((__global const uint*) base)[at] : 0u;
        } else {
            ((__local ushort*) tile)[longnet_tma_slot(i, 2, swizzle)] = at >= 0 ? ((__global const ushort*) base)[at] : (ushort) 0;
        }
    }
}
inline void longnet_tma_load_4d(LONGNET_TMA_MAP_PARAMETERS(__global const uchar* base), __local void* tile, int element_bytes,
        int d3, int d2, int d1, int d0) {
    longnet_tma_load_5d(base, LONGNET_TMA_NUMBERS, swizzle, tile, element_bytes, 0, d3, d2, d1, d0);
}
inline void longnet_tma_load_2d(LONGNET_TMA_MAP_PARAMETERS(__global const uchar* base), __local void* tile, int element_bytes,
        int row, int column) {
    longnet_tma_load_5d(base, LONGNET_TMA_NUMBERS, swizzle, tile, element_bytes, 0, 0, 0, row, column);
}
// The group's writes to the tile are published first; only the box's elements inside the region are written.
inline void longnet_tma_store_5d(LONGNET_TMA_MAP_PARAMETERS(__global uchar* base), __local const void* tile, int element_bytes,
        int d4, int d3, int d2, int d1, int d0) {
    barrier(CLK_LOCAL_MEM_FENCE);
    int n = box0 * box1 * box2 * box3 * box4;
    for (int i = longnet_tma_item(); i < n; i += longnet_tma_items()) {
        long at = longnet_tma_element(LONGNET_TMA_NUMBERS, d4, d3, d2, d1, d0, i);
        if (at >= 0) {
            if (element_bytes == 4) {
                ((__global uint*) base)[at] = ((__local const uint*) tile)[longnet_tma_slot(i, 4, swizzle)];
            } else {
                ((__global ushort*) base)[at] = ((__local const ushort*) tile)[longnet_tma_slot(i, 2, swizzle)];
            }
        }
    }
}
inline void longnet_tma_store_4d(LONGNET_TMA_MAP_PARAMETERS(__global uchar* base), __local const void* tile, int element_bytes,
        int d3, int d2, int d1, int d0) {
    longnet_tma_store_5d(base, LONGNET_TMA_NUMBERS, swizzle, tile, element_bytes, 0, d3, d2, d1, d0);
}
inline void longnet_tma_store_2d(LONGNET_TMA_MAP_PARAMETERS(__global uchar* base), __local const void* tile, int element_bytes,
        int row, int column) {
    longnet_tma_store_5d(base, LONGNET_TMA_NUMBERS, swizzle, tile, element_bytes, 0, 0, 0, row, column);
}
inline void longnet_tma_wait_stores(void) {
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
}
