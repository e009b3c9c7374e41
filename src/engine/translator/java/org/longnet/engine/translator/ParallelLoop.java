package org.longnet.engine.translator;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;

/**
 * A {@code for (@Parallel int i = start; i < end; i += step)} loop, or one counting down
 * ({@code descending}: {@code for (@Parallel int i = start; i >= end; i -= step)}), taken apart. Only these shapes
 * are accepted: the iteration count must be computable before launch. Iteration k (from 0) has
 * {@code i = start + k * step}, or {@code start - k * step} counting down.
 */
record ParallelLoop(ForLoopTree loop, VariableTree index, ExpressionTree start, ExpressionTree end,
                    boolean inclusive, ExpressionTree step, boolean descending) {

    static boolean isParallel(ForLoopTree loop) {
        if (loop.getInitializer().size() != 1 || !(loop.getInitializer().get(0) instanceof VariableTree v)) {
            return false;
        }
        for (AnnotationTree a : v.getModifiers().getAnnotations()) {
            String name = a.getAnnotationType().toString();
            if (name.equals("Parallel") || name.endsWith(".Parallel")) {
                return true;
            }
        }
        return false;
    }

    /** Takes a loop already known to be {@link #isParallel}; rejects any other shape. */
    static ParallelLoop of(ForLoopTree loop) {
        VariableTree index = (VariableTree) loop.getInitializer().get(0);
        String name = index.getName().toString();
        String type = index.getType().toString();
        if (!type.equals("int") && !type.equals("long")) {
            throw new Rejected(index, "a @Parallel loop index must be int or long, not " + type);
        }
        if (index.getInitializer() == null) {
            throw new Rejected(index, "a @Parallel loop index needs a start value");
        }
        if (!(loop.getCondition() instanceof BinaryTree cond) || !isName(cond.getLeftOperand(), name)
                || !(cond.getKind() == Tree.Kind.LESS_THAN || cond.getKind() == Tree.Kind.LESS_THAN_EQUAL
                || cond.getKind() == Tree.Kind.GREATER_THAN || cond.getKind() == Tree.Kind.GREATER_THAN_EQUAL)) {
            throw new Rejected(loop, "a @Parallel loop condition must be '" + name + " < end' or '" + name + " <= end' (or, counting down, '"
                    + name + " > end' or '" + name + " >= end')");
        }
        boolean descending = cond.getKind() == Tree.Kind.GREATER_THAN || cond.getKind() == Tree.Kind.GREATER_THAN_EQUAL;
        String update = descending ? name + "-- or " + name + " -= step" : name + "++ or " + name + " += step";
        if (loop.getUpdate().size() != 1) {
            throw new Rejected(loop, "a @Parallel loop must have one update: " + update);
        }
        ExpressionTree step = stepOf(loop.getUpdate().get(0), name, descending, update);
        return new ParallelLoop(loop, index, index.getInitializer(), cond.getRightOperand(),
                cond.getKind() == Tree.Kind.LESS_THAN_EQUAL || cond.getKind() == Tree.Kind.GREATER_THAN_EQUAL, step, descending);
    }

    String name() {
        return index.getName().toString();
    }

    String type() {
        return index.getType().toString();
    }

    /** The step of {@code update} (null for 1), which must go up ({@code i++}, {@code i += step}), or down where {@code descending}. */
    private static ExpressionTree stepOf(ExpressionStatementTree update, String name, boolean descending, String allowed) {
        ExpressionTree e = update.getExpression();
        Tree.Kind post = descending ? Tree.Kind.POSTFIX_DECREMENT : Tree.Kind.POSTFIX_INCREMENT;
        Tree.Kind pre = descending ? Tree.Kind.PREFIX_DECREMENT : Tree.Kind.PREFIX_INCREMENT;
        if (e instanceof UnaryTree u && isName(u.getExpression(), name) && (u.getKind() == post || u.getKind() == pre)) {
            return null;
        }
        if (e instanceof CompoundAssignmentTree c && c.getKind() == (descending ? Tree.Kind.MINUS_ASSIGNMENT : Tree.Kind.PLUS_ASSIGNMENT)
                && isName(c.getVariable(), name)) {
            if (c.getExpression() instanceof LiteralTree lit && lit.getValue() instanceof Number n && n.longValue() <= 0) {
                throw new Rejected(update, "a @Parallel loop step must be positive, was " + n);
            }
            return c.getExpression();
        }
        if (e instanceof AssignmentTree a && isName(a.getVariable(), name)) {
            throw new Rejected(update, "write the @Parallel loop update as " + (descending ? name + " -= step" : name + " += step"));
        }
        throw new Rejected(update, "a @Parallel loop update must be " + allowed + (descending ? ", as its condition counts down" : ""));
    }

    private static boolean isName(ExpressionTree e, String name) {
        return e instanceof IdentifierTree id && id.getName().contentEquals(name);
    }
}
