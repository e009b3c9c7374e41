package uk.ac.manchester.tornado.cublas;

import uk.ac.manchester.tornado.cublas.enums.CuBlasMathMode;

/**
 * Settings of one cuBLAS call, given with {@code LibraryTaskDescriptor.withTuning}: its math mode (TF32 lets fp32
 * products round their inputs to TF32) and the workspace cuBLAS may use (a performance hint: results do not depend on it).
 */
public final class CuBlasOptions {
    private CuBlasMathMode mathMode = CuBlasMathMode.CUBLAS_DEFAULT_MATH;
    private long workspaceBytes;

    public CuBlasOptions withMathMode(CuBlasMathMode mathMode) {
        this.mathMode = mathMode;
        return this;
    }

    public CuBlasOptions withWorkspace(long workspaceBytes) {
        if (workspaceBytes < 0) {
            throw new IllegalArgumentException("cuBLAS workspace must be >= 0 bytes, was " + workspaceBytes);
        }
        this.workspaceBytes = workspaceBytes;
        return this;
    }

    public CuBlasMathMode getMathMode() {
        return mathMode;
    }

    public long getWorkspaceBytes() {
        return workspaceBytes;
    }
}
