package org.longnet.engine.translator;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.Trees;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates the methods of one class that javac has just analyzed, from their attributed trees,
 * for every dialect: its kernels, and the device functions it defines (a kernel class's helpers,
 * or every static method of a {@code @DeviceFunctions} class).
 */
final class ClassTranslator {
    static final List<Dialect> DIALECTS = List.of(new OpenClDialect(), new CudaDialect());

    private final Trees trees;
    private final CallGraph graph;
    private final TypeElement kernelClass;
    private final CompilationUnitTree unit;
    private final Map<Dialect, CTranslator> translators = new LinkedHashMap<>();

    /** {@code library}: the functions are for other classes' kernels (a {@code @DeviceFunctions} class, or one whose static methods they call). */
    ClassTranslator(Trees trees, CompilationUnitTree unit, TypeElement cls, boolean library, CallGraph graph) {
        this.trees = trees;
        this.graph = graph;
        this.kernelClass = library ? null : cls;
        this.unit = unit;
        if (!library) {
            java.util.Set<String> variables = new java.util.HashSet<>();
            new com.sun.source.util.TreeScanner<Void, Void>() {
                @Override
                public Void visitVariable(com.sun.source.tree.VariableTree v, Void unused) {
                    variables.add(v.getName().toString());
                    return super.visitVariable(v, unused);
                }
            }.scan(trees.getTree(cls), null);
            CNames.variablesOf(cls, variables);
        }
        DIALECTS.forEach(d -> translators.put(d, new CTranslator(trees, unit, cls, library, graph.sourceLibrary, d)));
    }

    DeviceFunction function(ExecutableElement m) {
        MethodTree tree = trees.getTree(m);
        Map<String, String> prototypes = new LinkedHashMap<>(), definitions = new LinkedHashMap<>();
        CTranslator.Result first = null;
        for (var t : translators.entrySet()) {
            CTranslator.Result r = t.getValue().translate(tree);
            prototypes.put(t.getKey().name(), t.getValue().prototype(tree));
            definitions.put(t.getKey().name(), r.text());
            first = first == null ? r : first;
        }
        return new DeviceFunction(DeviceFunction.key(m), CNames.of(m, kernelClass), prototypes, definitions, first.usesBarrier(),
                first.usesMatrixUnits(), callees(m));
    }

    /** The kernel {@code k}, named {@code name} in C and in its class's {@code .kernels} file. */
    KernelFile.Kernel kernel(ExecutableElement k, KernelNames.Name name) {
        MethodTree tree = trees.getTree(k);
        Map<String, String> definitions = new LinkedHashMap<>();
        CTranslator.Result first = null;
        for (var t : translators.entrySet()) {
            CTranslator.Result r = t.getValue().translate(tree, name.cName());
            definitions.put(t.getKey().name(), r.text());
            first = first == null ? r : first;
        }
        boolean context = k.getParameters().stream().anyMatch(p -> JavaTypes.name(p.asType()).equals(JavaTypes.CONTEXT));
        int dims = ParallelNest.of(tree).dims();
        if (context && dims > 0 && !ParallelAtomics.onlyAtomicAdds(tree, k)) {
            throw new Rejected(tree, "a kernel uses either @Parallel loops or a KernelContext, not both (a @Parallel kernel may take a "
                    + "KernelContext only to call its atomicAdd, as TornadoVM's do)");
        }
        DeviceFunction function = new DeviceFunction(name.key(), name.cName(), Map.of(), definitions, first.usesBarrier(),
                first.usesMatrixUnits(), callees(k));
        boolean reduces = tree.getParameters().stream().anyMatch(Reductions::isReduce);
        boolean initialises = reduces && Reductions.of(unit, tree, ParallelNest.of(tree)).starts();
        return new KernelFile.Kernel(function, k.getSimpleName().toString(), dims > 0 ? "parallel" : context ? "context" : "single", dims,
                first.localBytes(), first.sizedLocals().stream().map(MethodScope.SizedLocal::descriptor).toList(), reduces, initialises,
                name.descriptor(), first.staticFields());
    }

    private List<String> callees(ExecutableElement m) {
        return graph.calls.get(m).stream().map(DeviceFunction::key).toList();
    }
}
