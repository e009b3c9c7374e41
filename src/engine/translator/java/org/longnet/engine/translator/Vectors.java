package org.longnet.engine.translator;

import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;

import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * TornadoVM's vector types ({@code Float4}, {@code Int3}, {@code Double8}, ...) in kernels, as C struct values with the
 * functions of {@code longnet_vectors.h}, and its collections ({@code VectorFloat4}, ...) as arrays of them: a
 * collection parameter is its array ({@code @KernelView}), whose {@code get(i)} loads vector i and {@code set(i, v)}
 * stores it.
 * <p>
 * A Java vector is an object, a C one a value. They agree as long as no two names share one vector, so what would
 * share one is rejected: a vector variable given another's value ({@code b = a}: {@code b = a.duplicate()} copies in
 * both), a helper returning its vector parameter, and a change to a helper's vector parameter (the caller's vector
 * would change in Java).
 */
final class Vectors {
    private static final String VECTORS = "uk.ac.manchester.tornado.api.types.vectors.";
    private static final String COLLECTIONS = "uk.ac.manchester.tornado.api.types.collections.";
    /** TornadoVM's math, whose lane-wise functions of a vector ({@code TornadoMath.cos(Float4)}) are this class's. */
    private static final String MATH = "uk.ac.manchester.tornado.api.math.TornadoMath";
    private static final Pattern VECTOR = Pattern.compile("(Float|Int|Double|Short|Byte|Half)([2348]|16)");
    private static final Pattern COLLECTION = Pattern.compile("Vector(Float|Int|Double|Half)([2348]|16)?");
    private static final List<String> XYZW = List.of("X", "Y", "Z", "W");
    /** A lane's getter or setter: by name ({@code getX}, {@code setS3}), or by index ({@code get(i)}, {@code set(i, v)}). */
    private static final Pattern LANE = Pattern.compile("(get|set)([XYZW]|S1[0-5]|S[0-9])?");
    /** TornadoVM's static operations of a vector, by name (and number of arguments), with longnet_vectors.h's names. */
    private static final Map<String, String> STATIC = Map.ofEntries(Map.entry("add/2", "add"), Map.entry("sub/2", "sub"),
            Map.entry("mult/2", "mult"), Map.entry("div/2", "div"), Map.entry("min/2", "minimum"), Map.entry("max/2", "maximum"),
            Map.entry("inc/2", "add_scalar"), Map.entry("dec/2", "sub_scalar"), Map.entry("scale/2", "mult_scalar"),
            Map.entry("scaleByInverse/2", "scale_by_inverse"), Map.entry("clamp/3", "clamp"), Map.entry("min/1", "lanes_min"),
            Map.entry("max/1", "lanes_max"), Map.entry("sum/1", "sum"), Map.entry("dot/2", "dot"), Map.entry("length/1", "length"),
            Map.entry("sqrt/1", "sqrt"), Map.entry("floor/1", "floor"), Map.entry("fract/1", "fract"), Map.entry("normalise/1", "normalise"),
            Map.entry("cross/2", "cross"), Map.entry("fma/3", "fma"), Map.entry("lowFloat/1", "low_float"), Map.entry("highFloat/1", "high_float"),
            Map.entry("fromFloats/2", "from_floats"), Map.entry("cos/1", "cos"), Map.entry("sin/1", "sin"));

    /**
     * A vector type: its lanes' Java type ({@code float}, {@code int}, {@code double}, ..., or {@code half} for TornadoVM's
     * fp16 vectors) and how many.
     */
    record Shape(String element, int lanes) {
        String cType() {
            return "longnet_vec_" + element + lanes;
        }

        /** Whether the lanes are fp16 values: floats in a kernel (as its HalfFloats are), 16-bit words in global memory. */
        boolean isHalf() {
            return element.equals("half");
        }

        /** The Java type of a lane's value in a kernel: a HalfFloat is a float there. */
        String laneType() {
            return isHalf() ? "float" : element;
        }

        /** Bytes of one vector in work-group memory. */
        int bytes() {
            return lanes * (element.equals("double") ? 8 : element.equals("short") ? 2 : element.equals("byte") ? 1 : 4);
        }

        String function(String op) {
            return "longnet_vec_" + op + "_" + element + lanes;
        }

        String javaName() {
            return Character.toUpperCase(element.charAt(0)) + element.substring(1) + lanes;
        }

        /** The name of TornadoVM's collection of such vectors ({@code VectorFloat4}; of scalars, {@code VectorFloat}). */
        String collectionName() {
            return "Vector" + (lanes == 1 ? javaName().substring(0, javaName().length() - 1) : javaName());
        }
    }

    private final MethodScope s;
    private final Expressions e;

    Vectors(MethodScope scope, Expressions expressions) {
        this.s = scope;
        this.e = expressions;
    }

    /** The shape of a TornadoVM vector type, or null for any other type. */
    static Shape vector(TypeMirror t) {
        Matcher m = VECTOR.matcher(simpleIn(t, VECTORS));
        return m.matches() ? new Shape(m.group(1).toLowerCase(), Integer.parseInt(m.group(2))) : null;
    }

    /** The shape of the elements of an array of TornadoVM vectors ({@code Half2[]}, a work-group local array), or null for any other type. */
    static Shape arrayOf(TypeMirror t) {
        return t instanceof javax.lang.model.type.ArrayType array ? vector(array.getComponentType()) : null;
    }

    /** The shape of the elements of a TornadoVM collection type ({@code VectorFloat}: 1 lane), or null for any other type. */
    static Shape collection(TypeMirror t) {
        Matcher m = COLLECTION.matcher(simpleIn(t, COLLECTIONS));
        return m.matches() ? new Shape(m.group(1).toLowerCase(), m.group(2) == null ? 1 : Integer.parseInt(m.group(2))) : null;
    }

    /** The simple name of a declared type of {@code pkg}, else "". */
    private static String simpleIn(TypeMirror t, String pkg) {
        if (t == null || t.getKind() != TypeKind.DECLARED) {
            return "";
        }
        String name = ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().toString();
        return name.startsWith(pkg) ? name.substring(pkg.length()) : "";
    }

    /**
     * Whether {@code call} of {@code m} is a call of a TornadoVM vector's or collection's method, which {@link #call}
     * translates: a method of their packages, or one a collection inherits from elsewhere ({@code size()}, from the base
     * that TornadoVM's collections share with its matrices), told by the receiver.
     */
    boolean owns(MethodInvocationTree call, ExecutableElement m) {
        String owner = ((TypeElement) m.getEnclosingElement()).getQualifiedName().toString();
        return owner.startsWith(VECTORS) || owner.startsWith(COLLECTIONS)
                || owner.equals(MATH) && call.getArguments().size() == 1 && vectorOf(call.getArguments().get(0)) != null
                || call.getMethodSelect() instanceof MemberSelectTree sel && collection(s.typeOf(sel.getExpression())) != null;
    }

    Shape vectorOf(Tree t) {
        return vector(s.typeOf(t));
    }

    String call(MethodInvocationTree call, ExecutableElement m) {
        String name = m.getSimpleName().toString();
        List<? extends ExpressionTree> args = call.getArguments();
        if (m.getModifiers().contains(javax.lang.model.element.Modifier.STATIC) && ((TypeElement) m.getEnclosingElement()).getQualifiedName()
                .toString().startsWith(COLLECTIONS)) {
            return collectionStatic(call, name, args);
        }
        if (m.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
            return staticCall(call, name, args);
        }
        ExpressionTree receiver = ((MemberSelectTree) call.getMethodSelect()).getExpression();
        Shape collection = collection(s.typeOf(receiver));
        return collection != null ? collectionCall(call, receiver, collection, name, args) : vectorCall(call, receiver, name, args);
    }

    private String staticCall(MethodInvocationTree call, String name, List<? extends ExpressionTree> args) {
        if (args.size() == 3 && vectorOf(args.get(2)) != null && s.typeOf(call).getKind() == TypeKind.VOID) {
            // TornadoVM's Float2.add(a, b, c) and its kin: c takes a + b
            return assign(args.get(2), name, value(call, name, args.subList(0, 2)));
        }
        String value = value(call, name, args);
        // Double2 ... Double16's normalise, and Float2's and Double2's clamp, change their vector in place
        return s.typeOf(call).getKind() == TypeKind.VOID ? assign(args.get(0), name, value) : value;
    }

    /** The C value of TornadoVM's static vector operation {@code name} on {@code args}. */
    private String value(MethodInvocationTree call, String name, List<? extends ExpressionTree> args) {
        String op = STATIC.get(name + "/" + args.size());
        Shape result = vectorOf(call);
        Shape shape = result != null ? result : args.isEmpty() ? null : vectorOf(args.get(0));
        if (op == null || shape == null) {
            throw new Rejected(call, name + " of TornadoVM's vectors cannot be called in a kernel; allowed: "
                    + String.join(", ", STATIC.keySet().stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().sorted().toList())
                    + " (and add, sub, mult, div, min, max writing a third vector)");
        }
        boolean scalar = args.size() == 2 && vectorOf(args.get(0)) != null && vectorOf(args.get(1)) == null && !op.equals("scale_by_inverse")
                && !op.contains("_scalar");
        String function = shape.function(scalar ? op + "_scalar" : op);
        StringJoiner c = new StringJoiner(", ", function + "(", ")");
        for (ExpressionTree a : args) {
            Shape v = vectorOf(a);
            c.add(v == null ? lane(shape, a) : v.equals(shape) ? unparen(e.expr(a)) : converted(a, v, shape));
        }
        return c.toString();
    }

    /** An int vector argument of a float vector's operation ({@code Float4.mult(Float4, Int4)}), its lanes converted as Java's. */
    private String converted(ExpressionTree arg, Shape from, Shape to) {
        if (!from.element().equals("int") || !to.element().equals("float") || from.lanes() != to.lanes()) {
            throw new Rejected(arg, "a " + from.javaName() + " cannot take part in an operation of " + to.javaName() + " vectors in a kernel");
        }
        return to.function("from_int") + "(" + unparen(e.expr(arg)) + ")";
    }

    private String vectorCall(MethodInvocationTree call, ExpressionTree receiver, String name, List<? extends ExpressionTree> args) {
        Shape shape = vectorOf(receiver);
        String value = e.expr(receiver);
        if (name.equals("set") && args.size() == 1) {
            return assign(receiver, name, unparen(e.expr(args.get(0))));
        }
        if (LANE.matcher(name).matches()) {
            int index = laneIndex(call, shape, name, args);
            if (name.startsWith("get")) {
                return value + ".s[" + index + "]";
            }
            String lane = lane(shape, args.get(args.size() - 1));
            if (isKernelParameter(receiver)) {
                String lanes = writable(receiver, name);
                return shape.isHalf() ? "longnet_half_store(" + lanes + ", " + index + ", " + lane + ")" : "(" + lanes + "[" + index + "] = " + lane + ")";
            }
            return "(" + mutable(receiver, name) + ".s[" + index + "] = " + lane + ")";
        }
        return switch (name) {
            case "getLow" -> part(shape, value, 0, shape.lanes() / 2);
            case "getHigh" -> part(shape, value, shape.lanes() / 2, shape.lanes());
            case "duplicate" -> value;
            case "size" -> Integer.toString(shape.lanes());
            case "fill" -> assign(receiver, name, shape.function("splat") + "(" + lane(shape, args.get(0)) + ")");
            case "asFloat2", "asInt2", "asDouble2", "asHalf2", "aHalf2" -> part(shape, value, 0, 2);
            case "asFloat3", "asInt3", "asDouble3", "asHalf3" -> part(shape, value, 0, 3);
            default -> throw new Rejected(call, name + " of a TornadoVM vector cannot be called in a kernel; allowed: its lanes (getX ... getW, "
                    + "getS0 ... getS7, get(CONSTANT) and the setters), set, fill, duplicate, size, getLow, getHigh, asFloat2, asFloat3");
        };
    }

    private String collectionCall(MethodInvocationTree call, ExpressionTree receiver, Shape shape, String name, List<? extends ExpressionTree> args) {
        boolean own = receiver instanceof IdentifierTree id && s.localCollections.contains(id.getName().toString());
        if (!(receiver instanceof IdentifierTree id) || s.element(id).getKind() != ElementKind.PARAMETER && !own) {
            throw new Rejected(call, "a collection's methods must be called on a parameter of the kernel, or on a collection it made, like v.get(i)");
        }
        String array = CNames.of(id.getName().toString());
        // a kernel's own collection is in work-group memory, which OpenCL addresses apart from global memory
        String load = own ? "load_local" : "load", store = own ? "store_local" : "store";
        // a VectorHalf parameter's values are fp16 words in global memory; a kernel's own collection holds floats
        boolean words = shape.lanes() == 1 && shape.isHalf() && !own;
        return switch (name + "/" + args.size()) {
            case "get/1" -> words ? "longnet_half_load(" + array + ", " + unparen(e.expr(args.get(0))) + ")"
                    : shape.lanes() == 1 ? array + "[" + unparen(e.expr(args.get(0))) + "]"
                    : shape.function(load) + "(" + array + ", " + unparen(e.expr(args.get(0))) + ")";
            case "set/2" -> words ? "longnet_half_store(" + array + ", " + unparen(e.expr(args.get(0))) + ", " + lane(shape, args.get(1)) + ")"
                    : shape.lanes() == 1 ? "(" + array + "[" + unparen(e.expr(args.get(0))) + "] = " + lane(shape, args.get(1)) + ")"
                    : shape.function(store) + "(" + array + ", " + unparen(e.expr(args.get(0))) + ", " + unparen(e.expr(args.get(1))) + ")";
            case "getLength/0" -> "((int) (" + array + "_len / " + shape.lanes() + "))";
            case "size/0" -> "((int) " + array + "_len)";
            case "vectorWidth/0" -> Integer.toString(shape.lanes());
            default -> throw new Rejected(call, name + " of a TornadoVM collection cannot be called in a kernel; allowed: get, set, getLength, "
                    + "size, vectorWidth");
        };
    }

    /** A static method of a collection class: {@code VectorHalf.dot(a, b)} of two collection parameters of the kernel. */
    private String collectionStatic(MethodInvocationTree call, String name, List<? extends ExpressionTree> args) {
        Shape shape = args.isEmpty() ? null : collection(s.typeOf(args.get(0)));
        if (!name.equals("dot") || shape == null || !shape.isHalf()) {
            throw new Rejected(call, name + " of a TornadoVM collection class cannot be called in a kernel; allowed: VectorHalf.dot");
        }
        StringJoiner c = new StringJoiner(", ", shape.function("dot") + "(", ")");
        for (ExpressionTree a : args) {
            if (!(a instanceof IdentifierTree id) || s.element(id).getKind() != ElementKind.PARAMETER) {
                throw new Rejected(a, "VectorHalf.dot takes collection parameters of the kernel, by name; " + a + " is not one");
            }
            c.add(CNames.of(id.getName().toString()));
        }
        // TornadoVM's dot runs over a's values
        return c.add(CNames.of(((IdentifierTree) args.get(0)).getName().toString()) + "_len").toString();
    }

    /** {@code new Float4(x, y, z, w)}, or {@code new Float4()} (every lane zero). */
    String construct(NewClassTree n) {
        Shape shape = vectorOf(n);
        if (n.getArguments().isEmpty()) {
            return shape.function("splat") + "(0)";
        }
        StringJoiner c = new StringJoiner(", ", shape.function("make") + "(", ")");
        n.getArguments().forEach(a -> c.add(lane(shape, a)));
        return c.toString();
    }

    /**
     * Rejects a vector value that is another variable's vector ({@code Float4 b = a}), which Java would share and C
     * would copy; {@code a.duplicate()} is a copy in both.
     */
    void checkNotShared(ExpressionTree value) {
        ExpressionTree v = LoopDependence.unparen(value);
        if (v instanceof ConditionalExpressionTree c) {
            checkNotShared(c.getTrueExpression());
            checkNotShared(c.getFalseExpression());
        } else if (v instanceof IdentifierTree id && vectorOf(id) != null) {
            throw new Rejected(value, "a vector variable cannot take another's vector (" + id + ") in a kernel: in Java both would then "
                    + "name one vector, in C each holds a copy; copy it with " + id + ".duplicate()");
        }
    }

    /** Rejects a helper's {@code return p} of its vector parameter p, which the caller's Java would then share. */
    void checkReturned(ExpressionTree value) {
        ExpressionTree v = LoopDependence.unparen(value);
        if (v instanceof IdentifierTree id && vectorOf(id) != null && s.element(id).getKind() == ElementKind.PARAMETER) {
            throw new Rejected(value, "a helper cannot return its vector parameter " + id + " in a kernel: in Java the caller would then "
                    + "share its vector, in C it gets a copy; return " + id + ".duplicate()");
        }
    }

    /**
     * Whether {@code t} names a vector parameter of the kernel: a task's vector argument, whose lanes the kernel gets in global
     * memory as a Java array's ({@code float* a, long a_len}), so that what it writes there comes back as Java's writes to
     * the caller's vector do. Each read loads the lanes anew.
     */
    boolean isKernelParameter(Tree t) {
        return s.isKernel && t instanceof IdentifierTree id && vectorOf(id) != null && s.element(id).getKind() == ElementKind.PARAMETER;
    }

    /** The value of the kernel's vector parameter {@code id} ({@link #isKernelParameter}): its lanes, loaded. */
    String parameterValue(IdentifierTree id) {
        return vectorOf(id).function("load") + "(" + CNames.of(id.getName().toString()) + ", 0)";
    }

    /** Rejects giving a kernel's vector parameter another vector ({@code c = a}): Java would rebind the name, leaving the caller's vector. */
    void checkNotKernelParameter(ExpressionTree target) {
        if (isKernelParameter(LoopDependence.unparen(target))) {
            throw new Rejected(target, "a kernel cannot assign its vector parameter " + target + ": in Java that rebinds the name and leaves "
                    + "the caller's vector as it was; write " + target + ".set(value) to change the caller's vector, or use a local");
        }
    }

    /** C that gives the vector {@code target} (a local, or a kernel's vector parameter) the value {@code value}. */
    private String assign(ExpressionTree target, String method, String value) {
        if (isKernelParameter(target)) {
            return vectorOf(target).function("store") + "(" + writable(target, method) + ", 0, " + value + ")";
        }
        return "(" + mutable(target, method) + " = " + value + ")";
    }

    /** The C name of the kernel's vector parameter {@code target} that {@code method} writes, or why it cannot. */
    private String writable(ExpressionTree target, String method) {
        if (s.insideParallelLoop()) {
            throw Rejected.race(target, method + " would write the vector parameter " + target + " in every iteration of the @Parallel loop, "
                    + "a data race on one vector; write vector i of a collection (VectorFloat4, ...) instead");
        }
        return CNames.of(((IdentifierTree) target).getName().toString());
    }

    /** The C name of a vector local that a method changes, or the reason it cannot be changed. */
    private String mutable(ExpressionTree receiver, String method) {
        if (receiver instanceof IdentifierTree id && s.element(id).getKind() == ElementKind.LOCAL_VARIABLE) {
            checkNotArrayElement(id, method);
            return CNames.of(id.getName().toString());
        }
        if (receiver instanceof IdentifierTree id && s.element(id).getKind() == ElementKind.PARAMETER) {
            throw new Rejected(receiver, method + " would change the vector parameter " + id + ", which in Java is the caller's vector too, "
                    + "and in C a copy: change a copy (" + vectorOf(id).javaName() + " c = " + id + ".duplicate()) and return it");
        }
        throw new Rejected(receiver, method + " changes a vector: call it on a local variable, not on " + receiver);
    }

    /**
     * Rejects changing local {@code id} in place where it was given an element of a local array of vectors ({@code Half2 p = tile[i]}):
     * in Java it would then change that element too, in C only its copy.
     */
    private void checkNotArrayElement(IdentifierTree id, String method) {
        var local = s.element(id);
        boolean[] shared = {false};
        new com.sun.source.util.TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(com.sun.source.tree.VariableTree v, Void unused) {
                shared[0] |= v.getInitializer() != null && s.element(v) == local && isArrayElement(v.getInitializer());
                return super.visitVariable(v, unused);
            }

            @Override
            public Void visitAssignment(com.sun.source.tree.AssignmentTree a, Void unused) {
                shared[0] |= a.getVariable() instanceof IdentifierTree target && s.element(target) == local && isArrayElement(a.getExpression());
                return super.visitAssignment(a, unused);
            }
        }.scan(s.method.getBody(), null);
        if (shared[0]) {
            throw new Rejected(id, method + " would change " + id + ", which holds an element of a local array of vectors: in Java that "
                    + "element would change too, in C only the copy in " + id + "; copy it first (" + id + " = tile[i].duplicate())");
        }
    }

    private static boolean isArrayElement(ExpressionTree value) {
        ExpressionTree v = LoopDependence.unparen(value);
        return v instanceof com.sun.source.tree.ArrayAccessTree
                || v instanceof ConditionalExpressionTree c && (isArrayElement(c.getTrueExpression()) || isArrayElement(c.getFalseExpression()));
    }

    /** The lane index of a lane getter or setter: its name's ({@code getZ}: 2, {@code setS5}: 5) or its constant argument's. */
    private int laneIndex(Tree where, Shape shape, String name, List<? extends ExpressionTree> args) {
        String suffix = name.substring(3);
        int lane;
        if (suffix.isEmpty()) {
            if (!(e.constant(args.get(0)) instanceof Integer i)) {
                throw new Rejected(args.get(0), name + "'s lane must be a constant in a kernel (lanes are fields of a C struct), not " + args.get(0));
            }
            lane = i;
        } else {
            lane = suffix.startsWith("S") ? Integer.parseInt(suffix.substring(1)) : XYZW.indexOf(suffix);
        }
        if (lane < 0 || lane >= shape.lanes()) {
            throw new Rejected(where, "lane " + lane + " is outside a " + shape.javaName() + " (lanes 0 to " + (shape.lanes() - 1) + ")");
        }
        return lane;
    }

    /** A scalar argument as the vector's lane type, as Java converts it. */
    private String lane(Shape shape, ExpressionTree arg) {
        String value = unparen(e.expr(arg));
        return s.javaType(arg).equals(shape.laneType()) ? value : "((" + s.d.type(shape.laneType()) + ") " + value + ")";
    }

    /** Lanes {@code [from, to)} of {@code value} as a vector of their own. */
    private static String part(Shape shape, String value, int from, int to) {
        StringJoiner c = new StringJoiner(", ", new Shape(shape.element(), to - from).function("make") + "(", ")");
        for (int i = from; i < to; i++) {
            c.add(value + ".s[" + i + "]");
        }
        return c.toString();
    }
}
