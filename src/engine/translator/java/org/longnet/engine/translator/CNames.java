package org.longnet.engine.translator;

import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** The names things get in the generated C, which must not collide with C, OpenCL or CUDA names or with each other. */
final class CNames {
    private static final Set<String> RESERVED = Set.of(
            "auto", "bool", "case", "char", "const", "constant", "default", "double", "enum", "extern", "global",
            "goto", "half", "inline", "kernel", "local", "private", "register", "restrict", "short", "signed",
            "sizeof", "size_t", "static", "struct", "switch", "typedef", "uchar", "uint", "ulong", "union",
            "unsigned", "ushort", "volatile", "exp", "log", "sqrt", "rsqrt", "tanh", "sin", "cos", "pow", "floor",
            "ceil", "fabs", "fmax", "fmin", "fma", "fmod", "abs", "max", "min", "barrier", "threadIdx", "blockIdx",
            "blockDim", "gridDim", "warpSize", "asm", "new", "delete", "this", "template", "class", "namespace",
            "operator", "friend", "virtual", "typename", "using", "explicit", "mutable", "true", "false",
            // OpenCL and CUDA built-in functions a kernel or helper name would collide with
            "rotate", "clamp", "mix", "step", "smoothstep", "select", "dot", "cross", "length", "distance", "normalize",
            "sign", "degrees", "radians", "mad", "hypot", "round", "trunc", "rint", "exp2", "exp10", "log2", "log10",
            "sinh", "cosh", "tan", "asin", "acos", "atan", "atan2", "fract", "mad24", "mul24", "popcount", "clz",
            "upsample", "all", "any", "bitselect", "shuffle", "printf", "prefetch", "native_exp", "native_log", "isnan",
            "isinf", "as_float", "as_int", "as_uint", "vload_half", "vstore_half_rte", "get_global_id", "get_local_id",
            "get_group_id", "get_global_size", "get_local_size", "convert_int_sat_rtz", "convert_long_sat_rtz",
            "__syncthreads", "atomicAdd", "min3", "max3", "saturate", "norm", "erf", "erfc", "lgamma", "tgamma",
            "cbrt", "copysign", "remainder", "ldexp", "frexp", "modf", "nan", "nextafter", "fdim", "logb", "ilogb");

    /**
     * Each kernel class's variable names (locals and parameters of all its methods) in C. C has one name space for them and
     * functions, so a local {@code pos} would hide a helper {@code pos()} that its initializer calls: such a helper's C name
     * takes a suffix ({@link #of(ExecutableElement, TypeElement)}).
     */
    private static final Map<TypeElement, Set<String>> VARIABLES = new HashMap<>();

    /** OpenCL's vector types ({@code half4}, {@code float2}, ...), which a kernel's local of that name would collide with. */
    private static final Set<String> VECTOR_TYPES = java.util.stream.Stream.of("char", "uchar", "short", "ushort", "int", "uint", "long",
            "ulong", "float", "double", "half").flatMap(t -> java.util.stream.Stream.of(2, 3, 4, 8, 16).map(n -> t + n))
            .collect(java.util.stream.Collectors.toSet());

    private CNames() {
    }

    /** Records the variable names of {@code cls}'s methods ({@code javaNames}), before any of its functions is named. */
    static void variablesOf(TypeElement cls, Set<String> javaNames) {
        VARIABLES.put(cls, javaNames.stream().map(CNames::of).collect(java.util.stream.Collectors.toSet()));
    }

    /** A local name (variable, parameter, kernel, helper of the kernel's class) in C. */
    static String of(String javaName) {
        String n = javaName.replace("$", "_S_");
        return RESERVED.contains(n) || VECTOR_TYPES.contains(n) ? n + "_" : n;
    }

    /**
     * A device function's name, in the C of {@code kernelClass} (null for a library's own C). Functions of other
     * classes ({@code @DeviceFunctions} classes, and other classes' static methods that kernels reach) carry their
     * class's binary name, so two classes may both have a {@code rowIndex} (and no kernel's own helper takes it);
     * the helpers of a kernel's own class keep their Java names.
     * A name its class overloads gets a suffix from the parameter types ({@link #overload}).
     */
    static String of(ExecutableElement function, TypeElement kernelClass) {
        TypeElement owner = (TypeElement) function.getEnclosingElement();
        String name = function.getSimpleName() + overload(function, "_", "_", "_noargs");
        if (owner.equals(kernelClass) && !JavaTypes.isDeviceFunctions(owner)) {
            String c = of(name);
            return VARIABLES.getOrDefault(kernelClass, Set.of()).contains(c) ? c + "_fn" : c;
        }
        return library(binaryName(owner)) + "_" + name.replace("$", "_S_");
    }

    /**
     * Where the function's class has other methods of its name (C has none): its parameter types, written between
     * {@code open} and {@code close} and separated by {@code separator} ({@code _byte_int}, {@code (byte,int)}); else "".
     * Both its C name and its key carry them, so each overload is a function of its own.
     */
    static String overload(ExecutableElement function, String open, String separator, String none) {
        long namesakes = function.getEnclosingElement().getEnclosedElements().stream()
                .filter(e -> e.getKind() == ElementKind.METHOD && e.getSimpleName().equals(function.getSimpleName())).count();
        if (namesakes < 2) {
            return "";
        }
        if (function.getParameters().isEmpty()) {
            return none;
        }
        StringJoiner types = new StringJoiner(separator, open, open.equals("(") ? ")" : "");
        function.getParameters().forEach(p -> types.add(typeWord(p.asType())));
        return types.toString();
    }

    /** A parameter type in one C word: {@code int}, {@code floatArray}, {@code FloatArray}. */
    private static String typeWord(TypeMirror t) {
        return switch (t) {
            case ArrayType a -> typeWord(a.getComponentType()) + "Array";
            case DeclaredType d -> d.asElement().getSimpleName().toString();
            default -> t.getKind().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The prefix of a {@code @DeviceFunctions} class's functions: its binary name with {@code .} and {@code $} as {@code _}. */
    static String library(String binaryName) {
        return binaryName.replace('.', '_').replace('$', '_');
    }

    /** {@code pkg.Outer$Inner}: the name its class file and resources go by. */
    static String binaryName(TypeElement cls) {
        if (cls.getEnclosingElement() instanceof TypeElement outer) {
            return binaryName(outer) + "$" + cls.getSimpleName();
        }
        return cls.getQualifiedName().toString();
    }
}
