package org.longnet.engine.translator;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reductions of a {@code @Parallel} kernel, read from its trees alone (so the JVM launcher, written before
 * attribution, and the C, written after, agree), and the writes that would race without one.
 * <p>
 * A {@code @Reduce} array parameter {@code r} may appear only in updates {@code r.set(k, r.get(k) OP e)} (OP
 * {@code +} or {@code *}, either side) or {@code r.set(k, max(r.get(k), e))} ({@code min} too; {@code Math},
 * {@code KernelMath} or {@code TornadoMath}), all with one operator and one index {@code k} that no iteration
 * changes; on a Java array ({@code float[] r}) {@code r[k] += e}, {@code r[k] *= e}, {@code r[k] = r[k] OP e} and
 * {@code r[k] = max(r[k], e)}; or through a helper of the kernel's class that combines its two parameters so
 * ({@link ReduceFunctions}). A {@code @Reduce} array that the kernel does not write is read as any other.
 * Each work-item keeps its part in a register started at the operator's identity, and adds it to
 * {@code r[k]} atomically after its iterations, so {@code r[k]} ends as the sequential loop would leave it.
 * <p>
 * The element may also be set once before the loop, at the top of the kernel's body ({@code r.set(k, 0f)}), as
 * TornadoVM's programs do: the sequential loop then starts from that value, not from the element's old one. Every
 * work-item runs that statement, so it is not a plain write: such a kernel runs as one work-group whose first
 * work-item sets the element before a barrier that every combine comes after (on the JVM, once before the slices).
 * <p>
 * Without {@code @Reduce}, writes that every iteration makes to one element are rejected by {@link Races}.
 */
final class Reductions {
    /** The operators, as the launcher and the runtime functions name them. */
    static final List<String> OPERATORS = List.of("+", "*", "max", "min");
    /** The array types a {@code @Reduce} parameter may have (the engine's or TornadoVM's, by simple name). */
    private static final Set<String> REDUCIBLE = Set.of("FloatArray", "DoubleArray", "IntArray", "LongArray", "float[]", "double[]", "int[]",
            "long[]");

    /**
     * A write of one array element: {@code r.set(k, v)} or {@code r[k] = v} (compound null), or {@code r[k] += v} ({@code *=}, ...:
     * compound is its operator, and value what it combines with the element).
     */
    private record ElementWrite(String array, ExpressionTree index, ExpressionTree value, String compound) {
        static ElementWrite of(ExpressionTree e) {
            e = LoopDependence.unparen(e);
            if (e instanceof MethodInvocationTree call && isArrayCall(call, "set", 2)) {
                return new ElementWrite(receiver(call), call.getArguments().get(0), call.getArguments().get(1), null);
            }
            if (e instanceof AssignmentTree a && element(a.getVariable()) instanceof ArrayAccessTree x) {
                return new ElementWrite(element(x.getExpression()).toString(), x.getIndex(), a.getExpression(), null);
            }
            if (e instanceof CompoundAssignmentTree c && element(c.getVariable()) instanceof ArrayAccessTree x) {
                String op = switch (c.getKind()) {
                    case PLUS_ASSIGNMENT -> "+";
                    case MULTIPLY_ASSIGNMENT -> "*";
                    default -> c.getKind().toString();
                };
                return new ElementWrite(element(x.getExpression()).toString(), x.getIndex(), c.getExpression(), op);
            }
            return null;
        }

        /** {@code a[k]} with a a name, or a name: the tree without parentheses; else null. */
        private static ExpressionTree element(ExpressionTree t) {
            t = LoopDependence.unparen(t);
            return t instanceof ArrayAccessTree a && LoopDependence.unparen(a.getExpression()) instanceof IdentifierTree
                    || t instanceof IdentifierTree ? t : null;
        }
    }

    /**
     * One {@code @Reduce} parameter: its operator, its index (the same in every update) and its updates, each with its
     * operands in Java's order ({@code r.get(k) + a + b} has two, which the update applies left to right).
     */
    record Target(String name, String op, ExpressionTree index, Map<ExpressionStatementTree, List<ExpressionTree>> updates) {
    }

    /** A {@code @Reduce} element set before the {@code @Parallel} loop: the value the reduction starts from. */
    record Start(String name, ExpressionTree index, ExpressionTree value, ExpressionStatementTree statement) {
    }

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final Map<ExpressionStatementTree, Target> byStatement = new IdentityHashMap<>();
    private final Map<String, Start> starts = new LinkedHashMap<>();
    private final Map<ExpressionStatementTree, Start> startByStatement = new IdentityHashMap<>();

    private Reductions() {
    }

    /**
     * The reductions of {@code kernel}, declared in {@code unit} (whose helpers an update may go through); throws
     * {@link Rejected} at an update of another shape or a racing write.
     */
    static Reductions of(CompilationUnitTree unit, MethodTree kernel, ParallelNest nest) {
        Reductions r = new Reductions();
        Set<String> reduced = new HashSet<>();
        Set<String> written = writtenArrays(kernel);
        for (VariableTree p : kernel.getParameters()) {
            // a @Reduce array that the kernel only reads (TornadoVM's computeMapWithReduceValue) is read as any array is
            if (isReduce(p) && (written.contains(p.getName().toString()) || nest.dims() == 0)) {
                String type = p.getType().toString();
                if (!REDUCIBLE.contains(type.substring(type.lastIndexOf('.') + 1))) {
                    throw new Rejected(p, "in " + kernel.getName() + ", @Reduce " + p.getName() + " is a " + type
                            + ": a @Reduce parameter must be a FloatArray, DoubleArray, IntArray or LongArray, or a float[], double[], int[] or long[]");
                }
                reduced.add(p.getName().toString());
            }
        }
        if (nest.dims() == 0) {
            for (VariableTree p : kernel.getParameters()) {
                if (reduced.contains(p.getName().toString())) {
                    throw new Rejected(p, "@Reduce needs a @Parallel loop whose iterations reduce into " + p.getName());
                }
            }
            return r;
        }
        Set<String> varying = varyingNames(nest);
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitExpressionStatement(ExpressionStatementTree st, Void unused) {
                if (ElementWrite.of(st.getExpression()) instanceof ElementWrite w && reduced.contains(w.array())) {
                    r.add(st, w, unit, kernel);
                    return null;
                }
                return super.visitExpressionStatement(st, unused);
            }
        }.scan(nest.loops().get(0).loop().getStatement(), null);
        r.findStarts(kernel, nest, reduced);
        Races.check(kernel, nest, reduced);
        r.checkNoOtherUse(kernel, reduced);
        for (Target t : r.targets.values()) {
            if (LoopDependence.mentions(t.index(), varying, true)) {
                throw new Rejected(t.index(), "the index of a @Reduce update must be the same for every iteration: parameters, "
                        + "constants and locals declared before the @Parallel loop; " + t.index() + " is not");
            }
        }
        return r;
    }

    /**
     * The statements {@code r.set(k, v)} of the kernel's body before its {@code @Parallel} loop: each must set an
     * element that the loop reduces into, at the index of its updates, once, from a value that reads no {@code @Reduce}
     * array (every work-item computes it alike).
     */
    private void findStarts(MethodTree kernel, ParallelNest nest, Set<String> reduced) {
        List<? extends StatementTree> body = kernel.getBody().getStatements();
        if (!body.contains(nest.loops().get(0).loop())) {
            return; // the loop sits inside another statement: no statement of the body is surely before all its iterations
        }
        for (StatementTree st : body) {
            if (st == nest.loops().get(0).loop()) {
                break;
            }
            if (st instanceof ExpressionStatementTree es && ElementWrite.of(es.getExpression()) instanceof ElementWrite w
                    && w.compound() == null && reduced.contains(w.array())) {
                String array = w.array();
                ExpressionTree index = w.index();
                Target t = targets.get(array);
                if (t == null || !t.index().toString().equals(index.toString())) {
                    throw new Rejected(st, "@Reduce " + array + " may be set before the @Parallel loop only at the element that the loop's "
                            + "updates reduce into" + (t == null ? "; the loop updates none" : " (" + t.index() + "), not at " + index));
                }
                if (starts.containsKey(array)) {
                    throw new Rejected(st, "@Reduce " + array + " is set before the @Parallel loop twice; set it once");
                }
                Start start = new Start(array, index, w.value(), es);
                starts.put(array, start);
                startByStatement.put(es, start);
            }
        }
    }

    boolean isEmpty() {
        return targets.isEmpty();
    }

    List<Target> targets() {
        return List.copyOf(targets.values());
    }

    /** Whether some {@code @Reduce} element is set before the loop, so the kernel must set it once before any combine. */
    boolean starts() {
        return !starts.isEmpty();
    }

    List<Start> startValues() {
        return List.copyOf(starts.values());
    }

    /** The start whose statement {@code st} is, or null. */
    Start startOf(Tree st) {
        return st instanceof ExpressionStatementTree e ? startByStatement.get(e) : null;
    }

    /** The target whose update {@code st} is, or null. */
    Target updateOf(Tree st) {
        return st instanceof ExpressionStatementTree e ? byStatement.get(e) : null;
    }

    static boolean isReduce(VariableTree p) {
        for (AnnotationTree a : p.getModifiers().getAnnotations()) {
            String name = a.getAnnotationType().toString();
            if (name.equals("Reduce") || JavaTypes.REDUCE.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** The arrays whose elements {@code kernel} may write: receivers of calls other than get and getSize, and targets of assignments. */
    private static Set<String> writtenArrays(MethodTree kernel) {
        Set<String> out = new HashSet<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                if (call.getMethodSelect() instanceof MemberSelectTree sel && sel.getExpression() instanceof IdentifierTree id
                        && !List.of("get", "getSize").contains(sel.getIdentifier().toString())) {
                    out.add(id.getName().toString());
                }
                if (call.getMethodSelect() instanceof IdentifierTree || call.getMethodSelect() instanceof MemberSelectTree s
                        && !(s.getExpression() instanceof IdentifierTree)) {
                    call.getArguments().forEach(a -> { // an array handed to a helper may be written there
                        if (LoopDependence.unparen(a) instanceof IdentifierTree id) {
                            out.add(id.getName().toString());
                        }
                    });
                }
                return super.visitMethodInvocation(call, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree a, Void unused) {
                written(a.getVariable());
                return super.visitAssignment(a, unused);
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree a, Void unused) {
                written(a.getVariable());
                return super.visitCompoundAssignment(a, unused);
            }

            @Override
            public Void visitUnary(com.sun.source.tree.UnaryTree u, Void unused) {
                if (LoopDependence.isIncrement(u)) {
                    written(u.getExpression());
                }
                return super.visitUnary(u, unused);
            }

            private void written(ExpressionTree target) {
                ExpressionTree t = LoopDependence.unparen(target);
                while (t instanceof ArrayAccessTree a) {
                    t = LoopDependence.unparen(a.getExpression());
                }
                if (t instanceof IdentifierTree id) {
                    out.add(id.getName().toString());
                }
            }
        }.scan(kernel.getBody(), null);
        return out;
    }

    private void add(ExpressionStatementTree st, ElementWrite w, CompilationUnitTree unit, MethodTree kernel) {
        String array = w.array();
        ExpressionTree index = w.index();
        String op = null;
        List<ExpressionTree> operands = null;
        ExpressionTree value = LoopDependence.unparen(w.value());
        if (w.compound() != null) {
            if (OPERATORS.contains(w.compound())) {
                op = w.compound();
                operands = List.of(value);
            }
        } else if (value instanceof BinaryTree b && (b.getKind() == Tree.Kind.PLUS || b.getKind() == Tree.Kind.MULTIPLY)) {
            op = b.getKind() == Tree.Kind.PLUS ? "+" : "*";
            operands = chainOperands(b, array, index);
        } else if (value instanceof MethodInvocationTree m && m.getArguments().size() == 2 && operator(m, unit, kernel) != null) {
            op = operator(m, unit, kernel);
            ExpressionTree operand = isRead(m.getArguments().get(0), array, index) ? m.getArguments().get(1)
                    : isRead(m.getArguments().get(1), array, index) ? m.getArguments().get(0) : null;
            operands = operand == null ? null : List.of(operand);
        }
        if (operands == null) {
            throw new Rejected(st, "a @Reduce parameter is updated as " + array + ".set(k, " + array + ".get(k) + e), with * instead of + "
                    + "too, or as " + array + ".set(k, Math.max(" + array + ".get(k), e)) (or min); a Java array as " + array + "[k] += e, "
                    + array + "[k] *= e, " + array + "[k] = " + array + "[k] + e or " + array + "[k] = Math.max(" + array + "[k], e), or through a "
                    + "helper of the kernel's class whose body is return a + b; (*, Math.max, Math.min); this update is none of these");
        }
        Target t = targets.get(array);
        if (t == null) {
            t = new Target(array, op, index, new IdentityHashMap<>());
            targets.put(array, t);
        } else if (!t.op().equals(op) || !t.index().toString().equals(index.toString())) {
            throw new Rejected(st, "every update of @Reduce " + array + " must use one operator and one index; this one uses " + op + " at "
                    + index + ", an earlier one " + t.op() + " at " + t.index());
        }
        t.updates().put(st, operands);
        byStatement.put(st, t);
    }

    /** A {@code @Reduce} array may appear nowhere but in its updates: elsewhere its element holds other work-items' parts. */
    private void checkNoOtherUse(MethodTree kernel, Set<String> reduced) {
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitExpressionStatement(ExpressionStatementTree st, Void unused) {
                Target t = byStatement.get(st);
                if (t != null) {
                    return scan(t.updates().get(st), null);
                }
                Start start = startByStatement.get(st);
                if (start != null) {
                    return scan(start.value(), null);
                }
                return super.visitExpressionStatement(st, unused);
            }

            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                if (reduced.contains(id.getName().toString())) {
                    throw new Rejected(id, "@Reduce " + id.getName() + " may be used only in its updates (" + id.getName() + ".set(k, "
                            + id.getName() + ".get(k) + e)) and set to a start value before the @Parallel loop: elsewhere it holds the parts "
                            + "of other work-items");
                }
                return null;
            }
        }.scan(kernel.getBody(), null);
    }

    /** The parallel indices and every local declared inside the outermost parallel loop: names that may differ between iterations. */
    static Set<String> varyingNames(ParallelNest nest) {
        Set<String> out = new HashSet<>();
        nest.loops().forEach(l -> out.add(l.name()));
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree v, Void unused) {
                out.add(v.getName().toString());
                return super.visitVariable(v, unused);
            }
        }.scan(nest.loops().get(0).loop(), null);
        return out;
    }

    /**
     * What {@code b} combines with the element's read: {@code r.get(k) + a} or {@code a + r.get(k)} gives {@code a}, and a
     * left-nested chain of the same operator ({@code r.get(k) + a + b}, as Java reads it {@code (r.get(k) + a) + b}) gives
     * {@code a, b}; null where the read is elsewhere.
     */
    private static List<ExpressionTree> chainOperands(BinaryTree b, String array, ExpressionTree index) {
        if (isRead(b.getLeftOperand(), array, index)) {
            return List.of(b.getRightOperand());
        }
        if (isRead(b.getRightOperand(), array, index)) {
            return List.of(b.getLeftOperand());
        }
        if (LoopDependence.unparen(b.getLeftOperand()) instanceof BinaryTree left && left.getKind() == b.getKind()) {
            List<ExpressionTree> first = chainOperands(left, array, index);
            if (first != null) {
                return java.util.stream.Stream.concat(first.stream(), java.util.stream.Stream.of(b.getRightOperand())).toList();
            }
        }
        return null;
    }

    /** Whether {@code e} reads the element: {@code array.get(index)}, or {@code array[index]}. */
    private static boolean isRead(ExpressionTree e, String array, ExpressionTree index) {
        ExpressionTree read = LoopDependence.unparen(e);
        if (read instanceof ArrayAccessTree a && LoopDependence.unparen(a.getExpression()) instanceof IdentifierTree id) {
            return id.getName().contentEquals(array) && a.getIndex().toString().equals(index.toString());
        }
        return read instanceof MethodInvocationTree call && isArrayCall(call, "get", 1) && array.equals(receiver(call))
                && call.getArguments().get(0).toString().equals(index.toString());
    }

    private static boolean isArrayCall(MethodInvocationTree call, String method, int arity) {
        return call.getMethodSelect() instanceof MemberSelectTree sel && sel.getIdentifier().contentEquals(method)
                && sel.getExpression() instanceof IdentifierTree && call.getArguments().size() == arity;
    }

    private static String receiver(MethodInvocationTree call) {
        return ((IdentifierTree) ((MemberSelectTree) call.getMethodSelect()).getExpression()).getName().toString();
    }

    /** The operator of a two-argument call in an update: Math's (or a static import's) max or min, or a helper's ({@link ReduceFunctions}). */
    private static String operator(MethodInvocationTree m, CompilationUnitTree unit, MethodTree kernel) {
        String helper = m.getMethodSelect() instanceof IdentifierTree ? ReduceFunctions.operator(unit, kernel, m) : null;
        return helper != null ? helper : List.of("max", "min").contains(name(m)) ? name(m) : null;
    }

    private static String name(MethodInvocationTree m) {
        return m.getMethodSelect() instanceof MemberSelectTree sel ? sel.getIdentifier().toString()
                : m.getMethodSelect() instanceof IdentifierTree id ? id.getName().toString() : "";
    }
}
