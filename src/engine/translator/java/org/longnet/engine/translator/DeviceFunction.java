package org.longnet.engine.translator;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import java.util.List;
import java.util.Map;

/**
 * One function of the generated C, translated for every dialect: a kernel, a helper of a kernel's
 * class, or a function of a {@code @DeviceFunctions} class. A kernel file is put together from
 * these; what it must know of each is here, so a function translated in an earlier compilation
 * (read back from its class's {@code .devicefunctions} resource) serves as well as one translated now.
 *
 * @param key             {@code binary.ClassName#method}: which function, across classes
 * @param cName           its name in C
 * @param prototypes      its declaration in each dialect (by {@link Dialect#name}); empty for a kernel
 * @param definitions     its definition in each dialect
 * @param usesBarrier     whether it waits for its work-group itself
 * @param usesMatrixUnits whether matrix units read its local memory on their own (warpgroup products)
 * @param calls           the keys of the device functions it calls
 */
record DeviceFunction(String key, String cName, Map<String, String> prototypes, Map<String, String> definitions,
                      boolean usesBarrier, boolean usesMatrixUnits, List<String> calls) {

    /** {@code m}'s key: its class and name, and its parameter types where a {@code @DeviceFunctions} class overloads the name. */
    static String key(ExecutableElement m) {
        return key(CNames.binaryName((TypeElement) m.getEnclosingElement()), m.getSimpleName() + overloadedParameters(m));
    }

    /**
     * {@code (type,type)}, the erased parameter types without spaces (keys are written in {@code .devicefunctions}
     * files, space-separated), where {@code m} is one of several methods of one name in a {@code @DeviceFunctions}
     * class (TornadoVM's {@code QuantizationUtils.dp4a}); else nothing, so other keys and C names stay as they were.
     */
    static String overloadedParameters(ExecutableElement m) {
        TypeElement owner = (TypeElement) m.getEnclosingElement();
        long sameName = owner.getEnclosedElements().stream().filter(e -> e instanceof ExecutableElement && e.getSimpleName().equals(m.getSimpleName()))
                .count();
        if (!JavaTypes.isDeviceFunctions(owner) || sameName < 2) {
            return "";
        }
        return m.getParameters().stream().map(p -> erased(p.asType())).collect(java.util.stream.Collectors.joining(",", "(", ")"));
    }

    /** A type without its type arguments and annotations, as the key writes it. */
    private static String erased(javax.lang.model.type.TypeMirror t) {
        return switch (t.getKind()) {
            case DECLARED -> ((TypeElement) ((javax.lang.model.type.DeclaredType) t).asElement()).getQualifiedName().toString();
            case ARRAY -> erased(((javax.lang.model.type.ArrayType) t).getComponentType()) + "[]";
            default -> t.getKind().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String key(String binaryClassName, String method) {
        return binaryClassName + "#" + method;
    }

    /** {@code Class.method}, as messages name it. */
    String javaName() {
        return javaName(key);
    }

    static String javaName(String key) {
        String owner = key.substring(0, key.indexOf('#'));
        return owner.substring(owner.lastIndexOf('.') + 1).replace('$', '.') + "." + key.substring(key.indexOf('#') + 1);
    }
}
