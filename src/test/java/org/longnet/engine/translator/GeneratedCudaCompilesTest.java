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
 * Every CUDA C file the translator generated in this build compiles with {@code nvcc -ptx
 * -arch=sm_90}, so CUDA code is checked even where no GPU is present. nvcc must be installed
 * (CI installs and checks it); a missing nvcc fails this test.
 */
class GeneratedCudaCompilesTest {
    @Test
    void everyGeneratedCudaFileCompilesForSm90() throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> walk = Stream.concat(Files.walk(Path.of("target", "classes")), Files.walk(Path.of("target", "test-classes")))) {
            files = walk.filter(p -> p.toString().endsWith(".cu")).toList();
        }
        assertFalse(files.isEmpty(), "no generated .cu files found under target/");
        Path out = Files.createTempDirectory("nvcc-check");
        for (Path cu : files) {
            Process p = new ProcessBuilder("nvcc", "-ptx", "-arch=sm_90", cu.toString(), "-o", out.resolve("k.ptx").toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), "nvcc rejected " + cu + ":\n" + log);
        }
    }
}
