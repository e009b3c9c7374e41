package org.longnet.engine.translator;

import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Methods that a task's method calls on objects ({@code mdm.mymapintint(i)}, {@code new FlinkMapUDF().map(i)}), as static
 * helpers of the generated class: each takes the method's own parameters and then the fields of its receiver that it uses
 * ({@link ObjectFields}), which the caller passes from its own chain of fields. A call through a type that several classes
 * could fill (an abstract class, a method a subclass may override) runs the implementation of the one class compiled now
 * that can be there, as a JIT compiler's class-hierarchy analysis would; the task checks at run time that the object is of
 * such a class. Several implementations, or none, are refused with the reason, as is recursion.
 */
final class ObjectCalls {
    /** A helper made of a method: its name in the generated class and its flattened form. */
    record Helper(String name, ObjectFields.Flattened flattened) {
    }

    private final Trees trees;
    private final Elements elements;
    private final Types types;
    private final List<TypeElement> compiledNow;
    private final BiFunction<String, TreePath, TypeElement> resolver;
    private final Set<String> names;
    private final Map<ExecutableElement, Helper> made = new HashMap<>();
    private final Set<ExecutableElement> inProgress = new HashSet<>();
    private final StringBuilder source = new StringBuilder();

    /** {@code names}: the generated class's method names so far, which helpers' names join. */
    ObjectCalls(Trees trees, Elements elements, Types types, List<TypeElement> compiledNow, BiFunction<String, TreePath, TypeElement> resolver,
                Set<String> names) {
        this.trees = trees;
        this.elements = elements;
        this.types = types;
        this.compiledNow = compiledNow;
        this.resolver = resolver;
        this.names = names;
    }

    /** The class that a type's name in the source names at {@code where}, or null. */
    TypeElement resolve(String name, TreePath where) {
        return resolver.apply(name, where);
    }

    /** The helpers' source, for the generated class. */
    String source() {
        return source.toString();
    }

    /** A name of the generated class not taken yet: {@code base}, else {@code base_2}, ... */
    String freshName(String base) {
        String name = base;
        for (int k = 2; !names.add(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }

    /** The instance method {@code name} taking {@code arguments} that values of {@code type} have, or null. */
    ExecutableElement method(TypeMirror type, String name, int arguments) {
        if (!(type instanceof DeclaredType d) || !(d.asElement() instanceof TypeElement cls)) {
            return null;
        }
        for (Element e : elements.getAllMembers(cls)) {
            if (e instanceof ExecutableElement m && m.getKind() == ElementKind.METHOD && m.getSimpleName().contentEquals(name)
                    && m.getParameters().size() == arguments && !m.getModifiers().contains(Modifier.STATIC)) {
                return m;
            }
        }
        return null;
    }

    /**
     * The implementation of {@code declared} that runs on a value of {@code type}: the classes compiled now that such a value
     * may be, and the one method they all run. {@code exact}: the value is of {@code type} itself ({@code new C()}).
     */
    record Target(ExecutableElement implementation, List<String> classes) {
    }

    Target target(TypeMirror type, ExecutableElement declared, boolean exact, Tree at, String what) {
        TypeElement staticClass = (TypeElement) ((DeclaredType) type).asElement();
        List<TypeElement> candidates = new ArrayList<>();
        if (exact) {
            candidates.add(staticClass);
        } else {
            for (TypeElement c : compiledNow) {
                if (!c.getModifiers().contains(Modifier.ABSTRACT) && c.getKind() == ElementKind.CLASS
                        && types.isSubtype(types.erasure(c.asType()), types.erasure(staticClass.asType()))) {
                    candidates.add(c);
                }
            }
        }
        Set<ExecutableElement> implementations = new LinkedHashSet<>();
        List<String> classes = new ArrayList<>();
        for (TypeElement c : candidates) {
            ExecutableElement implementation = implementationIn(c, declared);
            if (implementation != null) {
                implementations.add(implementation);
                classes.add(elements.getBinaryName(c).toString());
            }
        }
        if (implementations.size() != 1) {
            throw new Rejected(at, "calls " + declared.getSimpleName() + " on " + what + ", a " + staticClass.getSimpleName() + ": "
                    + (implementations.isEmpty() ? "no class compiled with it implements it"
                    : implementations.size() + " classes compiled with it implement it differently ("
                    + implementations.stream().map(m -> m.getEnclosingElement().getSimpleName().toString()).collect(Collectors.joining(", "))
                    + ")") + ", and a kernel runs one method chosen when it is built");
        }
        ExecutableElement implementation = implementations.iterator().next();
        if (trees.getTree(implementation) == null) {
            throw new Rejected(at, "calls " + declared.getSimpleName() + " on " + what + ", whose method is not compiled with the kernel");
        }
        return new Target(implementation, classes);
    }

    /** The method of {@code cls} (or a superclass) that a call of {@code declared} runs, or null where it is abstract there. */
    private ExecutableElement implementationIn(TypeElement cls, ExecutableElement declared) {
        for (TypeMirror t = cls.asType(); t instanceof DeclaredType d && d.asElement() instanceof TypeElement c; t = c.getSuperclass()) {
            for (Element e : c.getEnclosedElements()) {
                if (e instanceof ExecutableElement m && m.getKind() == ElementKind.METHOD
                        && (m.equals(declared) || elements.overrides(m, declared, cls))) {
                    return m.getModifiers().contains(Modifier.ABSTRACT) ? null : m;
                }
            }
        }
        return null;
    }

    /** The helper made of {@code implementation}, made on first use (with those it calls in turn). */
    Helper helper(ExecutableElement implementation, Map<String, String> privateConstants, Tree at) {
        Helper known = made.get(implementation);
        if (known != null) {
            return known;
        }
        if (!inProgress.add(implementation)) {
            throw new Rejected(at, "calls " + implementation.getSimpleName() + " recursively; a kernel cannot recurse (devices have no call "
                    + "stack)");
        }
        ObjectFields.Flattened flattened = new ObjectFields(trees, implementation, privateConstants, this).flatten();
        TypeElement owner = (TypeElement) implementation.getEnclosingElement();
        String name = freshName(owner.getSimpleName() + "_" + implementation.getSimpleName());
        MethodTree tree = trees.getTree(implementation);
        source.append("\n    static ").append(tree.getReturnType()).append(' ').append(name).append('(')
                .append(flattened.parameters().stream().map(ObjectFields.Parameter::declaration).collect(Collectors.joining(", ")))
                .append(") ").append(flattened.body()).append('\n');
        inProgress.remove(implementation);
        Helper helper = new Helper(name, flattened);
        made.put(implementation, helper);
        return helper;
    }
}
