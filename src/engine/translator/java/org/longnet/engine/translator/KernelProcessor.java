package org.longnet.engine.translator;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel translator, run inside javac. For every class with {@code @Kernel} methods it writes,
 * next to the class file, {@code Name.cl} (OpenCL C), {@code Name.cu} (CUDA C) and
 * {@code Name.kernels} ({@link KernelFile}), plus a generated {@code Name_JvmLauncher} class for
 * {@code @Parallel} kernels; for every {@code @DeviceFunctions} class, {@code Name.devicefunctions}
 * ({@link DeviceFunctionsFile}).
 * <p>
 * The launcher is written during annotation processing (it must be compiled in this same run). The
 * C is translated after attribution, when every expression has its exact Java type, each class from
 * its own trees when javac has analyzed it (javac lowers a class right after, so its trees serve no
 * later class). A kernel class's files are written once every library function its kernels reach
 * is translated too, which may be when a later class is analyzed.
 * <p>
 * A kernel is a static method marked {@code @Kernel}, or one that a compiled source hands to a task graph's
 * {@code task(...)} ({@link TaskKernels}), as in TornadoVM; lambdas and methods on objects handed to TornadoVM's
 * {@code task(...)} become kernels of generated classes ({@link TaskLambdas}, {@link TaskObjects}). So the processor
 * looks at every source (it supports {@code "*"}), and claims no annotation, so other processors still see them all.
 */
@SupportedAnnotationTypes("*")
public final class KernelProcessor extends AbstractProcessor {
    private Trees trees;
    private Libraries libraries;
    /** Kernel classes to translate once analyzed, with the files reserved for them. */
    private final Map<TypeElement, Map<String, FileObject>> kernelClasses = new LinkedHashMap<>();
    /** {@code @DeviceFunctions} classes to translate once analyzed, with the resource reserved for them. */
    private final Map<TypeElement, FileObject> libraryClasses = new LinkedHashMap<>();
    /** Other classes compiled now whose static methods kernels call, to translate once analyzed ({@link SourceLibraries}). */
    private SourceLibraries sourceLibraries;
    private final Set<TypeElement> sourceLibraryClasses = new java.util.LinkedHashSet<>();
    /** Kernel classes translated, whose files wait for library functions not translated yet. */
    private final Map<TypeElement, Waiting> waiting = new LinkedHashMap<>();
    private boolean reportedErrors;
    private TaskKernels taskKernels;
    private TaskLambdas taskLambdas;
    private TaskObjects taskObjects;
    private DeferredKernels deferred;
    /**
     * The names of each kernel class's kernels: its {@code @Kernel} methods and the methods handed to task graphs
     * (names, since javac makes the elements of methods anew after a round of processing).
     */
    private final Map<TypeElement, Set<String>> kernelsOf = new LinkedHashMap<>();
    /**
     * Each class's task methods that no device runs ({@link RefusedKernels}, {@link DeferredKernels}): their {@code .kernels} lines, by
     * name (and type, for deferred ones).
     */
    private final Map<TypeElement, Map<String, String>> refused = new LinkedHashMap<>();

    private record Waiting(KernelFile file, Map<String, FileObject> files) {
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        trees = Trees.instance(env);
        libraries = new Libraries(env.getFiler());
        taskKernels = new TaskKernels(trees, env.getElementUtils());
        taskLambdas = new TaskLambdas(trees);
        taskObjects = new TaskObjects(trees, env.getElementUtils(), env.getTypeUtils());
        sourceLibraries = new SourceLibraries(trees, env.getElementUtils());
        deferred = new DeferredKernels(trees, env);
        JavacTask.instance(env).addTaskListener(new TaskListener() {
            @Override
            public void finished(TaskEvent e) {
                if (e.getKind() == TaskEvent.Kind.ANALYZE && e.getTypeElement() != null) {
                    translateAnalyzed(e.getTypeElement(), e.getCompilationUnit());
                } else if (e.getKind() == TaskEvent.Kind.COMPILATION) {
                    finish();
                }
            }
        });
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        TypeElement kernel = processingEnv.getElementUtils().getTypeElement(JavaTypes.KERNEL);
        TypeElement deviceFunctions = processingEnv.getElementUtils().getTypeElement(JavaTypes.DEVICE_FUNCTIONS);
        if (deviceFunctions != null) {
            for (Element e : round.getElementsAnnotatedWith(deviceFunctions)) {
                if (e instanceof TypeElement cls) {
                    prepareLibrary(cls);
                }
            }
        }
        Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
        if (kernel != null) {
            for (Element e : round.getElementsAnnotatedWith(kernel)) {
                if (e instanceof ExecutableElement m && checkSignature(m)) {
                    byClass.computeIfAbsent((TypeElement) m.getEnclosingElement(), k -> new ArrayList<>()).add(m);
                }
            }
        }
        taskKernels.find(round.getRootElements()).forEach((cls, methods) -> {
            for (ExecutableElement m : methods) {
                List<ExecutableElement> known = byClass.computeIfAbsent(cls, k -> new ArrayList<>());
                if (!known.contains(m) && !JavaTypes.annotated(m, JavaTypes.KERNEL) && checkSignature(m)) {
                    known.add(m);
                }
            }
            if (byClass.get(cls) != null) {
                RefusedKernels.takeOut(byClass.get(cls), refused.computeIfAbsent(cls, k -> new LinkedHashMap<>()), processingEnv);
            }
        });
        if (processingEnv.getElementUtils().getTypeElement(TaskLambdas.TORNADO_FUNCTIONS) != null) {
            taskLambdas.write(round.getRootElements(), processingEnv.getFiler(), this::report);
            taskObjects.write(taskKernels.bound(round.getRootElements()), classes(round.getRootElements()), taskKernels::resolve,
                    processingEnv.getFiler(), this::report);
        }
        byClass.forEach((cls, kernels) -> {
            if (!kernels.isEmpty() || !refused.getOrDefault(cls, Map.of()).isEmpty()) {
                kernelsOf.put(cls, new java.util.LinkedHashSet<>(kernels.stream().map(KernelProcessor::signature).toList()));
                prepare(cls, kernels);
                for (TypeElement library : sourceLibraries.from(cls, kernels.stream().map(k -> k.getSimpleName().toString()).toList())) {
                    libraries.compiledNow(CNames.binaryName(library));
                    sourceLibraryClasses.add(library);
                }
            }
        });
        return false;
    }

    private boolean checkSignature(ExecutableElement m) {
        String problem = !m.getModifiers().contains(Modifier.STATIC) ? "must be static"
                : m.getReturnType().getKind() != TypeKind.VOID ? "must return void (results go to array parameters)"
                : JavaTypes.isDeviceFunctions(m.getEnclosingElement()) ? "cannot be in a @DeviceFunctions class: put kernels in a class of "
                        + "their own, which calls the device functions"
                : null;
        if (problem != null) {
            error((JavaTypes.annotated(m, JavaTypes.KERNEL) ? "@Kernel method " : "kernel (a task of a task graph) ") + m.getSimpleName()
                    + " " + problem, m);
        }
        return problem == null;
    }

    /** Reserves the output files and writes the JVM launcher of one kernel class. */
    private void prepare(TypeElement cls, List<ExecutableElement> kernels) {
        String pkg = packageOf(cls).getQualifiedName().toString();
        String nested = nestedName(cls);
        try {
            kernelClasses.put(cls, reserve(cls, List.of("cl", "cu", "kernels")));
            List<MethodTree> parallel = new ArrayList<>();
            for (ExecutableElement k : List.copyOf(kernels)) {
                MethodTree tree = trees.getTree(k);
                CompilationUnitTree unit = trees.getPath(k).getCompilationUnit();
                try {
                    ParallelNest nest = ParallelNest.of(tree);
                    if (nest.dims() > 0) {
                        JvmLauncherWriter.prologue(tree, nest);
                        Reductions.of(unit, tree, nest); // checks the @Reduce forms here, where a rejection may still be deferred
                        parallel.add(tree);
                    }
                } catch (Rejected r) {
                    if (deferred.defer(List.of(k), r, unit, refused.computeIfAbsent(cls, c -> new LinkedHashMap<>()))) {
                        kernels.remove(k);
                        kernelsOf.get(cls).remove(signature(k));
                    } else {
                        report(r, unit);
                    }
                }
            }
            if (!parallel.isEmpty()) {
                CompilationUnitTree unit = trees.getPath(cls).getCompilationUnit();
                List<MethodTree> helpers;
                try {
                    helpers = LauncherPrivates.helpers(trees, cls, parallel);
                } catch (Rejected r) {
                    report(r, unit);
                    return;
                }
                String source = new JvmLauncherWriter(unit, trees.getSourcePositions(), LauncherPrivates.constants(cls))
                        .write(pkg, nested, parallel, helpers);
                String launcher = (pkg.isEmpty() ? "" : pkg + ".") + JvmLauncherWriter.launcherName(nested);
                try (Writer w = processingEnv.getFiler().createSourceFile(launcher, cls).openWriter()) {
                    w.write(source);
                }
            }
        } catch (IOException e) {
            error("cannot write kernel files for " + cls.getQualifiedName() + ": " + e.getMessage(), cls);
        }
    }

    /**
     * Checks a {@code @DeviceFunctions} class's shape and reserves its resource: every method is static (each
     * is a device function). Overloads get C names of their own ({@link CNames#of(ExecutableElement, TypeElement)}).
     */
    private void prepareLibrary(TypeElement cls) {
        String binary = CNames.binaryName(cls);
        libraries.compiledNow(binary);
        boolean ok = true;
        for (ExecutableElement m : methods(cls)) {
            if (!m.getModifiers().contains(Modifier.STATIC)) {
                error("a @DeviceFunctions class holds static methods only (its device functions); " + m.getSimpleName() + " is not static", m);
                ok = false;
            }
        }
        try {
            if (ok) {
                libraryClasses.put(cls, reserve(cls, List.of(DeviceFunctionsFile.EXTENSION)).get(DeviceFunctionsFile.EXTENSION));
                return;
            }
        } catch (IOException e) {
            error("cannot write the device functions of " + cls.getQualifiedName() + ": " + e.getMessage(), cls);
        }
        libraries.failed(binary);
    }

    private Map<String, FileObject> reserve(TypeElement cls, List<String> extensions) throws IOException {
        String pkg = packageOf(cls).getQualifiedName().toString();
        String binary = nestedName(cls).replace('.', '$');
        Map<String, FileObject> files = new LinkedHashMap<>();
        for (String ext : extensions) {
            files.put(ext, processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, pkg, binary + "." + ext, cls));
        }
        return files;
    }

    // ---------------------------------------------------------------- after attribution

    private void translateAnalyzed(TypeElement analyzed, CompilationUnitTree unit) {
        for (var it = libraryClasses.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (outermost(entry.getKey()).equals(analyzed)) {
                it.remove();
                translateLibrary(entry.getKey(), unit, entry.getValue());
            }
        }
        for (var it = sourceLibraryClasses.iterator(); it.hasNext(); ) {
            TypeElement cls = it.next();
            if (outermost(cls).equals(analyzed)) {
                it.remove();
                translateSourceLibrary(cls, unit);
            }
        }
        for (var it = kernelClasses.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (outermost(entry.getKey()).equals(analyzed)) {
                it.remove();
                translateKernelClass(entry.getKey(), unit, entry.getValue());
            }
        }
        writeReady();
    }

    private void translateLibrary(TypeElement cls, CompilationUnitTree unit, FileObject file) {
        String binary = CNames.binaryName(cls);
        List<ExecutableElement> functions = methods(cls).stream().filter(m -> m.getModifiers().contains(Modifier.STATIC)).toList();
        try {
            CallGraph graph = new CallGraph(trees, cls, functions, sourceLibraries::isLibrary);
            check(graph);
            ClassTranslator translator = new ClassTranslator(trees, unit, cls, true, graph);
            Map<String, DeviceFunction> translated = new LinkedHashMap<>();
            for (ExecutableElement m : functions) {
                translated.put(m.getSimpleName() + CNames.overload(m, "(", ",", "()"), translator.function(m));
            }
            libraries.translated(binary, translated);
            write(file, DeviceFunctionsFile.write(binary, List.copyOf(translated.values())));
            return;
        } catch (Rejected r) {
            report(r, unit);
        }
        libraries.failed(binary);
    }

    /** Translates what kernels of other classes call of {@code cls}; what cannot run on a device is said where it is called. */
    private void translateSourceLibrary(TypeElement cls, CompilationUnitTree unit) {
        List<ExecutableElement> wanted = methods(cls).stream()
                .filter(m -> m.getModifiers().contains(Modifier.STATIC) && sourceLibraries.wanted(cls, m.getSimpleName().toString())).toList();
        SourceLibraryFunctions functions = new SourceLibraryFunctions(trees, unit, cls, wanted, sourceLibraries::isLibrary);
        String binary = CNames.binaryName(cls);
        functions.unavailable.forEach((name, why) -> libraries.unavailable(DeviceFunction.key(binary, name), why));
        libraries.translated(binary, functions.translated);
    }

    /**
     * Translates a kernel class's kernels and helpers into its waiting files. A kernel that may run as sequential Java instead
     * ({@link DeferredKernels}) is taken out where it is rejected, and the rest translated again without it.
     */
    private void translateKernelClass(TypeElement cls, CompilationUnitTree unit, Map<String, FileObject> files) {
        Set<String> names = kernelsOf.getOrDefault(cls, Set.of());
        List<ExecutableElement> kernels = new ArrayList<>(methods(cls).stream().filter(m -> names.contains(signature(m))).toList());
        while (true) {
            CallGraph graph = null;
            try {
                graph = new CallGraph(trees, cls, kernels, sourceLibraries::isLibrary);
                waiting.put(cls, new Waiting(translateKernels(cls, unit, kernels, graph), files));
                return;
            } catch (Rejected r) {
                List<ExecutableElement> culprits = deferred.culprits(r, unit, kernels, graph);
                if (!deferred.defer(culprits, r, unit, refused.computeIfAbsent(cls, c -> new LinkedHashMap<>()))) {
                    report(r, unit);
                    return;
                }
                kernels.removeAll(culprits);
            }
        }
    }

    /** The files of {@code kernels} of {@code cls} and the helpers they reach ({@code graph}); throws {@link Rejected} at the first problem. */
    private KernelFile translateKernels(TypeElement cls, CompilationUnitTree unit, List<ExecutableElement> kernels, CallGraph graph) {
        check(graph);
        ClassTranslator translator = new ClassTranslator(trees, unit, cls, false, graph);
        List<DeviceFunction> helpers = new ArrayList<>();
        for (ExecutableElement m : graph.reached) {
            if (!kernels.contains(m)) {
                helpers.add(translator.function(m));
            }
        }
        List<KernelFile.Kernel> translated = new ArrayList<>();
        Map<ExecutableElement, KernelNames.Name> kernelNames = KernelNames.of(kernels, processingEnv.getTypeUtils(),
                processingEnv.getElementUtils());
        for (ExecutableElement k : kernels) {
            translated.add(translator.kernel(k, kernelNames.get(k)));
        }
        return new KernelFile(cls.getQualifiedName().toString(), helpers, translated,
                List.copyOf(refused.getOrDefault(cls, Map.of()).values()));
    }

    /**
     * Throws {@link Rejected} at a recursion in {@code graph} or a call of a library function that is on the class path
     * untranslated. A library function compiled now is checked when its class is translated.
     */
    private void check(CallGraph graph) {
        if (graph.recursion != null) {
            throw new Rejected(trees.getTree(graph.recursionAt), "recursion is not allowed in a kernel (devices have no call stack): "
                    + graph.recursion);
        }
        for (Map.Entry<ExecutableElement, MethodInvocationTree> call : graph.libraryCallSites.entrySet()) {
            String key = DeviceFunction.key(call.getKey());
            TypeElement owner = (TypeElement) call.getKey().getEnclosingElement();
            if (sourceLibraries.isLibrary(owner) && !sourceLibraries.wanted(owner, call.getKey().getSimpleName().toString())) {
                throw new Rejected(call.getValue(), "cannot call " + DeviceFunction.javaName(key) + ": the translator finds the methods kernels "
                        + "call before javac attributes them, from calls written Class.method(...) or statically imported, and did not find this "
                        + "one; call it so, or mark " + owner.getSimpleName() + " @DeviceFunctions");
            }
            if (libraries.find(key) instanceof Libraries.Lookup.Missing missing) {
                throw new Rejected(call.getValue(), "cannot call " + DeviceFunction.javaName(key) + ": " + missing.why());
            }
        }
    }

    /** Writes the files of every waiting kernel class whose library functions are all translated now. */
    private void writeReady() {
        for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            try {
                Map<String, String> sources = entry.getValue().file().assemble(libraries, ClassTranslator.DIALECTS);
                if (sources == null) {
                    continue;
                }
                for (var f : entry.getValue().files().entrySet()) {
                    write(f.getValue(), sources.get(f.getKey()));
                }
            } catch (KernelFile.Problem p) {
                error(p.getMessage(), entry.getKey());
            }
            it.remove();
        }
    }

    /** At the end of the compilation no library is pending any more: a class still waiting waits for one that failed. */
    private void finish() {
        writeReady();
        if (!reportedErrors) {
            for (TypeElement cls : waiting.keySet()) {
                error("the kernel files of " + cls.getQualifiedName() + " were not written: a device function its kernels call was "
                        + "not translated (did javac stop before analyzing its class?)", cls);
            }
        }
        waiting.clear();
    }

    // ---------------------------------------------------------------- small helpers

    /** A method's name and type, which tell overloads apart across rounds. */
    private static String signature(ExecutableElement m) {
        return m.getSimpleName() + m.asType().toString();
    }

    /** The classes among {@code roots}, and the classes nested in them. */
    private static List<TypeElement> classes(Set<? extends Element> roots) {
        List<TypeElement> out = new ArrayList<>();
        java.util.Deque<Element> todo = new java.util.ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            if (todo.poll() instanceof TypeElement cls) {
                out.add(cls);
                todo.addAll(cls.getEnclosedElements());
            }
        }
        return out;
    }

    /** The methods a class declares (not its constructors), in order. */
    private static List<ExecutableElement> methods(TypeElement cls) {
        List<ExecutableElement> out = new ArrayList<>();
        for (Element e : cls.getEnclosedElements()) {
            if (e instanceof ExecutableElement m && m.getKind() == ElementKind.METHOD) {
                out.add(m);
            }
        }
        return out;
    }

    private static void write(FileObject file, String text) {
        try (Writer w = file.openWriter()) {
            w.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.getName(), e);
        }
    }

    private void report(Rejected r, CompilationUnitTree unit) {
        reportedErrors = true;
        trees.printMessage(Diagnostic.Kind.ERROR, "kernel: " + r.getMessage(), r.where, unit);
    }

    private void error(String message, Element where) {
        reportedErrors = true;
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
