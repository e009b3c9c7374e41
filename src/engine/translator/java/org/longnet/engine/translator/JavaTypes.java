package org.longnet.engine.translator;

import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The Java types a kernel may use, by name, and the questions the translator asks about them. */
final class JavaTypes {
    static final String API = "org.longnet.engine.api.";
    static final String KERNEL = API + "Kernel";
    static final String DEVICE_FUNCTIONS = API + "DeviceFunctions";
    static final String CONTEXT = API + "KernelContext";
    static final String KERNEL_VIEW = API + "KernelView";
    static final String MATH = API + "KernelMath";
    static final String TENSOR_MAP = API + "TensorMap";
    /** The annotations that mark a {@code @Reduce} parameter: the engine's and TornadoVM's. */
    static final Set<String> REDUCE = Set.of(API + "Reduce", "uk.ac.manchester.tornado.api.annotations.Reduce");
    /** The off-heap arrays, with the element each holds on a device ({@code half} and {@code bf16} are 16-bit words). */
    static final Map<String, String> ARRAY_ELEMENT = Map.of(
            API + "FloatArray", "float", API + "IntArray", "int",
            API + "HalfFloatArray", "half", API + "BFloat16Array", "bf16",
            API + "DoubleArray", "double", API + "LongArray", "long",
            API + "ShortArray", "short", API + "ByteArray", "byte", API + "CharArray", "char");

    /** The package of TornadoVM's vector types ({@code Float4}, ...), which kernels hold one by one, as values ({@link Vectors}). */
    private static final String TORNADO_VECTORS = "uk.ac.manchester.tornado.api.types.vectors.";

    private JavaTypes() {
    }

    /** What a message about {@code type} in a kernel adds: where TornadoVM vectors go instead (an array of them, ...), else nothing. */
    static String hostOnly(String type) {
        return type.startsWith(TORNADO_VECTORS) ? "; a kernel holds TornadoVM's vectors (Float4, Int2, ...) one by one, as values (locals, "
                + "new Float4(...), helpers' parameters and results): keep many of them in a collection parameter (VectorFloat4, ...)" : "";
    }

    /**
     * The qualified name of a declared type, else the type as Java writes it ({@code int}, {@code float[]}).
     * A class marked {@code @KernelView(E.class)} is named as E, and {@code java.lang.Math} as
     * {@code KernelMath}: kernels of other APIs (TornadoVM's) read as the engine's own. TornadoVM's {@code HalfFloat} is
     * a {@code float} ({@link HalfFloats}), and an array of a class is named by its element's name ({@code HalfFloat[]}
     * is {@code float[]}).
     */
    static String name(TypeMirror t) {
        if (t == null) {
            return "?";
        }
        if (t.getKind() == TypeKind.DECLARED) {
            return engineName((TypeElement) ((DeclaredType) t).asElement());
        }
        if (t instanceof ArrayType array && array.getComponentType().getKind() == TypeKind.DECLARED) {
            return name(array.getComponentType()) + "[]";
        }
        return t.toString();
    }

    static String ownerName(ExecutableElement m) {
        return engineName((TypeElement) m.getEnclosingElement());
    }

    /** Whether {@code cls} stands for an engine type without being one ({@code @KernelView}, or {@code java.lang.Math}). */
    static boolean isView(TypeElement cls) {
        return !engineName(cls).equals(cls.getQualifiedName().toString());
    }

    private static String engineName(TypeElement cls) {
        String own = cls.getQualifiedName().toString();
        if (own.equals("java.lang.Math")) {
            return MATH;
        }
        if (own.equals(HalfFloats.HALF_FLOAT)) {
            return "float";
        }
        for (var a : cls.getAnnotationMirrors()) {
            if (a.getAnnotationType().toString().equals(KERNEL_VIEW)) {
                for (var v : a.getElementValues().values()) {
                    if (v.getValue() instanceof TypeMirror engineType) {
                        return engineType.toString();
                    }
                }
            }
        }
        return own;
    }

    /** The element types of Java's own arrays that a kernel may take as parameters: arrays in global memory, indexed as {@code a[i]}. */
    static final Set<String> JAVA_ARRAY_ELEMENTS = Set.of("float", "int", "double", "long", "short", "char", "byte");

    /**
     * The names of {@code method}'s parameters that are Java arrays of a primitive ({@code float[] a}) or arrays of them
     * ({@code float[][] a}), read from its trees alone (the JVM launcher is written before attribution). In a kernel they are
     * arrays in global memory, as TornadoVM takes them; in a helper, a {@code float[]} is a work-group local array that its
     * caller passes. A parameter of three or more dimensions is refused here, at build time.
     */
    static Set<String> javaArrayParameters(MethodTree method) {
        Set<String> out = new HashSet<>();
        for (VariableTree p : method.getParameters()) {
            int dims = 0;
            Tree t = p.getType();
            while (t instanceof ArrayTypeTree a) {
                dims++;
                t = a.getType();
            }
            if (!(t instanceof PrimitiveTypeTree element) || !JAVA_ARRAY_ELEMENTS.contains(element.toString()) || dims == 0) {
                continue;
            }
            if (dims > 2) {
                throw new Rejected(p, "parameter " + p.getName() + " is a " + p.getType() + ": a kernel takes Java arrays of one or two "
                        + "dimensions (" + element + "[] or " + element + "[][]); flatten it into " + element + "[][] or " + element + "[]");
            }
            out.add(p.getName().toString());
        }
        return out;
    }

    /** The element of a kernel's Java array of arrays type ({@code int} for {@code int[][]}), else null. */
    static String rowArrayElement(String type) {
        String element = type.endsWith("[][]") ? type.substring(0, type.length() - 4) : null;
        return element != null && JAVA_ARRAY_ELEMENTS.contains(element) ? element : null;
    }

    static boolean isArray(String type) {
        return ARRAY_ELEMENT.containsKey(type) || type.equals(API + "DeviceArray");
    }

    static boolean isPrimitive(String type) {
        return switch (type) {
            case "int", "long", "float", "double", "boolean", "short", "byte" -> true;
            default -> false;
        };
    }

    /** Whether a value (not a variable: a kernel declares no char locals) may have this type: a primitive, or a CharArray's char. */
    static boolean isValue(String type) {
        return isPrimitive(type) || type.equals("char");
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

    /** Whether a device function's array parameter takes its caller's private array ({@code @Private}). */
    static boolean isPrivate(Element parameter) {
        return annotated(parameter, API + "Private");
    }

    /** Whether a class's static methods are device functions that any kernel may call. */
    static boolean isDeviceFunctions(Element cls) {
        return cls instanceof TypeElement && annotated(cls, DEVICE_FUNCTIONS);
    }
}
