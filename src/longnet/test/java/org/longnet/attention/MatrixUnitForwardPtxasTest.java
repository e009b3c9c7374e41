package org.longnet.attention;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The forward kernels as ptxas builds them for the H200 (sm_90a, the generated CUDA of this build): no spills in
 * either, and the pipelined one's wgmma not serialized, which is what ptxas does, with a warning, where the kernel
 * touches a product's accumulators while it runs or runs out of registers for the pipeline; it would still be right,
 * only no faster. Needs nvcc, as GeneratedCudaCompilesTest does.
 */
class MatrixUnitForwardPtxasTest {
    private static final Path CU = Path.of("target/classes/org/longnet/attention/MatrixUnitForward.cu");
    private static final Pattern ENTRY = Pattern.compile("Function properties for (\\w+)\\s+(\\d+) bytes stack frame, (\\d+) bytes spill stores, "
            + "(\\d+) bytes spill loads");

    @Test
    void bothForwardsBuildWithoutSpillsAndThePipelineStays() throws IOException, InterruptedException {
        Path cubin = Files.createTempFile("forward", ".cubin");
        Process p = new ProcessBuilder("nvcc", "-x", "cu", "-cubin", "-arch=sm_90a", "-Xptxas", "-v", CU.toString(), "-o", cubin.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "nvcc rejected " + CU + ":\n" + log);
        Files.deleteIfExists(cubin);
        assertFalse(log.contains("serialized"), "ptxas serialized the wgmma pipeline:\n" + log);
        int kernels = 0;
        for (Matcher m = ENTRY.matcher(log); m.find(); ) {
            assertEquals("0 0", m.group(3) + " " + m.group(4), m.group(1) + " spills (stores, loads in bytes):\n" + log);
            kernels += m.group(1).startsWith("forwardPairMma") ? 1 : 0;
        }
        assertEquals(2, kernels, "ptxas reported on both forward kernels:\n" + log);
        assertTrue(log.contains("forwardPairMmaPipelined"), log);
    }
}
