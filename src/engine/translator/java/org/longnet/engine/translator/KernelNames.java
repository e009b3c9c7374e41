package org.longnet.engine.translator;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What tells a class's kernels apart: in C, which has no overloading, and in its {@code .kernels} file, where the
 * runtime looks a task's method reference up. A kernel whose name no other kernel of its class shares keeps its
 * name (so its C and the kernel cache stay as they were); overloads (TornadoVM's tests keep {@code add(IntArray, ...)}
 * beside {@code add(FloatArray, ...)}) each get a suffix from their JVM method descriptor, which the runtime reads from
 * the method reference too.
 */
final class KernelNames {
    /**
     * @param key        the kernel's {@link DeviceFunction#key}, with its parameter types where overloaded
     * @param cName      its name in C
     * @param descriptor its JVM method descriptor where its name is overloaded, else null
     */
    record Name(String key, String cName, String descriptor) {
    }

    private KernelNames() {
    }

    static Map<ExecutableElement, Name> of(List<ExecutableElement> kernels, Types types, Elements elements) {
        Map<String, Integer> uses = new HashMap<>();
        kernels.forEach(k -> uses.merge(k.getSimpleName().toString(), 1, Integer::sum));
        Map<ExecutableElement, Name> out = new LinkedHashMap<>();
        for (ExecutableElement k : kernels) {
            String name = k.getSimpleName().toString();
            if (uses.get(name) == 1) {
                out.put(k, new Name(DeviceFunction.key(k), CNames.of(name), null));
                continue;
            }
            StringJoiner parameters = new StringJoiner(", ", "(", ")");
            k.getParameters().forEach(p -> parameters.add(types.erasure(p.asType()).toString()));
            String jvm = jvmDescriptor(k, types, elements);
            String key = DeviceFunction.key(CNames.binaryName((TypeElement) k.getEnclosingElement()), name + parameters);
            out.put(k, new Name(key, CNames.of(name) + "_" + suffix(jvm), jvm));
        }
        return out;
    }

    /** The JVM method descriptor of kernel {@code k} ({@code (Luk/.../FloatArray;I)V}), as the runtime reads it from a method reference. */
    static String jvmDescriptor(ExecutableElement k, Types types, Elements elements) {
        StringBuilder descriptor = new StringBuilder("(");
        k.getParameters().forEach(p -> descriptor.append(descriptor(types.erasure(p.asType()), types, elements)));
        return descriptor.append(")V").toString();
    }

    /** Eight hex digits of the descriptor's hash: short, and the same in every build (Java specifies String's hash). */
    static String suffix(String descriptor) {
        return String.format("%08x", descriptor.hashCode());
    }

    /** An erased type as a JVM descriptor writes it ({@code I}, {@code [F}, {@code Lpkg/Outer$Inner;}, {@code V}). */
    static String descriptor(TypeMirror t, Types types, Elements elements) {
        return switch (t.getKind()) {
            case BOOLEAN -> "Z";
            case BYTE -> "B";
            case CHAR -> "C";
            case SHORT -> "S";
            case INT -> "I";
            case LONG -> "J";
            case FLOAT -> "F";
            case DOUBLE -> "D";
            case VOID -> "V";
            case ARRAY -> "[" + descriptor(types.erasure(((ArrayType) t).getComponentType()), types, elements);
            case DECLARED -> "L" + elements.getBinaryName((TypeElement) ((DeclaredType) t).asElement()).toString().replace('.', '/') + ";";
            default -> throw new IllegalArgumentException("a kernel parameter of type " + t + " has no JVM descriptor");
        };
    }
}
