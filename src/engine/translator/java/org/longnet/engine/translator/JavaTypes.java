package org.longnet.engine.translator;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import java.util.Map;

/** The Java types a kernel may use, by name, and the questions the translator asks about them. */
final class JavaTypes {
    static final String API = "org.longnet.engine.api.";
    static final String KERNEL = API + "Kernel";
    static final String DEVICE_FUNCTIONS = API + "DeviceFunctions";
    static final String CONTEXT = API + "KernelContext";
    /** The off-heap arrays, with the element each holds on a device ({@code half} and {@code bf16} are 16-bit words). */
    static final Map<String, String> ARRAY_ELEMENT = Map.of(
            API + "FloatArray", "float", API + "IntArray", "int",
            API + "HalfFloatArray", "half", API + "BFloat16Array", "bf16");

    private JavaTypes() {
    }

    /** The qualified name of a declared type, else the type as Java writes it ({@code int}, {@code float[]}). */
    static String name(TypeMirror t) {
        if (t == null) {
            return "?";
        }
        if (t.getKind() == TypeKind.DECLARED) {
            return ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().toString();
        }
        return t.toString();
    }

    static String ownerName(ExecutableElement m) {
        return ((TypeElement) m.getEnclosingElement()).getQualifiedName().toString();
    }

    static boolean isArray(String type) {
        return ARRAY_ELEMENT.containsKey(type) || type.equals(API + "DeviceArray");
    }

    static boolean isPrimitive(String type) {
        return switch (type) {
            case "int", "long", "float", "double", "boolean" -> true;
            default -> false;
        };
    }

    static boolean isFloating(String type) {
        return type.equals("float") || type.equals("double");
    }

    static String simple(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    static boolean annotated(Element e, String annotation) {
        return e.getAnnotationMirrors().stream().anyMatch(a -> a.getAnnotationType().toString().equals(annotation));
    }

    /** Whether a class's static methods are device functions that any kernel may call. */
    static boolean isDeviceFunctions(Element cls) {
        return cls instanceof TypeElement && annotated(cls, DEVICE_FUNCTIONS);
    }
}
