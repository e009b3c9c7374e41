package org.longnet.engine.translator;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Other classes whose static methods kernels call, as TornadoVM lets them (it inlines any static method it reaches):
 * those compiled from source in this javac run are translated as libraries are, each static method on its own, when
 * javac has analyzed them ({@code KernelProcessor}); a method that cannot run on a device is reported where a kernel
 * calls it. A class from the class path brings no body to translate, unless it is a {@code @DeviceFunctions} class
 * compiled with the translator.
 * <p>
 * Which methods: found before attribution, from names alone (javac analyzes a class and then lowers it, so a class
 * analyzed before the kernels that call it must be known before any is): from each kernel, the calls in its body, a
 * class before the method's name ({@code GraphicsMath.rotate(...)}, the class as the unit's imports and package
 * resolve it) or a static import naming it, and in turn the calls in those methods. Names that are no such method,
 * or methods that no kernel calls in the end, cost a translation that nothing uses.
 */
final class SourceLibraries {
    private final Trees trees;
    private final Elements elements;
    /** The methods found, by class (outermost or nested, as named) and name; the kernel classes' own among them. */
    private final Map<TypeElement, Set<String>> found = new LinkedHashMap<>();
    /** The classes found whose methods kernels of other classes call. */
    private final Set<TypeElement> libraries = new LinkedHashSet<>();

    SourceLibraries(Trees trees, Elements elements) {
        this.trees = trees;
        this.elements = elements;
    }

    /**
     * Whether {@code cls}, found to be called, has its static methods translated here from source. (Found before
     * attribution: javac forgets a class's trees once it has written it.)
     */
    boolean isLibrary(Element cls) {
        return cls instanceof TypeElement t && libraries.stream().anyMatch(l -> l.getQualifiedName().contentEquals(t.getQualifiedName()));
    }

    /** The kernel APIs' own classes, whose methods are intrinsics, views or host code, even where they are compiled now. */
    static boolean isApi(String qualifiedName) {
        return API_PACKAGES.stream().anyMatch(qualifiedName::startsWith);
    }

    /** Whether {@code cls} is compiled from source now, and is neither a {@code @DeviceFunctions} class nor one of the APIs'. */
    private static boolean compiledHere(Trees trees, Element cls) {
        return cls instanceof TypeElement t && !JavaTypes.isDeviceFunctions(t) && trees.getTree(t) != null && !isApi(t.getQualifiedName().toString());
    }

    private static final List<String> API_PACKAGES = List.of("java.", JavaTypes.API, "uk.ac.manchester.tornado.api.");

    /** Whether {@code cls}'s static method {@code name} was found to be called, and so is translated when cls is analyzed. */
    boolean wanted(TypeElement cls, String name) {
        return found.entrySet().stream().anyMatch(e -> e.getKey().getQualifiedName().contentEquals(cls.getQualifiedName()) && e.getValue().contains(name));
    }

    /**
     * Follows the calls from {@code kernels} (methods of {@code kernelClass}), by name, through the static methods of
     * classes compiled from source; returns those classes, other than kernelClass, that were not found before.
     */
    Set<TypeElement> from(TypeElement kernelClass, List<String> kernels) {
        Set<TypeElement> added = new LinkedHashSet<>();
        Deque<Map.Entry<TypeElement, String>> toScan = new ArrayDeque<>();
        kernels.forEach(k -> toScan.add(Map.entry(kernelClass, k)));
        while (!toScan.isEmpty()) {
            Map.Entry<TypeElement, String> next = toScan.poll();
            TypeElement cls = next.getKey();
            if (!compiledHere(trees, cls)) {
                continue;
            }
            if (!cls.equals(kernelClass) && libraries.add(cls)) {
                added.add(cls);
            }
            if (!found.computeIfAbsent(cls, c -> new LinkedHashSet<>()).add(next.getValue())) {
                continue;
            }
            calls(cls, next.getValue()).forEach(toScan::add);
        }
        return added;
    }

    /** What the static methods of {@code cls} named {@code name} may call: (class, method name) by the names in their bodies. */
    private List<Map.Entry<TypeElement, String>> calls(TypeElement cls, String name) {
        List<Map.Entry<TypeElement, String>> out = new ArrayList<>();
        TreePath path = trees.getPath(cls);
        ClassTree tree = trees.getTree(cls);
        if (path == null || tree == null) {
            return out;
        }
        CompilationUnitTree unit = path.getCompilationUnit();
        for (Tree member : tree.getMembers()) {
            if (member instanceof MethodTree m && m.getName().contentEquals(name) && m.getModifiers().getFlags().contains(Modifier.STATIC)
                    && m.getBody() != null) {
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                        if (call.getMethodSelect() instanceof MemberSelectTree select) {
                            String callee = select.getIdentifier().toString();
                            classes(select.getExpression(), cls, unit).forEach(t -> out.add(Map.entry(t, callee)));
                        } else if (call.getMethodSelect() instanceof IdentifierTree id) {
                            String callee = id.getName().toString();
                            for (Element e = cls; e instanceof TypeElement t; e = e.getEnclosingElement()) {
                                out.add(Map.entry(t, callee));
                            }
                            staticImports(unit, callee).forEach(t -> out.add(Map.entry(t, callee)));
                        }
                        return super.visitMethodInvocation(call, unused);
                    }
                }.scan(m.getBody(), null);
            }
        }
        return out;
    }

    /** The classes whose static member {@code name} the unit imports ({@code import static a.B.name} or {@code a.B.*}). */
    private Set<TypeElement> staticImports(CompilationUnitTree unit, String name) {
        Set<TypeElement> out = new LinkedHashSet<>();
        for (ImportTree i : unit.getImports()) {
            if (i.isStatic() && i.getQualifiedIdentifier() instanceof MemberSelectTree member
                    && (member.getIdentifier().contentEquals(name) || member.getIdentifier().contentEquals("*"))) {
                add(out, elements.getTypeElement(member.getExpression().toString()));
            }
        }
        return out;
    }

    private static void add(Set<TypeElement> out, TypeElement t) {
        if (t != null) {
            out.add(t);
        }
    }

    /** The classes a qualifier may name: a qualified name as it is, a simple one as cls's members, the unit's package and imports say. */
    private Set<TypeElement> classes(ExpressionTree qualifier, TypeElement cls, CompilationUnitTree unit) {
        Set<TypeElement> out = new LinkedHashSet<>();
        if (qualifier instanceof MemberSelectTree) {
            add(out, elements.getTypeElement(qualifier.toString()));
            return out;
        }
        if (!(qualifier instanceof IdentifierTree id)) {
            return out;
        }
        String name = id.getName().toString();
        for (Element e = cls; e instanceof TypeElement t; e = e.getEnclosingElement()) {
            add(out, elements.getTypeElement(t.getQualifiedName() + "." + name));
        }
        String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
        add(out, elements.getTypeElement(pkg.isEmpty() ? name : pkg + "." + name));
        for (ImportTree i : unit.getImports()) {
            String imported = i.getQualifiedIdentifier().toString();
            if (!i.isStatic() && imported.endsWith("." + name)) {
                add(out, elements.getTypeElement(imported));
            } else if (!i.isStatic() && imported.endsWith(".*")) {
                add(out, elements.getTypeElement(imported.substring(0, imported.length() - 1) + name));
            }
        }
        return out;
    }
}
