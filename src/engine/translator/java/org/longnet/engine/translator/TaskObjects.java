package org.longnet.engine.translator;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;

import javax.annotation.processing.Filer;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Task methods that read objects' fields (instance methods, static methods taking objects: {@link ObjectFields}) as
 * {@code @Kernel} static methods of a generated class {@code Outer_TaskObjects}, one per top-level class that declares
 * them, in its package. Each kernel, named {@code Owner_method} (numbered after the first of a name), comes with
 * {@code bindingOfOwner_method()}, which tells the run time the method it stands for (class, name, descriptor), a reference
 * to the kernel as a TornadoVM task, where each of the kernel's parameters comes from ({@link ObjectFields#sourceOf}) and
 * which objects' classes to check; the methods they call on objects are helpers beside them ({@link ObjectCalls}).
 */
final class TaskObjects {
    static final String SUFFIX = "_TaskObjects";

    private final Trees trees;
    private final Elements elements;
    private final Types types;

    TaskObjects(Trees trees, Elements elements, Types types) {
        this.trees = trees;
        this.elements = elements;
        this.types = types;
    }

    /** Writes the generated class of each top-level class in {@code bound}, with a kernel for each of its methods there. */
    void write(Map<TypeElement, Set<ExecutableElement>> bound, List<TypeElement> compiledNow, BiFunction<String, TreePath, TypeElement> resolver,
               Filer filer, BiConsumer<Rejected, CompilationUnitTree> report) {
        bound.forEach((cls, methods) -> {
            CompilationUnitTree unit = trees.getPath(cls).getCompilationUnit();
            StringBuilder source = new StringBuilder();
            Set<String> names = new HashSet<>();
            ObjectCalls calls = new ObjectCalls(trees, elements, types, compiledNow, resolver, names);
            Set<String> nested = new java.util.LinkedHashSet<>();
            for (ExecutableElement m : methods) {
                TypeElement owner = (TypeElement) m.getEnclosingElement();
                try {
                    if (m.getReturnType().getKind() != TypeKind.VOID) {
                        throw new Rejected(trees.getTree(m), "a task's method must return void (results go to arrays): " + m.getSimpleName()
                                + " returns " + m.getReturnType());
                    }
                    ObjectFields.Flattened kernel = new ObjectFields(trees, m, LauncherPrivates.constants(owner), calls).flatten();
                    String name = calls.freshName(nestedName(owner, cls) + "_" + m.getSimpleName());
                    append(source, cls, m, owner, name, kernel);
                    if (owner != cls && accessible(owner)) {
                        nested.add(owner.getQualifiedName().toString());
                    }
                } catch (Rejected r) {
                    report.accept(r, unit);
                }
            }
            String generated = TaskLambdas.classSource(cls, unit, SUFFIX, "the methods that task graphs run on objects, as static kernels "
                    + "that take the objects' fields", List.copyOf(nested), source.append(calls.source()).toString());
            try (Writer w = filer.createSourceFile(cls.getQualifiedName() + SUFFIX, cls).openWriter()) {
                w.write(generated);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + cls.getQualifiedName() + SUFFIX, e);
            }
        });
    }

    private void append(StringBuilder out, TypeElement cls, ExecutableElement m, TypeElement owner, String name,
                        ObjectFields.Flattened kernel) {
        List<ObjectFields.Parameter> params = kernel.parameters();
        out.append("\n    @org.longnet.engine.api.Kernel\n    static void ").append(name).append('(')
                .append(params.stream().map(ObjectFields.Parameter::declaration).collect(Collectors.joining(", "))).append(") ")
                .append(kernel.body()).append('\n');
        out.append("\n    static Object[] bindingOf").append(Character.toUpperCase(name.charAt(0))).append(name.substring(1))
                .append("() {\n        return new Object[] {\"").append(elements.getBinaryName(owner)).append("\", \"").append(m.getSimpleName())
                .append("\", \"").append(descriptor(m)).append("\",\n                (")
                .append(TaskLambdas.taskInterface(params.stream().map(ObjectFields.Parameter::type).toList())).append(") ")
                .append(cls.getSimpleName()).append(SUFFIX).append("::").append(name).append(",\n                new String[] {")
                .append(quoted(params.stream().map(ObjectFields.Parameter::source).toList())).append("},\n                new String[] {")
                .append(quoted(kernel.checks())).append("}};\n    }\n");
    }

    private static String quoted(List<String> strings) {
        return strings.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
    }

    /** The JVM descriptor of a method, as a method reference's serialized form names it. */
    private String descriptor(ExecutableElement m) {
        StringBuilder out = new StringBuilder("(");
        for (VariableElement p : m.getParameters()) {
            out.append(descriptor(p.asType()));
        }
        return out.append(')').append(descriptor(m.getReturnType())).toString();
    }

    private String descriptor(TypeMirror type) {
        return KernelNames.descriptor(types.erasure(type), types, elements);
    }

    /** {@code Inner} for {@code Outer.Inner}, {@code A_B} for {@code Outer.A.B}, {@code Outer} for the top-level class. */
    private static String nestedName(TypeElement owner, TypeElement top) {
        List<String> parts = new ArrayList<>();
        for (TypeElement t = owner; t != top; t = (TypeElement) t.getEnclosingElement()) {
            parts.add(0, t.getSimpleName().toString());
        }
        return parts.isEmpty() ? top.getSimpleName().toString() : String.join("_", parts);
    }

    /** Whether another class of the package may import a member class's members: neither it nor a class around it is private. */
    private static boolean accessible(TypeElement nested) {
        for (javax.lang.model.element.Element t = nested; t instanceof TypeElement cls; t = cls.getEnclosingElement()) {
            if (cls.getModifiers().contains(Modifier.PRIVATE)) {
                return false;
            }
        }
        return true;
    }
}
