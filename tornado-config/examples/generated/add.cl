// A prebuilt kernel for TornadoVM's prebuiltTask API on this engine (OpenCL C): c = a + b, one element per work-item.
// Its parameters are the task's accessor parameters in order, each array a pointer to its first element.
__kernel void add(__global const int *a, __global const int *b, __global int *c) {
    size_t i = get_global_id(0);
    c[i] = a[i] + b[i];
}
