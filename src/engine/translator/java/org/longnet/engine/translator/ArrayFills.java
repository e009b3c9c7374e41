package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;

import javax.lang.model.element.ExecutableElement;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * {@code java.util.Arrays.fill} as a statement of a kernel: {@code Arrays.fill(a, v)} and {@code Arrays.fill(a, from, to, v)}
 * on a Java array parameter, a row of an array of arrays ({@code Arrays.fill(a[i], v)}, {@link RowArrays}) or a private
 * or local array of known length, as a C loop over the elements. The value is computed once and converted to the element
 * type, as Java's overload takes it; the range is not checked against the array, as no index of a kernel is.
 */
final class ArrayFills {
    private ArrayFills() {
    }

    /** The C of {@code st} where it is a call of {@code Arrays.fill}; else null. */
    static String statement(MethodScope s, Expressions e, ExpressionStatementTree st) {
        if (!(LoopDependence.unparen(st.getExpression()) instanceof MethodInvocationTree call) || !(s.element(call) instanceof ExecutableElement m)
                || !JavaTypes.ownerName(m).equals("java.util.Arrays") || !m.getSimpleName().contentEquals("fill")) {
            return null;
        }
        ArrayElements.Fill fill = ArrayElements.fill(call);
        String type = s.javaType(call.getArguments().getFirst());
        String element = type.substring(0, type.length() - 2);
        if (fill == null || !JavaTypes.JAVA_ARRAY_ELEMENTS.contains(element)) {
            throw new Rejected(call, "Arrays.fill in a kernel takes an array of float, int, double, long, short, char or byte named by a "
                    + "parameter or a local, or a row a[i] of an array of arrays, with (array, value) or (array, from, to, value)");
        }
        String array, start, end;
        if (RowArrays.row(s, fill.target()) instanceof ArrayAccessTree row) {
            array = CNames.of(RowArrays.named(s, row.getExpression()));
            start = RowArrays.rowStart(s, e, row);
            end = RowArrays.rowEnd(s, e, row);
        } else {
            String name = ((IdentifierTree) fill.target()).getName().toString();
            array = CNames.of(name);
            start = "0";
            end = length(s, name, fill);
        }
        if (fill.from() != null) {
            end = start + " + (" + unparen(e.index(fill.to())) + ")";
            start = start + " + (" + unparen(e.index(fill.from())) + ")";
        }
        String t = s.d.type(element), index = s.d.type("long");
        return "{ const " + t + " longnet_fill_v = (" + t + ") (" + unparen(e.expr(fill.value())) + "); for (" + index + " longnet_fill_k = " + start
                + "; longnet_fill_k < " + end + "; longnet_fill_k++) { " + array + "[longnet_fill_k] = longnet_fill_v; } }";
    }

    /** The length of array {@code name} in C, where the kernel knows it. */
    private static String length(MethodScope s, String name, ArrayElements.Fill fill) {
        if (s.globalArrays.contains(name)) {
            return CNames.of(name) + "_len";
        }
        if (s.sizedLocalLengths.containsKey(name)) {
            return s.sizedLocalLengths.get(name);
        }
        Integer size = s.arraySizes.get(name);
        if (size == null || size == Integer.MAX_VALUE) {
            throw new Rejected(fill.target(), "Arrays.fill in a kernel fills a Java array parameter, a row of an array of arrays or an array "
                    + "the kernel declares; " + name + " is none of these (or its length is not known here)");
        }
        return size.toString();
    }
}
