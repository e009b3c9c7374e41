package org.longnet.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a Java main class on several MPI ranks, as a test does to check distributed code on one
 * machine: {@code mpirun -np P --oversubscribe} (more ranks than cores), shared memory between the
 * ranks ({@code --mca btl self,vader}), root allowed (CI runs as root), the test's own class path and
 * JVM flags (the class path is {@code -Dlongnet.test.classpath} where a console launcher runs the tests, as
 * {@code scripts/gpu/common} does). Open MPI must be installed ({@code scripts/test} installs it); a missing {@code mpirun}
 * fails the test that asked for it.
 */
public final class MpiRun {
    private MpiRun() {
    }

    /** What the ranks printed (stdout and stderr of all, interleaved) and mpirun's exit code. */
    public record Result(int exitCode, String output, long millis) {
    }

    /** Runs {@code main} with {@code args} on {@code ranks} ranks; fails past {@code timeoutSeconds}. */
    public static Result run(int ranks, long timeoutSeconds, Class<?> main, String... args) throws IOException, InterruptedException {
        return run(ranks, timeoutSeconds, List.of(), main, args);
    }

    /** The same with extra JVM options for every rank (system properties, say). */
    public static Result run(int ranks, long timeoutSeconds, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("mpirun", ".log");
        long start = System.nanoTime();
        Process p = start(ranks, log, jvmOptions, main, args);
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        if (!done) {
            throw new AssertionError("mpirun -np " + ranks + " " + main.getSimpleName() + " did not finish within " + timeoutSeconds + " s:\n" + output);
        }
        return new Result(p.exitValue(), output, (System.nanoTime() - start) / 1_000_000);
    }

    /** Starts the ranks without waiting; everything they print goes to {@code log}. */
    public static Process start(int ranks, Path log, List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("mpirun", "-np", Integer.toString(ranks), "--oversubscribe",
                "--mca", "btl", "self,vader", "--bind-to", "none"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The ranks share this machine's cores: each sizes its jvm device's threads to its share.
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors() / ranks);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-Xss4m",
                "-XX:+UseSerialGC", "-XX:ActiveProcessorCount=" + cores, "-Djava.awt.headless=true"));
        for (String p : List.of("longnet.cache", "longnet.root", "longnet.dataCache")) {
            if (System.getProperty(p) != null) {
                command.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT", "1");
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
        pb.environment().put("OMPI_MCA_rmaps_base_oversubscribe", "1");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IOException("mpirun could not start (is Open MPI installed? scripts/test installs it): " + e.getMessage(), e);
        }
    }

    private static String classPath() {
        String given = System.getProperty("longnet.test.classpath");
        return given != null ? given : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
