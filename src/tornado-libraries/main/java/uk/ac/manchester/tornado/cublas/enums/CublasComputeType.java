package uk.ac.manchester.tornado.cublas.enums;

/** cuBLAS's {@code cublasComputeType_t}: the precision a product accumulates in. */
public enum CublasComputeType {
    CUBLAS_COMPUTE_16F(64),
    CUBLAS_COMPUTE_16F_PEDANTIC(65),
    CUBLAS_COMPUTE_32F(68),
    CUBLAS_COMPUTE_32F_PEDANTIC(69),
    CUBLAS_COMPUTE_32F_FAST_16F(74),
    CUBLAS_COMPUTE_32F_FAST_16BF(75),
    CUBLAS_COMPUTE_32F_FAST_TF32(77),
    CUBLAS_COMPUTE_64F(70),
    CUBLAS_COMPUTE_64F_PEDANTIC(71),
    CUBLAS_COMPUTE_32I(72),
    CUBLAS_COMPUTE_32I_PEDANTIC(73);

    private final int value;

    CublasComputeType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
