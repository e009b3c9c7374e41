package org.longnet.engine.translator;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;

import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Lambdas handed to a TornadoVM task graph's {@code task(name, (a, b) -> { ... }, x, y)}. Each becomes a {@code @Kernel}
 * static method of a generated class {@code Outer_TaskLambdas} (one per top-level class, in its package, with its imports):
 * the lambda's body under the parameter types that the source gives (explicitly, or through the task's arguments: {@link
 * ArgumentTypes}), named {@code linesAtoB} after the lines of the body, plus {@code referenceToLinesAtoB()} returning it
 * as a TornadoVM task. At run time TornadoVM's task graph finds the kernel of a lambda by the line numbers of javac's
 * implementation method, so the mapping is exact only if no other lambda shares those lines: a task lambda whose lines
 * another lambda shares is rejected, as is one that uses a local variable of its method, {@code this}, or an instance or
 * private member of its class (the generated class sees the enclosing classes' other static members by static import).
 */
final class TaskLambdas {
    /** The functional interfaces of TornadoVM's tasks; without them on the class path there is no TornadoVM task graph. */
    static final String TORNADO_FUNCTIONS = "uk.ac.manchester.tornado.api.common.TornadoFunctions";
    static final String SUFFIX = "_TaskLambdas";

    /** One class's generated source, or the problems that stop it. */
    record Generated(String qualifiedName, String source, List<Rejected> problems) {
    }

    private final Trees trees;
    private final ArgumentTypes argumentTypes;

    TaskLambdas(Trees trees) {
        this.trees = trees;
        this.argumentTypes = new ArgumentTypes(trees);
    }

    /**
     * Writes the generated class of each top-level class among {@code roots} whose source names {@code TaskGraph} and hands
     * lambdas to {@code task}; it is compiled in the next round, where its {@code @Kernel} methods are found like any
     * others. Call only where TornadoVM's task interfaces are on the class path: the engine's own task graph takes no lambdas.
     */
    void write(Set<? extends Element> roots, Filer filer, BiConsumer<Rejected, CompilationUnitTree> report) {
        for (Element root : roots) {
            if (!(root instanceof TypeElement cls) || cls.getNestingKind() != NestingKind.TOP_LEVEL || trees.getPath(cls) == null
                    || !TaskKernels.namesTaskGraph(trees.getPath(cls).getCompilationUnit())) {
                continue;
            }
            Generated generated = of(cls);
            if (generated == null) {
                continue;
            }
            generated.problems().forEach(r -> report.accept(r, trees.getPath(cls).getCompilationUnit()));
            try (Writer w = filer.createSourceFile(generated.qualifiedName(), cls).openWriter()) {
                w.write(generated.source());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + generated.qualifiedName(), e);
            }
        }
    }

    /** The generated class of the top-level class {@code cls}, or null where it hands no lambda to {@code task}. */
    private Generated of(TypeElement cls) {
        TreePath path = trees.getPath(cls);
        if (path == null) {
            return null;
        }
        CompilationUnitTree unit = path.getCompilationUnit();
        SourcePositions positions = trees.getSourcePositions();
        List<TreePath> taskLambdas = new ArrayList<>();
        List<LambdaExpressionTree> all = new ArrayList<>();
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
                all.add(lambda);
                if (getCurrentPath().getParentPath().getLeaf() instanceof MethodInvocationTree call && isTask(call)
                        && call.getArguments().indexOf(lambda) == 1) {
                    taskLambdas.add(getCurrentPath());
                }
                return super.visitLambdaExpression(lambda, unused);
            }
        }.scan(path, null);
        if (taskLambdas.isEmpty()) {
            return null;
        }
        String source;
        try {
            source = unit.getSourceFile().getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Rejected> problems = new ArrayList<>();
        StringBuilder methods = new StringBuilder();
        for (TreePath lambdaPath : taskLambdas) {
            LambdaExpressionTree lambda = (LambdaExpressionTree) lambdaPath.getLeaf();
            long first = line(unit, positions.getStartPosition(unit, lambda.getBody()));
            long last = line(unit, positions.getEndPosition(unit, lambda.getBody()));
            try {
                for (LambdaExpressionTree other : all) {
                    if (other != lambda && line(unit, positions.getStartPosition(unit, other)) <= last
                            && line(unit, positions.getEndPosition(unit, other)) >= first) {
                        throw new Rejected(lambda, "another lambda shares lines " + first + " to " + last + " with this task lambda, so "
                                + "the task cannot tell them apart at run time: give each lambda lines of its own");
                    }
                }
                checkNames(lambda, lambdaPath);
                String name = "lines" + first + "to" + last;
                List<String> types = parameterTypes(lambda, lambdaPath);
                String body = source.substring((int) positions.getStartPosition(unit, lambda.getBody()),
                        (int) positions.getEndPosition(unit, lambda.getBody()));
                if (lambda.getBodyKind() == LambdaExpressionTree.BodyKind.EXPRESSION) {
                    body = "{\n        " + body + ";\n    }";
                }
                List<String> params = new ArrayList<>();
                for (int i = 0; i < types.size(); i++) {
                    params.add(types.get(i) + " " + lambda.getParameters().get(i).getName());
                }
                methods.append("\n    @org.longnet.engine.api.Kernel\n    static void ").append(name).append('(')
                        .append(String.join(", ", params)).append(") ").append(body).append('\n');
                methods.append("\n    static java.io.Serializable referenceTo").append(capitalized(name)).append("() {\n        return (")
                        .append(taskInterface(types)).append(") ").append(simpleName(cls)).append(SUFFIX).append("::").append(name)
                        .append(";\n    }\n");
            } catch (Rejected r) {
                problems.add(r);
            }
        }
        return new Generated(cls.getQualifiedName() + SUFFIX, classSource(cls, unit, methods.toString()), problems);
    }

    static boolean isTask(MethodInvocationTree call) {
        return call.getMethodSelect() instanceof MemberSelectTree sel && sel.getIdentifier().contentEquals("task")
                && call.getArguments().size() >= 2;
    }

    private List<String> parameterTypes(LambdaExpressionTree lambda, TreePath lambdaPath) {
        MethodInvocationTree call = (MethodInvocationTree) lambdaPath.getParentPath().getLeaf();
        List<? extends ExpressionTree> args = call.getArguments().subList(2, call.getArguments().size());
        if (args.size() != lambda.getParameters().size()) {
            throw new Rejected(lambda, "this task lambda takes " + lambda.getParameters().size() + " parameters but the task passes "
                    + args.size() + " arguments");
        }
        List<String> types = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            VariableTree p = lambda.getParameters().get(i);
            String type = p.getType() != null && !p.getType().toString().equals("var") ? ArgumentTypes.unboxed(p.getType().toString())
                    : argumentTypes.of(args.get(i), lambdaPath.getParentPath());
            if (type == null) {
                throw new Rejected(args.get(i), "cannot tell the type of " + args.get(i) + " (argument " + (i + 1) + " of the task lambda) "
                        + "from the source; give the lambda's parameters their types, like (FloatArray a, int n) -> { ... }");
            }
            types.add(type);
        }
        return types;
    }

    /**
     * Rejects a body that uses a name the generated class cannot see as the lambda does: a local variable or parameter of
     * an enclosing method or lambda (a capture), {@code this} or {@code super}, or an instance or private member of an
     * enclosing class.
     */
    private void checkNames(LambdaExpressionTree lambda, TreePath lambdaPath) {
        Set<String> own = declaredNames(lambda, null);
        Set<String> enclosingLocals = new HashSet<>();
        List<TypeElement> enclosingClasses = new ArrayList<>();
        for (TreePath p = lambdaPath.getParentPath(); p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof MethodTree || p.getLeaf() instanceof LambdaExpressionTree) {
                enclosingLocals.addAll(declaredNames(p.getLeaf(), lambda));
            } else if (p.getLeaf() instanceof ClassTree && trees.getElement(p) instanceof TypeElement c) {
                enclosingClasses.add(c);
            }
        }
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                String name = id.getName().toString();
                if (name.equals("this") || name.equals("super")) {
                    throw new Rejected(id, "a task lambda cannot use " + name + ": it runs as a static kernel");
                }
                if (own.contains(name)) {
                    return null;
                }
                if (enclosingLocals.contains(name)) {
                    throw new Rejected(id, "this task lambda uses " + name + ", a local variable of the code around it; a task lambda "
                            + "may use only its parameters and static members: pass " + name + " to the task as an argument");
                }
                for (TypeElement c : enclosingClasses) {
                    for (Element e : c.getEnclosedElements()) {
                        if ((e.getKind() == ElementKind.FIELD || e.getKind() == ElementKind.METHOD) && e.getSimpleName().contentEquals(name)) {
                            String problem = !e.getModifiers().contains(Modifier.STATIC) ? "an instance member"
                                    : e.getModifiers().contains(Modifier.PRIVATE) ? "a private member" : null;
                            if (problem != null) {
                                throw new Rejected(id, "this task lambda uses " + name + ", " + problem + " of " + c.getSimpleName()
                                        + "; a task lambda runs as a static kernel of another class, which sees only the static "
                                        + "members that are not private");
                            }
                        }
                    }
                }
                return null;
            }
        }.scan(lambda.getBody(), null);
    }

    /** The names of the variables and parameters declared in {@code tree}, leaving out those inside {@code skipped}. */
    private static Set<String> declaredNames(Tree tree, Tree skipped) {
        Set<String> names = new HashSet<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree v, Void unused) {
                names.add(v.getName().toString());
                return super.visitVariable(v, unused);
            }

            @Override
            public Void visitLambdaExpression(LambdaExpressionTree l, Void unused) {
                return l == skipped ? null : super.visitLambdaExpression(l, unused);
            }
        }.scan(tree, null);
        return names;
    }

    private static String classSource(TypeElement cls, CompilationUnitTree unit, String methods) {
        return classSource(cls, unit, SUFFIX, "the lambdas that " + simpleName(cls) + " hands to task(...), as kernels named by the lines "
                + "of their bodies", List.of(), methods);
    }

    /**
     * A generated class {@code Outer + suffix} beside the top-level class {@code cls}: in its package, with the imports of its
     * source, the members of {@code cls} and those of {@code nested} (member classes of it) imported, and {@code methods}.
     */
    static String classSource(TypeElement cls, CompilationUnitTree unit, String suffix, String what, List<String> nested, String methods) {
        StringBuilder out = new StringBuilder();
        String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
        if (!pkg.isEmpty()) {
            out.append("package ").append(pkg).append(";\n\n");
        }
        for (ImportTree i : unit.getImports()) {
            out.append("import ").append(i.isStatic() ? "static " : "").append(i.getQualifiedIdentifier()).append(";\n");
        }
        if (!pkg.isEmpty()) { // a class of the unnamed package cannot be imported from
            List<String> imported = new ArrayList<>(List.of(cls.getQualifiedName().toString()));
            imported.addAll(nested);
            for (String c : imported) {
                out.append("import static ").append(c).append(".*;\n");
                out.append("import ").append(c).append(".*;\n");
            }
        }
        out.append('\n');
        out.append("/** Generated by the kernel translator: ").append(what).append(". */\n");
        out.append("final class ").append(simpleName(cls)).append(suffix).append(" {\n    private ").append(simpleName(cls)).append(suffix)
                .append("() {\n    }\n").append(methods).append("}\n");
        return out.toString();
    }

    /** TornadoVM's task interface of these parameter types, primitives boxed as its type arguments. */
    static String taskInterface(List<String> types) {
        String base = TORNADO_FUNCTIONS + ".Task" + (types.isEmpty() ? "" : types.size());
        return types.isEmpty() ? base : base + "<" + String.join(", ", types.stream().map(TaskLambdas::boxed).toList()) + ">";
    }

    private static String boxed(String type) {
        return switch (type) {
            case "int" -> "Integer";
            case "char" -> "Character";
            case "long", "float", "double", "short", "byte", "boolean" -> Character.toUpperCase(type.charAt(0)) + type.substring(1);
            default -> type;
        };
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String simpleName(TypeElement cls) {
        return cls.getSimpleName().toString();
    }

    private static long line(CompilationUnitTree unit, long position) {
        return unit.getLineMap().getLineNumber(position);
    }
}
