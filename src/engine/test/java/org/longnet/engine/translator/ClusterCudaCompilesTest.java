package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster and warp-specialization conformance kernels as NVRTC builds them on the H200: nvcc compiles them for sm_90a
 * to the instructions the intrinsics promise, and ptxas honours setmaxnreg (it ignores it, with only a note, in a kernel
 * whose registers at entry it cannot tell); for sm_80 (no clusters) the portable forms compile.
 */
class ClusterCudaCompilesTest {
    private static final Path KERNELS = Path.of("target/test-classes/org/longnet/engine/conformance/ClusterConformanceKernels.cu");

    @Test
    void clusterKernelsCompileToClusterInstructionsForSm90a() throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("nvcc-cluster");
        String ptx = Files.readString(nvcc(List.of("-ptx", "-arch=sm_90a"), out.resolve("k.ptx")).to);
        for (String instruction : List.of("%cluster_ctarank", "%cluster_nctarank", "%clusterid.x", "barrier.cluster.arrive.release.aligned",
                "barrier.cluster.wait.acquire.aligned", "mapa.shared::cluster.u32", "ld.shared::cluster.f32", "st.shared::cluster.f32",
                "setmaxnreg.dec.sync.aligned.u32 40", "setmaxnreg.inc.sync.aligned.u32 232", ".maxntid 384, 1, 1", ".minnctapersm 1")) {
            assertTrue(ptx.contains(instruction), "sm_90a PTX of " + KERNELS + " lacks " + instruction);
        }
        String log = nvcc(List.of("-cubin", "-arch=sm_90a", "-Xptxas", "-v"), out.resolve("k.cubin")).log;
        assertFalse(log.contains("setmaxnreg' ignored"), "ptxas ignored setmaxnreg:\n" + log);
        assertTrue(log.contains("Used 168 registers"), "the producer/consumer kernel should start at 168 registers (384 work-items, "
                + "one group a multiprocessor):\n" + log);
        nvcc(List.of("-ptx", "-arch=sm_80"), out.resolve("k80.ptx"));
    }

    private record Run(Path to, String log) {
    }

    private static Run nvcc(List<String> options, Path to) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("nvcc", "-x", "cu"));
        command.addAll(options);
        command.addAll(List.of(KERNELS.toString(), "-o", to.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + " failed:\n" + log);
        return new Run(to, log);
    }
}
