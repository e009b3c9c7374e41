package org.longnet.engine.translator;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;

import javax.lang.model.element.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code @Reduce} update through a helper of the kernel's class, as TornadoVM's {@code reductionWithFunctionCall}
 * writes it ({@code result.set(0, myFunction(input.get(i), result.get(0)))}): the helper's whole body is {@code return
 * a OP b;} over its two parameters (OP {@code +} or {@code *}, or {@code Math.max(a, b)}, {@code min}), so the update is
 * the element combined by OP with the other argument, which the reduction can regroup as it regroups {@code r.get(k) + e}.
 */
final class ReduceFunctions {
    private ReduceFunctions() {
    }

    /** The operator of helper {@code call} of the class declaring {@code kernel} in {@code unit}, or null where it is not such a helper. */
    static String operator(CompilationUnitTree unit, MethodTree kernel, MethodInvocationTree call) {
        if (unit == null || !(call.getMethodSelect() instanceof IdentifierTree name) || call.getArguments().size() != 2) {
            return null;
        }
        List<MethodTree> named = new ArrayList<>();
        for (ClassTree cls : classesOf(unit)) {
            if (cls.getMembers().contains(kernel)) {
                for (Tree m : cls.getMembers()) {
                    if (m instanceof MethodTree method && method.getName().contentEquals(name.getName())) {
                        named.add(method);
                    }
                }
            }
        }
        if (named.size() != 1 || !named.get(0).getModifiers().getFlags().contains(Modifier.STATIC) || named.get(0).getParameters().size() != 2
                || named.get(0).getBody() == null || named.get(0).getBody().getStatements().size() != 1
                || !(named.get(0).getBody().getStatements().get(0) instanceof ReturnTree ret) || ret.getExpression() == null) {
            return null;
        }
        String a = named.get(0).getParameters().get(0).getName().toString(), b = named.get(0).getParameters().get(1).getName().toString();
        ExpressionTree e = LoopDependence.unparen(ret.getExpression());
        if (e instanceof BinaryTree bin && (bin.getKind() == Tree.Kind.PLUS || bin.getKind() == Tree.Kind.MULTIPLY)
                && both(bin.getLeftOperand(), bin.getRightOperand(), a, b)) {
            return bin.getKind() == Tree.Kind.PLUS ? "+" : "*";
        }
        if (e instanceof MethodInvocationTree m && m.getArguments().size() == 2 && m.getMethodSelect() instanceof MemberSelectTree sel
                && List.of("Math", "KernelMath", "TornadoMath").contains(sel.getExpression().toString())
                && List.of("max", "min").contains(sel.getIdentifier().toString()) && both(m.getArguments().get(0), m.getArguments().get(1), a, b)) {
            return sel.getIdentifier().toString();
        }
        return null;
    }

    /** Whether {@code x} and {@code y} are the parameters {@code a} and {@code b}, in either order. */
    private static boolean both(ExpressionTree x, ExpressionTree y, String a, String b) {
        String first = LoopDependence.unparen(x) instanceof IdentifierTree i ? i.getName().toString() : "";
        String second = LoopDependence.unparen(y) instanceof IdentifierTree i ? i.getName().toString() : "";
        return !a.equals(b) && (first.equals(a) && second.equals(b) || first.equals(b) && second.equals(a));
    }

    private static List<ClassTree> classesOf(CompilationUnitTree unit) {
        List<ClassTree> out = new ArrayList<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitClass(ClassTree c, Void unused) {
                out.add(c);
                return super.visitClass(c, unused);
            }
        }.scan(unit, null);
        return out;
    }
}
