package org.longnet.engine.device.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cuLaunchKernelEx's configuration as ClusterLaunch writes it, read back at the offsets that cuda.h gives its fields
 * (a host program compiled by nvcc prints them), so a wrong layout fails here rather than on the GPU.
 */
class ClusterLaunchLayoutTest {
    private static final String OFFSETS = """
            #include <cuda.h>
            #include <stddef.h>
            #include <stdio.h>
            int main() {
                printf("%zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu\\n",
                       offsetof(CUlaunchConfig, gridDimX), offsetof(CUlaunchConfig, gridDimY), offsetof(CUlaunchConfig, gridDimZ),
                       offsetof(CUlaunchConfig, blockDimX), offsetof(CUlaunchConfig, blockDimY), offsetof(CUlaunchConfig, blockDimZ),
                       offsetof(CUlaunchConfig, sharedMemBytes), offsetof(CUlaunchConfig, hStream), offsetof(CUlaunchConfig, attrs),
                       offsetof(CUlaunchConfig, numAttrs), offsetof(CUlaunchAttribute, id), offsetof(CUlaunchAttribute, value.clusterDim.x),
                       offsetof(CUlaunchAttribute, value.clusterDim.y), offsetof(CUlaunchAttribute, value.clusterDim.z),
                       (size_t) CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION);
                return 0;
            }
            """;

    @Test
    void configFieldsLieWhereCudaHPutsThem() throws IOException, InterruptedException {
        long[] at = cudaOffsets();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment config = ClusterLaunch.config(arena, "k", "sm_90a", new long[] {8, 3, 2}, new long[] {64, 2, 1}, 4096, 4);
            int[] expected = {8, 3, 2, 64, 2, 1, 4096};
            for (int field = 0; field < expected.length; field++) {
                assertEquals(expected[field], config.get(JAVA_INT, at[field]), "CUlaunchConfig field " + field);
            }
            assertEquals(MemorySegment.NULL, config.get(ADDRESS, at[7]), "hStream");
            assertEquals(1, config.get(JAVA_INT, at[9]), "numAttrs");
            MemorySegment attribute = config.get(ADDRESS, at[8]).reinterpret(at[13] + 4);
            assertEquals(at[14], attribute.get(JAVA_INT, at[10]), "the attribute's id: CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION");
            assertEquals(4, attribute.get(JAVA_INT, at[11]), "clusterDim.x");
            assertEquals(1, attribute.get(JAVA_INT, at[12]), "clusterDim.y");
            assertEquals(1, attribute.get(JAVA_INT, at[13]), "clusterDim.z");
        }
    }

    @Test
    void gpusBeforeHopperAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClusterLaunch.config(arena, "K.k", "sm_86", new long[] {8, 1, 1}, new long[] {64, 1, 1}, 0, 4));
            assertTrue(e.getMessage().contains("kernel K.k runs in clusters of 4 blocks, which need compute capability 9.0"), e.getMessage());
        }
    }

    private static long[] cudaOffsets() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("cuda-layout");
        Files.writeString(dir.resolve("offsets.cu"), OFFSETS);
        run(dir, "nvcc", "-o", "offsets", "offsets.cu");
        return Arrays.stream(run(dir, dir.resolve("offsets").toString()).trim().split(" ")).mapToLong(Long::parseLong).toArray();
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}
