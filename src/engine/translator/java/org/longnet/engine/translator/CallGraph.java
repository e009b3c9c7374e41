package org.longnet.engine.translator;

import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The device functions that the methods of one class call, read from its attributed trees: calls
 * within the class (its helpers, which are followed, and whose recursion is an error: devices have
 * no call stack) and calls into {@code @DeviceFunctions} classes (which another class's
 * translation follows).
 */
final class CallGraph {
    private final Trees trees;
    private final TypeElement cls;
    /** Methods of the class reached from the roots, callees before their callers. */
    final Set<ExecutableElement> reached = new LinkedHashSet<>();
    /** Each reached method's device function callees (of this class or of a library), in call order. */
    final Map<ExecutableElement, Set<ExecutableElement>> calls = new LinkedHashMap<>();
    /** The first call of each library function, where a problem with it is reported. */
    final Map<ExecutableElement, MethodInvocationTree> libraryCallSites = new LinkedHashMap<>();
    /** The first recursion found, as {@code a -> b -> a}, and the method where it closes; null when there is none. */
    String recursion;
    ExecutableElement recursionAt;

    /** Whether a class's static methods are translated from this compilation's sources for other classes' kernels ({@link SourceLibraries}). */
    final Predicate<Element> sourceLibrary;

    /** Follows the calls from {@code roots}; throws {@link Rejected} at a call of a kernel, and reports nothing itself. */
    CallGraph(Trees trees, TypeElement cls, List<ExecutableElement> roots, Predicate<Element> sourceLibrary) {
        this.trees = trees;
        this.cls = cls;
        this.sourceLibrary = sourceLibrary;
        for (ExecutableElement root : roots) {
            visit(root, new ArrayList<>());
        }
    }

    private void visit(ExecutableElement m, List<ExecutableElement> stack) {
        if (stack.contains(m)) {
            if (recursion == null) {
                List<String> cycle = new ArrayList<>();
                for (ExecutableElement s : stack.subList(stack.indexOf(m), stack.size())) {
                    cycle.add(s.getSimpleName().toString());
                }
                cycle.add(m.getSimpleName().toString());
                recursion = String.join(" -> ", cycle);
                recursionAt = m;
            }
            return;
        }
        if (calls.containsKey(m)) {
            return;
        }
        Set<ExecutableElement> callees = callees(m);
        calls.put(m, callees);
        stack.add(m);
        for (ExecutableElement c : callees) {
            if (c.getEnclosingElement().equals(cls)) {
                visit(c, stack);
            }
        }
        stack.remove(stack.size() - 1);
        reached.add(m);
    }

    private Set<ExecutableElement> callees(ExecutableElement m) {
        Set<ExecutableElement> out = new LinkedHashSet<>();
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                if (trees.getElement(getCurrentPath()) instanceof ExecutableElement callee && callee.getKind() == ElementKind.METHOD
                        && callee.getModifiers().contains(Modifier.STATIC)) {
                    if (callee.getEnclosingElement().equals(cls)) {
                        if (JavaTypes.annotated(callee, JavaTypes.KERNEL)) {
                            throw new Rejected(call, "a kernel cannot be called on a device (CUDA has no such call): move what "
                                    + m.getSimpleName() + " and " + callee.getSimpleName() + " share into a static helper");
                        }
                        out.add(callee);
                    } else if (JavaTypes.isDeviceFunctions(callee.getEnclosingElement()) || sourceLibrary.test(callee.getEnclosingElement())) {
                        out.add(callee);
                        libraryCallSites.putIfAbsent(callee, call);
                    }
                }
                return super.visitMethodInvocation(call, unused);
            }
        }.scan(trees.getPath(m), null);
        return out;
    }
}
