package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every CUDA C file the translator generated in this build compiles with nvcc, so CUDA code is
 * checked even where no GPU is present: to PTX for sm_90 (the portable path, mma.sync), and through
 * ptxas to a cubin for sm_90a, the Hopper path NVRTC takes on the H200 (wgmma, cp.async: inline
 * PTX that only the assembler checks). nvcc must be installed (CI installs and checks it); a missing
 * nvcc fails this test. The command line's module checks the other modules' builds the same way.
 */
public class GeneratedCudaCompilesTest {
    @Test
    void everyGeneratedCudaFileCompilesForSm90AndSm90a() throws IOException, InterruptedException {
        assertEveryGeneratedFileCompiles(Path.of("target"));
    }

    /** The CUDA runtime alone (with the generated wgmma products it includes): an error in it fails here before any kernel uses it. */
    @Test
    void runtimeCompilesAloneForSm90AndSm90a() throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("nvcc-check");
        Path runtime = Path.of("translator/resources/org/longnet/engine/translator/longnet_runtime.cuh");
        nvcc(runtime, "-ptx", "-arch=sm_90", out.resolve("runtime.ptx"));
        nvcc(runtime, "-cubin", "-arch=sm_90a", out.resolve("runtime.cubin"));
    }

    /** Compiles every .cu file under the given build folders (their classes and test-classes) with nvcc. */
    public static void assertEveryGeneratedFileCompiles(Path... targets) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        for (Path target : targets) {
            for (String classes : List.of("classes", "test-classes")) {
                if (Files.isDirectory(target.resolve(classes))) {
                    try (Stream<Path> walk = Files.walk(target.resolve(classes))) {
                        walk.filter(p -> p.toString().endsWith(".cu")).forEach(files::add);
                    }
                }
            }
        }
        assertFalse(files.isEmpty(), "no generated .cu files found under " + List.of(targets));
        Path out = Files.createTempDirectory("nvcc-check");
        // Each nvcc is one process on one core: the files compile side by side, one a core, each into outputs of its own.
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<Void>> compiles = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path cu = files.get(i), ptx = out.resolve(i + ".ptx"), cubin = out.resolve(i + ".cubin");
                compiles.add(pool.submit(() -> {
                    nvcc(cu, "-ptx", "-arch=sm_90", ptx);
                    nvcc(cu, "-cubin", "-arch=sm_90a", cubin);
                    return null;
                }));
            }
            for (Future<Void> compile : compiles) {
                waitFor(compile);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for one file's compiles, failing as they failed (the first file in the list's order that did). */
    private static void waitFor(Future<Void> compile) throws IOException, InterruptedException {
        try {
            compile.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case Error error -> throw error;
                case IOException io -> throw io;
                case InterruptedException interrupted -> throw interrupted;
                default -> throw new IllegalStateException(e.getCause());
            }
        }
    }

    static void nvcc(Path cu, String output, String arch, Path to) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nvcc", "-x", "cu", output, arch, cu.toString(), "-o", to.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "nvcc " + arch + " rejected " + cu + ":\n" + log);
    }
}
