package org.longnet.engine.translator;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
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
 * changes. Each work-item keeps its part in a register started at the operator's identity, and adds it to
 * {@code r[k]} atomically after its iterations, so {@code r[k]} ends as the sequential loop would leave it.
 * <p>
 * Without {@code @Reduce}, a {@code set} that every iteration runs (under no {@code if} or {@code ?:}) at an
 * index that no iteration changes is a data race, and is rejected.
 */
final class Reductions {
    /** The operators, as the launcher and the runtime functions name them. */
    static final List<String> OPERATORS = List.of("+", "*", "max", "min");

    /** One {@code @Reduce} parameter: its operator, its index (the same in every update) and its updates, each with its operand. */
    record Target(String name, String op, ExpressionTree index, Map<ExpressionStatementTree, ExpressionTree> updates) {
    }

    private final Map<String, Target> targets = new LinkedHashMap<>();
    private final Map<ExpressionStatementTree, Target> byStatement = new IdentityHashMap<>();

    private Reductions() {
    }

    /** The reductions of {@code kernel}; throws {@link Rejected} at an update of another shape or a racing write. */
    static Reductions of(MethodTree kernel, ParallelNest nest) {
        Reductions r = new Reductions();
        Set<String> reduced = new HashSet<>();
        for (VariableTree p : kernel.getParameters()) {
            if (isReduce(p)) {
                reduced.add(p.getName().toString());
            }
        }
        if (nest.dims() == 0) {
            for (VariableTree p : kernel.getParameters()) {
                if (isReduce(p)) {
                    throw new Rejected(p, "@Reduce needs a @Parallel loop whose iterations reduce into " + p.getName());
                }
            }
            return r;
        }
        Set<String> varying = varyingNames(nest);
        new TreeScanner<Void, Boolean>() {
            @Override
            public Void visitExpressionStatement(ExpressionStatementTree st, Boolean guarded) {
                if (st.getExpression() instanceof MethodInvocationTree call && isArrayCall(call, "set", 2)) {
                    String array = receiver(call);
                    ExpressionTree index = call.getArguments().get(0);
                    if (reduced.contains(array)) {
                        r.add(st, array, index, call.getArguments().get(1));
                        return null;
                    }
                    if (!guarded && !mentions(index, varying)) {
                        throw new Rejected(st, "every iteration of the @Parallel loop writes " + array + "[" + index + "], a data race: "
                                + "mark " + array + " @Reduce and write r.set(k, r.get(k) + e) (or *, max, min), or index it by the loop");
                    }
                }
                return super.visitExpressionStatement(st, guarded);
            }

            @Override
            public Void visitIf(IfTree t, Boolean guarded) {
                scan(t.getCondition(), guarded);
                scan(t.getThenStatement(), true);
                return scan(t.getElseStatement(), true);
            }

            @Override
            public Void visitConditionalExpression(ConditionalExpressionTree t, Boolean guarded) {
                scan(t.getCondition(), guarded);
                scan(t.getTrueExpression(), true);
                return scan(t.getFalseExpression(), true);
            }
        }.scan(nest.loops().get(0).loop().getStatement(), false);
        r.checkNoOtherUse(kernel, reduced);
        for (Target t : r.targets.values()) {
            if (mentions(t.index(), varying)) {
                throw new Rejected(t.index(), "the index of a @Reduce update must be the same for every iteration: parameters, "
                        + "constants and locals declared before the @Parallel loop; " + t.index() + " is not");
            }
        }
        return r;
    }

    boolean isEmpty() {
        return targets.isEmpty();
    }

    List<Target> targets() {
        return List.copyOf(targets.values());
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

    private void add(ExpressionStatementTree st, String array, ExpressionTree index, ExpressionTree value) {
        String op = null;
        ExpressionTree operand = null;
        value = unparen(value);
        if (value instanceof BinaryTree b && (b.getKind() == Tree.Kind.PLUS || b.getKind() == Tree.Kind.MULTIPLY)) {
            op = b.getKind() == Tree.Kind.PLUS ? "+" : "*";
            operand = isRead(b.getLeftOperand(), array, index) ? b.getRightOperand() : isRead(b.getRightOperand(), array, index) ? b.getLeftOperand() : null;
        } else if (value instanceof MethodInvocationTree m && m.getArguments().size() == 2 && List.of("max", "min").contains(name(m))) {
            op = name(m);
            operand = isRead(m.getArguments().get(0), array, index) ? m.getArguments().get(1)
                    : isRead(m.getArguments().get(1), array, index) ? m.getArguments().get(0) : null;
        }
        if (operand == null) {
            throw new Rejected(st, "a @Reduce parameter is updated as " + array + ".set(k, " + array + ".get(k) + e), with * instead of + "
                    + "too, or as " + array + ".set(k, Math.max(" + array + ".get(k), e)) (or min); this update is none of these");
        }
        Target t = targets.get(array);
        if (t == null) {
            t = new Target(array, op, index, new IdentityHashMap<>());
            targets.put(array, t);
        } else if (!t.op().equals(op) || !t.index().toString().equals(index.toString())) {
            throw new Rejected(st, "every update of @Reduce " + array + " must use one operator and one index; this one uses " + op + " at "
                    + index + ", an earlier one " + t.op() + " at " + t.index());
        }
        t.updates().put(st, operand);
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
                return super.visitExpressionStatement(st, unused);
            }

            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                if (reduced.contains(id.getName().toString())) {
                    throw new Rejected(id, "@Reduce " + id.getName() + " may be used only in its updates (" + id.getName() + ".set(k, "
                            + id.getName() + ".get(k) + e)): elsewhere it holds the parts of other work-items");
                }
                return null;
            }
        }.scan(kernel.getBody(), null);
    }

    /** The parallel indices and every local declared inside the outermost parallel loop: names that may differ between iterations. */
    private static Set<String> varyingNames(ParallelNest nest) {
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

    private static boolean mentions(Tree t, Set<String> names) {
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                found[0] |= names.contains(id.getName().toString());
                return null;
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree m, Void unused) {
                found[0] = true; // a call may read anything: not fixed
                return null;
            }
        }.scan(t, null);
        return found[0];
    }

    private static boolean isRead(ExpressionTree e, String array, ExpressionTree index) {
        return unparen(e) instanceof MethodInvocationTree call && isArrayCall(call, "get", 1) && array.equals(receiver(call))
                && call.getArguments().get(0).toString().equals(index.toString());
    }

    private static boolean isArrayCall(MethodInvocationTree call, String method, int arity) {
        return call.getMethodSelect() instanceof MemberSelectTree sel && sel.getIdentifier().contentEquals(method)
                && sel.getExpression() instanceof IdentifierTree && call.getArguments().size() == arity;
    }

    private static String receiver(MethodInvocationTree call) {
        return ((IdentifierTree) ((MemberSelectTree) call.getMethodSelect()).getExpression()).getName().toString();
    }

    private static String name(MethodInvocationTree m) {
        return m.getMethodSelect() instanceof MemberSelectTree sel ? sel.getIdentifier().toString()
                : m.getMethodSelect() instanceof IdentifierTree id ? id.getName().toString() : "";
    }

    private static ExpressionTree unparen(ExpressionTree e) {
        while (e instanceof ParenthesizedTree p) {
            e = p.getExpression();
        }
        return e;
    }
}
