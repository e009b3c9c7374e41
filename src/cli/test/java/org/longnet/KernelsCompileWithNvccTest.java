package org.longnet;

import org.junit.jupiter.api.Test;
import org.longnet.engine.translator.GeneratedCudaCompilesTest;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The CUDA C generated from the kernels of the modules above the engine (attention, model, benchmarks)
 * compiles with nvcc for sm_90 and sm_90a; the engine checks its own. This module is built last, so all
 * their builds are there.
 */
class KernelsCompileWithNvccTest {
    private static final Path SRC = Path.of(System.getProperty("longnet.root", "../..")).resolve("src");

    @Test
    void everyGeneratedCudaFileCompiles() throws IOException, InterruptedException {
        GeneratedCudaCompilesTest.assertEveryGeneratedFileCompiles(SRC.resolve("longnet/target"), SRC.resolve("benchmarks/target"));
    }
}
