package org.longnet.engine.device;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One translated kernel: the Java method, how it launches, its name in the generated C (which
 * may differ from the Java name where that is a C keyword or built-in), the bytes of work-group
 * local memory its local arrays take, whether it reduces into {@code @Reduce} parameters and sets one's start value
 * before its loop (then it runs as one work-group, and on the JVM that start is set once before the slices), the static fields
 * that are not constants it reads (devices receive their values at each launch, after the kernel's own arguments), and the generated
 * sources of its class (read from the resources the translator wrote next to the class file).
 */
public record KernelInfo(Class<?> owner, Method method, Kind kind, int dims, boolean usesBarrier, String cName, int localBytes,
                         List<SizedLocal> sizedLocals, boolean reduces, boolean initialises, List<Field> staticFields) {

    public enum Kind { PARALLEL, CONTEXT, SINGLE }

    /**
     * A work-group local array whose length is {@code constant} times the kernel's int parameters {@code parameters} (their
     * indices among the Java parameters), the {@code lengths} of its array parameters and the work-group's extents in the
     * dimensions {@code groupExtents} (0 for x), of {@code elementBytes} per element: the launch gives it local memory after
     * the {@code localBytes}; {@code perWorkItem}: that many for each work-item of the group (a private array sized by parameters).
     */
    public record SizedLocal(int constant, List<Integer> parameters, int elementBytes, List<Length> lengths, boolean perWorkItem,
                             List<Integer> groupExtents) {
    }

    /** The elements of array parameter {@code parameter} divided by {@code divisor} (a collection's vectors: by its lanes). */
    public record Length(int parameter, int divisor) {
    }

    /**
     * Thrown for a task method that the translator took out because it uses what no device code here supports: it has no
     * kernel, and runs, if at all, as the Java {@link #method} itself on the host (TornadoVM's bailout, which its API layer
     * offers). {@link #reason} is the translator's: the method, the line and what it does not support.
     */
    public static final class NotTranslated extends IllegalArgumentException {
        private final transient Method method;
        private final String reason;

        NotTranslated(Class<?> owner, Method method, String reason) {
            super(owner.getSimpleName() + "." + reason + "; it has no kernel, so it cannot be a task of the engine's own task graph");
            this.method = method;
            this.reason = owner.getSimpleName() + "." + reason;
        }

        /** The Java method, accessible. */
        public Method method() {
            return method;
        }

        /** Why the translator wrote no kernel for it, naming the class, the method and the line. */
        public String reason() {
            return reason;
        }
    }

    private static final Map<String, KernelInfo> CACHE = new ConcurrentHashMap<>();

    public String name() {
        return method.getName();
    }

    public String qualifiedName() {
        return owner.getSimpleName() + "." + method.getName();
    }

    public static KernelInfo of(Class<?> owner, String name) {
        return of(owner, name, null);
    }

    /**
     * The kernel {@code name} of {@code owner}; where the class has other static methods of that name (TornadoVM's
     * examples keep a kernel's sequential twin beside it, and its tests overload kernels), {@code descriptor} (a JVM method
     * descriptor) picks it; an overloaded kernel needs it.
     */
    public static KernelInfo of(Class<?> owner, String name, String descriptor) {
        return CACHE.computeIfAbsent(owner.getName() + "#" + name + (descriptor == null ? "" : descriptor), k -> load(owner, name, descriptor));
    }

    private static KernelInfo load(Class<?> owner, String name, String methodDescriptor) {
        String descriptor = source(owner, "kernels");
        for (String line : descriptor.split("\n")) {
            String[] f = line.split("\t");
            // after the six fields: the flags reduces and initialises, the parameter-sized local arrays, the reason a task method
            // is refused, then the JVM method descriptor of a kernel whose name is overloaded (or refused), which must be the one
            // asked for
            List<String> rest = List.of(f).subList(6, f.length);
            String overload = !rest.isEmpty() && rest.getLast().startsWith("(") ? rest.getLast() : null;
            if (f[0].equals(name) && (overload == null || overload.equals(methodDescriptor))) {
                // a task method that no device can run (an array of objects as a parameter): the translator wrote why
                rest.stream().filter(r -> r.startsWith("refused=")).findFirst().ifPresent(r -> {
                    throw new IllegalArgumentException(owner.getSimpleName() + "." + r.substring("refused=".length()));
                });
                // a task method the translator did not translate, which may run as Java on the host instead
                rest.stream().filter(r -> r.startsWith("bailout=")).findFirst().ifPresent(r -> {
                    throw new NotTranslated(owner, method(owner, name, overload != null ? overload : methodDescriptor),
                            r.substring("bailout=".length()));
                });
                return new KernelInfo(owner, method(owner, name, overload != null ? overload : methodDescriptor),
                        Kind.valueOf(f[1].toUpperCase()), Integer.parseInt(f[2]), Boolean.parseBoolean(f[3]), f[4], Integer.parseInt(f[5]),
                        sizedLocals(rest), rest.contains("reduces"), rest.contains("initialises"), staticFields(owner, rest));
            }
        }
        boolean overloaded = descriptor.lines().anyMatch(l -> l.startsWith(name + "\t") && l.endsWith(")V"));
        throw new IllegalArgumentException(owner.getName() + "." + name + (overloaded ? " is overloaded, and no kernel of that name has "
                + "the parameters " + methodDescriptor : " is not a @Kernel method") + " (kernels of " + owner.getSimpleName() + ": "
                + descriptor.lines().map(l -> l.split("\t")[0]).toList() + ")");
    }

    /**
     * The {@code local=C*P*A/D*Ld:B[:item],...} field of a descriptor line (constant, int parameters' indices, array parameters'
     * indices with their divisors, work-group extents' dimensions, element bytes, per work-item), if it has one.
     */
    private static List<SizedLocal> sizedLocals(List<String> fields) {
        return fields.stream().filter(f -> f.startsWith("local=")).flatMap(f -> java.util.Arrays.stream(f.substring(6).split(","))).map(l -> {
            String[] parts = l.split(":");
            List<String> product = List.of(parts[0].split("\\*"));
            List<Integer> parameters = product.subList(1, product.size()).stream().filter(p -> !p.contains("/") && !p.startsWith("L"))
                    .map(Integer::parseInt).toList();
            List<Integer> groupExtents = product.stream().filter(p -> p.startsWith("L")).map(p -> Integer.parseInt(p.substring(1))).toList();
            List<Length> lengths = product.stream().filter(p -> p.contains("/"))
                    .map(p -> new Length(Integer.parseInt(p.split("/")[0]), Integer.parseInt(p.split("/")[1]))).toList();
            return new SizedLocal(Integer.parseInt(product.getFirst()), parameters, Integer.parseInt(parts[1]), lengths,
                    parts.length > 2 && parts[2].equals("item"), groupExtents);
        }).toList();
    }

    /** The {@code statics=pkg.Class#field,...} field of a descriptor line, the fields made readable; none without one. */
    private static List<Field> staticFields(Class<?> owner, List<String> fields) {
        return fields.stream().filter(f -> f.startsWith("statics=")).flatMap(f -> java.util.Arrays.stream(f.substring(8).split(","))).map(d -> {
            try {
                Field field = Class.forName(d.substring(0, d.indexOf('#')), false, owner.getClassLoader()).getDeclaredField(d.substring(d.indexOf('#') + 1));
                field.setAccessible(true);
                return field;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("kernel of " + owner.getName() + " reads static field " + d + ", which cannot be found: " + e, e);
            }
        }).toList();
    }

    private static Method method(Class<?> owner, String name, String descriptor) {
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())
                    && (descriptor == null || descriptor.equals(java.lang.invoke.MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                    .toMethodDescriptorString()))) {
                m.setAccessible(true);
                return m;
            }
        }
        throw new IllegalStateException("no static method " + name + " in " + owner.getName());
    }

    /** The generated source of the kernel's class: {@code "cl"}, {@code "cu"} or {@code "kernels"}. */
    public static String source(Class<?> owner, String extension) {
        String resource = "/" + owner.getName().replace('.', '/') + "." + extension;
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no generated " + resource + ": was " + owner.getName()
                        + " compiled with the kernel translator (org.longnet.engine.translator.KernelProcessor)?");
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return r.lines().reduce(new StringBuilder(), (b, l) -> b.append(l).append('\n'), StringBuilder::append).toString();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
