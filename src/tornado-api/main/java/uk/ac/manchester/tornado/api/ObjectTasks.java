package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.LibraryTask;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tasks on objects, as TornadoVM's programs write them: an instance method ({@code task("t0", foo::compute, a)},
 * {@code this::compute}) or a static method taking objects ({@code task("t0", Fields::setNested, a, 77f)}). The engine's
 * translator made each such method a static kernel of the generated class {@code Outer_TaskObjects}, whose parameters are the
 * method's own with, in place of each object and after them for the receiver, the fields the method uses (arrays and
 * numbers, reached through chains of fields). The task runs that kernel on the fields' values, read when the task is added:
 * an array field is the array the object holds then, a number field its value then. A number field that the method writes
 * travels in a one-element array, set from the field before each execution and copied back into it after
 * ({@link WrittenFields}), so the object has it once the plan has run. Where the kernel calls a method on an object, the
 * translator chose the method when it built it, and the task checks that the object is of a class that runs that one.
 */
final class ObjectTasks {
    private static final String SUFFIX = "_TaskObjects";
    /** Each top-level class's generated class, if the translator wrote one. */
    private static final ClassValue<Optional<Class<?>>> GENERATED = new ClassValue<>() {
        @Override
        protected Optional<Class<?>> computeValue(Class<?> top) {
            try {
                return Optional.of(Class.forName(top.getName() + SUFFIX, true, top.getClassLoader()));
            } catch (ClassNotFoundException e) {
                return Optional.empty();
            }
        }
    };

    /** A task on objects: the kernel that runs it, its arguments, and the number fields it writes. */
    record Bound(Serializable kernel, Object[] args, WrittenFields written) {
    }

    private ObjectTasks() {
    }

    /**
     * The kernel that runs {@code code} applied to {@code args}, or null where {@code code} is a static method that takes no
     * objects (an ordinary kernel) or a lambda. An instance method without a generated kernel is refused with the reason.
     */
    static Bound of(Serializable code, Object[] args) {
        SerializedLambda lambda = BoundTasks.serialized(code);
        if (lambda == null || lambda.getImplMethodName().startsWith("lambda$")) {
            return null;
        }
        boolean instance = switch (lambda.getImplMethodKind()) {
            case MethodHandleInfo.REF_invokeVirtual, MethodHandleInfo.REF_invokeSpecial, MethodHandleInfo.REF_invokeInterface -> true;
            case MethodHandleInfo.REF_invokeStatic -> false;
            default -> throw new IllegalArgumentException("a task must be a method reference or a lambda, not " + lambda.getImplMethodName());
        };
        String method = lambda.getImplClass().substring(lambda.getImplClass().lastIndexOf('/') + 1) + "::" + lambda.getImplMethodName();
        Class<?> owner;
        try {
            owner = Class.forName(lambda.getImplClass().replace('/', '.'), false, code.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("cannot load the class of the task " + method + ": " + e, e);
        }
        Object[] binding = binding(owner, lambda);
        if (binding == null) {
            if (!instance) {
                return null;
            }
            throw new IllegalArgumentException("the task " + method + " is an instance method, which runs as the kernel that the engine's "
                    + "translator makes of it, and there is none: compile " + owner.getName() + " with the translator (KernelProcessor) and "
                    + "TornadoVM's API on the class path, handing the method to task(...) as object::" + lambda.getImplMethodName());
        }
        Object receiver = null;
        Object[] methodArgs = args;
        if (instance) {
            boolean captured = lambda.getCapturedArgCount() == 1;
            receiver = captured ? lambda.getCapturedArg(0) : args.length > 0 ? args[0] : null;
            methodArgs = captured ? args : Arrays.copyOfRange(args, 1, args.length);
            if (receiver == null) {
                throw new IllegalArgumentException("the task " + method + " has no object to run on (null)");
            }
        }
        for (String check : (String[]) binding[5]) {
            checkClass(check, receiver, methodArgs, method);
        }
        String[] sources = (String[]) binding[4];
        Object[] kernelArgs = new Object[sources.length];
        WrittenFields written = new WrittenFields(method);
        for (int i = 0; i < sources.length; i++) {
            kernelArgs[i] = value(sources[i], receiver, methodArgs, method, written);
        }
        return new Bound((Serializable) binding[3], kernelArgs, written);
    }

    /** The generated binding of the method {@code lambda} names ({@code {class, name, descriptor, kernel, sources, checks}}), or null. */
    private static Object[] binding(Class<?> owner, SerializedLambda lambda) {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            Class<?> top = c;
            while (top.getEnclosingClass() != null) {
                top = top.getEnclosingClass();
            }
            Optional<Class<?>> generated = GENERATED.get(top);
            if (generated.isEmpty()) {
                continue;
            }
            for (Method m : generated.get().getDeclaredMethods()) {
                if (!m.getName().startsWith("bindingOf")) {
                    continue;
                }
                try {
                    m.setAccessible(true);
                    Object[] binding = (Object[]) m.invoke(null);
                    if (binding[1].equals(lambda.getImplMethodName()) && binding[2].equals(lambda.getImplMethodSignature())
                            && Class.forName((String) binding[0], false, owner.getClassLoader()).isAssignableFrom(owner)) {
                        return binding;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("cannot read the kernel bindings of " + generated.get().getName() + ": " + e, e);
                }
            }
        }
        return null;
    }

    /** The value of one kernel parameter: a task argument, or a field reached from one or from the receiver. */
    private static Object value(String source, Object receiver, Object[] args, String method, WrittenFields written) {
        boolean writes = source.endsWith("[]");
        String[] path = (writes ? source.substring(0, source.length() - 2) : source).split("\\.");
        Object value = path[0].equals("this") ? receiver : args[Integer.parseInt(path[0])];
        String reached = path[0].equals("this") ? "this" : "argument " + (Integer.parseInt(path[0]) + 1);
        for (int k = 1; k < path.length; k++) {
            if (value == null) {
                throw new IllegalArgumentException("the task " + method + " reads " + String.join(".", path) + ", but " + reached + " is null");
            }
            Field f = field(value.getClass(), path[k]);
            try {
                if (writes && k == path.length - 1) {
                    return written.add(value, f);
                }
                value = f.get(value);
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("the task " + method + " cannot read the field " + f + ": " + e.getMessage(), e);
            }
            reached = reached + "." + path[k];
        }
        if (value == null) {
            throw new IllegalArgumentException("the task " + method + " takes " + reached + ", which is null");
        }
        return value;
    }

    /**
     * Checks {@code "path=C1,C2"}: the object at the path is of one of those classes, the ones whose method the kernel calls
     * there (chosen when it was built, among the classes compiled with it).
     */
    private static void checkClass(String check, Object receiver, Object[] args, String method) {
        int eq = check.indexOf('=');
        Object object = value(check.substring(0, eq), receiver, args, method, null);
        List<String> classes = List.of(check.substring(eq + 1).split(","));
        if (!classes.contains(object.getClass().getName())) {
            throw new IllegalArgumentException("the task " + method + " was built to call the methods of " + String.join(" or ", classes) + " on "
                    + check.substring(0, eq) + " (the classes compiled with it that can be there), but it is a " + object.getClass().getName());
        }
    }

    /** The instance field {@code name} of {@code cls} or a superclass, made accessible. */
    private static Field field(Class<?> cls, String name) {
        for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    return f;
                }
            }
        }
        throw new IllegalArgumentException(cls.getName() + " has no field " + name + ", which its task's kernel was made to read: recompile");
    }

    /**
     * The arrays an object holds, for {@code transferToDevice} and {@code transferToHost} of it, as TornadoVM moves an object:
     * the arrays among its fields and, through the fields that are objects of the program's classes, theirs, each once. Null
     * for what is no such object (an array, a number, a class of Java's, TornadoVM's or the engine's).
     */
    static List<DeviceArray> arraysOf(Object object) {
        if (!isProgramObject(object)) {
            return null;
        }
        List<DeviceArray> out = new ArrayList<>();
        collect(object, Collections.newSetFromMap(new IdentityHashMap<>()), out);
        return out;
    }

    private static boolean isProgramObject(Object o) {
        if (o == null || DeviceArrayView.of(o) != null || o.getClass().isArray() || o.getClass().isEnum()) {
            return false;
        }
        String name = o.getClass().getName();
        return !(name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                || name.startsWith("uk.ac.manchester.tornado.api.") || name.startsWith("org.longnet.engine."));
    }

    private static void collect(Object object, Set<Object> seen, List<DeviceArray> out) {
        if (!seen.add(object)) {
            return;
        }
        for (Class<?> c = object.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic() || f.getType().isPrimitive()) {
                    continue;
                }
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(object);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot read the field " + f + " to transfer its object: " + e.getMessage(), e);
                }
                if (DeviceArrayView.of(value) instanceof DeviceArray array) {
                    if (!out.contains(array)) {
                        out.add(array);
                    }
                } else if (isProgramObject(value)) {
                    collect(value, seen, out);
                }
            }
        }
    }

    /**
     * The number fields that one task's kernel writes, each in a one-element array of its type (a kernel argument): before each
     * execution the array takes the field's value and goes to the device; after, it comes back and the field takes its value.
     */
    static final class WrittenFields {
        private record Written(Object object, Field field, Object holder) {
        }

        private final String method;
        private final List<Written> fields = new ArrayList<>();

        WrittenFields(String method) {
            this.method = method;
        }

        boolean isEmpty() {
            return fields.isEmpty();
        }

        /** The one-element array that carries {@code field} of {@code object}. */
        Object add(Object object, Field field) throws IllegalAccessException {
            Object holder = Array.newInstance(field.getType(), 1);
            Array.set(holder, 0, field.get(object));
            fields.add(new Written(object, field, holder));
            return holder;
        }

        /** The step before the task: each field's value into its array, and the array to the device. */
        LibraryTask copyIn() {
            return new Step(true);
        }

        /** The step after the task: each array back from the device, and its value into the field. */
        LibraryTask copyOut() {
            return new Step(false);
        }

        private final class Step implements LibraryTask {
            private final boolean in;

            Step(boolean in) {
                this.in = in;
            }

            @Override
            public List<DeviceArray> arrays() {
                return fields.stream().map(w -> DeviceArrayView.of(w.holder())).toList();
            }

            @Override
            public long run(Device device, boolean timed) {
                long start = System.nanoTime();
                for (Written w : fields) {
                    DeviceArray array = DeviceArrayView.of(w.holder());
                    try {
                        if (in) {
                            Array.set(w.holder(), 0, w.field().get(w.object()));
                            device.copyToDevice(array, false);
                        } else {
                            device.copyToHost(array, false);
                            w.field().set(w.object(), Array.get(w.holder(), 0));
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("the task " + method + " cannot " + (in ? "read" : "write") + " the field " + w.field()
                                + ": " + e.getMessage(), e);
                    }
                }
                return timed ? System.nanoTime() - start : -1;
            }
        }
    }
}
