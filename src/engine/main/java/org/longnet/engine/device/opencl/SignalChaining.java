package org.longnet.engine.device.opencl;

import org.longnet.engine.device.DeviceInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the JVM keeps its SIGSEGV handler next to PoCL. PoCL has LLVM install its own SIGSEGV handler, with
 * SA_RESETHAND, over the JVM's when it starts and at every program build; the JVM raises SIGSEGV on purpose (safepoint
 * polls in compiled code), so the next such fault resets the signal to its default while LLVM's handler puts the JVM's
 * back, and a second thread faulting in that moment kills the JVM: exit 139, no hs_err file, at random. The JDK's
 * signal-chaining library ({@code lib/libjsig.so}, preloaded) keeps the JVM's handler installed and chains the others
 * behind it. The launchers preload it (scripts/jsig.sh) and so does the pom for the tests; a program that opens PoCL
 * without it is told once, on stderr.
 */
final class SignalChaining {
    private static boolean told;

    private SignalChaining() {
    }

    /** Says once, on stderr, that {@code device} can kill this JVM at random, where it is PoCL on Linux without libjsig. */
    static synchronized void warnIfUnchained(DeviceInfo device) {
        if (told || !device.name().contains("Portable Computing Language") || chained()) {
            return;
        }
        told = true;
        System.err.println("longnet: " + device.id() + " is PoCL, whose LLVM replaces the JVM's SIGSEGV handler and can kill this JVM at random"
                + " (exit 139, no hs_err file); preload the JDK's signal chaining: LD_PRELOAD=" + Path.of(System.getProperty("java.home"), "lib",
                "libjsig.so") + " (scripts/longnet does)");
    }

    /** Whether libjsig is loaded into this process; true where that cannot be read (not Linux). */
    static boolean chained() {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return true;
        }
        try {
            return Files.readString(maps).contains("/libjsig.so");
        } catch (IOException e) {
            return true;
        }
    }
}
