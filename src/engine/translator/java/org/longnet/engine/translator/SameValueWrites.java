package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreeScanner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes to one element from every iteration that are no race because every iteration stores the same value, as
 * TornadoVM's {@code TestLoopConditions} kernels make them ({@code result.set(0, 0, a.get(0, 0) + b.get(0, 0))} in a nest
 * whose iteration (0, 0) also stores {@code a.get(i, j) + b.get(i, j)} there). Proven from the trees, or not accepted:
 * the value mentions no {@code @Parallel} index, no local of the loop and no array the kernel writes; the kernel reads
 * no element of the array written; and every other write to that array is to another fixed element (an int literal
 * differs), or stores the same expression, or is indexed by distinct {@code @Parallel} indices (and the fixed
 * element's own literals) and stores, with the indices set to the fixed element's, the same expression. Whichever of
 * them lands last, the element then holds what the loops in order leave there.
 */
final class SameValueWrites {
    /** A write of {@code array[index]}: its value, null where it reads the element it writes (an update). */
    private record Write(String array, List<? extends ExpressionTree> index, ExpressionTree value) {
    }

    private final LoopDependence dependence;
    private final Set<String> indices;
    private final Set<String> loopLocals;
    private final List<Write> writes = new ArrayList<>();
    private final Set<String> read = new HashSet<>();

    SameValueWrites(Tree body, LoopDependence dependence, Set<String> indices, Set<String> loopLocals, Set<String> javaArrays) {
        this.dependence = dependence;
        this.indices = indices;
        this.loopLocals = loopLocals;
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitExpressionStatement(ExpressionStatementTree st, Void unused) {
                if (LoopDependence.unparen(st.getExpression()) instanceof MethodInvocationTree call && call.getMethodSelect() instanceof MemberSelectTree sel
                        && sel.getExpression() instanceof IdentifierTree array && !call.getArguments().isEmpty()) {
                    String method = sel.getIdentifier().toString();
                    List<? extends ExpressionTree> args = call.getArguments();
                    if (ArrayElements.fill(call) instanceof ArrayElements.Fill fill) {
                        writes.add(new Write(fill.elements().array(), fill.elements().index(), fill.value()));
                    } else if (method.equals("set")) {
                        writes.add(new Write(array.getName().toString(), args.subList(0, args.size() - 1), args.getLast()));
                    } else if (method.equals("setPair") || method.equals("scaleAddPair")) {
                        writes.add(new Write(array.getName().toString(), args.subList(0, 1), null));
                    }
                }
                return super.visitExpressionStatement(st, unused);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                if (call.getMethodSelect() instanceof MemberSelectTree sel && sel.getExpression() instanceof IdentifierTree array
                        && sel.getIdentifier().contentEquals("get")) {
                    read.add(array.getName().toString());
                }
                return super.visitMethodInvocation(call, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree a, Void unused) {
                if (ArrayElements.of(a.getVariable()) instanceof ArrayElements.Element e && javaArrays.contains(e.array())) {
                    writes.add(new Write(e.array(), e.index(), a.getExpression()));
                    e.index().forEach(i -> scan(i, null));
                    return scan(a.getExpression(), null);
                }
                return super.visitAssignment(a, unused);
            }

            @Override
            public Void visitArrayAccess(ArrayAccessTree access, Void unused) {
                if (ArrayElements.of(access) instanceof ArrayElements.Element e) {
                    read.add(e.array());
                }
                return super.visitArrayAccess(access, unused);
            }

            @Override
            public Void visitCompoundAssignment(com.sun.source.tree.CompoundAssignmentTree a, Void unused) {
                if (ArrayElements.of(a.getVariable()) instanceof ArrayElements.Element e) {
                    writes.add(new Write(e.array(), e.index(), null));
                }
                return super.visitCompoundAssignment(a, unused);
            }

            @Override
            public Void visitUnary(UnaryTree u, Void unused) {
                if (LoopDependence.isIncrement(u) && ArrayElements.of(u.getExpression()) instanceof ArrayElements.Element e) {
                    writes.add(new Write(e.array(), e.index(), null));
                }
                return super.visitUnary(u, unused);
            }
        }.scan(body, null);
    }

    /** The arrays the kernel writes elements of. */
    Set<String> written() {
        Set<String> out = new HashSet<>();
        writes.forEach(w -> out.add(w.array()));
        return out;
    }

    /** Whether every write of {@code array[index]}, which no iteration index decides, stores {@code value}, as the class comment says. */
    boolean proven(String array, List<? extends ExpressionTree> index, ExpressionTree value) {
        Set<String> written = written();
        if (value == null || read.contains(array) || !dependence.of(value).stream().noneMatch(indices::contains)
                || LoopDependence.mentions(value, loopLocals, false) || LoopDependence.mentions(value, written, false)) {
            return false;
        }
        for (Write other : writes) {
            if (!other.array().equals(array)) {
                continue;
            }
            if (other.value() == null || other.index().size() != index.size()) {
                return false;
            }
            Map<String, ExpressionTree> at = new HashMap<>();
            boolean elsewhere = false;
            for (int k = 0; k < index.size(); k++) {
                ExpressionTree i = LoopDependence.unparen(other.index().get(k));
                if (i instanceof IdentifierTree id && indices.contains(id.getName().toString())) {
                    if (at.put(id.getName().toString(), index.get(k)) != null) {
                        return false; // a diagonal (i, i): not every element of the nest's range
                    }
                } else if (i instanceof LiteralTree l && LoopDependence.unparen(index.get(k)) instanceof LiteralTree m
                        && l.getValue() instanceof Integer && m.getValue() instanceof Integer && !l.getValue().equals(m.getValue())) {
                    elsewhere = true; // another fixed element
                } else if (!same(i, index.get(k), Map.of())) {
                    return false;
                }
            }
            if (!elsewhere && !same(other.value(), value, at)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a}, with the names in {@code at} replaced by their expressions, is the expression {@code b}. */
    private static boolean same(ExpressionTree a, ExpressionTree b, Map<String, ExpressionTree> at) {
        a = LoopDependence.unparen(a);
        b = LoopDependence.unparen(b);
        if (a instanceof IdentifierTree id && at.containsKey(id.getName().toString())) {
            return same(at.get(id.getName().toString()), b, Map.of());
        }
        if (a.getKind() != b.getKind()) {
            return false;
        }
        return switch (a) {
            case IdentifierTree x -> x.getName().contentEquals(((IdentifierTree) b).getName());
            case LiteralTree x -> Objects.equals(x.getValue(), ((LiteralTree) b).getValue());
            case MemberSelectTree x -> x.getIdentifier().contentEquals(((MemberSelectTree) b).getIdentifier())
                    && same(x.getExpression(), ((MemberSelectTree) b).getExpression(), at);
            case MethodInvocationTree x -> {
                MethodInvocationTree y = (MethodInvocationTree) b;
                boolean args = x.getArguments().size() == y.getArguments().size();
                for (int k = 0; args && k < x.getArguments().size(); k++) {
                    args = same(x.getArguments().get(k), y.getArguments().get(k), at);
                }
                yield args && same(x.getMethodSelect(), y.getMethodSelect(), at);
            }
            case BinaryTree x -> same(x.getLeftOperand(), ((BinaryTree) b).getLeftOperand(), at)
                    && same(x.getRightOperand(), ((BinaryTree) b).getRightOperand(), at);
            case UnaryTree x -> !LoopDependence.isIncrement(x) && same(x.getExpression(), ((UnaryTree) b).getExpression(), at);
            case TypeCastTree x -> x.getType().toString().equals(((TypeCastTree) b).getType().toString())
                    && same(x.getExpression(), ((TypeCastTree) b).getExpression(), at);
            case ConditionalExpressionTree x -> {
                ConditionalExpressionTree y = (ConditionalExpressionTree) b;
                yield same(x.getCondition(), y.getCondition(), at) && same(x.getTrueExpression(), y.getTrueExpression(), at)
                        && same(x.getFalseExpression(), y.getFalseExpression(), at);
            }
            case ArrayAccessTree x -> same(x.getExpression(), ((ArrayAccessTree) b).getExpression(), at)
                    && same(x.getIndex(), ((ArrayAccessTree) b).getIndex(), at);
            default -> false;
        };
    }
}
