package uk.ac.manchester.tornado.cublas.enums;

/** cuBLAS's {@code cublasOperation_t}: how a matrix enters a product (as stored, transposed, conjugate-transposed). */
public enum CuBlasOperation {
    CUBLAS_OP_N(0),
    CUBLAS_OP_T(1),
    /** Conjugate transpose; for real matrices the same as {@link #CUBLAS_OP_T}. */
    CUBLAS_OP_C(2);

    private final int operation;

    CuBlasOperation(int operation) {
        this.operation = operation;
    }

    /** The value cuBLAS's C API takes, as the bindings' {@code int} parameters do. */
    public int operation() {
        return operation;
    }
}
