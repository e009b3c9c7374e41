package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debug.printf in a kernel prints what Java's formatting prints, on every test device. A device's C printf writes to the
 * process's standard output, below Java's System.out, so the kernel runs in a child JVM whose output is read whole;
 * work items print in any order, so lines are compared sorted.
 */
@DeviceTest
class TornadoPrintfTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "Debug.printf on {0}")
    @MethodSource("devices")
    void printsAsJavaFormats(String id) throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < PrintfKernels.N; i++) {
            long b = PrintfKernels.b(i);
            float f = PrintfKernels.f(i);
            expected.add(String.format("i=%d a=%5d b=%d hex=%x", i, PrintfKernels.a(i), b, b));
            expected.add(String.format("i=%d f=%f e=%.3e g=%g d=%-8.2f|%c %b 100%%", i, f, f, f, (double) f * 2, 'z', i % 2 == 0));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Arrays.asList("--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-cp", System.getProperty("longnet.test.classpath", System.getProperty("java.class.path")), PrintfKernels.class.getName(), id));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM ends");
        assertEquals(0, child.exitValue(), out);
        List<String> printed = out.lines().filter(l -> l.startsWith("i=")).sorted().toList();
        assertEquals(expected.stream().sorted().toList(), printed, out);
    }
}
