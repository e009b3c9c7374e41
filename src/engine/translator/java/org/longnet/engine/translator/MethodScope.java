package org.longnet.engine.translator;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the translator knows while it translates one method for one dialect: the method's trees
 * with their types, the arrays it declared, the loops it is inside, and what it was found to use.
 */
final class MethodScope {
    final Trees trees;
    final CompilationUnitTree unit;
    final Dialect d;
    /** The class being translated: a kernel's helpers, or a {@code @DeviceFunctions} class's functions, are its static methods. */
    final TypeElement owner;
    /** The kernel class whose C this is; null when it is a library's (whose own functions carry its name too, see CNames). */
    final TypeElement kernelClass;
    /** Whether a class's static methods are translated from this compilation's sources for other classes' kernels ({@link SourceLibraries}). */
    final Predicate<Element> sourceLibrary;
    final MethodTree method;
    final boolean isKernel;
    final ParallelNest nest;
    /** A kernel's {@code @Reduce} parameters and their updates (none for a helper). */
    final Reductions reductions;
    /** The private and local arrays in scope, by Java name, with their sizes (a helper's local array parameters: unknown, MAX_VALUE). */
    final Map<String, Integer> arraySizes = new HashMap<>();
    final Set<String> localArrays = new HashSet<>();
    /**
     * A work-group local array whose length is a kernel's int parameter ({@code ctx.allocateFloatLocalArray(blockDim)}), or a
     * product of such parameters, lengths of array parameters, the work-group's extents ({@code ctx.localGroupSizeX}) and a
     * constant ({@code 4 * headSize}): the constant, the parameters' indices among the kernel's, the bytes of an element, its C
     * type, the lengths and the dimensions (0 for x) whose work-group extents it multiplies. The launch sizes them.
     */
    record SizedLocal(int constant, List<Integer> parameters, int elementBytes, String cType, List<Length> lengths, boolean perWorkItem,
                      List<Integer> groupExtents) {
        SizedLocal(int constant, List<Integer> parameters, int elementBytes, String cType) {
            this(constant, parameters, elementBytes, cType, List.of(), false, List.of());
        }

        /**
         * As the kernel's descriptor writes it: {@code constant*p*p*a/divisor*Ld:bytes} (Ld: the work-group's extent in
         * dimension d), and {@code :item} where each work-item of the group has that many elements of its own (a private
         * array sized by parameters, {@code new float[headSize]}).
         */
        String descriptor() {
            StringBuilder out = new StringBuilder().append(constant);
            parameters.forEach(p -> out.append('*').append(p));
            lengths.forEach(l -> out.append('*').append(l.parameter()).append('/').append(l.divisor()));
            groupExtents.forEach(d -> out.append("*L").append(d));
            return out.append(':').append(elementBytes).append(perWorkItem ? ":item" : "").toString();
        }

        SizedLocal of(int bytes, String type) {
            return new SizedLocal(constant, parameters, bytes, type, lengths, perWorkItem, groupExtents);
        }

        boolean byLaunch() {
            return !parameters.isEmpty() || !lengths.isEmpty() || !groupExtents.isEmpty();
        }
    }

    /**
     * A factor of a {@link SizedLocal}'s length: the elements of the kernel's array parameter {@code parameter} (its index)
     * divided by {@code divisor} ({@code v.getLength()} of a collection of vectors: by its lanes).
     */
    record Length(int parameter, int divisor) {
    }

    /** Stands for the bytes of the kernel's constant-size local arrays until its whole body is translated. */
    static final String CONSTANT_LOCAL_BYTES = "/*constant local bytes*/";

    /** A static field that is not a constant, which the kernel receives as a hidden parameter: its C name and Java type. */
    record StaticField(String cName, String javaType) {
    }

    /** The kernel's static fields read at launch ({@link StaticFields}), by {@code binaryClassName#field}, in the order of first reading. */
    final Map<String, StaticField> staticFields = new java.util.LinkedHashMap<>();
    /** The kernel's parameter-sized local arrays, in declaration order. */
    final List<SizedLocal> sizedLocals = new ArrayList<>();
    /** Their lengths in C (the parameter), by Java name. */
    final Map<String, String> sizedLocalLengths = new HashMap<>();
    /** Where the next parameter-sized local array starts in local memory: after the constant-size ones and those before it. */
    String sizedLocalOffset = CONSTANT_LOCAL_BYTES;
    /** The kernel's own collections ({@code new VectorFloat2(n)}), by Java name: arrays in work-group memory, with a C length {@code name_len}. */
    final Set<String> localCollections = new HashSet<>();
    /** A kernel's Java array parameters ({@code float[] a}): global memory, indexed as {@code a[i]}, with {@code a.length} from its C length. */
    final Set<String> globalArrays = new HashSet<>();
    /** A kernel's Java arrays of arrays ({@code float[][] a}): one global array with its row table ({@link RowArrays}). */
    final Set<String> rowArrays = new HashSet<>();
    /** The loops and switches around the statement being translated (what a break leaves), innermost first. */
    final Deque<Tree> loops = new ArrayDeque<>();
    private final Map<Tree, TreePath> paths = new IdentityHashMap<>();

    /** Whether the method waits for its work-group itself (a barrier, or an intrinsic whose emulation has one). */
    boolean usesBarrier;
    /** Whether the kernel calls a SIMD-group operation, whose OpenCL lowering needs a hidden local array ({@link SimdGroups}). */
    boolean usesSimdScratch;
    /** Whether the kernel makes a warp matrix product or load, whose OpenCL lowering needs a hidden local array ({@link MmaCalls}). */
    boolean usesMmaScratch;
    /** The MMA fragments the method declares, by Java name, with what they hold ({@link MmaCalls}). */
    final Map<String, MmaCalls.Kind> mmaFragments = new HashMap<>();
    /** Whether the method has matrix units read local memory on their own (warpgroup products). */
    boolean usesMatrixUnits;
    /** Bytes of work-group local memory the kernel allocated so far: each local array starts at the running total, 16-byte aligned. */
    int localBytes;
    /** Where each local array of the kernel starts: on a multiple of these bytes ({@link TmaTiles}). */
    final int localAlignment;
    /**
     * The C declarations of the constant-size local arrays that the kernel gives its helpers' calls ({@link HelperLocals}), for
     * the top of its body: OpenCL declares {@code __local} arrays only at a kernel's outermost scope, and a call may be in a loop.
     */
    final List<String> callLocals = new ArrayList<>();

    MethodScope(Trees trees, CompilationUnitTree unit, Dialect d, TypeElement owner, boolean library, Predicate<Element> sourceLibrary,
                MethodTree method, boolean isKernel) {
        this.trees = trees;
        this.unit = unit;
        this.d = d;
        this.owner = owner;
        this.kernelClass = library ? null : owner;
        this.sourceLibrary = sourceLibrary;
        this.method = method;
        this.isKernel = isKernel;
        this.nest = isKernel ? ParallelNest.of(method) : new ParallelNest(List.of());
        this.reductions = Reductions.of(unit, method, nest);
        this.localAlignment = isKernel ? TmaTiles.localAlignment(trees, unit) : TmaTiles.DEFAULT_ALIGNMENT;
        TreePath methodPath = TreePath.getPath(unit, method);
        paths.put(method, methodPath);
        new TreePathScanner<Void, Void>() {
            @Override
            public Void scan(Tree tree, Void unused) {
                if (tree != null) {
                    paths.put(tree, new TreePath(getCurrentPath(), tree));
                }
                return super.scan(tree, unused);
            }
        }.scan(methodPath, null);
    }

    /** The offset of a new local array of the kernel: the bytes allocated so far, rounded up to {@link #localAlignment}. */
    int nextLocalOffset() {
        localBytes = (localBytes + localAlignment - 1) / localAlignment * localAlignment;
        return localBytes;
    }

    /** Allocates a constant-size local array of {@code elements} of {@code bytes} each in the kernel's local memory; gives its offset. */
    int constantLocal(int elements, int bytes) {
        int offset = nextLocalOffset();
        localBytes += (elements * bytes + 15) / 16 * 16;
        return offset;
    }

    /** The bytes of an element of a local array of Java element type {@code element}. */
    static int elementBytes(String element) {
        return switch (element) {
            case "double", "long" -> 8;
            case "byte" -> 1;
            default -> 4;
        };
    }

    TreePath path(Tree t) {
        TreePath p = paths.get(t);
        return p != null ? p : TreePath.getPath(unit, t);
    }

    TypeMirror typeOf(Tree t) {
        return trees.getTypeMirror(path(t));
    }

    String javaType(Tree t) {
        return JavaTypes.name(typeOf(t));
    }

    Element element(Tree t) {
        return trees.getElement(path(t));
    }

    /** The initializer of local {@code v} where the method never assigns v after declaring it; else null. */
    ExpressionTree unchangedInitializer(VariableElement v) {
        ExpressionTree[] init = {null};
        return neverAssigned(v, init) ? init[0] : null;
    }

    /** Whether the method never assigns {@code v} (a parameter, or a local after its declaration, whose initializer goes to init[0]). */
    boolean neverAssigned(VariableElement v, ExpressionTree[] init) {
        boolean[] assigned = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree t, Void unused) {
                if (v.equals(element(t))) {
                    init[0] = t.getInitializer();
                }
                return super.visitVariable(t, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree a, Void unused) {
                assigned[0] |= v.equals(element(a.getVariable()));
                return super.visitAssignment(a, unused);
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree a, Void unused) {
                assigned[0] |= v.equals(element(a.getVariable()));
                return super.visitCompoundAssignment(a, unused);
            }

            @Override
            public Void visitUnary(UnaryTree u, Void unused) {
                assigned[0] |= LoopDependence.isIncrement(u) && v.equals(element(u.getExpression()));
                return super.visitUnary(u, unused);
            }
        }.scan(method.getBody(), null);
        return !assigned[0];
    }

    /** Where the method declares local {@code v}. */
    VariableTree declarationOf(VariableElement v) {
        for (Map.Entry<Tree, TreePath> p : paths.entrySet()) {
            if (p.getKey() instanceof VariableTree t && v.equals(element(t))) {
                return t;
            }
        }
        throw new IllegalStateException("no declaration of " + v + " in " + method.getName());
    }

    boolean insideParallelLoop() {
        return loops.stream().anyMatch(t -> t instanceof ForLoopTree f && nest.depthOf(f) >= 0);
    }
}
