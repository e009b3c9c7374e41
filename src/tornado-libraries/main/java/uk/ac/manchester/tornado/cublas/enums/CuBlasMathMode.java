package uk.ac.manchester.tornado.cublas.enums;

/** cuBLAS's {@code cublasMath_t}: whether fp32 products may use TF32 tensor cores. */
public enum CuBlasMathMode {
    CUBLAS_DEFAULT_MATH(0),
    CUBLAS_PEDANTIC_MATH(1),
    /** fp32 inputs rounded to TF32 (10 mantissa bits) before they multiply; fp32 accumulation. */
    CUBLAS_TF32_TENSOR_OP_MATH(3);

    private final int value;

    CuBlasMathMode(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
