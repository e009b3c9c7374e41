package org.longnet.engine.device;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.api.JavaArrays;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.TensorMap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The C argument list of a kernel, derived from its Java arguments the same way the translator
 * derives the C parameter list: an array (a {@link DeviceArrayView}'s array, a Java array's {@link JavaArrays#mirror}, an
 * array of arrays' mirror with its row table) becomes (pointer, long length), followed by
 * a matrix view's extents (int rows, columns, depth), a KernelContext
 * disappears, a boolean becomes an int.
 */
public final class KernelArguments {
    /** One C argument: a device array (pointer) or a primitive value. */
    public sealed interface Arg permits Pointer, Value, Local, Tensor {
    }

    /**
     * A {@link TensorMap}: one parameter on CUDA (the driver's encoding of it), its array and numbers elsewhere
     * ({@link #portable}).
     */
    public record Tensor(TensorMap map) implements Arg {
    }

    /** Work-group local memory of {@code bytes} for a parameter-sized local array: a {@code __local} argument on OpenCL. */
    public record Local(long bytes) implements Arg {
    }

    public record Pointer(DeviceArray array) implements Arg {
    }

    /** {@code value} is an Integer, Long, Float or Double. */
    public record Value(Object value) implements Arg {
        /** The value in native memory from {@code arena}, where a driver's argument call reads it. */
        public MemorySegment allocate(Arena arena) {
            return switch (value) {
                case Integer i -> arena.allocateFrom(ValueLayout.JAVA_INT, i);
                case Long l -> arena.allocateFrom(ValueLayout.JAVA_LONG, l);
                case Float f -> arena.allocateFrom(ValueLayout.JAVA_FLOAT, f);
                case Double d -> arena.allocateFrom(ValueLayout.JAVA_DOUBLE, d);
                default -> throw new IllegalArgumentException(String.valueOf(value));
            };
        }
    }

    private KernelArguments() {
    }

    /**
     * The C arguments of a launch whose work-groups have extents {@code group} (x first; private arrays in local memory take a
     * slice for each work-item).
     */
    public static List<Arg> of(KernelInfo kernel, Object[] args, long[] group) {
        List<Arg> out = new ArrayList<>();
        Class<?>[] types = kernel.method().getParameterTypes();
        JavaArrays.checkNoSharedRows(kernel.qualifiedName(), args);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (KernelContext.class.isAssignableFrom(types[i])) {
                continue;
            }
            if (a instanceof TensorMap map) {
                out.add(new Tensor(map));
                continue;
            }
            int[] extents = new int[0];
            if (a instanceof DeviceArrayView view) {
                a = view.deviceArray();
                extents = view.extents();
            } else if (JavaArrays.isJavaArray(a)) {
                a = JavaArrays.mirror(a);
            }
            switch (a) {
                case DeviceArray array -> {
                    out.add(new Pointer(array));
                    out.add(new Value(array.getSize()));
                    for (int extent : extents) {
                        out.add(new Value(extent));
                    }
                }
                case Boolean b -> out.add(new Value(b ? 1 : 0));
                case Integer v -> out.add(new Value(v));
                case Long v -> out.add(new Value(v));
                case Float v -> out.add(new Value(v));
                case Double v -> out.add(new Value(v));
                default -> throw new IllegalArgumentException("argument " + (i + 1) + " of " + kernel.qualifiedName()
                        + " has type " + (a == null ? "null" : a.getClass().getSimpleName())
                        + "; kernels take arrays (the engine's, or Java's of float, int, double, long, short, char or byte), int, long, float, "
                        + "double or boolean");
            }
        }
        for (Field field : kernel.staticFields()) {
            out.add(staticValue(field));
        }
        for (KernelInfo.SizedLocal local : kernel.sizedLocals()) {
            out.add(new Local(bytes(kernel, local, args, group)));
        }
        return out;
    }

    /**
     * {@code args} with each tensor map as the devices without tensor maps take it (OpenCL's {@code tensorMapParameter}):
     * its array, then as longs the offset, the four sizes and the strides of dimensions 1 to 3, then the four box sides as ints
     * (innermost first; a 2D map's outer sizes and boxes are 1) and its swizzle in bytes as an int.
     */
    public static List<Arg> portable(List<Arg> args) {
        List<Arg> out = new ArrayList<>();
        for (Arg arg : args) {
            if (arg instanceof Tensor(TensorMap m)) {
                out.add(new Pointer(m.deviceArray()));
                out.add(new Value(m.offset()));
                for (int d = 0; d < TensorMap.MAX_RANK; d++) {
                    out.add(new Value(m.size(d)));
                }
                for (int d = 1; d < TensorMap.MAX_RANK; d++) {
                    out.add(new Value(m.stride(d)));
                }
                for (int d = 0; d < TensorMap.MAX_RANK; d++) {
                    out.add(new Value(m.box(d)));
                }
                out.add(new Value(m.swizzle()));
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    /**
     * The C arguments of a prebuilt kernel, one for each of {@code args} in order: an array (the engine's, a view's, or a
     * Java array's mirror) is a pointer to its first element, with no length after it; a number is its value (a short or
     * byte widened to int, as C passes it), a boolean an int; a KernelContext is no argument.
     */
    public static List<Arg> prebuilt(Object[] args) {
        List<Arg> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof KernelContext) {
                continue;
            }
            if (a instanceof DeviceArrayView view) {
                a = view.deviceArray();
            } else if (a instanceof Object[]) {
                throw new IllegalArgumentException("argument " + (i + 1) + " of a prebuilt kernel is a " + a.getClass().getSimpleName()
                        + "; prebuilt kernels take one-dimensional arrays, numbers and booleans");
            } else if (JavaArrays.isJavaArray(a)) {
                a = JavaArrays.mirror(a);
            }
            switch (a) {
                case DeviceArray array -> out.add(new Pointer(array));
                case Boolean b -> out.add(new Value(b ? 1 : 0));
                case Short v -> out.add(new Value((int) v));
                case Byte v -> out.add(new Value((int) v));
                case Integer v -> out.add(new Value(v));
                case Long v -> out.add(new Value(v));
                case Float v -> out.add(new Value(v));
                case Double v -> out.add(new Value(v));
                default -> throw new IllegalArgumentException("argument " + (i + 1) + " of a prebuilt kernel has type "
                        + (a == null ? "null" : a.getClass().getSimpleName()) + "; prebuilt kernels take arrays, numbers and booleans");
            }
        }
        return out;
    }

    /** A static field's value now, as the kernel's hidden parameter takes it (a short or byte widened to int, a boolean an int). */
    private static Arg staticValue(Field field) {
        try {
            return switch (field.get(null)) {
                case Boolean b -> new Value(b ? 1 : 0);
                case Short v -> new Value((int) v);
                case Byte v -> new Value((int) v);
                case Integer v -> new Value(v);
                case Long v -> new Value(v);
                case Float v -> new Value(v);
                case Double v -> new Value(v);
                default -> throw new IllegalStateException("static field " + field + " is not of a primitive type");
            };
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("static field " + field + " cannot be read: " + e, e);
        }
    }

    /**
     * The local memory of the kernel's parameter-sized local arrays with these arguments and work-group extents, each rounded
     * up to 16 bytes as the C lays them out.
     */
    public static long sizedLocalBytes(KernelInfo kernel, Object[] args, long[] group) {
        long total = 0;
        for (KernelInfo.SizedLocal local : kernel.sizedLocals()) {
            total += (bytes(kernel, local, args, group) + 15) / 16 * 16;
        }
        return total;
    }

    private static long bytes(KernelInfo kernel, KernelInfo.SizedLocal local, Object[] args, long[] group) {
        long length = local.constant(), groupItems = 1;
        for (long extent : group) {
            groupItems *= extent;
        }
        for (int d : local.groupExtents()) {
            length *= d < group.length ? group[d] : 1; // at most the device's work-group size: no overflow
        }
        for (int p : local.parameters()) {
            int factor = (Integer) args[p];
            if (factor < 0) {
                throw new IllegalArgumentException("argument " + (p + 1) + " of " + kernel.qualifiedName() + " is " + factor
                        + ", a factor of a local array's length: it must be >= 0");
            }
            length *= factor;
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a local array of " + kernel.qualifiedName() + " would have " + length
                        + " elements (argument " + (p + 1) + " is " + factor + "): a Java array has at most " + Integer.MAX_VALUE);
            }
        }
        for (KernelInfo.Length l : local.lengths()) {
            // at most 2^31 elements (an engine array's limit) times an int constant: a long holds it
            length *= DeviceArrayView.of(args[l.parameter()]).getSize() / l.divisor();
        }
        return Math.max(1L, length) * local.elementBytes() * (local.perWorkItem() ? groupItems : 1);
    }
}
