package org.longnet.engine.translator;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;

import javax.lang.model.element.VariableElement;
import java.util.StringJoiner;

/**
 * A kernel's private array whose length is no constant, which C's private arrays need. TornadoVM compiles each launch
 * with its values; here a kernel is compiled once, so:
 * <ul>
 * <li>a length that is a product of int parameters the kernel never assigns and a constant ({@code new float[headSize]})
 * is the work-item's own slice of work-group local memory that the launch sizes: the work-group's items times the
 * length, each item's slice at its linear local id times the length ({@link MethodScope.SizedLocal#perWorkItem});</li>
 * <li>a length with a constant bound ({@code new float[a.getSize() % 10]}: at most 9) is a private array of the bound's
 * size, whose {@code length} is the value.</li>
 * </ul>
 * Both start zeroed, as Java's arrays do.
 */
final class PrivateArrays {
    private PrivateArrays() {
    }

    static String sized(VariableTree v, ExpressionTree size, String element, String name, MethodScope s, Expressions e, Statements statements) {
        String javaName = v.getName().toString();
        if (!s.neverAssigned((VariableElement) s.element(v), new ExpressionTree[1])) {
            throw new Rejected(v, javaName + " has a length that is no constant, so it cannot be given another array in a kernel");
        }
        String type = s.d.type(element);
        if (bound(size, s, e) instanceof Integer bound) {
            String length = "longnet_len_" + name;
            s.arraySizes.put(javaName, Integer.MAX_VALUE);
            s.sizedLocalLengths.put(javaName, length);
            return "const int " + length + " = " + Expressions.unparen(e.expr(size)) + "; " + type + " " + name + "[" + Math.max(bound, 1)
                    + "] = {0}";
        }
        MethodScope.SizedLocal factors = s.isKernel ? statements.sizeFactors(size) : null;
        if (factors == null || factors.parameters().isEmpty() || factors.constant() <= 0) {
            throw new Rejected(size, "a private array's length in a kernel must be a positive constant, a product of int parameters of the "
                    + "kernel that it never assigns and a constant, or an expression with a constant bound (n % 8); found " + size);
        }
        int bytes = element.equals("double") || element.equals("long") ? 8 : 4;
        String block = "longnet_items_" + name;
        String declaration = statements.sizedLocal(javaName, block,
                new MethodScope.SizedLocal(factors.constant(), factors.parameters(), bytes, type, factors.lengths(), true, factors.groupExtents()));
        String length = s.sizedLocalLengths.get(javaName);
        return declaration + "; " + s.d.localPointer(type) + " " + name + " = " + block + " + (" + linearLocalId(s.d) + ") * " + length
                + "; for (int longnet_z = 0; longnet_z < " + length + "; longnet_z++) " + name + "[longnet_z] = 0";
    }

    /** The work-group's items, all dimensions together. */
    static String groupItems(Dialect d) {
        return "(" + d.workItem(Dialect.WorkItem.LOCAL_SIZE, 0) + " * " + d.workItem(Dialect.WorkItem.LOCAL_SIZE, 1) + " * "
                + d.workItem(Dialect.WorkItem.LOCAL_SIZE, 2) + ")";
    }

    private static String linearLocalId(Dialect d) {
        StringJoiner out = new StringJoiner("");
        out.add(d.workItem(Dialect.WorkItem.LOCAL_ID, 0) + " + " + d.workItem(Dialect.WorkItem.LOCAL_SIZE, 0) + " * (");
        out.add(d.workItem(Dialect.WorkItem.LOCAL_ID, 1) + " + " + d.workItem(Dialect.WorkItem.LOCAL_SIZE, 1) + " * ");
        out.add(d.workItem(Dialect.WorkItem.LOCAL_ID, 2) + ")");
        return out.toString();
    }

    /**
     * A constant that {@code size} never exceeds, where the code shows one: {@code x % C} (C a positive constant) of an
     * array's length ({@code a.getSize()}, {@code a.length}), which is never negative, is at most C - 1; null otherwise.
     */
    private static Integer bound(ExpressionTree size, MethodScope s, Expressions e) {
        ExpressionTree t = LoopDependence.unparen(size);
        if (t instanceof BinaryTree b && b.getKind() == Tree.Kind.REMAINDER && e.constant(b.getRightOperand()) instanceof Integer c && c > 0
                && isLength(LoopDependence.unparen(b.getLeftOperand()), s)) {
            return c - 1;
        }
        return null;
    }

    private static boolean isLength(ExpressionTree t, MethodScope s) {
        return t instanceof MethodInvocationTree call && call.getArguments().isEmpty() && call.getMethodSelect() instanceof MemberSelectTree m
                && m.getIdentifier().contentEquals("getSize") && JavaTypes.ARRAY_ELEMENT.containsKey(s.javaType(m.getExpression()))
                || t instanceof MemberSelectTree m2 && m2.getIdentifier().contentEquals("length") && s.javaType(m2.getExpression()).endsWith("[]");
    }
}
