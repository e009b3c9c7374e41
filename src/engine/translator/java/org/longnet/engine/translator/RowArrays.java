package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreeScanner;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * A kernel's Java arrays of arrays ({@code int[][] a}, rows of any lengths) in C. The task passes one global array of the
 * element type (the engine's {@code JaggedArrays} lays it out): a row table of 64-bit words (word 0 the number of rows, word
 * {@code i + 1} where row i starts, word {@code n + 1} where the elements end, in elements from the array's start), then
 * the rows. So {@code a.length} is word 0, {@code a[i].length} is word {@code i + 2} less word {@code i + 1}, and
 * {@code a[i][j]} is element {@code table[i + 1] + j}. A row is no value of its own: a kernel indexes it, measures it or
 * fills it ({@link ArrayFills}), but does not hold it in a variable or pass it on.
 */
final class RowArrays {
    private RowArrays() {
    }

    /** The name of the array of arrays that {@code e} is, or null. */
    static String named(MethodScope s, ExpressionTree e) {
        return LoopDependence.unparen(e) instanceof IdentifierTree id && s.rowArrays.contains(id.getName().toString()) ? id.getName().toString() : null;
    }

    /** The array of arrays whose row {@code e} is ({@code a[i]}), or null. */
    static ArrayAccessTree row(MethodScope s, ExpressionTree e) {
        return LoopDependence.unparen(e) instanceof ArrayAccessTree row && named(s, row.getExpression()) != null ? row : null;
    }

    /** {@code a.length}: the number of rows. */
    static String rows(MethodScope s, String name) {
        return "((int) " + table(s, name) + "[0])";
    }

    /** Where row {@code row} starts, in elements of the array ({@code table[i + 1]}). */
    static String rowStart(MethodScope s, Expressions e, ArrayAccessTree row) {
        return table(s, named(s, row.getExpression())) + "[" + rowIndex(s, e, row) + " + 1]";
    }

    private static String rowStartOnce(MethodScope s, Expressions e, ArrayAccessTree row) {
        return table(s, named(s, row.getExpression())) + "[(" + unparen(e.index(row.getIndex())) + ") + 1]";
    }

    /** Where row {@code row} ends ({@code table[i + 2]}). */
    static String rowEnd(MethodScope s, Expressions e, ArrayAccessTree row) {
        return table(s, named(s, row.getExpression())) + "[" + rowIndex(s, e, row) + " + 2]";
    }

    /** {@code a[i].length}. */
    static String rowLength(MethodScope s, Expressions e, ArrayAccessTree row) {
        return "((int) (" + rowEnd(s, e, row) + " - " + rowStart(s, e, row) + "))";
    }

    /** {@code a[i][j]}, to read or to assign. */
    static String element(MethodScope s, Expressions e, ArrayAccessTree element) {
        ArrayAccessTree row = (ArrayAccessTree) LoopDependence.unparen(element.getExpression());
        return CNames.of(named(s, row.getExpression())) + "[" + rowStartOnce(s, e, row) + " + " + e.index(element.getIndex()) + "]";
    }

    /** The C value of {@code e.length} where {@code e} is an array of arrays or one of its rows, else null. */
    static String length(MethodScope s, Expressions e, ExpressionTree array) {
        if (named(s, array) instanceof String rows) {
            return rows(s, rows);
        }
        return row(s, array) instanceof ArrayAccessTree row ? rowLength(s, e, row) : null;
    }

    /** The C value of {@code a}, an element of a row ({@code a[i][j]}), else null; refuses a row used as a value of its own. */
    static String access(MethodScope s, Expressions e, ArrayAccessTree a) {
        if (row(s, a.getExpression()) != null) {
            return element(s, e, a);
        }
        if (named(s, a.getExpression()) != null) {
            throw heldRow(a);
        }
        return null;
    }

    /** Why a row ({@code a[i]}) may not stand where it does. */
    static Rejected heldRow(ArrayAccessTree row) {
        return new Rejected(row, "a row " + row + " of a kernel's array of arrays can be indexed (" + row + "[j]), measured (" + row
                + ".length) or filled (Arrays.fill(" + row + ", v)), but not held in a variable or passed on: index the array of arrays "
                + "where the row is used");
    }

    /** The row table of array parameter {@code name}: its words, as C reads them. */
    private static String table(MethodScope s, String name) {
        return "((const " + s.d.globalPointer(s.d.type("long")) + ") " + CNames.of(name) + ")";
    }

    /** Row {@code row}'s index as C where it appears twice (a start and an end): refused where it changes anything (a[i++].length). */
    private static String rowIndex(MethodScope s, Expressions e, ArrayAccessTree row) {
        boolean[] changes = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitAssignment(AssignmentTree a, Void unused) {
                changes[0] = true;
                return null;
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree a, Void unused) {
                changes[0] = true;
                return null;
            }

            @Override
            public Void visitUnary(UnaryTree u, Void unused) {
                changes[0] |= LoopDependence.isIncrement(u);
                return super.visitUnary(u, unused);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree m, Void unused) {
                changes[0] |= m.getMethodSelect().getKind() == Tree.Kind.IDENTIFIER; // a helper could change anything
                return super.visitMethodInvocation(m, unused);
            }
        }.scan(row.getIndex(), null);
        if (changes[0]) {
            throw new Rejected(row.getIndex(), "the row index " + row.getIndex() + " of an array of arrays must not assign anything or call "
                    + "a helper: compute it into a local first");
        }
        return "(" + unparen(e.index(row.getIndex())) + ")";
    }
}
