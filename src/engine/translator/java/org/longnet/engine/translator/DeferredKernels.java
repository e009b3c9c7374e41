package org.longnet.engine.translator;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;

import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.ExecutableElement;
import javax.tools.Diagnostic;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TornadoVM's bailout at build time: a kernel found from a task graph ({@link TaskKernels}: a method handed to
 * {@code task(...)}, without {@code @Kernel}) that uses something the translator does not support is no build error, as
 * TornadoVM runs a task it cannot compile as the Java method itself, on the host. The build warns at the construct, writes no
 * code for the kernel, and its class's {@code .kernels} file names it with the reason ({@code bailout=}), for the run time to
 * run the method sequentially or throw TornadoVM's bailout exception.
 * <p>
 * Two kinds of rejection stay errors: a {@linkplain Rejected#race race} (the kernel translates, but its iterations at the same
 * time would give another result than Java's: a program must never get a silent race), and any rejection in a {@code @Kernel}
 * method (the engine's own kernels, which must run on devices).
 */
final class DeferredKernels {
    /** How a deferred kernel's build warning ends. */
    static final String RUNS_ON_HOST = "runs as sequential Java on the host (TornadoVM's bailout)";
    private final Trees trees;
    private final ProcessingEnvironment env;

    DeferredKernels(Trees trees, ProcessingEnvironment env) {
        this.trees = trees;
        this.env = env;
    }

    /**
     * The kernels among {@code kernels} that {@code r} is about: the one whose body holds its tree, or those that call the helper
     * that holds it ({@code graph}'s calls; none where the graph is not known). Empty where the tree is in no method of the unit.
     */
    List<ExecutableElement> culprits(Rejected r, CompilationUnitTree unit, List<ExecutableElement> kernels, CallGraph graph) {
        TreePath path = r.where == null ? null : trees.getPath(unit, r.where);
        while (path != null && !(path.getLeaf() instanceof MethodTree)) {
            path = path.getParentPath();
        }
        if (path == null || !(trees.getElement(path) instanceof ExecutableElement method)) {
            return List.of();
        }
        if (kernels.contains(method)) {
            return List.of(method);
        }
        List<ExecutableElement> out = new ArrayList<>();
        if (graph != null) {
            for (ExecutableElement k : kernels) {
                if (reaches(graph, k, method, new LinkedHashSet<>())) {
                    out.add(k);
                }
            }
        }
        return out;
    }

    /**
     * Defers {@code culprits} for {@code r} where each may run as sequential Java, warning at the construct and putting each one's
     * {@code .kernels} line in {@code lines} (by name and type); false, deferring none, where {@code r} must stay an error.
     */
    boolean defer(List<ExecutableElement> culprits, Rejected r, CompilationUnitTree unit, Map<String, String> lines) {
        if (r.race || culprits.isEmpty() || culprits.stream().anyMatch(k -> JavaTypes.annotated(k, JavaTypes.KERNEL))) {
            return false;
        }
        long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, r.where));
        for (ExecutableElement k : culprits) {
            String reason = k.getSimpleName() + " (line " + line + "): " + r.getMessage();
            trees.printMessage(Diagnostic.Kind.WARNING, "kernel: " + r.getMessage() + "; so " + k.getSimpleName() + " (line " + line + ") "
                    + RUNS_ON_HOST, r.where, unit);
            String name = k.getSimpleName().toString();
            lines.put(name + k.asType(), RefusedKernels.line(name, "bailout", reason,
                    KernelNames.jvmDescriptor(k, env.getTypeUtils(), env.getElementUtils())));
        }
        return true;
    }

    private static boolean reaches(CallGraph graph, ExecutableElement from, ExecutableElement target, Set<ExecutableElement> seen) {
        if (from.equals(target)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        for (ExecutableElement callee : graph.calls.getOrDefault(from, Set.of())) {
            if (reaches(graph, callee, target, seen)) {
                return true;
            }
        }
        return false;
    }
}
