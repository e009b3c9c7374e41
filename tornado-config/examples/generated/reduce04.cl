// A prebuilt kernel for TornadoVM's prebuiltTask API on this engine (OpenCL C): the first work-item of each work-group adds
// up the group's part of input, read from global memory, and writes the sum to output[group].
// Parameters: the accessor parameters after the KernelContext (which passes nothing): input, output.
__kernel void intReductionAddGlobalMemory(__global const int *input, __global int *output) {
    if (get_local_id(0) == 0) {
        size_t base = get_group_id(0) * get_local_size(0);
        int sum = 0;
        for (size_t i = 0; i < get_local_size(0); i++) {
            sum += input[base + i];
        }
        output[get_group_id(0)] = sum;
    }
}
