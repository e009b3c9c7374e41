package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The writes of a {@code @Parallel} kernel that would race, rejected at build time (read from its trees alone, so the
 * JVM launcher and the C agree). The iterations of a {@code @Parallel} loop run at the same time, each work-item with
 * its own copy of the kernel's locals.
 * <ol>
 * <li><b>One element from every iteration.</b> A write to an element of an array parameter ({@code a.set(k, v)},
 * {@code setPair}, {@code scaleAddPair}, or {@code a[k] = v}, {@code a[k] += v}, {@code a[k]++} on a Java array parameter)
 * inside a {@code @Parallel} loop over i whose index k does not depend on i
 * ({@link LoopDependence}; in a nest, on each index around the write) is made by every iteration: rejected, unless
 * {@code a} is {@code @Reduce} ({@link Reductions}) or the write is under an {@code if} or {@code ?:} whose condition
 * depends on i, or every iteration provably stores the same value there ({@link SameValueWrites}), or every work-item
 * provably makes the same writes, each element once, to an array that the kernel reads nowhere ({@link InvariantWrites}). Such a guard is
 * trusted to let one iteration through ({@code if (i == 0)}), or to let the iterations that pass it
 * store a result of which any one will do ({@code if (a.get(i) == key) found.set(0, i)}: one wins, as on
 * TornadoVM). An update that reads the element it writes ({@code a.set(k, a.get(k) + e)}) would lose the others'
 * updates, so it needs a guard that pins i to one value ({@code i == e}, e the same for every iteration). An index that does
 * depend on i counts as another element in each iteration only where its form proves it ({@link DistinctIndices}: {@code i},
 * {@code i * s + j} with j counting from 0 up to s, a {@code @DistinctIndex} local, ...); any other ({@code j} of a loop up to
 * i, {@code i / 2}, {@code idx.get(i)}) is refused unless a guard pins i, as a construct the build cannot prove rather than as
 * a race: a task kernel then runs as Java on the host ({@link DeferredKernels}), a {@code @Kernel} fails the build.</li>
 * <li><b>A local carried between iterations.</b> A local declared outside a {@code @Parallel} loop (or a parameter)
 * that the loop assigns is each work-item's own: the loop may not read it in an iteration before assigning it
 * ({@code s += e}, {@code acc[0] += e}). Read after the loop, it holds one work-item's value where Java's holds the last
 * iteration's: no race, but nothing a device can give, so a task kernel runs as Java on the host ({@link DeferredKernels})
 * and a {@code @Kernel} fails the build.</li>
 * </ol>
 * Both rules read the code as written, not every path through it, and err towards accepting: a local assigned under
 * an {@code if} counts as assigned, and writes inside helper functions that the loop calls are not followed.
 */
final class Races {
    /** A condition around a write, and whether the write is where it holds (then) or where it does not (else). */
    private record Guard(ExpressionTree condition, boolean holds) {
    }

    private final String kernel;
    private final LoopDependence dependence;
    private final Set<String> indices = new HashSet<>();
    /** The {@code @Parallel} indices and the locals declared inside the outermost loop. */
    private final Set<String> loopLocals;
    /** The kernel's Java array parameters ({@code float[] a}): global arrays whose elements {@code a[k] = v} writes, as {@code set}. */
    private final Set<String> javaArrays;
    private final SameValueWrites sameValue;
    private final InvariantWrites invariant;
    private final MethodTree tree;
    private final ParallelNest nest;

    private Races(MethodTree kernel, ParallelNest nest) {
        this.kernel = kernel.getName().toString();
        this.javaArrays = JavaTypes.javaArrayParameters(kernel);
        this.dependence = LoopDependence.of(kernel, nest);
        nest.loops().forEach(l -> indices.add(l.name()));
        this.loopLocals = Reductions.varyingNames(nest);
        this.sameValue = new SameValueWrites(kernel.getBody(), dependence, indices, loopLocals, javaArrays);
        this.invariant = new InvariantWrites(kernel, nest, dependence);
        this.tree = kernel;
        this.nest = nest;
    }

    /** Throws {@link Rejected} at the first racing write of {@code kernel}, whose {@code reduced} arrays are checked by Reductions. */
    static void check(MethodTree kernel, ParallelNest nest, Set<String> reduced) {
        DistinctIndices.checkPromises(kernel, nest);
        Races r = new Races(kernel, nest);
        r.checkFixedWrites(nest, reduced);
        Rejected privatized = null;
        for (ParallelLoop loop : nest.loops()) {
            Rejected p = r.checkCarried(kernel, loop);
            privatized = privatized == null ? p : privatized;
        }
        if (privatized != null) {
            throw privatized;
        }
    }

    private void checkFixedWrites(ParallelNest nest, Set<String> reduced) {
        Deque<String> around = new ArrayDeque<>(List.of(nest.loops().get(0).name()));
        Deque<Guard> guards = new ArrayDeque<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitExpressionStatement(ExpressionStatementTree st, Void unused) {
                if (LoopDependence.unparen(st.getExpression()) instanceof MethodInvocationTree call
                        && call.getMethodSelect() instanceof MemberSelectTree sel && sel.getExpression() instanceof IdentifierTree array
                        && !call.getArguments().isEmpty() && !reduced.contains(array.getName().toString())
                        && !loopLocals.contains(array.getName().toString())) { // a vector local of one iteration: v.set(lane, x)
                    String method = sel.getIdentifier().toString();
                    String name = array.getName().toString();
                    if (ArrayElements.fill(call) instanceof ArrayElements.Fill fill && javaArrays.contains(fill.elements().array())
                            && !reduced.contains(fill.elements().array())) {
                        // every element of the row or range: a race where no index of it depends on the loop, as for a[k] = v
                        boolean update = LoopDependence.mentions(fill.value(), Set.of(fill.elements().array()), false);
                        checkWrite(st, fill.elements().array(), fill.elements().index(), update ? null : fill.value(), update, around, guards);
                    } else if (method.equals("set") || method.equals("setPair") || method.equals("scaleAddPair")) {
                        boolean update = method.equals("scaleAddPair")
                                || call.getArguments().stream().anyMatch(e -> LoopDependence.mentions(e, Set.of(name), false));
                        // set's indices are all its arguments but the value: one for an array, two or three for a matrix
                        List<? extends ExpressionTree> args = call.getArguments();
                        checkWrite(st, name, method.equals("set") ? args.subList(0, args.size() - 1) : args.subList(0, 1),
                                method.equals("set") && !update ? args.getLast() : null, update, around, guards);
                    }
                }
                return super.visitExpressionStatement(st, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree a, Void unused) {
                ArrayElements.Element e = ArrayElements.of(a.getVariable());
                boolean update = e != null && LoopDependence.mentions(a.getExpression(), Set.of(e.array()), false);
                elementWrite(a, a.getVariable(), update ? null : a.getExpression(), update);
                return super.visitAssignment(a, unused);
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree a, Void unused) {
                elementWrite(a, a.getVariable(), null, true);
                return super.visitCompoundAssignment(a, unused);
            }

            @Override
            public Void visitUnary(UnaryTree u, Void unused) {
                if (LoopDependence.isIncrement(u)) {
                    elementWrite(u, u.getExpression(), null, true);
                }
                return super.visitUnary(u, unused);
            }

            /**
             * {@code a[k] = v} (an update where it reads a) on a Java array parameter: a write of element k, as a.set(k, v); and
             * {@code a[i][j] = v} on an array of arrays, as a matrix's set(i, j, v).
             */
            private void elementWrite(Tree where, ExpressionTree target, ExpressionTree value, boolean update) {
                ArrayElements.Element e = ArrayElements.of(target);
                if (e != null && javaArrays.contains(e.array()) && !reduced.contains(e.array())) {
                    checkWrite(where, e.array(), e.index(), value, update, around, guards);
                }
            }

            @Override
            public Void visitForLoop(ForLoopTree loop, Void unused) {
                if (nest.depthOf(loop) < 0) {
                    return super.visitForLoop(loop, unused);
                }
                around.push(nest.loops().get(nest.depthOf(loop)).name());
                scan(loop.getStatement(), null);
                around.pop();
                return null;
            }

            @Override
            public Void visitIf(IfTree t, Void unused) {
                scan(t.getCondition(), null);
                guarded(new Guard(t.getCondition(), true), t.getThenStatement());
                return guarded(new Guard(t.getCondition(), false), t.getElseStatement());
            }

            @Override
            public Void visitConditionalExpression(ConditionalExpressionTree t, Void unused) {
                scan(t.getCondition(), null);
                guarded(new Guard(t.getCondition(), true), t.getTrueExpression());
                return guarded(new Guard(t.getCondition(), false), t.getFalseExpression());
            }

            private Void guarded(Guard g, Tree part) {
                guards.push(g);
                scan(part, null);
                guards.pop();
                return null;
            }
        }.scan(nest.loops().get(0).loop().getStatement(), null);
    }

    /** Rejects a write of {@code array[index]} (an update of it when {@code update}) that iterations of loops around it share. */
    private void checkWrite(Tree st, String array, List<? extends ExpressionTree> index, ExpressionTree value, boolean update,
                            Deque<String> around, Deque<Guard> guards) {
        Set<String> on = new HashSet<>();
        index.forEach(i -> on.addAll(dependence.of(i)));
        Set<String> told = DistinctIndices.told(tree, nest, st, index);
        String element = array + index.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
        for (String p : new ArrayList<>(around).reversed()) {
            if (on.contains(p) && !told.contains(p)
                    && guards.stream().noneMatch(g -> g.holds() && dependence.of(g.condition()).contains(p) && pins(g.condition(), p))) {
                throw new Rejected(st, "in " + kernel + ", the index of " + element + " depends on " + p + " but is not provably another element "
                        + "in each iteration of the @Parallel loop over " + p + ", so two iterations may write one element: index " + array + " by "
                        + p + " as " + p + ", " + p + " + k or m * " + p + " + k (m a nonzero literal, k the same in every iteration), or " + p
                        + " * s + (a loop counter from 0 up to s); or guard the write with " + p + " == (one value)");
            }
        }
        Set<String> shared = new LinkedHashSet<>();
        new ArrayList<>(around).reversed().stream().filter(p -> !on.contains(p)).forEach(shared::add);
        if (shared.isEmpty()) {
            return;
        }
        String loops = "the @Parallel loop" + (shared.size() > 1 ? "s over " : " over ") + String.join(" and ", shared);
        for (String p : shared) {
            List<Guard> on1 = guards.stream().filter(g -> dependence.of(g.condition()).contains(p)).toList();
            if (on1.isEmpty() && !update && (sameValue.proven(array, index, value) || invariant.proven(st, array, index, value))) {
                continue;
            }
            if (on1.isEmpty()) {
                boolean reducible = update && on.isEmpty() && index.size() == 1 && !LoopDependence.mentions(index.get(0), loopLocals, true);
                String fix = reducible ? "mark " + array + " @Reduce and update it as " + array + ".set(k, " + array + ".get(k) + e) (or *, max, "
                        + "min), or index " + array + " by the loop" : "index " + array + " by the loop, or write it under a guard that one "
                        + "iteration passes (if (" + p + " == 0))";
                throw Rejected.race(st, "in " + kernel + ", every iteration of " + loops + " writes " + element + " (its index does not depend on "
                        + String.join(" or ", shared) + "), a data race: " + fix);
            }
            if (update && on1.stream().noneMatch(g -> g.holds() && pins(g.condition(), p))) {
                throw Rejected.race(st, "in " + kernel + ", each iteration of " + loops + " that passes its if updates " + element
                        + " from the element's own value (its index does not depend on " + p + "), a data race that loses updates: mark "
                        + array + " @Reduce, or guard the update with " + p + " == (one value)");
            }
        }
    }

    /** Whether {@code condition} holds for one value of index {@code p} only: it is, or has among its && terms, p == e with e fixed. */
    private boolean pins(ExpressionTree condition, String p) {
        ExpressionTree c = LoopDependence.unparen(condition);
        if (c instanceof BinaryTree b && b.getKind() == Tree.Kind.CONDITIONAL_AND) {
            return pins(b.getLeftOperand(), p) || pins(b.getRightOperand(), p);
        }
        return c instanceof BinaryTree b && b.getKind() == Tree.Kind.EQUAL_TO
                && (pinned(b.getLeftOperand(), b.getRightOperand(), p) || pinned(b.getRightOperand(), b.getLeftOperand(), p));
    }

    private boolean pinned(ExpressionTree varying, ExpressionTree fixed, String p) {
        return dependence.of(varying).contains(p) && dependence.of(fixed).stream().noneMatch(indices::contains);
    }

    /**
     * Rejects a local declared outside {@code loop} that the loop assigns and that carries a value into an iteration (read
     * there before that iteration assigns it): a race. Returns the rejection of one that carries a value out of the loop (read
     * after it), or null: no race, as the value the work-items leave is each one's own, but no device gives Java's, so a task
     * kernel may run as Java on the host ({@link DeferredKernels}) where a {@code @Kernel} fails the build.
     */
    private Rejected checkCarried(MethodTree method, ParallelLoop loop) {
        Set<String> outside = new HashSet<>();
        method.getParameters().forEach(p -> outside.add(p.getName().toString()));
        outside.removeAll(javaArrays); // global memory that all work-items share, whose element writes checkFixedWrites checks
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree v, Void unused) {
                outside.add(v.getName().toString());
                return super.visitVariable(v, unused);
            }

            @Override
            public Void visitForLoop(ForLoopTree t, Void unused) {
                return t == loop.loop() ? null : super.visitForLoop(t, unused);
            }
        }.scan(method.getBody(), null);
        Map<String, Tree> firstRead = new HashMap<>();
        Set<String> written = new HashSet<>();
        Set<String> assigned = new HashSet<>();
        boolean[] after = {false};
        Rejected[] readAfter = {null};
        new TreeScanner<Void, Void>() {
            private boolean inside;

            private void read(Tree where, String name) {
                if (!outside.contains(name)) {
                    return;
                }
                if (inside && !written.contains(name)) {
                    firstRead.putIfAbsent(name, where);
                } else if (after[0] && assigned.contains(name) && readAfter[0] == null) {
                    readAfter[0] = new Rejected(where, "in " + kernel + ", " + name + " is assigned in the @Parallel loop over " + loop.name()
                            + " and read after it: each work-item keeps its own " + name + ", so after the loop it holds one work-item's "
                            + "value; write each iteration's result to an array element indexed by " + loop.name());
                }
            }

            private void write(Tree where, ExpressionTree target, boolean reads) {
                ExpressionTree t = LoopDependence.unparen(target);
                while (t instanceof ArrayAccessTree a) {
                    scan(a.getIndex(), null);
                    t = LoopDependence.unparen(a.getExpression());
                }
                if (!(t instanceof IdentifierTree id) || !outside.contains(id.getName().toString())) {
                    return;
                }
                String name = id.getName().toString();
                if (reads) {
                    read(where, name);
                }
                if (inside) {
                    assigned.add(name);
                    Tree first = firstRead.get(name);
                    if (first != null) {
                        throw Rejected.race(first, "in " + kernel + ", the @Parallel loop over " + loop.name() + " reads " + name
                                + ", declared outside it, before the iteration assigns it (as in " + name + " += e): each work-item keeps its own "
                                + name + ", so the iterations' updates are never combined; give " + name + " its value in each iteration before "
                                + "reading it, or reduce into an array parameter marked @Reduce");
                    }
                    written.add(name);
                }
            }

            @Override
            public Void visitForLoop(ForLoopTree t, Void unused) {
                if (t != loop.loop()) {
                    return super.visitForLoop(t, unused);
                }
                inside = true;
                super.visitForLoop(t, unused);
                inside = false;
                after[0] = true;
                return null;
            }

            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                read(id, id.getName().toString());
                return null;
            }

            @Override
            public Void visitAssignment(AssignmentTree a, Void unused) {
                scan(a.getExpression(), null);
                write(a, a.getVariable(), false);
                return null;
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree a, Void unused) {
                scan(a.getExpression(), null);
                write(a, a.getVariable(), true);
                return null;
            }

            @Override
            public Void visitUnary(UnaryTree u, Void unused) {
                if (!LoopDependence.isIncrement(u)) {
                    return super.visitUnary(u, unused);
                }
                write(u, u.getExpression(), true);
                return null;
            }
        }.scan(method.getBody(), null);
        return readAfter[0];
    }
}
