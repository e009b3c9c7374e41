package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreeScanner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes to elements that no {@code @Parallel} index decides which are no race because every work-item makes the same
 * writes, as TornadoVM's {@code TestLoops.forEach} makes them ({@code int idx = 0; for (int j : a) { c[idx] = j + 1; idx++; }}
 * in every iteration over i). Proven from the trees, or not accepted:
 * <ul>
 * <li>the value, the index, and every condition, loop header and iterable between the innermost {@code @Parallel} loop and
 * the write are computed ({@link LoopDependence#sources}: through every local they read, its assignments and the conditions
 * around them) from no {@code @Parallel} index, no {@code KernelContext} id and no array that the kernel writes or hands to
 * a call;</li>
 * <li>the kernel names the array written nowhere else but for its length, so nothing reads what a work-item stored;</li>
 * <li>the innermost {@code @Parallel} loop's body holds no {@code break}, {@code continue} or {@code return}, and no
 * sequential loop runs it again, so each work-item runs the same statements, once;</li>
 * <li>each work-item writes each element at most once: the write is in no loop of the work-item, or its index is a local
 * that only grows between two runs of the write: the counter of the one loop around it ({@code for (int j = 0; ...; j++)},
 * not assigned in the body), or an {@code int} or {@code long} local declared in no loop of the work-item, which is changed
 * only by increments ({@code k++}, {@code k += 2}), one of them a statement of the innermost loop's body (or its update).</li>
 * </ul>
 * Then every work-item stores the same value in each element it writes, once, and no one reads it: whichever lands last,
 * the element holds what the sequential loop leaves there.
 */
final class InvariantWrites {
    private final MethodTree kernel;
    private final ParallelNest nest;
    private final LoopDependence dependence;
    /** The arrays (and other objects) that the kernel writes elements of, or hands to a call that may write them. */
    private final Set<String> written = new HashSet<>();

    InvariantWrites(MethodTree kernel, ParallelNest nest, LoopDependence dependence) {
        this.kernel = kernel;
        this.nest = nest;
        this.dependence = dependence;
        Set<String> primitives = new HashSet<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree v, Void unused) {
                if (v.getType() instanceof PrimitiveTypeTree) {
                    primitives.add(v.getName().toString());
                }
                return super.visitVariable(v, unused);
            }
        }.scan(kernel, null);
        new TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree t, Void unused) {
                if (target(t) != null && LoopDependence.unparen(target(t)) instanceof ArrayAccessTree element) {
                    ExpressionTree array = element;
                    while (LoopDependence.unparen(array) instanceof ArrayAccessTree inner) {
                        array = inner.getExpression();
                    }
                    if (LoopDependence.unparen(array) instanceof IdentifierTree id) {
                        written.add(id.getName().toString());
                    }
                }
                return super.scan(t, unused);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                if (call.getMethodSelect() instanceof MemberSelectTree sel && LoopDependence.unparen(sel.getExpression()) instanceof IdentifierTree id
                        && !sel.getIdentifier().contentEquals("get") && !sel.getIdentifier().contentEquals("getSize")) {
                    written.add(id.getName().toString()); // set, fill, setX, ...: any method of an object but its reads
                }
                for (ExpressionTree arg : call.getArguments()) {
                    if (LoopDependence.unparen(arg) instanceof IdentifierTree id && !primitives.contains(id.getName().toString())) {
                        written.add(id.getName().toString()); // an array or object a helper (or Arrays.fill) may write
                    }
                }
                return super.visitMethodInvocation(call, unused);
            }
        }.scan(kernel.getBody(), null);
    }

    /** Whether {@code write}, which stores {@code value} in {@code array[index]}, is made alike by every work-item, as the class comment says. */
    boolean proven(Tree write, String array, List<? extends ExpressionTree> index, ExpressionTree value) {
        if (value == null || index.size() != 1 || !(LoopDependence.unparen(index.getFirst()) instanceof IdentifierTree counter)
                || !onlyWrite(write, array)) {
            return false;
        }
        List<Tree> path = pathTo(kernel.getBody(), write);
        int p = -1;
        for (int k = 0; k < path.size(); k++) {
            if (path.get(k) instanceof ForLoopTree f && nest.depthOf(f) >= 0) {
                p = k;
            }
        }
        if (p < 0 || exits(((ForLoopTree) path.get(p)).getStatement())
                || path.subList(0, p).stream().anyMatch(t -> isLoop(t) && !(t instanceof ForLoopTree f && nest.depthOf(f) >= 0))) {
            return false; // a sequential loop around the innermost @Parallel loop would run its body more than once per work-item
        }
        List<Tree> inputs = new ArrayList<>(List.of(value, index.getFirst()));
        List<Tree> loops = new ArrayList<>();
        for (Tree t : path.subList(p + 1, path.size() - 1)) {
            switch (t) {
                case BlockTree b -> { }
                case ExpressionStatementTree e -> { }
                case IfTree f -> inputs.add(f.getCondition());
                case ConditionalExpressionTree c -> inputs.add(c.getCondition());
                case WhileLoopTree w -> {
                    inputs.add(w.getCondition());
                    loops.add(w);
                }
                case DoWhileLoopTree w -> {
                    inputs.add(w.getCondition());
                    loops.add(w);
                }
                case EnhancedForLoopTree f -> {
                    inputs.add(f.getExpression());
                    loops.add(f);
                }
                case ForLoopTree f -> {
                    inputs.addAll(f.getInitializer());
                    if (f.getCondition() != null) {
                        inputs.add(f.getCondition());
                    }
                    inputs.addAll(f.getUpdate());
                    loops.add(f);
                }
                default -> {
                    return false; // a switch, a label, a try: not followed
                }
            }
        }
        for (Tree input : inputs) {
            Set<String> from = dependence.sources(input);
            if (!dependence.of(input).isEmpty() || from.contains(array) || from.stream().anyMatch(written::contains)) {
                return false;
            }
        }
        return loops.isEmpty() || oncePerWorkItem(counter.getName().toString(), (ForLoopTree) path.get(p), loops);
    }

    /** Whether the kernel names {@code array} only as the element {@code write} stores, or for its length. */
    private boolean onlyWrite(Tree write, String array) {
        boolean[] other = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                other[0] |= id.getName().contentEquals(array);
                return null;
            }

            @Override
            public Void visitMemberSelect(MemberSelectTree sel, Void unused) {
                boolean length = sel.getIdentifier().contentEquals("length") || sel.getIdentifier().contentEquals("getSize");
                return length && LoopDependence.unparen(sel.getExpression()) instanceof IdentifierTree ? null : super.visitMemberSelect(sel, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree a, Void unused) {
                if (a == write && LoopDependence.unparen(a.getVariable()) instanceof ArrayAccessTree at
                        && LoopDependence.unparen(at.getExpression()) instanceof IdentifierTree) {
                    scan(at.getIndex(), null);
                    return scan(a.getExpression(), null);
                }
                return super.visitAssignment(a, unused);
            }

            @Override
            public Void visitExpressionStatement(ExpressionStatementTree st, Void unused) {
                if (st == write && LoopDependence.unparen(st.getExpression()) instanceof MethodInvocationTree call
                        && call.getMethodSelect() instanceof MemberSelectTree sel && sel.getIdentifier().contentEquals("set")) {
                    return scan(call.getArguments(), null);
                }
                return super.visitExpressionStatement(st, unused);
            }
        }.scan(kernel.getBody(), null);
        return !other[0];
    }

    /** The trees from {@code root} down to {@code target}, both included; empty where target is not under root. */
    static List<Tree> pathTo(Tree root, Tree target) {
        Deque<Tree> around = new ArrayDeque<>();
        List<Tree> found = new ArrayList<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree tree, Void unused) {
                if (tree == null || !found.isEmpty()) {
                    return null;
                }
                around.addLast(tree);
                if (tree == target) {
                    found.addAll(around);
                }
                super.scan(tree, unused);
                around.removeLast();
                return null;
            }
        }.scan(root, null);
        return found;
    }

    private static boolean isLoop(Tree t) {
        return t instanceof ForLoopTree || t instanceof EnhancedForLoopTree || t instanceof WhileLoopTree || t instanceof DoWhileLoopTree;
    }

    /** Whether {@code body} holds a break, continue or return, which could make work-items run different statements. */
    private static boolean exits(Tree body) {
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree t, Void unused) {
                found[0] |= t instanceof BreakTree || t instanceof ContinueTree || t instanceof ReturnTree;
                return super.scan(t, unused);
            }
        }.scan(body, null);
        return found[0];
    }

    /** What {@code t} assigns, where it is an assignment ({@code x = e}, {@code x += e}, {@code x++}, ...); else null. */
    static ExpressionTree target(Tree t) {
        return switch (t) {
            case AssignmentTree a -> a.getVariable();
            case CompoundAssignmentTree a -> a.getVariable();
            case UnaryTree u when LoopDependence.isIncrement(u) -> u.getExpression();
            case null, default -> null;
        };
    }

    /**
     * Whether {@code counter} differs at each run of the write, whose loops inside the work-item's {@code parallel} loop are
     * {@code loops} (outermost first): the one loop's own counter, or a local of the work-item that only grows, and does in each
     * run of the innermost loop's body.
     */
    private static boolean oncePerWorkItem(String counter, ForLoopTree parallel, List<Tree> loops) {
        Tree inner = loops.getLast();
        if (loops.size() == 1 && inner instanceof ForLoopTree f && f.getInitializer().size() == 1
                && f.getInitializer().getFirst() instanceof VariableTree v && v.getName().contentEquals(counter)
                && f.getUpdate().size() == 1 && increment(f.getUpdate().getFirst(), counter)) {
            return changes(f.getStatement(), counter).isEmpty() && (f.getCondition() == null || changes(f.getCondition(), counter).isEmpty());
        }
        Map<Integer, Integer> declared = new HashMap<>(); // loop depth -> declarations of the counter at it
        new TreeScanner<Void, Integer>() {
            @Override
            public Void visitVariable(VariableTree v, Integer depth) {
                if (v.getName().contentEquals(counter)) {
                    boolean wide = v.getType().toString().equals("int") || v.getType().toString().equals("long");
                    declared.merge(wide ? depth : -1, 1, Integer::sum); // a narrower counter would wrap round to elements it wrote
                }
                return super.visitVariable(v, depth);
            }

            @Override
            public Void scan(Tree t, Integer depth) { // a loop's header and body lie one loop deeper
                boolean loop = t instanceof ForLoopTree || t instanceof EnhancedForLoopTree || t instanceof WhileLoopTree
                        || t instanceof DoWhileLoopTree;
                return super.scan(t, loop ? depth + 1 : depth);
            }
        }.scan(parallel.getStatement(), 0);
        if (!declared.equals(Map.of(0, 1)) || !changes(parallel.getStatement(), counter).stream().allMatch(t -> increment(t, counter))) {
            return false;
        }
        List<Tree> everyRun = new ArrayList<>();
        if (inner instanceof ForLoopTree f) {
            everyRun.addAll(f.getUpdate());
        }
        Tree body = switch (inner) {
            case ForLoopTree f -> f.getStatement();
            case EnhancedForLoopTree f -> f.getStatement();
            case WhileLoopTree w -> w.getStatement();
            case DoWhileLoopTree w -> w.getStatement();
            default -> null;
        };
        if (body instanceof BlockTree b) {
            for (StatementTree st : b.getStatements()) {
                everyRun.add(st);
            }
        }
        return everyRun.stream().anyMatch(t -> increment(t, counter));
    }

    /** The statements and expressions in {@code tree} that assign {@code name} (a declaration's initializer is no change). */
    static List<Tree> changes(Tree tree, String name) {
        List<Tree> out = new ArrayList<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree t, Void unused) {
                if (target(t) != null && LoopDependence.unparen(target(t)) instanceof IdentifierTree id && id.getName().contentEquals(name)) {
                    out.add(t);
                }
                return super.scan(t, unused);
            }
        }.scan(tree, null);
        return out;
    }

    /** Whether {@code t} (a statement or an expression) is {@code name++}, {@code ++name} or {@code name += c}, c a positive int literal. */
    static boolean increment(Tree t, String name) {
        if (t instanceof ExpressionStatementTree st) {
            t = LoopDependence.unparen(st.getExpression());
        }
        return switch (t) {
            case UnaryTree u when u.getKind() == Tree.Kind.POSTFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_INCREMENT ->
                    LoopDependence.unparen(u.getExpression()) instanceof IdentifierTree id && id.getName().contentEquals(name);
            case CompoundAssignmentTree a when a.getKind() == Tree.Kind.PLUS_ASSIGNMENT ->
                    LoopDependence.unparen(a.getVariable()) instanceof IdentifierTree id && id.getName().contentEquals(name)
                            && LoopDependence.unparen(a.getExpression()) instanceof LiteralTree l && l.getValue() instanceof Integer n && n > 0;
            default -> false;
        };
    }
}
