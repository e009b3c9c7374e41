package org.longnet.engine.device;

import org.junit.jupiter.api.Test;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The JVM keeps its SIGSEGV handler while OpenCL builds programs. PoCL has LLVM install a SIGSEGV handler with
 * SA_RESETHAND over the JVM's when it starts and again on every clBuildProgram; the JVM takes SIGSEGV on purpose (a
 * safepoint poll in compiled code faults), LLVM's handler then resets the signal to its default until it has put the
 * JVM's back, and a second thread that faults in between kills the JVM: exit 139, no hs_err file. The test JVMs preload
 * the JDK's libjsig (the pom's surefire environment), which keeps the JVM's handler installed and chains the others
 * behind it; this fails where that is lost.
 */
@DeviceTest
class OpenClSignalsTest {
    private static final int SIGSEGV = 11;

    @Test
    void theJvmKeepsItsSigsegvHandlerWhileOpenClBuilds() throws Throwable {
        assumeTrue(TestDevices.ids().stream().anyMatch(id -> id.startsWith("opencl")), "no opencl device under test");
        long rtSigaction = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 13;
            case "aarch64" -> 134;
            default -> -1;
        };
        assumeTrue(System.getProperty("os.name").equals("Linux") && rtSigaction > 0, "Linux on x86-64 or AArch64 only");
        assertTrue(Files.readString(Path.of("/proc/self/maps")).contains("/libjsig.so"),
                "the test JVM runs without the JDK's libjsig preloaded (LD_PRELOAD=$JAVA_HOME/lib/libjsig.so): PoCL's LLVM "
                        + "signal handlers can then kill it with SIGSEGV and no hs_err file");
        Device device = TestDevices.open(TestDevices.ids().stream().filter(id -> id.startsWith("opencl")).findFirst().orElseThrow());
        // a text of its own, so that it is compiled (and LLVM registers its handlers) rather than found in a cache
        String source = "// " + System.nanoTime() + "\n__kernel void nothing() { }\n";
        try (Device.Prepared p = device.prepareSource("signals.cl", source, "nothing", new Object[0],
                new Launch(new long[] {1}, new long[] {1}))) {
            p.launch(false);
        }
        device.synchronize();
        String handler = sigsegvHandlerLibrary(rtSigaction);
        assertTrue(handler.endsWith("/libjvm.so"), "after an OpenCL build the kernel's SIGSEGV handler is in " + handler
                + ", not the JVM's");
    }

    /** The library of the SIGSEGV handler the kernel has now (rt_sigaction itself, past libjsig's sigaction). */
    private static String sigsegvHandlerLibrary(long rtSigaction) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle syscall = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), Linker.Option.firstVariadicArg(1));
        MethodHandle dladdr = linker.downcallHandle(linker.defaultLookup().find("dladdr").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment action = a.allocate(32, 8); // the kernel's struct sigaction: handler, flags, restorer, mask
            long rc = (long) syscall.invokeExact(rtSigaction, (long) SIGSEGV, MemorySegment.NULL, action, 8L);
            assertTrue(rc == 0, "rt_sigaction: " + rc);
            long handler = action.get(JAVA_LONG, 0);
            if (handler == 0 || handler == 1) {
                return handler == 0 ? "SIG_DFL" : "SIG_IGN";
            }
            MemorySegment info = a.allocate(32, 8); // Dl_info: dli_fname first
            if ((int) dladdr.invokeExact(MemorySegment.ofAddress(handler), info) == 0) {
                return "an unknown library (0x" + Long.toHexString(handler) + ")";
            }
            return info.get(ADDRESS, 0).reinterpret(4096).getString(0);
        }
    }
}
