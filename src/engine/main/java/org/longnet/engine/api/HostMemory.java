package org.longnet.engine.api;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Host memory for arrays, mapped with anonymous {@code mmap(MAP_NORESERVE)}: the OS commits a
 * page only when something touches it, so an array that only ever lives on a GPU costs no host
 * memory, and nothing is zeroed up front (the OS hands out zero pages). Unmapped when the arena closes.
 */
final class HostMemory {
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    private static final MethodHandle MMAP, MUNMAP;

    static {
        Linker linker = Linker.nativeLinker();
        MMAP = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private HostMemory() {
    }

    /** {@code bytes} of zeroed memory that lives until {@code arena} closes. */
    static MemorySegment map(long bytes, Arena arena) {
        MemorySegment address;
        try {
            address = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap of " + bytes + " bytes failed: " + t, t);
        }
        if (address.address() == -1L) {
            throw new OutOfMemoryError("cannot map " + bytes + " bytes of host memory");
        }
        return address.reinterpret(bytes, arena, mapped -> unmap(mapped, bytes));
    }

    private static void unmap(MemorySegment mapped, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(mapped, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed: " + t, t);
        }
    }
}
