package org.longnet.engine.translator;

import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;

/**
 * {@code for (T x : a)} over a one-dimensional array {@code a} of primitives (a kernel's Java array parameter, or a private or
 * local array of the method) as C: a loop counting k from 0 up to a's length, whose body first takes element k into x. Java
 * reads a's length once, before the loop, and the C does too; a body that assigns x changes its copy only, in both.
 */
final class EnhancedForLoops {
    private EnhancedForLoops() {
    }

    /** The C of {@code f}, whose body {@code statements} writes at {@code depth}. */
    static String loop(EnhancedForLoopTree f, int depth, MethodScope s, Statements statements) {
        ExpressionTree iterable = LoopDependence.unparen(f.getExpression());
        String type = s.javaType(f.getVariable());
        if (!(iterable instanceof IdentifierTree array) || !JavaTypes.isPrimitive(type) || !s.javaType(iterable).equals(type + "[]")) {
            throw new Rejected(f, "an enhanced for loop in a kernel must go over a one-dimensional array of primitives named by a local "
                    + "or parameter (for (int x : a)), not " + f.getExpression() + " with " + type + " elements");
        }
        String name = array.getName().toString();
        String length;
        if (s.globalArrays.contains(name)) {
            length = "((int) " + CNames.of(name) + "_len)";
        } else if (s.sizedLocalLengths.containsKey(name)) {
            length = s.sizedLocalLengths.get(name);
        } else if (s.arraySizes.containsKey(name)) {
            length = HelperLocals.knownLength(array, s);
        } else {
            throw new Rejected(f, "an enhanced for loop in a kernel goes over a kernel's Java array parameter or a private or local "
                    + "array declared in the method, not " + name);
        }
        String x = CNames.of(f.getVariable().getName().toString());
        String k = "longnet_each_" + x, end = "longnet_end_" + x;
        String inner = "    ".repeat(depth + 1);
        return "for (int " + k + " = 0, " + end + " = " + length + "; " + k + " < " + end + "; " + k + "++) {\n"
                + inner + s.d.type(type) + " " + x + " = " + CNames.of(name) + "[" + k + "];\n"
                + inner + statements.body(f.getStatement(), depth + 1) + "\n" + "    ".repeat(depth) + "}";
    }
}
