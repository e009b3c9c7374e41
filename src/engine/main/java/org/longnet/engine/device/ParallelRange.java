package org.longnet.engine.device;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry points of the JVM launcher the translator generates for a {@code @Parallel} kernel:
 * the iteration count of each parallel loop (which sizes the launch on every device), the
 * method that runs one slice of the outermost loop on a CPU thread, and the one that sets {@code @Reduce} start values.
 */
public final class ParallelRange {
    private record Handles(MethodHandle range, MethodHandle slice, MethodHandle start) {
    }

    private static final Map<KernelInfo, Handles> HANDLES = new ConcurrentHashMap<>();

    private ParallelRange() {
    }

    /** Iteration counts of the parallel loops, outermost first. */
    public static long[] counts(KernelInfo kernel, Object[] args) {
        try {
            return (long[]) handles(kernel).range.invokeExact(args);
        } catch (Throwable t) {
            throw new DeviceException("cannot compute the launch range of " + kernel.qualifiedName() + ": " + t, t);
        }
    }

    /** Sets the start values of {@code @Reduce} elements that the kernel sets before its loop (it {@link KernelInfo#initialises()}). */
    public static void start(KernelInfo kernel, Object[] args) throws Throwable {
        handles(kernel).start.invokeExact(args);
    }

    /** Runs iterations {@code [lo, hi)} of the outermost parallel loop on this thread. */
    public static void runSlice(KernelInfo kernel, Object[] argsWithSlice) throws Throwable {
        handles(kernel).slice.invokeExact(argsWithSlice);
    }

    private static Handles handles(KernelInfo kernel) {
        return HANDLES.computeIfAbsent(kernel, k -> {
            Class<?> owner = k.owner();
            String launcher = owner.getPackageName() + "." + owner.getName().substring(owner.getPackageName().length() + 1)
                    .replace('$', '_') + "_JvmLauncher";
            try {
                Class<?> cls = Class.forName(launcher, true, owner.getClassLoader());
                Class<?>[] params = k.method().getParameterTypes();
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodHandle range = lookup.findStatic(cls, k.name() + "$range", MethodType.methodType(long[].class, params));
                Class<?>[] sliceParams = java.util.Arrays.copyOf(params, params.length + 2);
                sliceParams[params.length] = long.class;
                sliceParams[params.length + 1] = long.class;
                MethodHandle slice = lookup.findStatic(cls, k.name() + "$slice", MethodType.methodType(void.class, sliceParams));
                MethodHandle start = k.initialises() ? lookup.findStatic(cls, k.name() + "$start", MethodType.methodType(void.class, params))
                        .asSpreader(Object[].class, params.length).asType(MethodType.methodType(void.class, Object[].class)) : null;
                return new Handles(
                        range.asSpreader(Object[].class, params.length).asType(MethodType.methodType(long[].class, Object[].class)),
                        slice.asSpreader(Object[].class, sliceParams.length).asType(MethodType.methodType(void.class, Object[].class)), start);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the JVM launcher " + launcher + " of " + k.qualifiedName()
                        + " is missing: was it compiled with the kernel translator?", e);
            }
        });
    }
}
