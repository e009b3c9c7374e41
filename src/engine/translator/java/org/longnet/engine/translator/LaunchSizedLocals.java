package org.longnet.engine.translator;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;

import javax.lang.model.element.ElementKind;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Work-group local memory whose length the launch computes from the kernel's int arguments, its array arguments' lengths and
 * the work-group's extents ({@link MethodScope.SizedLocal}):
 * which lengths can be such a product, and where each array starts, after the constant-size arrays and those before it.
 */
final class LaunchSizedLocals {
    private LaunchSizedLocals() {
    }

    /** The KernelContext fields that hold the work-group's extents, by dimension. */
    private static final List<String> GROUP_EXTENTS = List.of("localGroupSizeX", "localGroupSizeY", "localGroupSizeZ");

    /**
     * {@code size} as a product of an int constant, int parameters of the kernel that it never assigns (every work-item,
     * and the launch, then see one length) and the work-group's extents ({@code ctx.localGroupSizeX}), or locals that hold
     * such a product and are never assigned again; element bytes and C type left out; null where it is not one.
     */
    static MethodScope.SizedLocal factors(ExpressionTree size, MethodScope s, Expressions e) {
        ExpressionTree t = LoopDependence.unparen(size);
        if (e.constant(t) instanceof Integer c) {
            return new MethodScope.SizedLocal(c, List.of(), 0, null);
        }
        if (groupExtent(t, s) >= 0) {
            return extent(groupExtent(t, s));
        }
        if (t instanceof BinaryTree b && b.getKind() == Tree.Kind.MULTIPLY && factors(b.getLeftOperand(), s, e) instanceof MethodScope.SizedLocal l
                && factors(b.getRightOperand(), s, e) instanceof MethodScope.SizedLocal r) {
            return product(l, r);
        }
        if (parameterLength(t, s) instanceof MethodScope.Length length) {
            return new MethodScope.SizedLocal(1, List.of(), 0, null, List.of(length), false, List.of());
        }
        if (!(t instanceof IdentifierTree id) || !(s.element(id) instanceof VariableElement v) || !s.javaType(id).equals("int")) {
            return null;
        }
        if (v.getKind() == ElementKind.LOCAL_VARIABLE) {
            return s.unchangedInitializer(v) instanceof ExpressionTree init ? factors(init, s, e) : null;
        }
        if (v.getKind() != ElementKind.PARAMETER || !s.neverAssigned(v, new ExpressionTree[1])) {
            return null;
        }
        for (int i = 0; i < s.method.getParameters().size(); i++) {
            if (s.method.getParameters().get(i).getName().contentEquals(id.getName())) {
                return new MethodScope.SizedLocal(1, List.of(i), 0, null);
            }
        }
        return null;
    }

    /**
     * {@code size}, written in helper {@code callee}'s terms, as the kernel's factors where the kernel calls it with
     * {@code arguments}: the helper's parameters stand for the arguments, and the helper must not assign them.
     */
    static MethodScope.SizedLocal factors(ExpressionTree size, MethodTree callee, List<? extends ExpressionTree> arguments, MethodScope s,
                                          Expressions e) {
        ExpressionTree t = LoopDependence.unparen(size);
        if (t instanceof BinaryTree b && b.getKind() == Tree.Kind.MULTIPLY
                && factors(b.getLeftOperand(), callee, arguments, s, e) instanceof MethodScope.SizedLocal l
                && factors(b.getRightOperand(), callee, arguments, s, e) instanceof MethodScope.SizedLocal r) {
            return product(l, r);
        }
        if (groupExtent(t, s) >= 0) {
            return extent(groupExtent(t, s));
        }
        if (t instanceof IdentifierTree id) {
            for (int i = 0; i < callee.getParameters().size(); i++) {
                if (callee.getParameters().get(i).getName().contentEquals(id.getName())) {
                    return HelperLocals.assigns(callee, id.getName().toString()) ? null : factors(arguments.get(i), s, e);
                }
            }
        }
        return e.constant(t) instanceof Integer c ? new MethodScope.SizedLocal(c, List.of(), 0, null) : null;
    }

    /** A length of an array parameter of the kernel: {@code a.getSize()} of an array, {@code v.getLength()} of a collection, {@code x.length}. */
    private static MethodScope.Length parameterLength(ExpressionTree t, MethodScope s) {
        ExpressionTree of;
        int divisor = 1;
        if (t instanceof MemberSelectTree m && m.getIdentifier().contentEquals("length") && s.typeOf(m.getExpression()).getKind() == TypeKind.ARRAY) {
            of = m.getExpression();
        } else if (t instanceof MethodInvocationTree call && call.getArguments().isEmpty() && call.getMethodSelect() instanceof MemberSelectTree m) {
            of = m.getExpression();
            Vectors.Shape collection = Vectors.collection(s.typeOf(of));
            String method = m.getIdentifier().toString();
            if (collection != null && method.equals("getLength")) {
                divisor = collection.lanes();
            } else if (!method.equals("getSize") || !JavaTypes.ARRAY_ELEMENT.containsKey(s.javaType(of)) || MatrixViews.dimensions(s.typeOf(of)) > 0) {
                return null;
            }
        } else {
            return null;
        }
        if (!(of instanceof IdentifierTree id) || s.element(id).getKind() != ElementKind.PARAMETER) {
            return null;
        }
        for (int i = 0; i < s.method.getParameters().size(); i++) {
            if (s.method.getParameters().get(i).getName().contentEquals(id.getName())) {
                return new MethodScope.Length(i, divisor);
            }
        }
        return null;
    }

    /**
     * The dimension whose work-group extent {@code t} reads ({@code ctx.localGroupSizeX}: 0), or -1: every work-item of a
     * launch reads one value there, which the launch knows.
     */
    private static int groupExtent(ExpressionTree t, MethodScope s) {
        return t instanceof MemberSelectTree m && s.javaType(m.getExpression()).equals(JavaTypes.CONTEXT)
                ? GROUP_EXTENTS.indexOf(m.getIdentifier().toString()) : -1;
    }

    private static MethodScope.SizedLocal extent(int dimension) {
        return new MethodScope.SizedLocal(1, List.of(), 0, null, List.of(), false, List.of(dimension));
    }

    private static MethodScope.SizedLocal product(MethodScope.SizedLocal l, MethodScope.SizedLocal r) {
        List<Integer> parameters = new ArrayList<>(l.parameters());
        parameters.addAll(r.parameters());
        List<MethodScope.Length> lengths = new ArrayList<>(l.lengths());
        lengths.addAll(r.lengths());
        List<Integer> extents = new ArrayList<>(l.groupExtents());
        extents.addAll(r.groupExtents());
        return new MethodScope.SizedLocal(l.constant() * r.constant(), parameters, 0, null, lengths, false, extents);
    }

    /** The array's length in C, a long: the constant times the parameters, the array parameters' lengths and the group's extents. */
    static String length(MethodScope.SizedLocal local, MethodScope s) {
        StringJoiner product = new StringJoiner(" * ", "((" + s.d.type("long") + ") " + local.constant() + " * ", ")");
        local.parameters().forEach(p -> product.add(CNames.of(s.method.getParameters().get(p).getName().toString())));
        local.lengths().forEach(l -> product.add("(" + CNames.of(s.method.getParameters().get(l.parameter()).getName().toString()) + "_len / "
                + l.divisor() + ")"));
        local.groupExtents().forEach(d -> product.add("(" + s.d.type("long") + ") " + s.d.workItem(Dialect.WorkItem.LOCAL_SIZE, d)));
        return product.toString();
    }

    /**
     * Adds {@code local} to the kernel's launch-sized local arrays (times the work-group's items where each has its own,
     * {@link PrivateArrays}) and gives where it starts, a pointer in C.
     */
    static String add(MethodScope.SizedLocal local, MethodScope s) {
        String offset = s.sizedLocalOffset;
        String items = local.perWorkItem() ? " * " + PrivateArrays.groupItems(s.d) : "";
        s.sizedLocalOffset = "(" + offset + " + (" + length(local, s) + items + " * " + local.elementBytes() + " + 15) / 16 * 16)";
        s.sizedLocals.add(local);
        return s.d.sizedLocalPointer(local.cType(), s.sizedLocals.size() - 1, offset);
    }
}
