package org.longnet.engine.translator;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import java.util.List;
import java.util.function.Predicate;
import java.util.StringJoiner;

/**
 * Turns the attributed body of one kernel or device function into C for one {@link Dialect}:
 * the signature here, the body through {@link Statements}, {@link Expressions} and {@link Calls}.
 * Anything outside the kernel subset throws {@link Rejected} at the offending tree, with a message
 * that says what is allowed instead.
 */
final class CTranslator {
    private final Trees trees;
    private final CompilationUnitTree unit;
    private final TypeElement owner;
    private final boolean library;
    private final Predicate<Element> sourceLibrary;
    private final Dialect d;

    /** What translating one method gave: its C, and what the kernel file must know about it. */
    record Result(String text, boolean usesBarrier, boolean usesMatrixUnits, int localBytes, List<MethodScope.SizedLocal> sizedLocals,
                  List<String> staticFields) {
    }

    /** {@code owner} is the class whose methods these are: a kernel class, or a {@code library} (its functions for other classes' kernels). */
    CTranslator(Trees trees, CompilationUnitTree unit, TypeElement owner, boolean library, Predicate<Element> sourceLibrary, Dialect dialect) {
        this.trees = trees;
        this.unit = unit;
        this.owner = owner;
        this.library = library;
        this.sourceLibrary = sourceLibrary;
        this.d = dialect;
    }

    String prototype(MethodTree m) {
        return signature(new MethodScope(trees, unit, d, owner, library, sourceLibrary, m, false), null) + ";\n";
    }

    /** A device function (a helper, or a function of a {@code @DeviceFunctions} class). */
    Result translate(MethodTree m) {
        return translate(m, null);
    }

    /** A kernel, or a device function where {@code kernelName} (the kernel's name in C) is null. */
    Result translate(MethodTree m, String kernelName) {
        boolean kernel = kernelName != null;
        if (!kernel && ParallelNest.of(m).dims() > 0) {
            throw new Rejected(m, "@Parallel loops belong in the @Kernel method itself, not in helper " + m.getName());
        }
        Dialect dialect = ClusterKernels.dialect(d, m, trees.getElement(trees.getPath(unit, m)), kernel);
        MethodScope scope = new MethodScope(trees, unit, dialect, owner, library, sourceLibrary, m, kernel);
        Statements statements = new Statements(scope, new Expressions(scope));
        signature(scope, kernelName); // declares the parameters' arrays to the scope, for the body
        String body = HelperLocals.withCallLocals(scope, statements.block(m.getBody(), 0))
                .replace(MethodScope.CONSTANT_LOCAL_BYTES, Integer.toString(scope.localBytes));
        if (scope.usesSimdScratch) {
            body = SimdGroups.withScratch(d, body);
        }
        if (scope.usesMmaScratch) {
            body = MmaCalls.withScratch(d, body);
        }
        // again, now with the parameters that bring the local arrays whose lengths the body took from parameters (OpenCL's)
        String text = signature(scope, kernelName) + " " + body + "\n";
        return new Result(text, scope.usesBarrier, scope.usesMatrixUnits, scope.localBytes, List.copyOf(scope.sizedLocals),
                List.copyOf(scope.staticFields.keySet()));
    }

    private String signature(MethodScope s, String kernelName) {
        MethodTree m = s.method;
        StringJoiner params = new StringJoiner(", ");
        for (VariableTree p : m.getParameters()) {
            String type = s.javaType(p);
            String name = CNames.of(p.getName().toString());
            if (type.equals(JavaTypes.CONTEXT)) {
                continue;
            }
            String element = JavaTypes.ARRAY_ELEMENT.get(type);
            if (JavaTypes.isPrivate(s.element(p)) && (s.isKernel || !type.equals("float[]") && !type.equals("int[]"))) {
                throw new Rejected(p, "@Private marks a helper's float[] or int[] parameter; " + p.getName() + " is "
                        + (s.isKernel ? "a kernel's" : "a " + type));
            }
            if (!s.isKernel && (type.equals("float[]") || type.equals("int[]")) && JavaTypes.isPrivate(s.element(p))) {
                // A helper's @Private array parameter is a caller's private array: a plain pointer (OpenCL's private space).
                params.add(d.type(type.substring(0, type.length() - 2)) + "* " + name);
                s.arraySizes.put(p.getName().toString(), Integer.MAX_VALUE);
            } else if (!s.isKernel && (type.equals("float[]") || type.equals("int[]") || type.equals("byte[]") || type.equals("long[]"))) {
                // A helper's float[]/int[]/byte[]/long[] parameter is a caller's work-group local array (mbarriers are long[]).
                String elementType = type.equals("long[]") ? d.type("long") : type.substring(0, type.length() - 2);
                params.add(d.localPointer(elementType) + " " + name);
                s.arraySizes.put(p.getName().toString(), Integer.MAX_VALUE);
                s.localArrays.add(p.getName().toString());
            } else if (s.isKernel && type.endsWith("[]") && JavaTypes.JAVA_ARRAY_ELEMENTS.contains(type.substring(0, type.length() - 2))) {
                // A kernel's Java array (TornadoVM's float[] a) is global memory, passed as (pointer, length) as a FloatArray is.
                params.add(d.globalPointer(d.type(type.substring(0, type.length() - 2))) + " " + name);
                params.add(d.type("long") + " " + name + "_len");
                s.globalArrays.add(p.getName().toString());
            } else if (s.isKernel && JavaTypes.rowArrayElement(type) instanceof String rowElement) {
                // A kernel's array of arrays (int[][] a): one global array, its row table then its rows (RowArrays), as (pointer, length).
                params.add(d.globalPointer(d.type(rowElement)) + " " + name);
                params.add(d.type("long") + " " + name + "_len");
                s.rowArrays.add(p.getName().toString());
            } else if (AtomicIntegers.is(type)) {
                // a task's AtomicInteger: one int in global memory (AtomicIntegers); a helper takes the pointer alone
                params.add(d.globalPointer("int") + " " + name);
                if (s.isKernel) {
                    params.add(d.type("long") + " " + name + "_len");
                }
            } else if (element != null) {
                params.add(d.globalPointer(storageType(element)) + " " + name);
                params.add(d.type("long") + " " + name + "_len");
                MatrixViews.extentNames(name, MatrixViews.dimensions(s.typeOf(p))).forEach(e -> params.add("int " + e));
            } else if (s.isKernel && type.equals(JavaTypes.TENSOR_MAP)) {
                params.add(d.tensorMapParameter(name));
            } else if (type.equals(JavaTypes.TENSOR_MAP) && !JavaTypes.isDeviceFunctions(s.owner)) {
                // A kernel's own helper: in the kernel's file, whose local arrays the translator aligns for Tma tiles (TmaTiles).
                params.add(d.helperTensorMapParameter(name));
            } else if (JavaTypes.isPrimitive(type)) {
                params.add((s.isKernel && type.equals("boolean") ? "int" : d.type(type)) + " " + name);
            } else if (!s.isKernel && SimdgroupMatrices.is(s.typeOf(p))) {
                params.add(SimdgroupMatrices.C_TYPE + " " + name);
            } else if (Vectors.vector(s.typeOf(p)) instanceof Vectors.Shape vector) {
                if (s.isKernel) {
                    // a task's vector: its lanes in global memory, as a Java array's (Vectors.isKernelParameter)
                    params.add(d.globalPointer(vector.isHalf() ? d.halfStorageType() : d.type(vector.element())) + " " + name);
                    params.add(d.type("long") + " " + name + "_len");
                } else {
                    params.add(vector.cType() + " " + name);
                }
            } else {
                throw new Rejected(p, "parameter type " + type + " is not allowed in a kernel; allowed: int, long, "
                        + "float, double, boolean, short, byte, char, their Java arrays (float[], ...) and arrays of them (float[][], ...) in a kernel, "
                        + "the engine's arrays (FloatArray, "
                        + "IntArray, DoubleArray, LongArray, ShortArray, ByteArray, CharArray, HalfFloatArray, BFloat16Array) and their TornadoVM "
                        + "namesakes, KernelContext, AtomicInteger, TensorMap (in a kernel or its class's own helpers, not in a "
                        + "@DeviceFunctions class: the file that copies Tma tiles must also allocate them)"
                        + JavaTypes.hostOnly(type));
            }
        }
        if (!s.isKernel) {
            HelperLocals.of(m, s).forEach(v -> params.add(d.localPointer(HelperLocals.elementType(v, s)) + " " + HelperLocals.parameter(v)));
        }
        // the static fields the kernel reads, their values at launch, before the local arrays (KernelArguments' order)
        s.staticFields.values().forEach(f -> params.add((f.javaType().equals("boolean") ? "int" : d.type(f.javaType())) + " " + f.cName()));
        for (int i = 0; i < s.sizedLocals.size(); i++) {
            String parameter = d.sizedLocalParameter(s.sizedLocals.get(i).cType(), i);
            if (parameter != null) {
                params.add(parameter);
            }
        }
        if (s.isKernel) {
            return d.kernelSignature(kernelName, params.toString(), kernelSetting(s, "groupSize"),
                    kernelSetting(s, "minGroupsPerUnit"));
        }
        String ret = s.javaType(m.getReturnType());
        String name = CNames.of((ExecutableElement) s.element(m), s.kernelClass);
        if (Vectors.vector(s.typeOf(m.getReturnType())) instanceof Vectors.Shape vector) {
            return d.deviceFunctionPrefix() + vector.cType() + " " + name + "(" + params + ")";
        }
        if (SimdgroupMatrices.is(s.typeOf(m.getReturnType()))) {
            return d.deviceFunctionPrefix() + SimdgroupMatrices.C_TYPE + " " + name + "(" + params + ")";
        }
        if (!ret.equals("void") && !JavaTypes.isPrimitive(ret)) {
            throw new Rejected(m.getReturnType(), "a device function returns a primitive or void, not " + ret);
        }
        return d.deviceFunctionPrefix() + (ret.equals("void") ? "void" : d.type(ret)) + " " + name + "(" + params + ")";
    }

    /** An int element of the method's {@code @Kernel}, 0 where it is not given. */
    private static int kernelSetting(MethodScope s, String key) {
        return kernelSetting(s.element(s.method), s.method, key);
    }

    /** An int element of {@code method}'s {@code @Kernel}, 0 where it is not given; a negative one is refused at {@code where}. */
    static int kernelSetting(Element method, com.sun.source.tree.Tree where, String key) {
        for (var a : method.getAnnotationMirrors()) {
            if (a.getAnnotationType().toString().equals(JavaTypes.KERNEL)) {
                for (var e : a.getElementValues().entrySet()) {
                    if (e.getKey().getSimpleName().contentEquals(key)) {
                        int value = (Integer) e.getValue().getValue();
                        if (value < 0) {
                            throw new Rejected(where, "@Kernel(" + key + ") must be >= 0, was " + value);
                        }
                        return value;
                    }
                }
            }
        }
        return 0;
    }

    private String storageType(String element) {
        return switch (element) {
            case "half" -> d.halfStorageType();
            case "bf16" -> d.unsignedOf("short");
            default -> d.type(element);
        };
    }
}
