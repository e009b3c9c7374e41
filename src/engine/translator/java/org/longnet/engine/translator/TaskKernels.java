package org.longnet.engine.translator;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kernels without {@code @Kernel}, as TornadoVM has them: every static method that a compiled source hands to
 * {@code task(name, Owner::method, ...)} of a task graph. Read from the trees before attribution (the JVM
 * launchers must be written while annotation processing runs), so a source counts only when it names
 * {@code TaskGraph}, and a method only when its class is compiled now (a class from a jar was translated
 * when it was built).
 */
final class TaskKernels {
    private final Trees trees;
    private final Elements elements;

    TaskKernels(Trees trees, Elements elements) {
        this.trees = trees;
        this.elements = elements;
    }

    /** The task methods that {@code roots} (the classes of a round) hand to task graphs, by class. */
    Map<TypeElement, Set<ExecutableElement>> find(Set<? extends Element> roots) {
        Map<TypeElement, Set<ExecutableElement>> found = new LinkedHashMap<>();
        Set<CompilationUnitTree> units = new HashSet<>();
        for (Element root : roots) {
            TreePath path = root instanceof TypeElement ? trees.getPath(root) : null;
            if (path == null || !units.add(path.getCompilationUnit()) || !namesTaskGraph(path.getCompilationUnit())) {
                continue;
            }
            CompilationUnitTree unit = path.getCompilationUnit();
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                    if (call.getMethodSelect() instanceof MemberSelectTree sel && sel.getIdentifier().contentEquals("task")
                            && call.getArguments().size() >= 2 && call.getArguments().get(1) instanceof MemberReferenceTree ref
                            && ref.getMode() == MemberReferenceTree.ReferenceMode.INVOKE) {
                        TypeElement owner = resolve(ref.getQualifierExpression(), getCurrentPath(), unit);
                        if (owner != null) {
                            for (ExecutableElement m : staticMethods(owner, ref.getName().toString(), call.getArguments().size() - 2)) {
                                found.computeIfAbsent(owner, k -> new LinkedHashSet<>()).add(m);
                            }
                        }
                    }
                    return super.visitMethodInvocation(call, unused);
                }
            }.scan(unit, null);
        }
        return found;
    }

    /**
     * Static methods of this name and number of parameters that are compiled now (they have trees). One that takes a
     * {@code MemorySegment} is left out: as in TornadoVM, a segment is no task argument, and the task graph refuses
     * such a task when it is added, which is the error TornadoVM's programs expect (a run-time one).
     */
    private List<ExecutableElement> staticMethods(TypeElement owner, String name, int parameters) {
        List<ExecutableElement> out = new ArrayList<>();
        for (Element e : owner.getEnclosedElements()) {
            if (e instanceof ExecutableElement m && m.getKind() == ElementKind.METHOD && m.getSimpleName().contentEquals(name)
                    && m.getParameters().size() == parameters && m.getModifiers().contains(Modifier.STATIC) && trees.getTree(m) != null
                    && m.getParameters().stream().noneMatch(p -> p.asType().toString().equals("java.lang.foreign.MemorySegment"))) {
                out.add(m);
            }
        }
        return out;
    }

    static boolean namesTaskGraph(CompilationUnitTree unit) {
        boolean[] named = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                named[0] |= id.getName().contentEquals("TaskGraph");
                return null;
            }

            @Override
            public Void visitMemberSelect(MemberSelectTree sel, Void unused) {
                named[0] |= sel.getIdentifier().contentEquals("TaskGraph") || sel.getIdentifier().contentEquals("*");
                return super.visitMemberSelect(sel, unused);
            }
        }.scan(unit, null);
        return named[0];
    }

    /** The class a method reference's qualifier names, as Java's scoping finds it; null if it names none. */
    private TypeElement resolve(ExpressionTree qualifier, TreePath where, CompilationUnitTree unit) {
        if (qualifier instanceof MemberSelectTree sel) {
            TypeElement direct = elements.getTypeElement(sel.toString());
            if (direct != null) {
                return direct;
            }
            TypeElement outer = resolve(sel.getExpression(), where, unit);
            return outer == null ? null : memberType(outer, sel.getIdentifier().toString());
        }
        if (!(qualifier instanceof IdentifierTree id)) {
            return null;
        }
        String name = id.getName().toString();
        for (TreePath p = where; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof ClassTree && trees.getElement(p) instanceof TypeElement cls) {
                if (cls.getSimpleName().contentEquals(name)) {
                    return cls;
                }
                TypeElement member = memberType(cls, name);
                if (member != null) {
                    return member;
                }
            }
        }
        List<String> candidates = new ArrayList<>();
        for (ImportTree i : unit.getImports()) {
            String imported = i.getQualifiedIdentifier().toString();
            if (!i.isStatic() && imported.endsWith("." + name)) {
                candidates.add(imported);
            }
        }
        String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
        candidates.add(pkg.isEmpty() ? name : pkg + "." + name);
        for (ImportTree i : unit.getImports()) {
            String imported = i.getQualifiedIdentifier().toString();
            if (!i.isStatic() && imported.endsWith(".*")) {
                candidates.add(imported.substring(0, imported.length() - 1) + name);
            }
        }
        for (String candidate : candidates) {
            TypeElement t = elements.getTypeElement(candidate);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static TypeElement memberType(TypeElement cls, String name) {
        for (Element e : cls.getEnclosedElements()) {
            if (e instanceof TypeElement t && t.getSimpleName().contentEquals(name)) {
                return t;
            }
        }
        return null;
    }
}
