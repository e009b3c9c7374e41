// The CUDA C from which add.ptx is made (nvcc -ptx -arch=compute_75 add.cu -o add.ptx): c = a + b, one element per thread.
extern "C" __global__ void add(const int *a, const int *b, int *c) {
    size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    c[i] = a[i] + b[i];
}
