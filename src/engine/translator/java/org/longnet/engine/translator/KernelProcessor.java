package org.longnet.engine.translator;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel translator, run inside javac. For every class with {@code @Kernel} methods it
 * writes, next to the class file: {@code Name.cl} (OpenCL C), {@code Name.cu} (CUDA C) and
 * {@code Name.kernels} (one line per kernel: name, kind, dimensions, barrier use, C name, bytes of
 * work-group local memory), plus a
 * generated {@code Name_JvmLauncher} class for {@code @Parallel} kernels.
 * <p>
 * The launcher is written during annotation processing (it must be compiled in this same run);
 * the C is written after attribution, when every expression has its exact Java type.
 */
@SupportedAnnotationTypes(KernelProcessor.KERNEL)
public final class KernelProcessor extends AbstractProcessor {
    static final String KERNEL = "org.longnet.engine.api.Kernel";
    private static final List<Dialect> DIALECTS = List.of(new OpenClDialect(), new CudaDialect());

    private Trees trees;
    /** Kernel classes waiting for attribution, with the resource files reserved for them. */
    private final Map<TypeElement, Map<String, FileObject>> pending = new LinkedHashMap<>();

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        trees = Trees.instance(env);
        JavacTask.instance(env).addTaskListener(new TaskListener() {
            @Override
            public void finished(TaskEvent e) {
                if (e.getKind() == TaskEvent.Kind.ANALYZE && e.getTypeElement() != null) {
                    translateAnalyzed(e.getTypeElement(), e.getCompilationUnit());
                }
            }
        });
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement kernel = processingEnv.getElementUtils().getTypeElement(KERNEL);
        if (kernel == null) {
            return false;
        }
        Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
        for (Element e : round.getElementsAnnotatedWith(kernel)) {
            if (e instanceof ExecutableElement m && checkSignature(m)) {
                byClass.computeIfAbsent((TypeElement) m.getEnclosingElement(), k -> new ArrayList<>()).add(m);
            }
        }
        byClass.forEach(this::prepare);
        return true;
    }

    private boolean checkSignature(ExecutableElement m) {
        String problem = !m.getModifiers().contains(Modifier.STATIC) ? "must be static"
                : m.getModifiers().contains(Modifier.PRIVATE) ? "must not be private (the runtime and the JVM launcher call it)"
                : m.getReturnType().getKind() != TypeKind.VOID ? "must return void (results go to array parameters)"
                : null;
        if (problem != null) {
            error("@Kernel method " + m.getSimpleName() + " " + problem, m);
        }
        return problem == null;
    }

    /** Reserves the output files and writes the JVM launcher of one kernel class. */
    private void prepare(TypeElement cls, List<ExecutableElement> kernels) {
        Set<String> names = new HashSet<>();
        for (ExecutableElement k : kernels) {
            if (!names.add(k.getSimpleName().toString())) {
                error("two kernels named " + k.getSimpleName() + " in " + cls.getSimpleName()
                        + ": kernel names must be unique in their class", k);
                return;
            }
        }
        String pkg = packageOf(cls).getQualifiedName().toString();
        String nested = nestedName(cls);
        String binary = nested.replace('.', '$');
        try {
            Map<String, FileObject> files = new LinkedHashMap<>();
            for (String ext : List.of("cl", "cu", "kernels")) {
                files.put(ext, processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, pkg, binary + "." + ext, cls));
            }
            pending.put(cls, files);
            List<MethodTree> parallel = new ArrayList<>();
            for (ExecutableElement k : kernels) {
                MethodTree tree = trees.getTree(k);
                try {
                    ParallelNest nest = ParallelNest.of(tree);
                    if (nest.dims() > 0) {
                        JvmLauncherWriter.prologue(tree, nest);
                        parallel.add(tree);
                        checkLauncherCanCall(cls, tree);
                    }
                } catch (Rejected r) {
                    report(r, trees.getPath(k).getCompilationUnit());
                }
            }
            if (!parallel.isEmpty()) {
                CompilationUnitTree unit = trees.getPath(cls).getCompilationUnit();
                String source = new JvmLauncherWriter(unit, trees.getSourcePositions()).write(pkg, nested, parallel);
                String launcher = (pkg.isEmpty() ? "" : pkg + ".") + JvmLauncherWriter.launcherName(nested);
                try (Writer w = processingEnv.getFiler().createSourceFile(launcher, cls).openWriter()) {
                    w.write(source);
                }
            }
        } catch (IOException e) {
            error("cannot write kernel files for " + cls.getQualifiedName() + ": " + e.getMessage(), cls);
        }
    }

    /** The launcher is another class, so the kernel may not rely on private members of its own. */
    private void checkLauncherCanCall(TypeElement cls, MethodTree kernel) {
        Set<String> privateMembers = new HashSet<>();
        for (Element member : cls.getEnclosedElements()) {
            if (member.getModifiers().contains(Modifier.PRIVATE) && member.getModifiers().contains(Modifier.STATIC)) {
                privateMembers.add(member.getSimpleName().toString());
            }
        }
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                if (privateMembers.contains(id.getName().toString())) {
                    throw new Rejected(id, id.getName() + " is private; members that a @Parallel kernel uses must not be"
                            + " private, because its JVM launcher (another class) calls them");
                }
                return null;
            }
        }.scan(kernel.getBody(), null);
    }

    // ---------------------------------------------------------------- after attribution

    private void translateAnalyzed(TypeElement analyzed, CompilationUnitTree unit) {
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (outermost(entry.getKey()).equals(analyzed)) {
                it.remove();
                translate(entry.getKey(), unit, entry.getValue());
            }
        }
    }

    private void translate(TypeElement cls, CompilationUnitTree unit, Map<String, FileObject> files) {
        List<ExecutableElement> kernels = new ArrayList<>();
        for (Element e : cls.getEnclosedElements()) {
            if (e instanceof ExecutableElement m && m.getAnnotationMirrors().stream()
                    .anyMatch(a -> a.getAnnotationType().toString().equals(KERNEL))) {
                kernels.add(m);
            }
        }
        CallGraph graph = new CallGraph(cls);
        for (ExecutableElement k : kernels) {
            graph.visit(k, new ArrayList<>());
        }
        if (graph.failed) {
            return;
        }
        Map<String, String> sources = new LinkedHashMap<>();
        StringBuilder descriptor = new StringBuilder();
        boolean failed = false;
        for (Dialect d : DIALECTS) {
            CTranslator t = new CTranslator(trees, unit, cls, d);
            StringBuilder out = new StringBuilder("// Generated by the LongNet kernel translator from ")
                    .append(cls.getQualifiedName()).append(". Do not edit.\n").append(d.prelude()).append('\n');
            Set<ExecutableElement> barrierUsers = new HashSet<>();
            try {
                for (ExecutableElement h : graph.helpers) {
                    out.append(t.prototype(trees.getTree(h)));
                }
                for (ExecutableElement h : graph.helpers) {
                    out.append('\n').append(t.translate(trees.getTree(h), false));
                    if (t.usedBarrier()) {
                        barrierUsers.add(h);
                    }
                }
                for (ExecutableElement k : kernels) {
                    MethodTree tree = trees.getTree(k);
                    out.append('\n').append(t.translate(tree, true));
                    if (d == DIALECTS.get(0)) {
                        boolean barrier = t.usedBarrier() || graph.reaches(k, barrierUsers);
                        descriptor.append(describe(k, tree, barrier, t.localBytes())).append('\n');
                    }
                }
            } catch (Rejected r) {
                report(r, unit);
                failed = true;
                break;
            }
            sources.put(d.name(), out.toString());
        }
        if (failed) {
            return;
        }
        sources.put("kernels", descriptor.toString());
        try {
            for (var f : files.entrySet()) {
                try (Writer w = f.getValue().openWriter()) {
                    w.write(sources.get(f.getKey()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kernel files for " + cls.getQualifiedName(), e);
        }
    }

    private static String describe(ExecutableElement k, MethodTree tree, boolean barrier, int localBytes) {
        boolean context = k.getParameters().stream()
                .anyMatch(p -> CTranslator.javaType(p.asType()).equals(CTranslator.CONTEXT));
        int dims = ParallelNest.of(tree).dims();
        if (context && dims > 0) {
            throw new Rejected(tree, "a kernel uses either @Parallel loops or a KernelContext, not both");
        }
        String kind = context ? "context" : dims > 0 ? "parallel" : "single";
        return k.getSimpleName() + "\t" + kind + "\t" + dims + "\t" + barrier + "\t" + CTranslator.cname(k.getSimpleName().toString())
                + "\t" + localBytes;
    }

    /** Static methods of the kernel class reachable from its kernels; recursion is an error. */
    private final class CallGraph {
        final TypeElement cls;
        final Set<ExecutableElement> helpers = new LinkedHashSet<>();
        final Map<ExecutableElement, Set<ExecutableElement>> calls = new LinkedHashMap<>();
        boolean failed;

        CallGraph(TypeElement cls) {
            this.cls = cls;
        }

        void visit(ExecutableElement m, List<ExecutableElement> stack) {
            if (stack.contains(m)) {
                List<String> cycle = new ArrayList<>();
                for (ExecutableElement s : stack.subList(stack.indexOf(m), stack.size())) {
                    cycle.add(s.getSimpleName().toString());
                }
                cycle.add(m.getSimpleName().toString());
                error("recursion is not allowed in a kernel (devices have no call stack): " + String.join(" -> ", cycle), m);
                failed = true;
                return;
            }
            if (calls.containsKey(m)) {
                return;
            }
            Set<ExecutableElement> callees = callees(m);
            calls.put(m, callees);
            stack.add(m);
            for (ExecutableElement c : callees) {
                visit(c, stack);
                if (!c.getAnnotationMirrors().stream().anyMatch(a -> a.getAnnotationType().toString().equals(KERNEL))) {
                    helpers.add(c);
                }
            }
            stack.remove(stack.size() - 1);
        }

        boolean reaches(ExecutableElement from, Set<ExecutableElement> targets) {
            for (ExecutableElement c : calls.getOrDefault(from, Set.of())) {
                if (targets.contains(c) || reaches(c, targets)) {
                    return true;
                }
            }
            return false;
        }

        private Set<ExecutableElement> callees(ExecutableElement m) {
            Set<ExecutableElement> out = new LinkedHashSet<>();
            TreePath path = trees.getPath(m);
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                    if (trees.getElement(getCurrentPath()) instanceof ExecutableElement callee
                            && callee.getEnclosingElement().equals(cls) && callee.getModifiers().contains(Modifier.STATIC)
                            && callee.getKind() == ElementKind.METHOD) {
                        out.add(callee);
                    }
                    return super.visitMethodInvocation(call, unused);
                }
            }.scan(path, null);
            return out;
        }
    }

    // ---------------------------------------------------------------- small helpers

    private void report(Rejected r, CompilationUnitTree unit) {
        trees.printMessage(Diagnostic.Kind.ERROR, "kernel: " + r.getMessage(), r.where, unit);
    }

    private void error(String message, Element where) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "kernel: " + message, where);
    }

    private static PackageElement packageOf(Element e) {
        while (!(e instanceof PackageElement p)) {
            e = e.getEnclosingElement();
        }
        return p;
    }

    private static TypeElement outermost(TypeElement cls) {
        TypeElement t = cls;
        while (t.getEnclosingElement() instanceof TypeElement outer) {
            t = outer;
        }
        return t;
    }

    private static String nestedName(TypeElement cls) {
        String q = cls.getQualifiedName().toString();
        String pkg = packageOf(cls).getQualifiedName().toString();
        return pkg.isEmpty() ? q : q.substring(pkg.length() + 1);
    }
}
