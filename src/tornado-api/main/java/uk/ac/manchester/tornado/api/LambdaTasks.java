package uk.ac.manchester.tornado.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.attribute.LineNumberInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambdas as tasks, {@code task("t0", (a, b) -> { ... }, x, y)}. The engine's translator made each lambda that a source
 * hands to {@code task} a kernel of the generated class {@code Outer_TaskLambdas}, named {@code linesAtoB} after the lines
 * of the lambda's body, and rejected the lambdas whose lines another lambda shares. So a lambda's kernel is the one whose
 * lines hold every line of javac's implementation method ({@code lambda$...}, read from its class file), with the same
 * parameters up to boxing; anything else is refused with the reason, never guessed.
 */
final class LambdaTasks {
    private static final Pattern KERNEL_NAME = Pattern.compile("lines(\\d+)to(\\d+)");

    private LambdaTasks() {
    }

    /** The kernel that runs in place of {@code code}, as a task reference, or null where {@code code} is no lambda. */
    static Serializable kernelOf(Serializable code) {
        SerializedLambda lambda = BoundTasks.serialized(code);
        if (lambda == null || !lambda.getImplMethodName().startsWith("lambda$")) {
            return null;
        }
        String where = lambda.getImplClass().replace('/', '.');
        if (lambda.getCapturedArgCount() > 0) {
            throw new IllegalArgumentException("a task lambda in " + where + " captures " + lambda.getCapturedArgCount() + " value(s) (a local "
                    + "variable or this); a task lambda may use only its parameters and static members: pass the values as arguments");
        }
        ClassLoader loader = code.getClass().getClassLoader();
        try {
            Class<?> impl = Class.forName(where, false, loader);
            List<Integer> lines = lines(impl, lambda.getImplMethodName(), lambda.getImplMethodSignature());
            Class<?> outermost = impl;
            while (outermost.getEnclosingClass() != null) {
                outermost = outermost.getEnclosingClass();
            }
            Class<?> kernels;
            try {
                kernels = Class.forName(outermost.getName() + "_TaskLambdas", true, loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("a lambda handed to task(...) in " + where + " runs as the kernel that the engine's "
                        + "translator makes of it, and there is none: compile " + outermost.getName() + " with the translator "
                        + "(KernelProcessor) and TornadoVM's API on the class path", e);
            }
            List<Class<?>> parameters = MethodType.fromMethodDescriptorString(lambda.getImplMethodSignature(), loader).parameterList();
            int low = lines.stream().min(Integer::compare).orElseThrow();
            int high = lines.stream().max(Integer::compare).orElseThrow();
            for (Method m : kernels.getDeclaredMethods()) {
                Matcher name = KERNEL_NAME.matcher(m.getName());
                if (name.matches() && Integer.parseInt(name.group(1)) <= low && high <= Integer.parseInt(name.group(2))
                        && sameUpToBoxing(parameters, List.of(m.getParameterTypes()))) {
                    Method reference = kernels.getDeclaredMethod("referenceTo" + Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1));
                    reference.setAccessible(true);
                    return (Serializable) reference.invoke(null);
                }
            }
            throw new IllegalArgumentException("no kernel was made of the task lambda at lines " + low + " to " + high + " of "
                    + outermost.getSimpleName() + " (" + kernels.getName() + " has the lambdas that " + outermost.getSimpleName()
                    + " hands to task(...) directly, as task(\"name\", (a, b) -> { ... }, x, y))");
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalArgumentException("cannot find the kernel of a task lambda in " + where + ": " + e, e);
        }
    }

    /** The source lines of a method's code, from its class file. */
    private static List<Integer> lines(Class<?> owner, String name, String descriptor) throws IOException {
        String file = owner.getName().substring(owner.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = owner.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("cannot read the class file of " + owner.getName() + ", which a task lambda's kernel is "
                        + "found by");
            }
            ClassModel model = ClassFile.of().parse(in.readAllBytes());
            for (MethodModel m : model.methods()) {
                if (m.methodName().equalsString(name) && m.methodType().equalsString(descriptor)) {
                    List<Integer> lines = m.findAttribute(Attributes.code())
                            .flatMap(code -> ((CodeAttribute) code).findAttribute(Attributes.lineNumberTable()))
                            .map(table -> table.lineNumbers().stream().map(LineNumberInfo::lineNumber).toList()).orElse(List.of());
                    if (lines.isEmpty()) {
                        throw new IllegalArgumentException(owner.getName() + " was compiled without line numbers, by which a task lambda's "
                                + "kernel is found: compile it with them (javac's default, or -g:lines)");
                    }
                    return lines;
                }
            }
        }
        throw new IllegalArgumentException(owner.getName() + " has no method " + name + descriptor + ", the task lambda's code");
    }

    private static boolean sameUpToBoxing(List<Class<?>> a, List<Class<?>> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (MethodType.methodType(a.get(i)).wrap().returnType() != MethodType.methodType(b.get(i)).wrap().returnType()) {
                return false;
            }
        }
        return true;
    }
}
