package uk.ac.manchester.tornado.cublas.enums;

/** cuBLASLt's {@code cublasLtEpilogue_t}: what a matmul applies to its result before writing it. */
public enum CuBlasLtEpilogue {
    CUBLASLT_EPILOGUE_DEFAULT(1),
    CUBLASLT_EPILOGUE_RELU(2),
    CUBLASLT_EPILOGUE_BIAS(4),
    CUBLASLT_EPILOGUE_RELU_BIAS(6),
    CUBLASLT_EPILOGUE_GELU(32),
    CUBLASLT_EPILOGUE_GELU_BIAS(36);

    private final int value;

    CuBlasLtEpilogue(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
