// A prebuilt kernel for TornadoVM's prebuiltTask API with atomics on this engine (OpenCL C): each work-item takes the next
// value of the counter atomics[0] (its start value given by the task), so no two elements of a get the same value.
// Parameters: the accessor parameters (a, b), then the task's atomics.
__kernel void add(__global int *a, __global int *b, __global int *atomics) {
    size_t i = get_global_id(0);
    a[i] = atomic_add(&atomics[0], 1) + 1;
}
