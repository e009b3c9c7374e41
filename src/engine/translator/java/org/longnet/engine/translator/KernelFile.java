package org.longnet.engine.translator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generated files of one kernel class: {@code Name.cl} and {@code Name.cu} (the runtime, then
 * the library functions its kernels reach, its own helpers and its kernels) and {@code Name.kernels}
 * (one line per kernel: name, kind, dimensions, barrier use, C name, bytes of work-group local
 * memory, then {@code reduces} where it has {@code @Reduce} parameters, {@code initialises} where it sets one before its
 * loop (so it must run as one work-group), {@code local=P:B,...} where it has work-group local arrays whose lengths are its
 * int parameters (each array's parameter index and element bytes, which the launch adds to its local memory), and its JVM
 * method descriptor where its name is overloaded ({@link KernelNames})).
 * What a kernel does through the functions it reaches counts as its own: it uses barriers
 * if any of them does, and if any multiplies on matrix units, every barrier it reaches fences for
 * them.
 */
final class KernelFile {
    /**
     * A translated kernel and what its descriptor line says besides barrier use; {@code descriptor} is its JVM method
     * descriptor where another kernel of its class has its name, else null.
     */
    record Kernel(DeviceFunction function, String name, String kind, int dims, int localBytes, List<String> sizedLocals, boolean reduces,
                  boolean initialises, String descriptor, List<String> staticFields) {
    }

    /** Something wrong that only shows once the functions of several classes meet, for the kernel class to report. */
    static final class Problem extends Exception {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    private final String className;
    private final List<DeviceFunction> helpers;
    private final List<Kernel> kernels;
    private final List<String> refused;
    private final Map<String, DeviceFunction> byKey = new HashMap<>();

    /** {@code refused}: the descriptor lines of the class's task methods that no device can run ({@link RefusedKernels}). */
    KernelFile(String className, List<DeviceFunction> helpers, List<Kernel> kernels, List<String> refused) {
        this.className = className;
        this.helpers = helpers;
        this.kernels = kernels;
        this.refused = refused;
        helpers.forEach(h -> byKey.put(h.key(), h));
        kernels.forEach(k -> byKey.put(k.function().key(), k.function()));
    }

    /**
     * The files by extension, or null while a library function it reaches is pending, or failed to
     * translate (which was reported where it failed).
     */
    Map<String, String> assemble(Libraries libraries, List<Dialect> dialects) throws Problem {
        List<DeviceFunction> library = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<DeviceFunction> own = new ArrayList<>(helpers);
        kernels.forEach(k -> own.add(k.function()));
        for (DeviceFunction f : own) {
            for (String callee : f.calls()) {
                if (!byKey.containsKey(callee) && !collect(callee, libraries, library, seen, new ArrayList<>())) {
                    return null;
                }
            }
        }
        library.forEach(f -> byKey.put(f.key(), f));
        checkNames(library);
        Set<String> fenced = new HashSet<>();
        StringBuilder descriptor = new StringBuilder();
        for (Kernel k : kernels) {
            Set<String> reach = reach(k.function().key(), new LinkedHashSet<>());
            boolean barrier = reach.stream().anyMatch(key -> byKey.get(key).usesBarrier());
            if (reach.stream().anyMatch(key -> byKey.get(key).usesMatrixUnits())) {
                fenced.addAll(reach);
            }
            descriptor.append(k.name()).append('\t').append(k.kind()).append('\t').append(k.dims()).append('\t').append(barrier)
                    .append('\t').append(k.function().cName()).append('\t').append(k.localBytes()).append(k.reduces() ? "\treduces" : "")
                    .append(k.initialises() ? "\tinitialises" : "")
                    .append(k.sizedLocals().isEmpty() ? "" : "\tlocal=" + String.join(",", k.sizedLocals()))
                    .append(k.staticFields().isEmpty() ? "" : "\tstatics=" + String.join(",", k.staticFields()))
                    .append(k.descriptor() == null ? "" : "\t" + k.descriptor()).append('\n');
        }
        refused.forEach(descriptor::append);
        Map<String, String> files = new LinkedHashMap<>();
        for (Dialect d : dialects) {
            files.put(d.name(), source(d, library, fenced));
        }
        files.put("kernels", descriptor.toString());
        return files;
    }

    private String source(Dialect d, List<DeviceFunction> library, Set<String> fenced) {
        StringBuilder out = new StringBuilder("// Generated by the LongNet kernel translator from ").append(className).append(". Do not edit.\n")
                .append(d.runtime()).append('\n');
        List<DeviceFunction> functions = new ArrayList<>(library);
        functions.addAll(helpers);
        functions.forEach(f -> out.append(f.prototypes().get(d.name())));
        for (DeviceFunction f : functions) {
            out.append('\n').append(text(d, f, fenced));
        }
        for (Kernel k : kernels) {
            out.append('\n').append(text(d, k.function(), fenced));
        }
        return out.toString();
    }

    private static String text(Dialect d, DeviceFunction f, Set<String> fenced) {
        String text = f.definitions().get(d.name());
        return fenced.contains(f.key()) ? d.fencedForMatrixUnits(text) : text;
    }

    /** Adds the library function {@code key} and those it calls, callees first; false while one is not available. */
    private boolean collect(String key, Libraries libraries, List<DeviceFunction> out, Set<String> seen, List<String> stack) throws Problem {
        if (stack.contains(key)) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(key), stack.size()));
            cycle.add(key);
            throw new Problem("recursion is not allowed in a kernel (devices have no call stack): "
                    + String.join(" -> ", cycle.stream().map(DeviceFunction::javaName).toList()));
        }
        if (!seen.add(key)) {
            return true;
        }
        DeviceFunction f;
        switch (libraries.find(key)) {
            case Libraries.Lookup.Found found -> f = found.function();
            case Libraries.Lookup.Missing missing -> throw new Problem(DeviceFunction.javaName(key) + ": " + missing.why());
            case Libraries.Lookup.Pending pending -> {
                return false;
            }
            case Libraries.Lookup.Failed failed -> {
                return false;
            }
        }
        stack.add(key);
        for (String callee : f.calls()) {
            if (!byKey.containsKey(callee) && !collect(callee, libraries, out, seen, stack)) {
                return false;
            }
        }
        stack.removeLast();
        out.add(f);
        return true;
    }

    private Set<String> reach(String key, Set<String> out) {
        if (out.add(key)) {
            byKey.get(key).calls().forEach(callee -> reach(callee, out));
        }
        return out;
    }

    /** Two functions of one file must not share a C name (C has no overloading, and libraries are named after their classes). */
    private void checkNames(List<DeviceFunction> library) throws Problem {
        Map<String, String> names = new HashMap<>();
        List<DeviceFunction> all = new ArrayList<>(library);
        all.addAll(helpers);
        kernels.forEach(k -> all.add(k.function()));
        for (DeviceFunction f : all) {
            String other = names.putIfAbsent(f.cName(), f.key());
            if (other != null) {
                throw new Problem(DeviceFunction.javaName(other) + " and " + f.javaName() + " would both be " + f.cName()
                        + " in C, which has no overloading: rename one");
            }
        }
    }
}
