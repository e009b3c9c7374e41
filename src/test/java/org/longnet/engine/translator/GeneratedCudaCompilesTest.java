package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every CUDA C file the translator generated in this build compiles with nvcc, so CUDA code is
 * checked even where no GPU is present: to PTX for sm_90 (the portable path, mma.sync), and through
 * ptxas to a cubin for sm_90a, the Hopper path NVRTC takes on the H200 (wgmma, cp.async: inline
 * PTX that only the assembler checks). nvcc must be installed (CI installs and checks it); a missing
 * nvcc fails this test.
 */
class GeneratedCudaCompilesTest {
    @Test
    void everyGeneratedCudaFileCompilesForSm90AndSm90a() throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> walk = Stream.concat(Files.walk(Path.of("target", "classes")), Files.walk(Path.of("target", "test-classes")))) {
            files = walk.filter(p -> p.toString().endsWith(".cu")).toList();
        }
        assertFalse(files.isEmpty(), "no generated .cu files found under target/");
        Path out = Files.createTempDirectory("nvcc-check");
        for (Path cu : files) {
            nvcc(cu, "-ptx", "-arch=sm_90", out.resolve("k.ptx"));
            nvcc(cu, "-cubin", "-arch=sm_90a", out.resolve("k.cubin"));
        }
    }

    private static void nvcc(Path cu, String output, String arch, Path to) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nvcc", output, arch, cu.toString(), "-o", to.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "nvcc " + arch + " rejected " + cu + ":\n" + log);
    }
}
