package org.longnet.engine.translator;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import java.util.HashSet;
import java.util.Set;

/**
 * TornadoVM's {@code @Parallel} kernels that take a KernelContext for its atomic adds alone
 * ({@code context.atomicAdd(data, i, 1)} in a {@code @Parallel} loop). Such a context carries no work-item: its atomicAdd
 * needs none (on devices it is an atomic instruction, on the jvm device the array's own atomic add), so the kernel runs
 * as any {@code @Parallel} kernel. A context whose ids, sizes, barriers or local arrays the kernel reads cannot be, since
 * a {@code @Parallel} loop fixes no work-groups.
 */
final class ParallelAtomics {
    private ParallelAtomics() {
    }

    /** Whether every use of {@code kernel}'s KernelContext parameters is a call of their {@code atomicAdd}. */
    static boolean onlyAtomicAdds(MethodTree tree, ExecutableElement kernel) {
        Set<String> contexts = new HashSet<>();
        for (VariableElement p : kernel.getParameters()) {
            if (JavaTypes.name(p.asType()).equals(JavaTypes.CONTEXT)) {
                contexts.add(p.getSimpleName().toString());
            }
        }
        int[] uses = {0, 0}; // every mention of a context; those that are the receiver of an atomicAdd call
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree node, Void unused) {
                uses[0] += contexts.contains(node.getName().toString()) ? 1 : 0;
                return null;
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                if (node.getMethodSelect() instanceof MemberSelectTree select && select.getIdentifier().contentEquals("atomicAdd")
                        && LoopDependence.unparen(select.getExpression()) instanceof IdentifierTree id && contexts.contains(id.getName().toString())) {
                    uses[1]++;
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitVariable(VariableTree node, Void unused) {
                // a local of the same name as a context hides it: count such kernels as using the context otherwise
                uses[0] += contexts.contains(node.getName().toString()) ? 1 : 0;
                return super.visitVariable(node, unused);
            }
        }.scan(tree.getBody(), null);
        return uses[0] == uses[1];
    }
}
