package org.longnet.engine.translator;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;

import javax.lang.model.element.ExecutableElement;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A helper's work-group local arrays ({@code context.allocateFloatLocalArray(localSize)} at the top of a helper's
 * body, as TornadoVM's programs write them): a device function cannot allocate local memory itself, so each becomes a
 * trailing local-pointer parameter of the helper, and the kernel gives each of its calls of the helper arrays of its
 * own: in the kernel's constant-size local memory where the length comes to a constant at that call, else sized by the
 * launch from that call's arguments ({@link LaunchSizedLocals}). A call that runs again (in a loop) gets the same arrays,
 * with what the last run left in them: TornadoVM's local arrays start undefined too, unlike Java's.
 */
final class HelperLocals {
    private HelperLocals() {
    }

    /** The helper's local array declarations, in order. */
    static List<VariableTree> of(MethodTree helper, MethodScope s) {
        List<VariableTree> out = new ArrayList<>();
        for (StatementTree st : helper.getBody().getStatements()) {
            if (st instanceof VariableTree v && isAllocation(v.getInitializer(), s)) {
                out.add(v);
            }
        }
        return out;
    }

    static boolean isAllocation(ExpressionTree init, MethodScope s) {
        return init instanceof MethodInvocationTree call && s.element(call) instanceof ExecutableElement m
                && JavaTypes.ownerName(m).equals(JavaTypes.CONTEXT) && m.getSimpleName().toString().startsWith("allocate");
    }

    /** The helper's parameter that brings local array {@code v}. */
    static String parameter(VariableTree v) {
        return "longnet_given_" + CNames.of(v.getName().toString());
    }

    /** The C element type of local array {@code v}. */
    static String elementType(VariableTree v, MethodScope s) {
        String type = s.javaType(v);
        return s.d.type(type.substring(0, type.length() - 2));
    }

    /** The trailing arguments of a call of {@code callee} from the kernel of {@code s}: a new launch-sized local array for each of its own. */
    static String arguments(MethodInvocationTree call, MethodTree callee, MethodScope s, Expressions e) {
        StringJoiner out = new StringJoiner(", ");
        for (VariableTree v : of(callee, s)) {
            if (!s.isKernel) {
                throw new Rejected(call, callee.getName() + " allocates work-group local arrays, so a kernel must call it itself (the kernel "
                        + "gives it the arrays), not helper " + s.method.getName());
            }
            ExpressionTree size = ((MethodInvocationTree) v.getInitializer()).getArguments().get(0);
            MethodScope.SizedLocal factors = LaunchSizedLocals.factors(size, callee, call.getArguments(), s, e);
            if (factors == null || factors.constant() <= 0) {
                throw new Rejected(call, "the length of " + callee.getName() + "'s local array " + v.getName() + " (" + size + ") must come to a "
                        + "positive constant times int parameters of the kernel that neither the kernel nor the helper assigns, at this call");
            }
            int bytes = MethodScope.elementBytes(s.javaType(v).replace("[]", ""));
            if (factors.byLaunch()) {
                out.add(LaunchSizedLocals.add(factors.of(bytes, elementType(v, s)), s));
            } else {
                // a constant length: the kernel's constant-size local memory, as if the kernel had allocated it at this call
                String name = "longnet_call" + s.callLocals.size() + "_" + CNames.of(v.getName().toString());
                s.callLocals.add(s.d.localArray(elementType(v, s), name, factors.constant(), s.constantLocal(factors.constant(), bytes)));
                out.add(name);
            }
        }
        return out.toString();
    }

    /**
     * Declares to the helper's scope the length of its local array {@code v} of {@code size}: the constant, or the size
     * itself, of parameters that {@link #arguments} requires the helper never to assign.
     */
    static void declareLength(VariableTree v, ExpressionTree size, MethodScope s, Expressions e) {
        if (e.constant(size) instanceof Integer n) {
            s.arraySizes.put(v.getName().toString(), n);
        } else {
            s.arraySizes.put(v.getName().toString(), Integer.MAX_VALUE);
            s.sizedLocalLengths.put(v.getName().toString(), "((int) " + e.expr(size) + ")");
        }
    }

    /**
     * The length of array {@code id} of constant length, or of unknown length: a helper's array parameter, a caller's local
     * (or {@code @Private}) array, whose length each caller may choose, is refused (every other array of unknown length has a C length of its own).
     */
    static String knownLength(IdentifierTree id, MethodScope s) {
        int length = s.arraySizes.get(id.getName().toString());
        if (length == Integer.MAX_VALUE) {
            String kind = s.localArrays.contains(id.getName().toString()) ? "local" : "private";
            throw new Rejected(id, "helper " + s.method.getName() + " cannot know the length of " + id + ", a caller's " + kind + " array: "
                    + "pass its length as an int parameter");
        }
        return Integer.toString(length);
    }

    /** {@code body}, a kernel's C, with the local arrays it gives its helpers' calls declared at its top. */
    static String withCallLocals(MethodScope s, String body) {
        if (s.callLocals.isEmpty()) {
            return body;
        }
        int open = body.indexOf('{') + 1;
        return body.substring(0, open) + "\n    " + String.join(";\n    ", s.callLocals) + ";" + body.substring(open);
    }

    /** Whether {@code m} assigns its variable {@code name}. */
    static boolean assigns(MethodTree m, String name) {
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree t, Void unused) {
                ExpressionTree target = t instanceof AssignmentTree a ? a.getVariable() : t instanceof CompoundAssignmentTree c ? c.getVariable()
                        : t instanceof UnaryTree u && LoopDependence.isIncrement(u) ? u.getExpression() : null;
                found[0] |= target != null && LoopDependence.unparen(target) instanceof IdentifierTree id && id.getName().contentEquals(name);
                return super.scan(t, unused);
            }
        }.scan(m.getBody(), null);
        return found[0];
    }
}
