package org.longnet.engine.translator;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;

import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * Method calls: an intrinsic is spelled as its row of {@link Intrinsics} says, once its arguments
 * are checked; a static method of the class being translated, or of a {@code @DeviceFunctions}
 * class, becomes a call of that device function. Nothing else may be called.
 */
final class Calls {
    static final String ALLOWED = "a kernel may call KernelMath functions (and those of java.lang.Math that KernelMath has), methods of its array "
            + "parameters (get, set, getSize, ...), "
            + "KernelContext methods, TornadoVM's Debug.printf, static methods of its own class, and static methods of @DeviceFunctions classes "
            + "and of other classes compiled from source in the same javac run (whose bodies are translated)";

    /** The type of a static intrinsic's context parameter, as a row of {@link Intrinsics} names it. */
    private static final String CONTEXT_PARAMETER = "KernelContext";

    private final MethodScope s;
    private final Expressions e;

    Calls(MethodScope scope, Expressions expressions) {
        this.s = scope;
        this.e = expressions;
    }

    String call(MethodInvocationTree call) {
        if (!(s.element(call) instanceof ExecutableElement m)) {
            throw new Rejected(call, "unresolved call " + call.getMethodSelect());
        }
        if (e.vectors.owns(call, m)) {
            return e.vectors.call(call, m);
        }
        String halfFloatCall = HalfFloats.call(s, e, call, m);
        if (halfFloatCall != null) {
            return halfFloatCall;
        }
        String swizzled = Swizzles.call(s, e, call, m);
        if (swizzled != null) {
            return swizzled;
        }
        String tile = SimdgroupMatrices.call(s, e, call, m);
        if (tile != null) {
            return tile;
        }
        String mma = MmaCalls.call(s, e, call, m);
        if (mma != null) {
            return mma;
        }
        String counter = AtomicIntegers.call(s, call, m);
        if (counter != null) {
            return counter;
        }
        String simd = SimdGroups.call(s, e, call, m);
        if (simd != null) {
            return simd;
        }
        String owner = JavaTypes.ownerName(m);
        String gridCall = ImageViews.call(s, e, call, m);
        if (gridCall != null) {
            return gridCall;
        }
        String printf = Printf.call(s, e, call, m);
        if (printf != null) {
            return printf;
        }
        String matrixCall = MatrixViews.call(s, e, call, m);
        if (matrixCall != null) {
            return matrixCall;
        }
        Intrinsic intrinsic = Intrinsics.find(m);
        if (intrinsic != null) {
            String result = intrinsic(call, intrinsic);
            String returned = JavaTypes.name(m.getReturnType());
            // a view's byte or short function computes in int (KernelMath has no narrower ones) and narrows as Java's returns
            boolean narrowed = owner.equals(JavaTypes.MATH) && (returned.equals("byte") || returned.equals("short"));
            return narrowed ? "((" + s.d.type(returned) + ") " + result + ")" : result;
        }
        if (JavaTypes.isArray(owner)) {
            throw new Rejected(call, "only " + String.join(", ", Intrinsics.methodsOf("DeviceArray", "FloatArray", "IntArray", "DoubleArray",
                    "LongArray", "ShortArray", "ByteArray", "CharArray",
                    "HalfFloatArray", "BFloat16Array")) + " can be called on an array in a kernel; " + m.getSimpleName() + " cannot");
        }
        if (isDeviceFunction(m)) {
            ClusterKernels.checkHelperCall(s, call, call.getArguments());
            String locals = s.trees.getTree(m) instanceof com.sun.source.tree.MethodTree callee && m.getEnclosingElement().equals(s.owner)
                    ? HelperLocals.arguments(call, callee, s, e) : "";
            String arguments = deviceFunctionArguments(m, call.getArguments());
            return CNames.of(m, s.kernelClass) + "(" + arguments + (locals.isEmpty() ? "" : arguments.isEmpty() ? locals : ", " + locals) + ")";
        }
        boolean noSource = m.getModifiers().contains(Modifier.STATIC) && !SourceLibraries.isApi(owner);
        throw new Rejected(call, "calls to " + m.getEnclosingElement().getSimpleName() + "." + m.getSimpleName() + " are not allowed in a kernel; "
                + ALLOWED + JavaTypes.hostOnly(owner) + (noSource ? "; the body of " + owner + "." + m.getSimpleName() + " is not among the "
                + "sources of this javac run (its class comes from the class path), so it cannot be translated: compile its source with the "
                + "kernels, or mark its class @DeviceFunctions" : ""));
    }

    /** Whether a call of {@code m} from the class being translated is a call of a device function. */
    boolean isDeviceFunction(ExecutableElement m) {
        return m.getKind() == ElementKind.METHOD && m.getModifiers().contains(Modifier.STATIC)
                && (m.getEnclosingElement().equals(s.owner) || JavaTypes.isDeviceFunctions(m.getEnclosingElement())
                || s.sourceLibrary.test(m.getEnclosingElement()));
    }

    private String intrinsic(MethodInvocationTree call, Intrinsic intrinsic) {
        Map<String, String> arguments = new HashMap<>();
        if (intrinsic.onArray()) {
            if (!(call.getMethodSelect() instanceof MemberSelectTree sel) || !(sel.getExpression() instanceof IdentifierTree id)
                    || s.element(id).getKind() != ElementKind.PARAMETER) {
                throw new Rejected(call, "array methods must be called on a parameter of the kernel, like a.get(i)");
            }
            arguments.put("array", CNames.of(id.getName().toString()));
        }
        List<? extends ExpressionTree> args = call.getArguments();
        for (int i = 0; i < args.size(); i++) {
            Intrinsic.Param p = intrinsic.params().get(i);
            if (!p.type().equals(CONTEXT_PARAMETER)) { // a static intrinsic's context (Clusters.rank(ctx)) is the work-item itself
                arguments.put(p.name(), argument(intrinsic, p, args.get(i)));
            }
        }
        ClusterKernels.check(s, call, intrinsic, arguments);
        s.usesBarrier |= intrinsic.has(Intrinsic.Effect.BARRIER);
        s.usesMatrixUnits |= intrinsic.has(Intrinsic.Effect.MATRIX_UNITS);
        return Intrinsic.fill(s.d.spelling(intrinsic), arguments);
    }

    /** An argument of an intrinsic as C, once it is what the parameter asks for. */
    private String argument(Intrinsic intrinsic, Intrinsic.Param p, ExpressionTree arg) {
        String where = intrinsic.name() + "'s " + p.name() + " must be ";
        String name = arg instanceof IdentifierTree id ? id.getName().toString() : null;
        return switch (p.kind()) {
            case VALUE -> {
                if (p.type().equals("TensorMap")) {
                    if (name == null || s.element(arg).getKind() != ElementKind.PARAMETER) {
                        throw new Rejected(arg, where + "a TensorMap parameter of the kernel or helper, by name; " + arg + " is not");
                    }
                    yield CNames.of(name);
                }
                // Java widens an argument to the parameter's type (KernelMath.max(long, long) takes an int); C builtins are
                // overloaded, and a mix like max(int, long) is ambiguous, so the conversion is written out.
                String value = isPosition(p) ? e.index(arg) : e.expr(arg);
                yield JavaTypes.isPrimitive(p.type()) && !s.javaType(arg).equals(p.type()) ? "((" + s.d.type(p.type()) + ") " + value + ")" : unparen(value);
            }
            case LOCAL -> {
                if (name == null || !s.localArrays.contains(name)) {
                    throw new Rejected(arg, where + "a work-group local array (context.allocate...LocalArray), by name; " + arg + " is not");
                }
                yield CNames.of(name);
            }
            case PRIVATE -> {
                if (name == null || !s.arraySizes.containsKey(name) || s.localArrays.contains(name) || s.sizedLocalLengths.containsKey(name)) {
                    throw new Rejected(arg, where + "a private array of this method (new " + p.type().replace("[]", "[N]") + "), by name; "
                            + arg + " is not");
                }
                if (p.minLength() > 0 && s.arraySizes.get(name) == Integer.MAX_VALUE) {
                    throw new Rejected(arg, where + "a private array of at least " + p.minLength() + " elements; " + name
                            + " is a @Private parameter, whose length only its callers know: call " + intrinsic.name() + " where the array is made");
                }
                if (s.arraySizes.get(name) < p.minLength()) {
                    throw new Rejected(arg, where + "a private array of at least " + p.minLength() + " elements; " + name + " has "
                            + s.arraySizes.get(name));
                }
                yield CNames.of(name);
            }
            case ARRAY_PARAMETER -> {
                if (name == null || s.element(arg).getKind() != ElementKind.PARAMETER || !s.javaType(arg).equals(JavaTypes.API + p.type())) {
                    throw new Rejected(arg, where + "a " + p.type() + " parameter of this method, by name; " + arg + " is not");
                }
                yield CNames.of(name);
            }
            case LITERAL -> {
                if (!(arg instanceof LiteralTree literal) || !(literal.getValue() instanceof Integer value) || value < 0) {
                    throw new Rejected(arg, where + "an int literal, 0 or more; " + arg + " is not");
                }
                yield value.toString();
            }
        };
    }

    /** A parameter that is a position in memory (an element index, an offset into a tile): its arithmetic is an index's. */
    private static boolean isPosition(Intrinsic.Param p) {
        return p.name().equals("index") || p.name().equals("offset") || p.name().endsWith("Index") || p.name().endsWith("Offset");
    }

    /**
     * Arguments of a device function call; an array parameter travels with its length (and a matrix's extents), a local array
     * (or, for a {@code @Private} parameter, a private one) as its pointer.
     */
    private String deviceFunctionArguments(ExecutableElement callee, List<? extends ExpressionTree> args) {
        StringJoiner out = new StringJoiner(", ");
        for (int i = 0; i < args.size(); i++) {
            ExpressionTree a = args.get(i);
            String type = s.javaType(a);
            if (type.equals(JavaTypes.CONTEXT)) {
                continue;
            }
            if (JavaTypes.ARRAY_ELEMENT.containsKey(type) || Vectors.collection(s.typeOf(a)) != null) {
                if (!(a instanceof IdentifierTree id)) {
                    throw new Rejected(a, "pass an array parameter by name");
                }
                if (s.localCollections.contains(id.getName().toString())) {
                    throw new Rejected(a, "a collection the kernel made (in work-group memory) cannot be passed to a device function; "
                            + "pass its vectors (" + id + ".get(i)), or a collection parameter of the kernel");
                }
                String name = CNames.of(id.getName().toString());
                out.add(name);
                out.add(name + "_len");
                MatrixViews.extentNames(name, MatrixViews.dimensions(s.typeOf(a))).forEach(out::add);
            } else if (AtomicIntegers.is(type)) {
                if (!(a instanceof IdentifierTree id)) {
                    throw new Rejected(a, "pass an AtomicInteger parameter by name");
                }
                out.add(CNames.of(id.getName().toString()));
            } else if (type.equals(JavaTypes.TENSOR_MAP)) {
                if (!(a instanceof IdentifierTree id) || s.element(a).getKind() != ElementKind.PARAMETER) {
                    throw new Rejected(a, "pass a TensorMap parameter by name");
                }
                out.add(s.d.tensorMapArgument(CNames.of(id.getName().toString())));
            } else if (type.endsWith("[]") && JavaTypes.isPrivate(callee.getParameters().get(i))) {
                String name = a instanceof IdentifierTree id ? id.getName().toString() : null;
                if (name == null || !s.arraySizes.containsKey(name) || s.localArrays.contains(name) || s.sizedLocalLengths.containsKey(name)) {
                    throw new Rejected(a, callee.getSimpleName() + "'s " + callee.getParameters().get(i).getSimpleName() + " is @Private: pass a "
                            + "private array of this method (new " + type.replace("[]", "[N]") + "), by name; " + a + " is not");
                }
                out.add(CNames.of(name));
            } else if (type.endsWith("[]")) {
                if (!(a instanceof IdentifierTree id) || !s.localArrays.contains(id.getName().toString())) {
                    throw new Rejected(a, "only work-group local arrays (context.allocate...LocalArray), by name, can be passed to "
                            + "device functions; a private array only where the parameter is @Private");
                }
                out.add(CNames.of(id.getName().toString()));
            } else {
                out.add(unparen(e.expr(a)));
            }
        }
        return out.toString();
    }
}
