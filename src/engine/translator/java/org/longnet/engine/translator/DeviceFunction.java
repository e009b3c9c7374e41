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
        return key(CNames.binaryName((TypeElement) m.getEnclosingElement()), m.getSimpleName() + CNames.overload(m, "(", ",", "()"));
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
