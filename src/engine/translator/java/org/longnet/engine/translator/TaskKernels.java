package org.longnet.engine.translator;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
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
 * Kernels without {@code @Kernel}, as TornadoVM has them: every method that a compiled source hands to {@code task(name,
 * Owner::method, ...)} or {@code task(name, object::method, ...)} of a task graph. Read from the trees before attribution
 * (the JVM launchers must be written while annotation processing runs), so a source counts only when it names
 * {@code TaskGraph}, and a method only when its class is compiled now (a class from a jar was translated
 * when it was built).
 */
final class TaskKernels {
    private final Trees trees;
    private final Elements elements;
    private final ArgumentTypes argumentTypes;

    TaskKernels(Trees trees, Elements elements) {
        this.trees = trees;
        this.elements = elements;
        this.argumentTypes = new ArgumentTypes(trees);
    }

    /**
     * The static task methods that {@code roots} (the classes of a round) hand to task graphs, by class: those the translator
     * makes kernels of in their own class. Instance methods and methods that take objects run as generated kernels instead
     * ({@link #bound}).
     */
    Map<TypeElement, Set<ExecutableElement>> find(Set<? extends Element> roots) {
        Map<TypeElement, Set<ExecutableElement>> found = new LinkedHashMap<>();
        references(roots).forEach(m -> {
            if (!ObjectFields.needsGeneratedKernel(m, trees)) {
                found.computeIfAbsent((TypeElement) m.getEnclosingElement(), k -> new LinkedHashSet<>()).add(m);
            }
        });
        return found;
    }

    /**
     * The task methods of {@code roots} that run as kernels of a generated class ({@link TaskObjects}), by the top-level class
     * that declares them: instance methods ({@code task("t0", foo::compute, a)}, {@code this::compute}) and static methods
     * that take objects whose fields the kernel reads.
     */
    Map<TypeElement, Set<ExecutableElement>> bound(Set<? extends Element> roots) {
        Map<TypeElement, Set<ExecutableElement>> found = new LinkedHashMap<>();
        references(roots).forEach(m -> {
            if (ObjectFields.needsGeneratedKernel(m, trees)) {
                TypeElement outermost = (TypeElement) m.getEnclosingElement();
                while (outermost.getEnclosingElement() instanceof TypeElement outer) {
                    outermost = outer;
                }
                found.computeIfAbsent(outermost, k -> new LinkedHashSet<>()).add(m);
            }
        });
        return found;
    }

    /**
     * Every method that a {@code task(name, reference, args...)} of {@code roots} may name, compiled now: for {@code Owner::m}
     * its static methods {@code m} taking the arguments and its instance methods taking all but the first (the receiver); for
     * {@code expression::m} ({@code foo::m}, {@code this::m}) the instance methods {@code m} of the expression's class, its
     * inherited ones too, taking the arguments. Overloads are all kept: the run time picks the one the reference names.
     */
    private Set<ExecutableElement> references(Set<? extends Element> roots) {
        Set<ExecutableElement> found = new LinkedHashSet<>();
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
                        String name = ref.getName().toString();
                        int arguments = call.getArguments().size() - 2;
                        TypeElement receiver = receiverClass(ref.getQualifierExpression(), getCurrentPath());
                        if (receiver != null) {
                            found.addAll(methods(receiver, name, arguments, false));
                        } else if (resolve(ref.getQualifierExpression().toString(), getCurrentPath(), unit) instanceof TypeElement owner) {
                            found.addAll(methods(owner, name, arguments, true));
                            if (arguments > 0) {
                                found.addAll(methods(owner, name, arguments - 1, false));
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
     * The class of the object a method reference's qualifier evaluates to ({@code this}, a variable, {@code new Foo()}), or
     * null where it names a type (or nothing the source tells).
     */
    private TypeElement receiverClass(ExpressionTree qualifier, TreePath where) {
        if (qualifier instanceof IdentifierTree id && id.getName().contentEquals("this")) {
            for (TreePath p = where; p != null; p = p.getParentPath()) {
                if (p.getLeaf() instanceof ClassTree && trees.getElement(p) instanceof TypeElement cls) {
                    return cls;
                }
            }
            return null;
        }
        if (!(qualifier instanceof IdentifierTree || qualifier instanceof NewClassTree || qualifier instanceof ParenthesizedTree)) {
            return null;
        }
        String type = argumentTypes.of(qualifier, where);
        if (type == null || JavaTypes.isValue(type) || type.endsWith("]")) {
            return null;
        }
        int generic = type.indexOf('<');
        return resolve(generic < 0 ? type : type.substring(0, generic), where, where.getCompilationUnit());
    }

    /**
     * The methods of this name and number of parameters that {@code owner} has (inherited ones too) and that are compiled
     * now. One that takes a {@code MemorySegment} is left out: as in TornadoVM, a segment is no task argument, and the task
     * graph refuses such a task when it is added, which is the error TornadoVM's programs expect (a run-time one).
     */
    private List<ExecutableElement> methods(TypeElement owner, String name, int parameters, boolean statics) {
        List<ExecutableElement> out = new ArrayList<>();
        for (Element e : elements.getAllMembers(owner)) {
            if (e instanceof ExecutableElement m && m.getKind() == ElementKind.METHOD && m.getSimpleName().contentEquals(name)
                    && m.getParameters().size() == parameters && m.getModifiers().contains(Modifier.STATIC) == statics
                    && trees.getTree(m) != null && m.getParameters().stream().noneMatch(p -> p.asType().toString().equals("java.lang.foreign.MemorySegment"))) {
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

    /** The class that {@code name} (simple or dotted, as the source spells it) names at {@code where}, as Java's scoping finds it; null if none. */
    TypeElement resolve(String name, TreePath where) {
        return resolve(name, where, where.getCompilationUnit());
    }

    private TypeElement resolve(String name, TreePath where, CompilationUnitTree unit) {
        int dot = name.lastIndexOf('.');
        if (dot >= 0) {
            TypeElement direct = elements.getTypeElement(name);
            if (direct != null) {
                return direct;
            }
            TypeElement outer = resolve(name.substring(0, dot), where, unit);
            return outer == null ? null : memberType(outer, name.substring(dot + 1));
        }
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
