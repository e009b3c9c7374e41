// A prebuilt kernel for TornadoVM's prebuiltTask API on this engine (OpenCL C): each work-group of up to 256 work-items
// sums its part of input in local memory, and its first work-item writes the sum to reduce[group].
// Parameters: the accessor parameters after the KernelContext (which passes nothing): input, reduce.
__kernel void floatReductionAddLocalMemory(__global const float *input, __global float *reduce) {
    __local float partial[256];
    size_t item = get_local_id(0);
    partial[item] = input[get_global_id(0)];
    for (size_t stride = get_local_size(0) / 2; stride > 0; stride /= 2) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (item < stride) {
            partial[item] += partial[item + stride];
        }
    }
    if (item == 0) {
        reduce[get_group_id(0)] = partial[0];
    }
}
