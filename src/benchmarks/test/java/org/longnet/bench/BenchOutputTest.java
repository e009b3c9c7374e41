package org.longnet.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each benchmark run claims files of its own, even two runs in the same second. */
class BenchOutputTest {
    @Test
    void runsInTheSameSecondGetNumberedNames(@TempDir Path dir) throws IOException {
        LocalDateTime time = LocalDateTime.of(2026, 1, 5, 11, 42, 3);
        Path first = BenchOutput.reserve(dir.resolve("out"), "attention-cuda-0-mma", time);
        Path second = BenchOutput.reserve(dir.resolve("out"), "attention-cuda-0-mma", time);
        Path other = BenchOutput.reserve(dir.resolve("out"), "attention-opencl-0-0", time);
        assertEquals("attention-cuda-0-mma-20260105-114203.csv", first.getFileName().toString());
        assertEquals("attention-cuda-0-mma-20260105-114203-2.csv", second.getFileName().toString());
        assertEquals("attention-opencl-0-0-20260105-114203.csv", other.getFileName().toString());
        assertTrue(Files.isRegularFile(first) && Files.isRegularFile(second), "a name is claimed by creating its file");
    }
}
