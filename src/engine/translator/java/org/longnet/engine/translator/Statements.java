package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Supplier;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * Java statements and local declarations as C: loops (a {@code @Parallel} loop becomes a
 * grid-stride loop), jumps that keep their Java meaning on a device, and the three kinds of local
 * array (private, work-group local, and a helper's local array parameter).
 */
final class Statements {
    private final MethodScope s;
    private final Expressions e;

    Statements(MethodScope scope, Expressions expressions) {
        this.s = scope;
        this.e = expressions;
    }

    String block(BlockTree b, int depth) {
        StringBuilder out = new StringBuilder("{\n");
        for (StatementTree st : b.getStatements()) {
            out.append(indent(depth + 1)).append(statement(st, depth + 1)).append('\n');
        }
        return out.append(indent(depth)).append('}').toString();
    }

    String body(StatementTree st, int depth) {
        return st instanceof BlockTree b ? block(b, depth) : statement(st, depth);
    }

    String statement(StatementTree st, int depth) {
        return switch (st.getKind()) {
            case BLOCK -> block((BlockTree) st, depth);
            case VARIABLE -> declaration((VariableTree) st) + ";";
            case EXPRESSION_STATEMENT -> ArrayFills.statement(s, e, (ExpressionStatementTree) st) instanceof String fill ? fill
                    : MatrixViews.fill(s, e, (ExpressionStatementTree) st) instanceof String matrixFill ? matrixFill
                    : s.reductions.updateOf(st) instanceof Reductions.Target t
                    ? reduceUpdate(t, (ExpressionStatementTree) st)
                    : s.reductions.startOf(st) != null ? reduceStart((ExpressionStatementTree) st)
                    : unparen(e.expr(((ExpressionStatementTree) st).getExpression())) + ";";
            case IF -> {
                IfTree t = (IfTree) st;
                String out = "if (" + unparen(e.expr(t.getCondition())) + ") " + body(t.getThenStatement(), depth);
                yield t.getElseStatement() == null ? out : out + " else " + body(t.getElseStatement(), depth);
            }
            case FOR_LOOP -> forLoop((ForLoopTree) st, depth);
            case WHILE_LOOP -> {
                WhileLoopTree t = (WhileLoopTree) st;
                yield inLoop(t, () -> "while (" + unparen(e.expr(t.getCondition())) + ") " + body(t.getStatement(), depth));
            }
            case DO_WHILE_LOOP -> {
                DoWhileLoopTree t = (DoWhileLoopTree) st;
                yield inLoop(t, () -> "do " + body(t.getStatement(), depth) + " while (" + unparen(e.expr(t.getCondition())) + ");");
            }
            case ENHANCED_FOR_LOOP -> inLoop(st, () -> EnhancedForLoops.loop((EnhancedForLoopTree) st, depth, s, this));
            case SWITCH -> inLoop(st, () -> Switches.statement((SwitchTree) st, depth, s, e, this));
            case BREAK, CONTINUE -> jump(st);
            case RETURN -> {
                ReturnTree t = (ReturnTree) st;
                if (s.isKernel && s.insideParallelLoop() && !UniformReturns.allTogether(s, t)) {
                    throw Rejected.race(st, "return inside a @Parallel loop would end every iteration on the JVM "
                            + "but only one work-item on a device; use continue (or return first in the loops' bodies, under a condition "
                            + "that is the same for every iteration)");
                }
                if (t.getExpression() != null) {
                    e.vectors.checkReturned(t.getExpression());
                }
                yield t.getExpression() == null ? "return;" : "return " + unparen(e.expr(t.getExpression())) + ";";
            }
            // Java checks an assert only under -ea; devices run with assertions disabled, as TornadoVM's do: no check, nor the
            // condition's evaluation (what Java does without -ea). The JVM launcher keeps the assert, as the kernel's own code.
            case ASSERT -> ";";
            case EMPTY_STATEMENT -> ";";
            default -> throw new Rejected(st, Rejected.kindName(st) + " is not allowed in a kernel; allowed statements: "
                    + "local variables, if/else, for (also over an array's elements), while, do, switch, break, continue, return, assert, expressions");
        };
    }

    private String jump(StatementTree st) {
        boolean isBreak = st instanceof BreakTree;
        Object label = isBreak ? ((BreakTree) st).getLabel() : ((ContinueTree) st).getLabel();
        if (label != null) {
            throw new Rejected(st, "labelled break/continue is not allowed in a kernel");
        }
        if (isBreak && !s.loops.isEmpty() && s.loops.peek() instanceof ForLoopTree f && s.nest.depthOf(f) >= 0) {
            // no race, but Java's break ends every later iteration where a device's ends its work-item's own: a task kernel runs as
            // Java on the host (DeferredKernels), a @Kernel fails the build
            throw new Rejected(st, "break out of a @Parallel loop is not allowed: its iterations run at the same time, so a break "
                    + "cannot end the iterations after it as Java's does");
        }
        return isBreak ? "break;" : "continue;";
    }

    private String inLoop(Tree loop, Supplier<String> emit) {
        s.loops.push(loop);
        try {
            return emit.get();
        } finally {
            s.loops.pop();
        }
    }

    private String forLoop(ForLoopTree f, int depth) {
        int level = s.nest.depthOf(f);
        if (level >= 0) {
            return inLoop(f, () -> parallelLoop(s.nest.loops().get(level), level, depth));
        }
        StringJoiner init = new StringJoiner(", ");
        boolean first = true;
        for (StatementTree st : f.getInitializer()) {
            if (st instanceof VariableTree v) {
                init.add(first ? declaration(v) : CNames.of(v.getName().toString()) + " = " + e.expr(v.getInitializer()));
            } else {
                init.add(unparen(e.expr(((ExpressionStatementTree) st).getExpression())));
            }
            first = false;
        }
        StringJoiner update = new StringJoiner(", ");
        for (ExpressionStatementTree u : f.getUpdate()) {
            update.add(unparen(e.loopStep(u.getExpression())));
        }
        String cond = f.getCondition() == null ? "" : unparen(e.expr(f.getCondition()));
        String unroll = hasConstantTripCount(f) ? "#pragma unroll\n" + indent(depth) : "";
        return inLoop(f, () -> unroll + "for (" + init + "; " + cond + "; " + update + ") " + body(f.getStatement(), depth));
    }

    /** Loops over register tiles ({@code for (int i = 0; i < TM; i++)}) must unroll, or the tile spills to memory. */
    private boolean hasConstantTripCount(ForLoopTree f) {
        return f.getInitializer().size() == 1 && f.getInitializer().get(0) instanceof VariableTree v
                && v.getInitializer() != null && e.constant(v.getInitializer()) instanceof Integer
                && f.getCondition() instanceof BinaryTree c && e.constant(c.getRightOperand()) instanceof Integer;
    }

    /**
     * A parallel loop becomes a grid-stride loop: each work-item starts at its global id and
     * strides by the global size, so any launch size covers the range exactly once.
     */
    private String parallelLoop(ParallelLoop p, int level, int depth) {
        if (level == 0 && !s.reductions.isEmpty()) {
            return reducingLoop(p, depth);
        }
        return stridedLoop(p, level, depth);
    }

    /**
     * The outermost parallel loop of a kernel with reductions: each work-item keeps each reduced value in a
     * register from the operator's identity, and adds it to the element atomically once its iterations are done.
     */
    private String reducingLoop(ParallelLoop p, int depth) {
        StringBuilder out = new StringBuilder("{\n");
        for (Reductions.Target t : s.reductions.targets()) {
            String element = reducedElement(t);
            out.append(indent(depth + 1)).append(s.d.type(element)).append(' ').append(accumulator(t)).append(" = ")
                    .append(identity(element, t.op())).append(";\n");
        }
        out.append(indent(depth + 1)).append(stridedLoop(p, 0, depth + 1)).append('\n');
        for (Reductions.Target t : s.reductions.targets()) {
            out.append(indent(depth + 1)).append("longnet_reduce_").append(OPERATOR_NAMES.get(t.op())).append('_').append(reducedElement(t))
                    .append('(').append(CNames.of(t.name())).append(" + (").append(unparen(e.expr(t.index()))).append("), ")
                    .append(accumulator(t)).append(");\n");
        }
        return out.append(indent(depth)).append('}').toString();
    }

    private static final java.util.Map<String, String> OPERATOR_NAMES = java.util.Map.of("+", "add", "*", "mul", "max", "max", "min", "min");

    private String reduceUpdate(Reductions.Target t, ExpressionStatementTree st) {
        String acc = accumulator(t);
        String element = reducedElement(t);
        if (t.op().equals("+") || t.op().equals("*")) {
            for (ExpressionTree operand : t.updates().get(st)) {
                if (JavaTypes.isFloating(s.javaType(operand)) && !JavaTypes.isFloating(element)) {
                    // Java narrows a float sum into an int element with saturation, C leaves it undefined out of range
                    throw new Rejected(operand, "the @Reduce update of " + t.name() + " (" + element + ") adds the " + s.javaType(operand)
                            + " " + operand + ": cast it to " + element + " first");
                }
            }
            StringBuilder out = new StringBuilder(acc).append(" = ").append(acc);
            t.updates().get(st).forEach(operand -> out.append(' ').append(t.op()).append(" (").append(unparen(e.expr(operand))).append(')'));
            return out.append(';').toString();
        }
        String operand = unparen(e.expr(t.updates().get(st).get(0)));
        return acc + " = " + Intrinsics.spell(s.d, "KernelMath." + t.op() + "(" + element + "," + element + ")", acc, operand) + ";";
    }

    /**
     * A {@code @Reduce} element's start value, set before the loop: such a kernel runs as one work-group (the launch
     * sees {@code initialises} in its descriptor), so its first work-item sets it and the barrier puts that before every combine.
     */
    private String reduceStart(ExpressionStatementTree st) {
        StringJoiner first = new StringJoiner(" && ");
        for (int d = 0; d < s.nest.dims(); d++) {
            first.add(s.d.workItem(Dialect.WorkItem.LOCAL_ID, d) + " == 0");
        }
        return "if (" + first + ") { " + unparen(e.expr(st.getExpression())) + "; } " + s.d.groupBarrier() + ";";
    }

    private static String accumulator(Reductions.Target t) {
        return "longnet_acc_" + t.name();
    }

    /** The element type of a reduced array: float, double, int or long. */
    private String reducedElement(Reductions.Target t) {
        VariableTree param = s.method.getParameters().stream().filter(v -> v.getName().contentEquals(t.name())).findFirst().orElseThrow();
        String type = s.javaType(param);
        String element = type.endsWith("[]") ? type.substring(0, type.length() - 2) : JavaTypes.ARRAY_ELEMENT.get(type);
        if (!java.util.List.of("float", "double", "int", "long").contains(String.valueOf(element))) {
            throw new Rejected(param, "a @Reduce parameter must be a FloatArray, DoubleArray, IntArray or LongArray, or a float[], double[], "
                    + "int[] or long[], not " + type);
        }
        return element;
    }

    /** The operator's identity in C: what a work-item's part starts from. */
    private String identity(String element, String op) {
        String negativeInfinity = Intrinsics.floatFromBits(s.d, "0xff800000"), infinity = Intrinsics.floatFromBits(s.d, "0x7f800000");
        return switch (element + " " + op) {
            case "float +" -> "0.0f";
            case "float *" -> "1.0f";
            case "float max" -> negativeInfinity;
            case "float min" -> infinity;
            case "double +" -> "0.0";
            case "double *" -> "1.0";
            case "double max" -> "((double) " + negativeInfinity + ")";
            case "double min" -> "((double) " + infinity + ")";
            case "int +", "long +" -> "0";
            case "int *", "long *" -> "1";
            case "int max" -> "(-2147483647 - 1)";
            case "int min" -> "2147483647";
            case "long max" -> "(-9223372036854775807L - 1L)";
            default -> "9223372036854775807L";
        };
    }

    private String stridedLoop(ParallelLoop p, int level, int depth) {
        int dim = s.nest.deviceDim(level);
        String type = s.d.type(p.type());
        String i = CNames.of(p.name());
        String step = p.step() == null ? "1" : "(" + e.expr(p.step()) + ")";
        String toward = p.descending() ? " - " : " + ";
        String first = "(" + type + ") (" + e.expr(p.start()) + toward + s.d.workItem(Dialect.WorkItem.GLOBAL_ID, dim) + " * " + step + ")";
        String stride = "(" + type + ") (" + s.d.workItem(Dialect.WorkItem.GLOBAL_SIZE, dim) + " * " + step + ")";
        return "for (" + type + " " + i + " = " + first + "; " + unparen(e.expr(p.loop().getCondition())) + "; " + i + " " + toward.strip() + "= "
                + stride + ") " + body(p.loop().getStatement(), depth);
    }

    private String declaration(VariableTree v) {
        String type = s.javaType(v);
        String name = CNames.of(v.getName().toString());
        ExpressionTree init = v.getInitializer();
        if (List.of("float[]", "int[]", "double[]", "long[]", "byte[]").contains(type)) {
            return arrayDeclaration(v, type.substring(0, type.length() - 2), name);
        }
        if (Vectors.arrayOf(s.typeOf(v)) instanceof Vectors.Shape vector && HelperLocals.isAllocation(init, s)) {
            return vectorArrayDeclaration(v, vector, name);
        }
        if (e.vectors.vectorOf(v) instanceof Vectors.Shape vector) {
            if (init != null) {
                e.vectors.checkNotShared(init);
            }
            return vector.cType() + " " + name + (init == null ? "" : " = " + unparen(e.expr(init)));
        }
        if (Vectors.collection(s.typeOf(v)) instanceof Vectors.Shape collection) {
            return collectionDeclaration(v, collection, name);
        }
        if (SimdgroupMatrices.is(s.typeOf(v))) {
            return SimdgroupMatrices.C_TYPE + " " + name + (init == null ? "" : " = " + unparen(e.expr(init)));
        }
        if (!JavaTypes.isPrimitive(type)) {
            throw new Rejected(v, "local variables of type " + type + " are not allowed in a kernel; allowed: "
                    + "int, long, float, double, boolean, short, byte, TornadoVM's HalfFloat, vectors (Float4, Int2, ...) and Matrix8x8Float, "
                    + "and float[], int[], double[], long[], byte[] of constant size"
                    + JavaTypes.hostOnly(type));
        }
        return s.d.type(type) + " " + name + (init == null ? "" : " = " + unparen(e.expr(init)));
    }

    private String arrayDeclaration(VariableTree v, String element, String name) {
        ExpressionTree init = v.getInitializer();
        if (init != null && MmaCalls.makesFragment(s, init)) {
            return MmaCalls.declare(s, e, v, name);
        }
        if (init instanceof NewArrayTree na && na.getDimensions().size() == 1 && na.getInitializers() == null
                && e.constant(na.getDimensions().get(0)) == null) {
            return PrivateArrays.sized(v, na.getDimensions().get(0), element, name, s, e, this);
        }
        if (init instanceof NewArrayTree na && na.getDimensions().size() == 1 && na.getInitializers() == null) {
            int size = constantSize(na.getDimensions().get(0));
            s.arraySizes.put(v.getName().toString(), size);
            // Java zero-fills a new array; C does not.
            return reassignable(v, element, name, s.d.type(element) + " " + storage(v, name) + "[" + size + "] = {0}");
        }
        if (init instanceof NewArrayTree na && na.getInitializers() != null && !na.getInitializers().isEmpty()) {
            return reassignable(v, element, name, initializedArray(v, na.getInitializers(), element, storage(v, name)));
        }
        if (init instanceof MethodInvocationTree call && s.element(call) instanceof ExecutableElement m
                && JavaTypes.ownerName(m).equals(JavaTypes.CONTEXT) && m.getSimpleName().toString().startsWith("allocate")) {
            if (s.path(v).getParentPath().getLeaf() != s.method.getBody()) {
                throw new Rejected(v, "local arrays must be allocated at the top level of the kernel's body, or of a helper's that the kernel calls");
            }
            if (!s.isKernel) {
                if (JavaTypes.isDeviceFunctions(s.owner)) {
                    throw new Rejected(v, "a @DeviceFunctions function cannot allocate local arrays; allocate them in the kernel and pass them");
                }
                HelperLocals.declareLength(v, call.getArguments().get(0), s, e);
                s.localArrays.add(v.getName().toString());
                return s.d.localPointer(s.d.type(element)) + " " + name + " = " + HelperLocals.parameter(v);
            }
            return kernelLocalArray(v, call, s.d.type(element), MethodScope.elementBytes(element), name);
        }
        if (v.getInitializer() != null && RowArrays.row(s, v.getInitializer()) instanceof ArrayAccessTree row) {
            throw RowArrays.heldRow(row);
        }
        throw new Rejected(v, "an array in a kernel must be 'new " + element + "[CONSTANT]' (private) or "
                + "'context.allocate...LocalArray(CONSTANT)' (work-group local)");
    }

    /**
     * A kernel's work-group local array of {@code cType} elements of {@code bytes} each, allocated by {@code call}: of a constant
     * length, or one the launch sizes.
     */
    private String kernelLocalArray(VariableTree v, MethodInvocationTree call, String cType, int bytes, String name) {
        if (e.constant(call.getArguments().get(0)) == null && sizeFactors(call.getArguments().get(0)) instanceof MethodScope.SizedLocal l
                && (!l.parameters().isEmpty() || !l.groupExtents().isEmpty()) && l.lengths().isEmpty() && l.constant() > 0) {
            return sizedLocal(v.getName().toString(), name, l.of(bytes, cType));
        }
        int size = constantSize(call.getArguments().get(0));
        s.arraySizes.put(v.getName().toString(), size);
        s.localArrays.add(v.getName().toString());
        return s.d.localArray(cType, name, size, s.constantLocal(size, bytes));
    }

    /**
     * A work-group local array of vectors ({@code Half2[] tile = context.allocateHalf2LocalArray(128)}), at the top of a
     * kernel's body: each element a vector value, which {@code tile[i] = v} stores and {@code tile[i]} loads. Other arrays of
     * vectors ({@code new Float4[2]}) are refused as any array of objects is.
     */
    private String vectorArrayDeclaration(VariableTree v, Vectors.Shape shape, String name) {
        if (!s.isKernel || s.path(v).getParentPath().getLeaf() != s.method.getBody()) {
            throw new Rejected(v, "a work-group local array of " + shape.javaName() + " vectors must be allocated at the top level of the "
                    + "kernel's body, not in a helper or a block");
        }
        return kernelLocalArray(v, (MethodInvocationTree) v.getInitializer(), shape.cType(), shape.bytes(), name);
    }

    /**
     * A private array that the method assigns another to ({@code b = a}, Java's second name for one array) is a pointer to
     * its own storage, which the assignment points elsewhere; {@link Expressions} checks what it may point to.
     */
    private String storage(VariableTree v, String name) {
        return isReassigned(v) ? "longnet_store_" + name : name;
    }

    private String reassignable(VariableTree v, String element, String name, String declaration) {
        return isReassigned(v) ? declaration + "; " + s.d.type(element) + "* " + name + " = longnet_store_" + name : declaration;
    }

    private boolean isReassigned(VariableTree v) {
        return !s.neverAssigned((VariableElement) s.element(v), new ExpressionTree[1]);
    }

    /**
     * A private array with its elements given ({@code new float[] {0f, 1f}}, {@code int[] k = {1, 2}}): a C initializer list.
     * C does not order the evaluation of its elements as Java does, so they must not assign anything.
     */
    private String initializedArray(VariableTree v, List<? extends ExpressionTree> elements, String element, String cName) {
        StringJoiner values = new StringJoiner(", ", "{", "}");
        for (ExpressionTree x : elements) {
            if (assigns(x)) {
                throw new Rejected(x, "an array initializer's elements must not assign variables in a kernel (C does not evaluate them in order)");
            }
            values.add(unparen(e.expr(x)));
        }
        s.arraySizes.put(v.getName().toString(), elements.size());
        return s.d.type(element) + " " + cName + "[" + elements.size() + "] = " + values;
    }

    private static boolean assigns(ExpressionTree x) {
        boolean[] found = {false};
        new com.sun.source.util.TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree t, Void unused) {
                found[0] |= t instanceof com.sun.source.tree.AssignmentTree || t instanceof com.sun.source.tree.CompoundAssignmentTree
                        || t instanceof com.sun.source.tree.UnaryTree u && LoopDependence.isIncrement(u);
                return super.scan(t, unused);
            }
        }.scan(x, null);
        return found[0];
    }

    /**
     * A kernel's own collection ({@code VectorFloat2 c = new VectorFloat2(output.getLength())}), zero-filled as Java's. It lives
     * in work-group memory, so only a kernel of one work-item may make one (no {@code @Parallel} loop, no KernelContext); its
     * length is a constant, or one that the launch knows (an int parameter, a length of an array or collection parameter),
     * times constants.
     */
    private String collectionDeclaration(VariableTree v, Vectors.Shape shape, String name) {
        String type = shape.collectionName();
        if (!(v.getInitializer() instanceof NewClassTree n) || n.getArguments().size() != 1 || !s.javaType(n.getArguments().get(0)).equals("int")) {
            throw new Rejected(v, "a collection in a kernel must be a new one of a length: new " + type + "(length)");
        }
        boolean context = s.method.getParameters().stream().anyMatch(p -> s.javaType(p).equals(JavaTypes.CONTEXT));
        if (!s.isKernel || s.nest.dims() > 0 || context || s.path(v).getParentPath().getLeaf() != s.method.getBody()) {
            throw new Rejected(v, "a kernel may make a collection (" + type + ") only at the top level of its body, and only without @Parallel "
                    + "loops or a KernelContext: it lives in work-group memory, which one work-item then has to itself");
        }
        MethodScope.SizedLocal l = sizeFactors(n.getArguments().get(0));
        if (l == null || l.constant() <= 0) {
            throw new Rejected(n.getArguments().get(0), "the length of a kernel's own collection must be a positive constant, an int "
                    + "parameter, a length of an array or collection parameter (a.getSize(), v.getLength(), x.length), or a product of these");
        }
        int bytes = shape.element().equals("double") ? 8 : 4;
        MethodScope.SizedLocal local = new MethodScope.SizedLocal(l.constant() * shape.lanes(), l.parameters(), bytes, s.d.type(shape.laneType()),
                l.lengths(), false, l.groupExtents());
        String javaName = v.getName().toString(), declaration, length;
        if (local.byLaunch()) {
            declaration = sizedLocal(javaName, name, local);
            length = s.sizedLocalLengths.get(javaName);
        } else {
            declaration = s.d.localArray(local.cType(), name, local.constant(), s.localBytes);
            s.localBytes += (local.constant() * bytes + 15) / 16 * 16;
            length = Integer.toString(local.constant());
        }
        s.localCollections.add(javaName);
        String len = s.d.type("long");
        return declaration + "; " + len + " " + name + "_len = " + length + "; for (" + len + " longnet_k = 0; longnet_k < " + name + "_len; "
                + "longnet_k++) " + name + "[longnet_k] = 0";
    }

    MethodScope.SizedLocal sizeFactors(ExpressionTree size) {
        return LaunchSizedLocals.factors(size, s, e);
    }

    /**
     * A work-group local array of a length the launch knows: after the constant-size ones, sized by the launch (times
     * the work-group's items where each has its own, {@link PrivateArrays}).
     */
    String sizedLocal(String javaName, String name, MethodScope.SizedLocal local) {
        s.arraySizes.put(javaName, Integer.MAX_VALUE);
        if (!local.perWorkItem()) {
            s.localArrays.add(javaName);
        }
        s.sizedLocalLengths.put(javaName, "((int) " + LaunchSizedLocals.length(local, s) + ")");
        return s.d.localPointer(local.cType()) + " " + name + " = " + LaunchSizedLocals.add(local, s);
    }

    int constantSize(ExpressionTree size) {
        Object value = e.constant(size);
        if (!(value instanceof Integer n) || n <= 0) {
            throw new Rejected(size, "an array size in a kernel must be a positive compile-time constant (a local array's may also be an "
                    + "int parameter of the kernel that it never assigns, the work-group's extent ctx.localGroupSizeX, Y or Z, or a product of these and "
                    + "constants), found " + size);
        }
        return n;
    }

    private static String indent(int depth) {
        return "    ".repeat(depth);
    }
}
