package org.longnet.attention;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.longnet.engine.api.Kernel;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matrix-unit attention kernels as ptxas builds them for the H200 (sm_90a, the generated CUDA of this build), the
 * standard and the pipelined ones and the TMA-fed ones: no spills, no more registers than their launch bounds leave
 * (65,536 over the work-items of the groups their {@code minGroupsPerUnit} asks for: 128 for two groups of 256), and no
 * wgmma serialized, which ptxas does, with
 * a warning, where a kernel touches a running product's accumulators, runs out of registers for the pipeline, leaves a
 * product running across a loop's back edge or across a function call; the kernel would still be right, only no
 * faster. Each kernel's registers are printed. Needs nvcc, as GeneratedCudaCompilesTest does.
 * <p>
 * One exception, since the runtime gives the compiler the tiles' shared addresses ({@code longnet_shared_address}): ptxas
 * spills 16 bytes of the lab kernel {@code backwardKeyValueMmaPipelined} (the {@code pipelined} schedule's bit-reproducible
 * dK/dV, run by no default) and serializes its pipeline. The addresses save more in the kernels that run by default than
 * the lab kernel loses (CHANGELOG.md, "The forward in 128-key tiles").
 */
class MatrixUnitPtxasTest {
    /** The bytes the kernel named above may spill. */
    private static final Map<String, Integer> ALLOWED_SPILLS = Map.of("backwardKeyValueMmaPipelined", 16);
    /** ptxas's note on the one kernel whose serialized pipeline is let through (above). */
    private static final String SERIALIZED_LAB_KERNEL = "wgmma.mma_async instructions are serialized due to insufficient register resources for the "
            + "function 'backwardKeyValueMmaPipelined'";
    private static final Pattern ENTRY = Pattern.compile("Function properties for (\\w+)\\s+(\\d+) bytes stack frame, (\\d+) bytes spill stores, "
            + "(\\d+) bytes spill loads\\s+ptxas info\\s+: Used (\\d+) registers");

    @ParameterizedTest(name = "{0}")
    @CsvSource({"MatrixUnitForward, forwardPairMma, 2, Pipelined, 1", "MatrixUnitBackward, backward, 6, Pipelined, 3",
        "TmaForward, forwardPairTma, 1, Tma, 1", "TmaWideForward, forwardPairTmaWide, 1, Wide, 1",
        "TmaBackward, backwardPairTma, 1, Tma, 1"})
    void kernelsBuildWithoutSpillsAndTheirPipelinesStay(String kernels, String prefix, int count, String twin, int twins) throws Exception {
        Path cu = Path.of("target/classes/org/longnet/attention/" + kernels + ".cu");
        Path cubin = Files.createTempFile(kernels, ".cubin");
        Process p = new ProcessBuilder("nvcc", "-x", "cu", "-cubin", "-arch=sm_90a", "-Xptxas", "-v", cu.toString(), "-o", cubin.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "nvcc rejected " + cu + ":\n" + log);
        Files.deleteIfExists(cubin);
        assertFalse(log.replace(SERIALIZED_LAB_KERNEL, "").contains("serialized"), "ptxas serialized a wgmma pipeline:\n" + log);
        List<String> seen = new ArrayList<>();
        for (Matcher m = ENTRY.matcher(log); m.find(); ) {
            String name = m.group(1);
            int registers = Integer.parseInt(m.group(5));
            int allowed = ALLOWED_SPILLS.getOrDefault(name, 0);
            assertTrue(Integer.parseInt(m.group(3)) <= allowed && Integer.parseInt(m.group(4)) <= allowed, name + " spills " + m.group(3)
                    + " bytes (stores) and " + m.group(4) + " (loads), more than " + allowed + ":\n" + log);
            int budget = registerBudget(kernels, name);
            assertTrue(registers <= budget, name + " needs " + registers + " registers, more than its work-items per multiprocessor leave ("
                    + budget + "):\n" + log);
            if (name.startsWith(prefix)) {
                seen.add(name);
                System.out.println("ptxas sm_90a: " + name + " " + registers + " registers, " + m.group(3) + " bytes spilled");
            }
        }
        assertEquals(count, seen.size(), "ptxas reported on " + seen + " of " + kernels + ":\n" + log);
        assertEquals(twins, seen.stream().filter(name -> name.matches(".*(" + twin + ")")).count(), "the twins (" + twin + "): " + seen);
    }

    /** The registers a work-item may hold under the kernel's launch bounds: 65,536 over its groups' work-items, in steps of 8. */
    private static int registerBudget(String kernels, String name) throws ClassNotFoundException {
        for (Method m : Class.forName("org.longnet.attention." + kernels).getDeclaredMethods()) {
            Kernel k = m.getAnnotation(Kernel.class);
            if (m.getName().equals(name) && k != null) {
                return Math.min(255, 65536 / (k.groupSize() * Math.max(1, k.minGroupsPerUnit())) / 8 * 8);
            }
        }
        throw new AssertionError("ptxas named " + name + ", which is no @Kernel method of " + kernels);
    }
}
