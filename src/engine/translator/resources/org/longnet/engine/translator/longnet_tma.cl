// Mbarriers and Tma copies lowered for OpenCL (the Java classes Mbarriers, Tma and TensorMap give the contract that
// makes this faithful): copies are synchronous and made by the whole group together, a wait is a group barrier, and a
// barrier word counts arrivals (int 0) against the arrivals per phase (int 1). A tensor map arrives as its array and
// numbers, which LONGNET_TMA_MAP passes on.
#define LONGNET_TMA_MAP(m) m, m##_offset, m##_rows, m##_columns, m##_stride, m##_box_rows, m##_box_columns
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
// The group copies the box element by element; elements outside the region read as zeros.
inline void longnet_tma_load_2d(__global const uchar* base, long offset, long rows, long columns, long stride, int box_rows,
        int box_columns, __local void* tile, int element_bytes, int row, int column) {
    int n = box_rows * box_columns;
    for (int i = longnet_tma_item(); i < n; i += longnet_tma_items()) {
        long r = row + i / box_columns, c = column + i % box_columns;
        bool inside = r >= 0 && r < rows && c >= 0 && c < columns;
        long at = offset + r * stride + c;
        if (element_bytes == 4) {
            ((__local uint*) tile)[i] = inside ? ((__global const uint*) base)[at] : 0u;
        } else {
            ((__local ushort*) tile)[i] = inside ? ((__global const ushort*) base)[at] : (ushort) 0;
        }
    }
}
// The group's writes to the tile are published first; only the box's elements inside the region are written.
inline void longnet_tma_store_2d(__global uchar* base, long offset, long rows, long columns, long stride, int box_rows,
        int box_columns, __local const void* tile, int element_bytes, int row, int column) {
    barrier(CLK_LOCAL_MEM_FENCE);
    int n = box_rows * box_columns;
    for (int i = longnet_tma_item(); i < n; i += longnet_tma_items()) {
        long r = row + i / box_columns, c = column + i % box_columns;
        if (r >= 0 && r < rows && c >= 0 && c < columns) {
            long at = offset + r * stride + c;
            if (element_bytes == 4) {
                ((__global uint*) base)[at] = ((__local const uint*) tile)[i];
            } else {
                ((__global ushort*) base)[at] = ((__local const ushort*) tile)[i];
            }
        }
    }
}
inline void longnet_tma_wait_stores(void) {
    barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE);
}
