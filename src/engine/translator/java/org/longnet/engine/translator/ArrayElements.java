package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;

import java.util.ArrayList;
import java.util.List;

/**
 * The elements of a kernel's Java array parameters that an expression names, read from the trees alone (the race and
 * dependence checks run before attribution): {@code a[k]}, {@code a[i][j]} of an array of arrays, and the elements that
 * {@code Arrays.fill} writes ({@code Arrays.fill(a, v)}, {@code Arrays.fill(a, from, to, v)}, {@code Arrays.fill(a[i], v)}).
 */
final class ArrayElements {
    /** Elements of {@code array}: at {@code index} (one index, or a row's and a column's), or, for a fill, the row or range. */
    record Element(String array, List<ExpressionTree> index) {
    }

    /** A call of {@code Arrays.fill}: the array or row it fills, its range where given (else null), and the value. */
    record Fill(ExpressionTree target, Element elements, ExpressionTree from, ExpressionTree to, ExpressionTree value) {
    }

    private ArrayElements() {
    }

    /** The element that {@code target} names where it is {@code a[k]} or {@code a[i][j]} with {@code a} a name; else null. */
    static Element of(ExpressionTree target) {
        List<ExpressionTree> index = new ArrayList<>();
        ExpressionTree t = LoopDependence.unparen(target);
        while (t instanceof ArrayAccessTree a && index.size() < 2) {
            index.addFirst(a.getIndex());
            t = LoopDependence.unparen(a.getExpression());
        }
        return !index.isEmpty() && t instanceof IdentifierTree id ? new Element(id.getName().toString(), index) : null;
    }

    /** {@code call} as a fill of a named array or of a row of one; else null. By its trees: a call of {@code Arrays.fill}. */
    static Fill fill(MethodInvocationTree call) {
        if (!(call.getMethodSelect() instanceof MemberSelectTree sel) || !sel.getIdentifier().contentEquals("fill")
                || !(sel.getExpression().toString().equals("Arrays") || sel.getExpression().toString().equals("java.util.Arrays"))) {
            return null;
        }
        List<? extends ExpressionTree> args = call.getArguments();
        if (args.size() != 2 && args.size() != 4) {
            return null;
        }
        ExpressionTree target = LoopDependence.unparen(args.getFirst());
        Element row = of(target);
        Element elements = target instanceof IdentifierTree id ? new Element(id.getName().toString(), List.of())
                : row != null && row.index().size() == 1 ? row : null;
        if (elements == null) {
            return null;
        }
        List<ExpressionTree> index = new ArrayList<>(elements.index());
        ExpressionTree from = args.size() == 4 ? args.get(1) : null, to = args.size() == 4 ? args.get(2) : null;
        if (from != null) {
            index.add(from);
            index.add(to);
        }
        return new Fill(target, new Element(elements.array(), index), from, to, args.getLast());
    }
}
