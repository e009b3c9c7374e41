package org.longnet.engine.translator;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a JVM launcher, another class than the kernel's, needs of the kernel class's private members. */
final class LauncherPrivates {
    private LauncherPrivates() {
    }

    /** The class's private static constants, as Java literals, which the launcher writes in their place. */
    static Map<String, String> constants(TypeElement cls) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element member : cls.getEnclosedElements()) {
            if (member instanceof javax.lang.model.element.VariableElement v && v.getModifiers().contains(Modifier.PRIVATE)
                    && v.getModifiers().contains(Modifier.STATIC) && v.getConstantValue() != null && !(v.getConstantValue() instanceof String)) {
                out.put(v.getSimpleName().toString(), "((" + v.asType() + ") " + javaLiteral(v.getConstantValue()) + ")");
            }
        }
        return out;
    }

    private static String javaLiteral(Object value) {
        return switch (value) {
            case Float f when f.isNaN() -> "Float.NaN";
            case Float f when f.isInfinite() -> f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
            case Float f -> f + "f";
            case Double d when d.isNaN() -> "Double.NaN";
            case Double d when d.isInfinite() -> d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
            case Long l -> l + "L";
            case Character c -> Integer.toString(c);
            default -> value.toString();
        };
    }

    /**
     * The launcher is another class, so it cannot name the kernel class's private members: it gets its private
     * constants as values and its private static helpers as copies (with theirs, in turn), and a kernel may not use
     * its private static fields that are not constants.
     */
    static List<MethodTree> helpers(Trees trees, TypeElement cls, List<MethodTree> kernels) {
        Set<String> constants = constants(cls).keySet();
        Map<String, List<ExecutableElement>> helpers = new LinkedHashMap<>();
        Set<String> fields = new HashSet<>();
        for (Element member : cls.getEnclosedElements()) {
            if (member.getModifiers().contains(Modifier.PRIVATE) && member.getModifiers().contains(Modifier.STATIC)) {
                if (member instanceof ExecutableElement m && m.getKind() == ElementKind.METHOD) {
                    helpers.computeIfAbsent(m.getSimpleName().toString(), k -> new ArrayList<>()).add(m);
                } else if (!constants.contains(member.getSimpleName().toString())) {
                    fields.add(member.getSimpleName().toString());
                }
            }
        }
        List<MethodTree> copied = new ArrayList<>();
        java.util.Deque<MethodTree> toScan = new java.util.ArrayDeque<>(kernels);
        Set<String> seen = new HashSet<>();
        while (!toScan.isEmpty()) {
            MethodTree method = toScan.poll();
            Set<String> hiding = DeclaredNames.of(method);
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitIdentifier(IdentifierTree id, Void unused) {
                    String name = id.getName().toString();
                    if (fields.contains(name) && !hiding.contains(name)) {
                        throw new Rejected(id, name + " is a private field; a @Parallel kernel may use the private constants of its "
                                + "class, but not its other private fields, because its JVM launcher is another class");
                    }
                    if (helpers.containsKey(name) && seen.add(name)) {
                        for (ExecutableElement m : helpers.get(name)) {
                            MethodTree tree = trees.getTree(m);
                            copied.add(tree);
                            toScan.add(tree);
                        }
                    }
                    return null;
                }
            }.scan(method.getBody(), null);
        }
        return copied;
    }
}
