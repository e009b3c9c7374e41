package org.longnet.engine.translator;

import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;

import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.tools.Diagnostic;
import java.util.List;
import java.util.Map;

/**
 * Task methods whose parameters no device can hold: arrays of objects ({@code Float[]} of boxed numbers, {@code Float2[]} of
 * vectors), which TornadoVM does not run either (its tests that hand them to tasks are marked unsupported and never run);
 * and task methods that make their own {@code AtomicInteger}, a counter that TornadoVM shares among all work-items of
 * the launch, which the translator has no shared place for (a task's AtomicInteger argument is one: {@link AtomicIntegers}).
 * Such a method is no build error, so that a program that keeps one compiles, as under TornadoVM: the build warns at the
 * parameter, writes no code for it, and its class's {@code .kernels} file names it with the reason, so that handing it to
 * a task fails there, on every device, with that reason.
 */
final class RefusedKernels {
    private RefusedKernels() {
    }

    /**
     * Takes out of {@code kernels} (a class's task methods) those that no device can run, warning at each and putting its
     * {@code .kernels} line in {@code lines}, by name; unless another task method has its name (the runtime could not tell
     * them apart by name) or it is marked {@code @Kernel}: those stay, and fail the build where they are translated.
     */
    static void takeOut(List<ExecutableElement> kernels, Map<String, String> lines, ProcessingEnvironment env) {
        for (var it = kernels.iterator(); it.hasNext(); ) {
            ExecutableElement m = it.next();
            Trees trees = Trees.instance(env);
            String reason = reason(m, trees);
            // a counter the kernel makes is one that all its work-items share: Java's own run of the method, in order, counts the same
            boolean bailout = reason == null && trees.getTree(m) instanceof MethodTree tree && makesCounter(tree);
            if (bailout) {
                reason = m.getSimpleName() + " makes its own AtomicInteger (new AtomicInteger(...) in its body), a counter that every "
                        + "work-item would share, which kernels here cannot hold";
            }
            if (reason != null && kernels.stream().filter(k -> k.getSimpleName().equals(m.getSimpleName())).count() == 1
                    && !JavaTypes.annotated(m, JavaTypes.KERNEL)) {
                it.remove();
                env.getMessager().printMessage(Diagnostic.Kind.WARNING, "kernel: " + reason + (bailout ? "; so it "
                        + DeferredKernels.RUNS_ON_HOST : ""), m);
                String name = m.getSimpleName().toString();
                lines.put(name, line(name, bailout ? "bailout" : "refused", reason,
                        KernelNames.jvmDescriptor(m, env.getTypeUtils(), env.getElementUtils())));
            }
        }
    }

    /** Why no device can run task method {@code m}, or null where its parameters are all kinds a kernel may have. */
    private static String reason(ExecutableElement m, Trees trees) {
        for (VariableElement p : m.getParameters()) {
            if (p.asType() instanceof ArrayType array && array.getComponentType().getKind() == TypeKind.DECLARED) {
                return m.getSimpleName() + " takes " + p.getSimpleName() + " as " + p.asType() + ", an array of objects, which no device holds: "
                        + "it cannot be a task (as in TornadoVM); use the array types (FloatArray, float[], ...) or a collection of vectors "
                        + "(VectorFloat2, ...)";
            }
        }
        return null;
    }

    /** Whether {@code method}'s body writes {@code new AtomicInteger(...)} (read from the trees, which are not yet attributed). */
    private static boolean makesCounter(MethodTree method) {
        Boolean found = new TreeScanner<Boolean, Void>() {
            @Override
            public Boolean visitNewClass(NewClassTree node, Void unused) {
                String name = node.getIdentifier().toString();
                return name.equals("AtomicInteger") || name.equals(AtomicIntegers.TYPE) || Boolean.TRUE.equals(super.visitNewClass(node, unused));
            }

            @Override
            public Boolean reduce(Boolean a, Boolean b) {
                return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
            }
        }.scan(method.getBody(), null);
        return Boolean.TRUE.equals(found);
    }

    /**
     * The {@code .kernels} line of method {@code name} ({@code descriptor}), which no device runs: {@code marker} {@code refused} (the
     * runtime throws {@code reason} for a task of it) or {@code bailout} ({@link DeferredKernels}: it runs as Java on the host).
     */
    static String line(String name, String marker, String reason, String descriptor) {
        return name + "\t" + marker + "\t0\tfalse\t-\t0\t" + marker + "=" + reason.replace('\t', ' ').replace('\n', ' ') + "\t" + descriptor + "\n";
    }
}
