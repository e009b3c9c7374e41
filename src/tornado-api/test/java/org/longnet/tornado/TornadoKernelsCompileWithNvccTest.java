package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.longnet.engine.translator.GeneratedCudaCompilesTest;

import java.nio.file.Path;

/** The CUDA C generated from this module's kernels (TornadoVM's arrays and matrices as arguments) compiles with nvcc. */
class TornadoKernelsCompileWithNvccTest {
    @Test
    void everyGeneratedCudaFileCompiles() throws Exception {
        GeneratedCudaCompilesTest.assertEveryGeneratedFileCompiles(Path.of("target"));
    }
}
