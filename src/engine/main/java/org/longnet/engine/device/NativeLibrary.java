package org.longnet.engine.device;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** A shared library opened through {@code java.lang.foreign}, by the first of several names that loads. */
public final class NativeLibrary {
    private final SymbolLookup lookup;
    private final String name;

    private NativeLibrary(SymbolLookup lookup, String name) {
        this.lookup = lookup;
        this.name = name;
    }

    /** Opens the library, or throws with every name tried and why each failed. */
    public static NativeLibrary open(List<String> names) {
        StringBuilder why = new StringBuilder();
        for (String n : names) {
            try {
                return new NativeLibrary(SymbolLookup.libraryLookup(n, Arena.global()), n);
            } catch (IllegalArgumentException e) {
                why.append(why.isEmpty() ? "" : "; ").append(n).append(": not found");
            }
        }
        throw new UnsatisfiedLinkError(why.toString());
    }

    public String name() {
        return name;
    }

    /** A function that returns an int status (CUDA, NVRTC, NVML, OpenCL all do), taking {@code args}. */
    public MethodHandle statusFunction(String symbol, MemoryLayout... args) {
        return function(symbol, FunctionDescriptor.of(ValueLayout.JAVA_INT, args));
    }

    /** The address of a global object the library exports (MPI's predefined handles are such addresses). */
    public MemorySegment symbol(String symbol) {
        return lookup.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError(symbol + " is missing from " + name));
    }

    public MethodHandle function(String symbol, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError(symbol + " is missing from " + name));
        return Linker.nativeLinker().downcallHandle(address, descriptor);
    }
}
