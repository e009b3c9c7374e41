package org.longnet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The longnet command in a process of its own, as a user starts it: another JVM (its own PID, file locks
 * and hash seeds), its own working folder, the test's class path and the launcher's JVM flags.
 */
final class LongNetProcess {
    private LongNetProcess() {
    }

    /** Starts {@code longnet args} in {@code workDir}; everything it prints goes to {@code log}. */
    static Process start(Path workDir, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-Xss4m",
                "-Djava.awt.headless=true"));
        for (String p : List.of("longnet.cache", "longnet.root", "longnet.dataCache", "longnet.device")) {
            if (System.getProperty(p) != null) {
                command.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        String classPath = System.getProperty("longnet.test.classpath",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.addAll(List.of("-cp", classPath, LongNet.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs {@code longnet args} in {@code workDir} to its end (at most {@code seconds}); returns what it printed, failing on a non-zero exit. */
    static String run(Path workDir, long seconds, String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile("longnet", ".log");
        try {
            Process p = start(workDir, log, args);
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("longnet " + String.join(" ", args) + " ran past " + seconds + " s:\n"
                        + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            String output = Files.readString(log, StandardCharsets.ISO_8859_1); // a sample's bytes need not be UTF-8
            if (p.exitValue() != 0) {
                throw new AssertionError("longnet " + String.join(" ", args) + " exited with " + p.exitValue() + ":\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
