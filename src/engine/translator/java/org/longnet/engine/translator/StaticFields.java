package org.longnet.engine.translator;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * A kernel's reads of static fields that are not constants ({@code private static float ESP_SQR = 500f}, which the
 * program may change between runs), as TornadoVM reads them: the value the field has when the task launches. Each such
 * field becomes a hidden scalar parameter of the kernel, after its own parameters, which every launch fills from the field
 * ({@code statics=} in the {@code .kernels} line; {@code KernelArguments}); the jvm device runs the Java code, which reads
 * the field itself. A helper function cannot read one (it has no such parameter): the kernel reads it and passes it on.
 */
final class StaticFields {
    private StaticFields() {
    }

    /** Whether {@code e} is a static field of a primitive type that is no compile-time constant. */
    static boolean is(Element e) {
        return e instanceof VariableElement v && e.getKind() == ElementKind.FIELD && v.getModifiers().contains(Modifier.STATIC)
                && v.getConstantValue() == null && JavaTypes.isPrimitive(v.asType().toString());
    }

    /**
     * The C name of the kernel's parameter that holds field {@code e}'s value, recorded in the scope; rejected in a helper, and
     * where {@code e} is no static field of a primitive type.
     */
    static String read(MethodScope s, javax.lang.model.element.Element e, com.sun.source.tree.Tree where) {
        if (!is(e)) {
            throw new Rejected(where, "only local variables, parameters, static final constants and static fields of primitive types can be "
                    + "read in a kernel; " + where + " is none of these");
        }
        VariableElement v = (VariableElement) e;
        String field = v.getEnclosingElement().getSimpleName() + "." + v.getSimpleName();
        if (!s.isKernel) {
            throw new Rejected(where, "helper " + s.method.getName() + " reads static field " + field + ", which is not final: a kernel "
                    + "receives such a field's value at each launch, a helper does not; read it in the kernel and pass it as an argument");
        }
        String descriptor = binaryName((TypeElement) v.getEnclosingElement()) + "#" + v.getSimpleName();
        String cName = "longnet_static_" + v.getEnclosingElement().getSimpleName() + "_" + v.getSimpleName();
        s.staticFields.putIfAbsent(descriptor, new MethodScope.StaticField(cName, v.asType().toString()));
        return cName;
    }

    /** {@code pkg.Outer$Inner}, as {@code Class.forName} takes it. */
    private static String binaryName(TypeElement cls) {
        Element enclosing = cls.getEnclosingElement();
        if (enclosing instanceof TypeElement outer) {
            return binaryName(outer) + "$" + cls.getSimpleName();
        }
        String pkg = enclosing instanceof PackageElement p ? p.getQualifiedName().toString() : "";
        return pkg.isEmpty() ? cls.getSimpleName().toString() : pkg + "." + cls.getSimpleName();
    }
}
