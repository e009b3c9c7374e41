package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Turns the attributed body of one kernel or device function into C for one {@link Dialect}.
 * Anything outside the kernel subset throws {@link Rejected} at the offending tree, with a
 * message that says what is allowed instead.
 */
final class CTranslator {
    static final String API = "org.longnet.engine.api.";
    static final String CONTEXT = API + "KernelContext";
    static final Map<String, String> ARRAY_ELEMENT = Map.of(
            API + "FloatArray", "float", API + "IntArray", "int",
            API + "HalfFloatArray", "half", API + "BFloat16Array", "bf16");

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
    private static final String ALLOWED_CALLS = "a kernel may call KernelMath functions, get/set/getSize of its "
            + "array parameters, KernelContext barriers, and static methods of its own class";

    private final Trees trees;
    private final CompilationUnitTree unit;
    private final TypeElement owner;
    private final Dialect d;

    private final Map<Tree, TreePath> paths = new IdentityHashMap<>();
    private final Map<String, Integer> arraySizes = new HashMap<>();
    private final Set<String> localArrays = new java.util.HashSet<>();
    private final Deque<Tree> loops = new ArrayDeque<>();
    private ParallelNest nest;
    private MethodTree method;
    private boolean isKernel;
    private boolean usesBarrier;
    /** Bytes of work-group local memory the kernel allocated so far: each local array starts at the running total, 16-byte aligned. */
    private int localBytes;
    /** Whether the method multiplies on matrix units through local memory (warpgroup products): its barriers then also fence for them. */
    private boolean warpgroupProducts;

    CTranslator(Trees trees, CompilationUnitTree unit, TypeElement owner, Dialect dialect) {
        this.trees = trees;
        this.unit = unit;
        this.owner = owner;
        this.d = dialect;
    }

    /** Bytes of work-group local memory the last translated kernel allocates (its local arrays, each 16-byte aligned). */
    int localBytes() {
        return localBytes;
    }

    /** Whether the last translated method called a barrier directly. */
    boolean usedBarrier() {
        return usesBarrier;
    }

    String prototype(MethodTree m) {
        return signature(m, false) + ";\n";
    }

    String translate(MethodTree m, boolean kernel) {
        method = m;
        isKernel = kernel;
        usesBarrier = false;
        localBytes = 0;
        arraySizes.clear();
        localArrays.clear();
        paths.clear();
        loops.clear();
        TreePath methodPath = TreePath.getPath(unit, m);
        paths.put(m, methodPath);
        new TreePathScanner<Void, Void>() {
            @Override
            public Void scan(Tree tree, Void unused) {
                if (tree != null) {
                    paths.put(tree, new TreePath(getCurrentPath(), tree));
                }
                return super.scan(tree, unused);
            }
        }.scan(methodPath, null);
        warpgroupProducts = paths.keySet().stream().anyMatch(t -> t instanceof MethodInvocationTree call
                && element(call) instanceof ExecutableElement e && ownerName(e).equals(CONTEXT)
                && e.getSimpleName().toString().startsWith("mmaBf16Warpgroup"));
        nest = kernel ? ParallelNest.of(m) : new ParallelNest(List.of());
        if (!kernel && ParallelNest.of(m).dims() > 0) {
            throw new Rejected(m, "@Parallel loops belong in the @Kernel method itself, not in helper " + m.getName());
        }
        return signature(m, kernel) + " " + block(m.getBody(), 0) + "\n";
    }

    // ---------------------------------------------------------------- signatures

    private String signature(MethodTree m, boolean kernel) {
        StringJoiner params = new StringJoiner(", ");
        for (VariableTree p : m.getParameters()) {
            String type = javaType(typeOf(p));
            String name = cname(p.getName().toString());
            if (type.equals(CONTEXT)) {
                continue;
            }
            String element = ARRAY_ELEMENT.get(type);
            if (!kernel && (type.equals("float[]") || type.equals("int[]"))) {
                // A helper's float[]/int[] parameter is a caller's work-group local array (the only kind it may pass).
                params.add(d.localPointer(type.substring(0, type.length() - 2)) + " " + name);
                arraySizes.put(p.getName().toString(), Integer.MAX_VALUE);
                localArrays.add(p.getName().toString());
            } else if (element != null) {
                params.add(d.globalPointer(storageType(element)) + " " + name);
                params.add(d.type("long") + " " + name + "_len");
            } else if (isPrimitive(type)) {
                params.add((kernel && type.equals("boolean") ? "int" : d.type(type)) + " " + name);
            } else {
                throw new Rejected(p, "parameter type " + type + " is not allowed in a kernel; allowed: int, long, "
                        + "float, double, boolean, FloatArray, IntArray, HalfFloatArray, BFloat16Array, KernelContext");
            }
        }
        String name = cname(m.getName().toString());
        if (kernel) {
            return d.kernelSignature(name, params.toString(), kernelSetting(m, "groupSize"), kernelSetting(m, "minGroupsPerUnit"));
        }
        String ret = javaType(typeOf(m.getReturnType()));
        if (!ret.equals("void") && !isPrimitive(ret)) {
            throw new Rejected(m.getReturnType(), "a device function returns a primitive or void, not " + ret);
        }
        return d.deviceFunctionPrefix() + (ret.equals("void") ? "void" : d.type(ret)) + " " + name + "(" + params + ")";
    }

    /** An int element of the method's {@code @Kernel}, 0 where it is not given. */
    private int kernelSetting(MethodTree m, String key) {
        for (var a : element(m).getAnnotationMirrors()) {
            if (a.getAnnotationType().toString().equals(KernelProcessor.KERNEL)) {
                for (var e : a.getElementValues().entrySet()) {
                    if (e.getKey().getSimpleName().contentEquals(key)) {
                        int value = (Integer) e.getValue().getValue();
                        if (value < 0) {
                            throw new Rejected(m, "@Kernel(" + key + ") must be >= 0, was " + value);
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
            default -> element;
        };
    }

    // ---------------------------------------------------------------- statements

    private String block(BlockTree b, int depth) {
        StringBuilder out = new StringBuilder("{\n");
        for (StatementTree s : b.getStatements()) {
            out.append(indent(depth + 1)).append(statement(s, depth + 1)).append('\n');
        }
        return out.append(indent(depth)).append('}').toString();
    }

    private String body(StatementTree s, int depth) {
        return s instanceof BlockTree b ? block(b, depth) : statement(s, depth);
    }

    private String statement(StatementTree s, int depth) {
        return switch (s.getKind()) {
            case BLOCK -> block((BlockTree) s, depth);
            case VARIABLE -> declaration((VariableTree) s) + ";";
            case EXPRESSION_STATEMENT -> unparen(expr(((ExpressionStatementTree) s).getExpression())) + ";";
            case IF -> {
                IfTree t = (IfTree) s;
                String out = "if (" + unparen(expr(t.getCondition())) + ") " + body(t.getThenStatement(), depth);
                yield t.getElseStatement() == null ? out : out + " else " + body(t.getElseStatement(), depth);
            }
            case FOR_LOOP -> forLoop((ForLoopTree) s, depth);
            case WHILE_LOOP -> {
                WhileLoopTree t = (WhileLoopTree) s;
                yield inLoop(t, () -> "while (" + unparen(expr(t.getCondition())) + ") " + body(t.getStatement(), depth));
            }
            case DO_WHILE_LOOP -> {
                DoWhileLoopTree t = (DoWhileLoopTree) s;
                yield inLoop(t, () -> "do " + body(t.getStatement(), depth) + " while (" + unparen(expr(t.getCondition())) + ");");
            }
            case BREAK, CONTINUE -> jump(s);
            case RETURN -> {
                ReturnTree t = (ReturnTree) s;
                if (isKernel && insideParallelLoop()) {
                    throw new Rejected(s, "return inside a @Parallel loop would end every iteration on the JVM "
                            + "but only one work-item on a device; use continue");
                }
                yield t.getExpression() == null ? "return;" : "return " + unparen(expr(t.getExpression())) + ";";
            }
            case EMPTY_STATEMENT -> ";";
            default -> throw new Rejected(s, kindName(s) + " is not allowed in a kernel; allowed statements: "
                    + "local variables, if/else, for, while, do, break, continue, return, expressions");
        };
    }

    private String jump(StatementTree s) {
        boolean isBreak = s instanceof com.sun.source.tree.BreakTree;
        Object label = isBreak ? ((com.sun.source.tree.BreakTree) s).getLabel()
                : ((com.sun.source.tree.ContinueTree) s).getLabel();
        if (label != null) {
            throw new Rejected(s, "labelled break/continue is not allowed in a kernel");
        }
        if (isBreak && !loops.isEmpty() && loops.peek() instanceof ForLoopTree f && nest.depthOf(f) >= 0) {
            throw new Rejected(s, "break out of a @Parallel loop is not allowed: its iterations run at the same time");
        }
        return isBreak ? "break;" : "continue;";
    }

    private boolean insideParallelLoop() {
        for (Tree t : loops) {
            if (t instanceof ForLoopTree f && nest.depthOf(f) >= 0) {
                return true;
            }
        }
        return false;
    }

    private String inLoop(Tree loop, java.util.function.Supplier<String> emit) {
        loops.push(loop);
        try {
            return emit.get();
        } finally {
            loops.pop();
        }
    }

    private String forLoop(ForLoopTree f, int depth) {
        int level = nest.depthOf(f);
        if (level >= 0) {
            return inLoop(f, () -> parallelLoop(nest.loops().get(level), level, depth));
        }
        StringJoiner init = new StringJoiner(", ");
        boolean first = true;
        for (StatementTree s : f.getInitializer()) {
            if (s instanceof VariableTree v) {
                init.add(first ? declaration(v) : cname(v.getName().toString()) + " = " + expr(v.getInitializer()));
            } else {
                init.add(unparen(expr(((ExpressionStatementTree) s).getExpression())));
            }
            first = false;
        }
        StringJoiner update = new StringJoiner(", ");
        for (ExpressionStatementTree u : f.getUpdate()) {
            update.add(unparen(expr(u.getExpression())));
        }
        String cond = f.getCondition() == null ? "" : unparen(expr(f.getCondition()));
        String unroll = hasConstantTripCount(f) ? "#pragma unroll\n" + indent(depth) : "";
        return inLoop(f, () -> unroll + "for (" + init + "; " + cond + "; " + update + ") " + body(f.getStatement(), depth));
    }

    /** Loops over register tiles ({@code for (int i = 0; i < TM; i++)}) must unroll, or the tile spills to memory. */
    private boolean hasConstantTripCount(ForLoopTree f) {
        return f.getInitializer().size() == 1 && f.getInitializer().get(0) instanceof VariableTree v
                && v.getInitializer() != null && constant(v.getInitializer()) instanceof Integer
                && f.getCondition() instanceof BinaryTree c && constant(c.getRightOperand()) instanceof Integer;
    }

    /**
     * A parallel loop becomes a grid-stride loop: each work-item starts at its global id and
     * strides by the global size, so any launch size covers the range exactly once.
     */
    private String parallelLoop(ParallelLoop p, int level, int depth) {
        if (!isKernel) {
            throw new Rejected(p.loop(), "@Parallel loops are only allowed in @Kernel methods");
        }
        int dim = nest.deviceDim(level);
        String type = d.type(p.type());
        String i = cname(p.name());
        String step = p.step() == null ? "1" : "(" + expr(p.step()) + ")";
        String first = "(" + type + ") (" + expr(p.start()) + " + " + d.workItem(Dialect.WorkItem.GLOBAL_ID, dim) + " * " + step + ")";
        String stride = "(" + type + ") (" + d.workItem(Dialect.WorkItem.GLOBAL_SIZE, dim) + " * " + step + ")";
        return "for (" + type + " " + i + " = " + first + "; " + unparen(expr(p.loop().getCondition())) + "; " + i + " += " + stride + ") "
                + body(p.loop().getStatement(), depth);
    }

    private String declaration(VariableTree v) {
        String type = javaType(typeOf(v));
        String name = cname(v.getName().toString());
        ExpressionTree init = v.getInitializer();
        if (type.equals("float[]") || type.equals("int[]")) {
            return arrayDeclaration(v, type.substring(0, type.length() - 2), name);
        }
        if (!isPrimitive(type)) {
            throw new Rejected(v, "local variables of type " + type + " are not allowed in a kernel; allowed: "
                    + "int, long, float, double, boolean, and float[]/int[] of constant size");
        }
        return d.type(type) + " " + name + (init == null ? "" : " = " + unparen(expr(init)));
    }

    private String arrayDeclaration(VariableTree v, String element, String name) {
        ExpressionTree init = v.getInitializer();
        if (init instanceof NewArrayTree na && na.getDimensions().size() == 1 && na.getInitializers() == null) {
            int size = constantSize(na.getDimensions().get(0));
            arraySizes.put(v.getName().toString(), size);
            // Java zero-fills a new array; C does not.
            return element + " " + name + "[" + size + "] = {0}";
        }
        if (init instanceof MethodInvocationTree call && element(call) instanceof ExecutableElement m
                && ownerName(m).equals(CONTEXT) && m.getSimpleName().toString().startsWith("allocate")) {
            if (!isKernel || paths.get(v).getParentPath().getLeaf() != method.getBody()) {
                throw new Rejected(v, "local arrays must be allocated at the top level of the @Kernel method body");
            }
            int size = constantSize(call.getArguments().get(0));
            arraySizes.put(v.getName().toString(), size);
            localArrays.add(v.getName().toString());
            int offset = localBytes;
            localBytes += (size * 4 + 15) / 16 * 16; // float and int elements: 4 bytes
            return d.localArray(element, name, size, offset);
        }
        throw new Rejected(v, "an array in a kernel must be 'new " + element + "[CONSTANT]' (private) or "
                + "'context.allocate...LocalArray(CONSTANT)' (work-group local)");
    }

    private int constantSize(ExpressionTree e) {
        Object value = constant(e);
        if (!(value instanceof Integer n) || n <= 0) {
            throw new Rejected(e, "an array size in a kernel must be a positive compile-time constant, found " + e);
        }
        return n;
    }

    /** Folds int constants: literals, static final fields, and + - * / of those. */
    private Object constant(ExpressionTree e) {
        if (e instanceof ParenthesizedTree p) {
            return constant(p.getExpression());
        }
        if (e instanceof LiteralTree l) {
            return l.getValue();
        }
        if (e instanceof IdentifierTree || e instanceof MemberSelectTree) {
            return element(e) instanceof VariableElement v ? v.getConstantValue() : null;
        }
        if (e instanceof BinaryTree b && constant(b.getLeftOperand()) instanceof Integer x
                && constant(b.getRightOperand()) instanceof Integer y) {
            return switch (b.getKind()) {
                case PLUS -> x + y;
                case MINUS -> x - y;
                case MULTIPLY -> x * y;
                case DIVIDE -> y == 0 ? null : x / y;
                default -> null;
            };
        }
        return null;
    }

    // ---------------------------------------------------------------- expressions

    private String expr(ExpressionTree e) {
        return switch (e.getKind()) {
            case PARENTHESIZED -> "(" + unparen(expr(((ParenthesizedTree) e).getExpression())) + ")";
            case INT_LITERAL, LONG_LITERAL, FLOAT_LITERAL, DOUBLE_LITERAL, BOOLEAN_LITERAL -> literal(((LiteralTree) e).getValue(), e);
            case IDENTIFIER -> identifier((IdentifierTree) e);
            case MEMBER_SELECT -> memberSelect((MemberSelectTree) e);
            case METHOD_INVOCATION -> call((MethodInvocationTree) e);
            case ASSIGNMENT -> assignment((AssignmentTree) e);
            case CONDITIONAL_EXPRESSION -> {
                ConditionalExpressionTree c = (ConditionalExpressionTree) e;
                yield "(" + expr(c.getCondition()) + " ? " + expr(c.getTrueExpression()) + " : " + expr(c.getFalseExpression()) + ")";
            }
            case TYPE_CAST -> cast((TypeCastTree) e);
            case ARRAY_ACCESS -> {
                ArrayAccessTree a = (ArrayAccessTree) e;
                if (!(a.getExpression() instanceof IdentifierTree id) || !arraySizes.containsKey(id.getName().toString())) {
                    throw new Rejected(e, "only private or local arrays declared in this method can be indexed with []; "
                            + "use get/set on FloatArray and friends");
                }
                yield cname(id.getName().toString()) + "[" + unparen(expr(a.getIndex())) + "]";
            }
            case UNARY_MINUS, UNARY_PLUS, LOGICAL_COMPLEMENT, BITWISE_COMPLEMENT, PREFIX_INCREMENT, PREFIX_DECREMENT,
                 POSTFIX_INCREMENT, POSTFIX_DECREMENT -> unary((UnaryTree) e);
            default -> {
                if (e instanceof BinaryTree b) {
                    yield binary(b);
                }
                if (e instanceof CompoundAssignmentTree c) {
                    yield compound(c);
                }
                if (e.getKind() == Tree.Kind.NEW_CLASS || e.getKind() == Tree.Kind.NEW_ARRAY) {
                    throw new Rejected(e, "object allocation is not allowed in a kernel; only 'new float[CONSTANT]' or "
                            + "'new int[CONSTANT]' as a local variable's initializer");
                }
                if (e.getKind() == Tree.Kind.STRING_LITERAL || e.getKind() == Tree.Kind.CHAR_LITERAL
                        || e.getKind() == Tree.Kind.NULL_LITERAL) {
                    throw new Rejected(e, kindName(e) + "s are not allowed in a kernel; allowed: int, long, float, "
                            + "double and boolean values");
                }
                throw new Rejected(e, kindName(e) + " is not allowed in a kernel");
            }
        };
    }

    private String literal(Object v, Tree where) {
        return switch (v) {
            case Integer i -> i.toString();
            case Long l -> l + "L";
            case Float f when f.isNaN() || f.isInfinite() -> d.floatFromBits("0x" + Integer.toHexString(Float.floatToRawIntBits(f)));
            case Float f -> Float.toString(f) + "f";
            case Double x when x.isNaN() || x.isInfinite() -> "((double) " + literal(x.floatValue(), where) + ")";
            case Double x -> Double.toString(x);
            case Boolean b -> b.toString();
            default -> throw new Rejected(where, "constants of type " + v.getClass().getSimpleName()
                    + " are not allowed in a kernel");
        };
    }

    private String identifier(IdentifierTree id) {
        Element e = element(id);
        if (e instanceof VariableElement v && (e.getKind() == ElementKind.LOCAL_VARIABLE || e.getKind() == ElementKind.PARAMETER)) {
            if (javaType(v.asType()).equals(CONTEXT)) {
                throw new Rejected(id, "a KernelContext can only be used to read its fields and call its methods");
            }
            return cname(id.getName().toString());
        }
        return fieldConstant(id, e);
    }

    private String fieldConstant(ExpressionTree where, Element e) {
        if (e instanceof VariableElement v && e.getKind() == ElementKind.FIELD && v.getConstantValue() != null) {
            return literal(v.getConstantValue(), where);
        }
        throw new Rejected(where, "only local variables, parameters and static final constants can be read in a kernel; "
                + where + " is none of these");
    }

    private String memberSelect(MemberSelectTree s) {
        String receiver = javaType(typeOf(s.getExpression()));
        String member = s.getIdentifier().toString();
        if (receiver.equals(CONTEXT)) {
            return workItemField(s, member);
        }
        if (member.equals("length") && s.getExpression() instanceof IdentifierTree id
                && arraySizes.containsKey(id.getName().toString())) {
            return arraySizes.get(id.getName().toString()).toString();
        }
        Element field = element(s);
        if (!(field instanceof VariableElement v && v.getConstantValue() != null)) {
            expr(s.getExpression()); // reports what is wrong inside first, such as an allocation
        }
        return fieldConstant(s, field);
    }

    private String workItemField(Tree where, String field) {
        record Field(Dialect.WorkItem what, String prefix) {
        }
        for (Field f : List.of(new Field(Dialect.WorkItem.GLOBAL_ID, "globalId"), new Field(Dialect.WorkItem.LOCAL_ID, "localId"),
                new Field(Dialect.WorkItem.GROUP_ID, "groupId"), new Field(Dialect.WorkItem.GLOBAL_SIZE, "globalGroupSize"),
                new Field(Dialect.WorkItem.LOCAL_SIZE, "localGroupSize"))) {
            if (field.startsWith(f.prefix) && field.length() == f.prefix.length() + 1) {
                int dim = "xyz".indexOf(Character.toLowerCase(field.charAt(field.length() - 1)));
                return "((int) " + d.workItem(f.what, dim) + ")";
            }
        }
        throw new Rejected(where, "KernelContext." + field + " cannot be used in a kernel");
    }

    private String call(MethodInvocationTree call) {
        if (!(element(call) instanceof ExecutableElement m)) {
            throw new Rejected(call, "unresolved call " + call.getMethodSelect());
        }
        String owner = ownerName(m);
        String name = m.getSimpleName().toString();
        List<? extends ExpressionTree> args = call.getArguments();
        if (owner.equals(API + "KernelMath")) {
            if (name.equals("floatToIntBits")) {
                return d.bitsFromFloat(expr(args.get(0)));
            }
            if (name.equals("intBitsToFloat")) {
                return d.floatFromBits(expr(args.get(0)));
            }
            return d.math(name, javaType(m.getParameters().get(0).asType()), arguments(args, false));
        }
        if ((ARRAY_ELEMENT.containsKey(owner) || owner.equals(API + "DeviceArray"))
                && call.getMethodSelect() instanceof MemberSelectTree sel) {
            return arrayCall(call, ARRAY_ELEMENT.get(javaType(typeOf(sel.getExpression()))), name, args);
        }
        if (owner.equals(CONTEXT) && (name.equals("mmaBf16") || name.equals("mmaBf16TransposedB"))) {
            return mma(args, name.equals("mmaBf16TransposedB"));
        }
        if (owner.equals(CONTEXT) && name.equals("mmaBf16Packed")) {
            String a = tileArgument(args.get(0), true), bt = tileArgument(args.get(3), true), acc = tileArgument(args.get(6), false);
            return d.mmaBf16Packed("(" + a + " + " + unparen(expr(args.get(1))) + ")", unparen(expr(args.get(2))),
                    "(" + bt + " + " + unparen(expr(args.get(4))) + ")", unparen(expr(args.get(5))),
                    "(" + acc + " + " + unparen(expr(args.get(7))) + ")");
        }
        if (owner.equals(CONTEXT) && name.equals("mmaBf16PackedA")) {
            usesBarrier = true; // the emulations exchange registers through local memory
            String exchange = tileArgument(args.get(0), true), bt = tileArgument(args.get(5), true), acc = tileArgument(args.get(8), false);
            return d.mmaBf16PackedA(exchange, unparen(expr(args.get(1))), unparen(expr(args.get(2))), unparen(expr(args.get(3))),
                    unparen(expr(args.get(4))), "(" + bt + " + " + unparen(expr(args.get(6))) + ")", unparen(expr(args.get(7))),
                    "(" + acc + " + " + unparen(expr(args.get(9))) + ")");
        }
        if (owner.equals(CONTEXT) && name.equals("loadBFragments")) {
            String tile = tileArgument(args.get(0), true), regs = registerArgument(args.get(3));
            return d.loadBFragments("(" + tile + " + " + unparen(expr(args.get(1))) + ")", unparen(expr(args.get(2))),
                    "(" + regs + " + " + unparen(expr(args.get(4))) + ")");
        }
        if (owner.equals(CONTEXT) && name.equals("mmaBf16Registers")) {
            usesBarrier = true; // the emulations exchange registers through local memory
            String exchange = tileArgument(args.get(0), true), acc = tileArgument(args.get(7), false);
            return d.mmaBf16Registers(exchange, unparen(expr(args.get(1))), unparen(expr(args.get(2))), unparen(expr(args.get(3))),
                    unparen(expr(args.get(4))), unparen(expr(args.get(5))), unparen(expr(args.get(6))),
                    "(" + acc + " + " + unparen(expr(args.get(8))) + ")");
        }
        if (owner.equals(CONTEXT) && (name.equals("loadChunk") || name.equals("loadChunkAsync"))) {
            String src = globalArgument(args.get(0)), tile = tileArgument(args.get(2), true);
            return d.loadChunk("(" + src + " + (" + unparen(expr(args.get(1))) + "))", "(" + tile + " + " + unparen(expr(args.get(3))) + ")",
                    unparen(expr(args.get(4))), name.equals("loadChunkAsync"));
        }
        if (owner.equals(CONTEXT) && name.equals("waitChunks")) {
            if (args.isEmpty()) {
                return d.waitChunks();
            }
            if (!(args.get(0) instanceof LiteralTree literal) || !(literal.getValue() instanceof Integer batches) || batches < 0) {
                throw new Rejected(args.get(0), "waitChunks takes the number of batches left in flight as a literal (0, 1, ...)");
            }
            return d.waitChunks(batches);
        }
        if (owner.equals(CONTEXT) && name.equals("commitChunks")) {
            return d.commitChunks();
        }
        if (owner.equals(CONTEXT) && name.equals("mmaBf16Warpgroup")) {
            String a = tileArgument(args.get(0), true), b = tileArgument(args.get(2), true), acc = tileArgument(args.get(5), false);
            return d.mmaBf16Warpgroup(a, unparen(expr(args.get(1))), b, unparen(expr(args.get(3))), unparen(expr(args.get(4))), acc,
                    unparen(expr(args.get(6))));
        }
        if (owner.equals(CONTEXT) && name.equals("mmaBf16WarpgroupTransposedA")) {
            String a = tileArgument(args.get(0), true), b = tileArgument(args.get(2), true), acc = tileArgument(args.get(6), false);
            return d.mmaBf16WarpgroupTransposedA(a, unparen(expr(args.get(1))), b, unparen(expr(args.get(3))), unparen(expr(args.get(4))),
                    unparen(expr(args.get(5))), acc, unparen(expr(args.get(7))));
        }
        if (owner.equals(CONTEXT) && name.equals("mmaBf16WarpgroupRegisters")) {
            usesBarrier = true; // the emulations exchange registers through local memory
            String exchange = tileArgument(args.get(0), true), regs = registerArgument(args.get(1)), b = tileArgument(args.get(2), true);
            return d.mmaBf16WarpgroupRegisters(exchange, regs, b, unparen(expr(args.get(3))), tileArgument(args.get(4), false));
        }
        if (owner.equals(CONTEXT) && name.equals("mmaBf16WarpgroupPair")) {
            return d.mmaBf16WarpgroupPair(tileArgument(args.get(0), true), unparen(expr(args.get(1))), tileArgument(args.get(2), true),
                    unparen(expr(args.get(3))), tileArgument(args.get(4), false), tileArgument(args.get(5), true), unparen(expr(args.get(6))),
                    tileArgument(args.get(7), true), unparen(expr(args.get(8))), tileArgument(args.get(9), false), unparen(expr(args.get(10))),
                    unparen(expr(args.get(11))));
        }
        if (owner.equals(CONTEXT) && name.equals("mmaBf16WarpgroupRegistersPair")) {
            usesBarrier = true; // the emulations exchange registers through local memory
            return d.mmaBf16WarpgroupRegistersPair(tileArgument(args.get(0), true), registerArgument(args.get(1)), tileArgument(args.get(2), true),
                    unparen(expr(args.get(3))), tileArgument(args.get(4), false), registerArgument(args.get(5)), tileArgument(args.get(6), true),
                    unparen(expr(args.get(7))), tileArgument(args.get(8), false));
        }
        if (owner.equals(CONTEXT) && name.equals("shuffleXor")) {
            usesBarrier = true;
            if (!(args.get(0) instanceof IdentifierTree id) || !localArrays.contains(id.getName().toString())) {
                throw new Rejected(args.get(0), "shuffleXor exchanges through a work-group local array (context.allocateFloatLocalArray)");
            }
            return d.shuffleXor(cname(id.getName().toString()), unparen(expr(args.get(1))), unparen(expr(args.get(2))));
        }
        if (owner.equals(CONTEXT) && name.equals("chunkLayoutIndex")) { // a static helper every prelude has
            return "longnet_chunk(" + arguments(args, false) + ")";
        }
        if (owner.equals(CONTEXT) && name.equals("packBf16")) {
            return d.packBf16(unparen(expr(args.get(0))), unparen(expr(args.get(1))));
        }
        if (owner.equals(CONTEXT) && (name.equals("localBarrier") || name.equals("globalBarrier"))) {
            usesBarrier = true;
            return d.barrier(name.equals("globalBarrier"), warpgroupProducts);
        }
        if (owner.equals(this.owner.getQualifiedName().toString()) && m.getModifiers().contains(Modifier.STATIC)) {
            return cname(name) + "(" + arguments(args, true) + ")";
        }
        throw new Rejected(call, "calls to " + simple(owner) + "." + name + " are not allowed in a kernel; " + ALLOWED_CALLS);
    }

    /**
     * {@code ctx.mmaBf16(a, aOffset, lda, b, bOffset, ldb, acc, accOffset)} and its transposed-B twin:
     * A and B local tiles, acc a private array; B[k][col] is b[k * ldb + col], or b[col * ldb + k] transposed.
     */
    private String mma(List<? extends ExpressionTree> args, boolean transposedB) {
        String a = tileArgument(args.get(0), true), b = tileArgument(args.get(3), true), acc = tileArgument(args.get(6), false);
        if (arraySizes.get(((IdentifierTree) args.get(6)).getName().toString()) < 4) {
            throw new Rejected(args.get(6), "the accumulator of mmaBf16 needs at least 4 elements");
        }
        String ldb = unparen(expr(args.get(5)));
        return d.mmaBf16("(" + a + " + " + unparen(expr(args.get(1))) + ")", unparen(expr(args.get(2))),
                "(" + b + " + " + unparen(expr(args.get(4))) + ")", transposedB ? "1" : ldb, transposedB ? ldb : "1",
                "(" + acc + " + " + unparen(expr(args.get(7))) + ")");
    }

    private String tileArgument(ExpressionTree e, boolean local) {
        if (!(e instanceof IdentifierTree id) || !arraySizes.containsKey(id.getName().toString())
                || localArrays.contains(id.getName().toString()) != local) {
            throw new Rejected(e, local ? "mmaBf16 reads A and B from work-group local arrays (context.allocateFloatLocalArray)"
                    : "mmaBf16 accumulates into a private array (new float[4])");
        }
        return cname(id.getName().toString());
    }

    /** A BFloat16Array parameter of the kernel, as the pointer it is on the device. */
    private String globalArgument(ExpressionTree e) {
        if (!(e instanceof IdentifierTree id) || element(id).getKind() != ElementKind.PARAMETER
                || !javaType(typeOf(e)).equals(API + "BFloat16Array")) {
            throw new Rejected(e, "loadChunk copies from a BFloat16Array parameter of the kernel");
        }
        return cname(id.getName().toString());
    }

    private String registerArgument(ExpressionTree e) {
        if (!(e instanceof IdentifierTree id) || !arraySizes.containsKey(id.getName().toString())
                || localArrays.contains(id.getName().toString())) {
            throw new Rejected(e, "loadBFragments writes a private array (new int[4])");
        }
        return cname(id.getName().toString());
    }

    private String arrayCall(MethodInvocationTree call, String element, String name, List<? extends ExpressionTree> args) {
        if (!(call.getMethodSelect() instanceof MemberSelectTree sel) || !(sel.getExpression() instanceof IdentifierTree id)
                || element(id).getKind() != ElementKind.PARAMETER) {
            throw new Rejected(call, "array methods must be called on a parameter of the kernel, like a.get(i)");
        }
        String array = cname(id.getName().toString());
        String index = args.isEmpty() ? null : unparen(expr(args.get(0)));
        String value = args.size() < 2 ? null : unparen(expr(args.get(1)));
        return switch (name) {
            case "getSize" -> array + "_len";
            case "get" -> switch (element) {
                case "half" -> d.halfLoad(array, index);
                case "bf16" -> "longnet_bf2f(" + array + "[" + index + "])";
                default -> array + "[" + index + "]";
            };
            case "set" -> "(" + switch (element) {
                case "half" -> d.halfStore(array, index, value);
                case "bf16" -> array + "[" + index + "] = longnet_f2bf(" + value + ")";
                default -> array + "[" + index + "] = " + value;
            } + ")";
            case "getBits" -> "((int) " + array + "[" + index + "])";
            case "getPair" -> "(*(" + d.globalPointer("const int") + ") (" + array + " + (" + index + ")))";
            // FloatArray's pair methods: prelude functions on every device (one 8-byte access).
            case "setPair" -> (element.equals("bf16") ? "longnet_set_pair_bf16(" : "longnet_set_pair(") + array + " + (" + index + "), " + value
                    + ", " + unparen(expr(args.get(2))) + ")";
            case "scaleAddPair" -> "longnet_scale_add_pair(" + array + " + (" + index + "), " + value + ", " + unparen(expr(args.get(2)))
                    + ", " + unparen(expr(args.get(3))) + ")";
            case "atomicAdd" -> "longnet_atomic_add(" + array + " + (" + index + "), " + value + ")";
            case "atomicAddPair" -> "longnet_atomic_add_pair(" + array + " + (" + index + "), " + value + ", " + unparen(expr(args.get(2))) + ")";
            default -> throw new Rejected(call, "only get, set, getSize (getBits, getPair, setPair of a BFloat16Array; setPair, scaleAddPair, atomicAdd, "
                    + "atomicAddPair of a FloatArray) can be "
                    + "called on an array in a kernel");
        };
    }

    /** Arguments of a call; an array passed to a device function travels with its length. */
    private String arguments(List<? extends ExpressionTree> args, boolean deviceFunction) {
        StringJoiner out = new StringJoiner(", ");
        for (ExpressionTree a : args) {
            String type = javaType(typeOf(a));
            if (type.equals(CONTEXT)) {
                continue;
            }
            if (deviceFunction && ARRAY_ELEMENT.containsKey(type)) {
                if (!(a instanceof IdentifierTree id)) {
                    throw new Rejected(a, "pass an array parameter by name");
                }
                out.add(cname(id.getName().toString()));
                out.add(cname(id.getName().toString()) + "_len");
            } else if (deviceFunction && type.endsWith("[]")) {
                if (!(a instanceof IdentifierTree id) || !localArrays.contains(id.getName().toString())) {
                    throw new Rejected(a, "only work-group local arrays (context.allocate...LocalArray), by name, can be passed to "
                            + "device functions; private arrays cannot");
                }
                out.add(cname(id.getName().toString()));
            } else {
                out.add(unparen(expr(a)));
            }
        }
        return out.toString();
    }

    private String assignment(AssignmentTree a) {
        checkAssignable(a.getVariable());
        return "(" + expr(a.getVariable()) + " = " + unparen(expr(a.getExpression())) + ")";
    }

    private void checkAssignable(ExpressionTree target) {
        if (target instanceof IdentifierTree id && element(id) instanceof VariableElement v && v.getKind() == ElementKind.FIELD) {
            throw new Rejected(target, "fields cannot be written in a kernel; write to an array parameter instead");
        }
        String type = javaType(typeOf(target));
        if (!isPrimitive(type)) {
            throw new Rejected(target, "a variable of type " + type + " cannot be reassigned in a kernel");
        }
    }

    private String compound(CompoundAssignmentTree c) {
        checkAssignable(c.getVariable());
        String type = javaType(typeOf(c.getVariable()));
        String target = expr(c.getVariable());
        String value = expr(c.getExpression());
        if (c.getKind() == Tree.Kind.REMAINDER_ASSIGNMENT && isFloating(type)) {
            return "(" + target + " = " + d.math("fmod", type, target + ", " + value) + ")";
        }
        return switch (c.getKind()) {
            case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> "(" + target + " = " + unsignedShift(type, target, value) + ")";
            case LEFT_SHIFT_ASSIGNMENT -> "(" + target + " <<= " + shiftCount(type, value) + ")";
            case RIGHT_SHIFT_ASSIGNMENT -> "(" + target + " >>= " + shiftCount(type, value) + ")";
            default -> "(" + target + " " + operator(c.getKind()) + "= " + unparen(value) + ")";
        };
    }

    private String binary(BinaryTree b) {
        String type = javaType(typeOf(b));
        String left = expr(b.getLeftOperand());
        String right = expr(b.getRightOperand());
        if (!isPrimitive(type)) {
            throw new Rejected(b, "operations on " + simple(type) + " are not allowed in a kernel");
        }
        if (b.getKind() == Tree.Kind.REMAINDER && isFloating(type)) {
            return d.math("fmod", type, left + ", " + right);
        }
        return switch (b.getKind()) {
            case UNSIGNED_RIGHT_SHIFT -> unsignedShift(type, left, right);
            case LEFT_SHIFT -> "(" + left + " << " + shiftCount(type, right) + ")";
            case RIGHT_SHIFT -> "(" + left + " >> " + shiftCount(type, right) + ")";
            default -> "(" + left + " " + operator(b.getKind()) + " " + right + ")";
        };
    }

    /** Java masks shift counts to the operand width; C leaves larger counts undefined. */
    private String shiftCount(String type, String count) {
        return "(" + count + " & " + (type.equals("long") ? 63 : 31) + ")";
    }

    private String unsignedShift(String type, String value, String count) {
        return "((" + d.type(type) + ") ((" + d.unsignedOf(type) + ") " + value + " >> " + shiftCount(type, count) + "))";
    }

    private String unary(UnaryTree u) {
        String operand = expr(u.getExpression());
        if (u.getKind() == Tree.Kind.POSTFIX_INCREMENT || u.getKind() == Tree.Kind.POSTFIX_DECREMENT
                || u.getKind() == Tree.Kind.PREFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_DECREMENT) {
            checkAssignable(u.getExpression());
        }
        return switch (u.getKind()) {
            case UNARY_MINUS -> "(-" + operand + ")";
            case UNARY_PLUS -> operand;
            case LOGICAL_COMPLEMENT -> "(!" + operand + ")";
            case BITWISE_COMPLEMENT -> "(~" + operand + ")";
            case PREFIX_INCREMENT -> "(++" + operand + ")";
            case PREFIX_DECREMENT -> "(--" + operand + ")";
            case POSTFIX_INCREMENT -> "(" + operand + "++)";
            case POSTFIX_DECREMENT -> "(" + operand + "--)";
            default -> throw new IllegalStateException(u.getKind().toString());
        };
    }

    private String cast(TypeCastTree c) {
        String to = javaType(typeOf(c));
        String from = javaType(typeOf(c.getExpression()));
        String value = expr(c.getExpression());
        if (!isPrimitive(to) || to.equals("boolean")) {
            throw new Rejected(c, "casts to " + simple(to) + " are not allowed in a kernel; allowed: int, long, float, double");
        }
        if (to.equals(from)) {
            return value;
        }
        if (isFloating(from) && (to.equals("int") || to.equals("long"))) {
            return d.saturatingCast(from, to, unparen(value));
        }
        return "((" + d.type(to) + ") " + value + ")";
    }

    // ---------------------------------------------------------------- helpers

    private static String operator(Tree.Kind kind) {
        return switch (kind) {
            case PLUS, PLUS_ASSIGNMENT -> "+";
            case MINUS, MINUS_ASSIGNMENT -> "-";
            case MULTIPLY, MULTIPLY_ASSIGNMENT -> "*";
            case DIVIDE, DIVIDE_ASSIGNMENT -> "/";
            case REMAINDER, REMAINDER_ASSIGNMENT -> "%";
            case LESS_THAN -> "<";
            case GREATER_THAN -> ">";
            case LESS_THAN_EQUAL -> "<=";
            case GREATER_THAN_EQUAL -> ">=";
            case EQUAL_TO -> "==";
            case NOT_EQUAL_TO -> "!=";
            case CONDITIONAL_AND -> "&&";
            case CONDITIONAL_OR -> "||";
            case AND, AND_ASSIGNMENT -> "&";
            case OR, OR_ASSIGNMENT -> "|";
            case XOR, XOR_ASSIGNMENT -> "^";
            default -> throw new IllegalStateException("operator " + kind);
        };
    }

    private TreePath path(Tree t) {
        TreePath p = paths.get(t);
        if (p == null) {
            p = TreePath.getPath(unit, t);
        }
        return p;
    }

    private TypeMirror typeOf(Tree t) {
        return trees.getTypeMirror(path(t));
    }

    private Element element(Tree t) {
        return trees.getElement(path(t));
    }

    static String javaType(TypeMirror t) {
        if (t == null) {
            return "?";
        }
        if (t.getKind() == TypeKind.DECLARED) {
            return ((TypeElement) ((javax.lang.model.type.DeclaredType) t).asElement()).getQualifiedName().toString();
        }
        return t.toString();
    }

    private static String ownerName(ExecutableElement m) {
        return ((TypeElement) m.getEnclosingElement()).getQualifiedName().toString();
    }

    static boolean isPrimitive(String type) {
        return switch (type) {
            case "int", "long", "float", "double", "boolean" -> true;
            default -> false;
        };
    }

    private static boolean isFloating(String type) {
        return type.equals("float") || type.equals("double");
    }

    private static String simple(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    private static String kindName(Tree t) {
        return t.getKind().toString().toLowerCase().replace('_', ' ');
    }

    static String cname(String javaName) {
        String n = javaName.replace("$", "_S_");
        return RESERVED.contains(n) ? n + "_" : n;
    }

    private static String unparen(String s) {
        if (s.length() < 2 || s.charAt(0) != '(' || s.charAt(s.length() - 1) != ')') {
            return s;
        }
        int depth = 0;
        for (int i = 0; i < s.length() - 1; i++) {
            depth += s.charAt(i) == '(' ? 1 : s.charAt(i) == ')' ? -1 : 0;
            if (depth == 0) {
                return s; // the first '(' closes before the end: not one wrapping pair
            }
        }
        return s.substring(1, s.length() - 1);
    }

    private static String indent(int depth) {
        return "    ".repeat(depth);
    }
}
