// A prebuilt kernel for TornadoVM's prebuiltTask API on this engine (CUDA C, compiled by NVRTC on cuda devices): c = a + b,
// one element per thread. add.ptx is made from it: nvcc -ptx -arch=compute_75 add.cu -o add.ptx
extern "C" __global__ void add(const int *a, const int *b, int *c) {
    size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    c[i] = a[i] + b[i];
}
