package org.longnet.engine.translator;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreeScanner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which {@code @Parallel} indices an array index tells apart: those whose values the index's value fixes, whatever the
 * other locals of the work-item hold, so that two iterations that differ in them never write one element. Proven from
 * the index's form, or not at all (the empty set):
 * <ul>
 * <li>{@code i}, a {@code @Parallel} index, tells i;</li>
 * <li>{@code c * e}, {@code e << c} (c a nonzero int literal), {@code -e} and a cast of e tell what e tells;</li>
 * <li>a sum tells what its one varying term tells, the others being fixed (the same in every work-item and every pass: literals,
 * parameters and locals the {@code @Parallel} loops never assign, their lengths and extents, arithmetic on those); with
 * several varying terms, one of them a counter r from 0 up to a fixed s and each of the others a product with the factor s,
 * it tells what r tells and what the others, s taken away, tell ({@code i * s + r}: the quotient by s is i, the remainder r);
 * and {@code (e / s) * s + e % s}, which is e, tells what e tells. A counter from 0 up to s is a {@code @Parallel} index
 * ({@code i < s}, {@code i <= s - 1}), the counter of a {@code for (int r = 0; r < s; r++)} that nothing else assigns, or of a
 * {@code while (r < s)} whose body changes r only by one increment after the write; or one below a counter that is below s
 * ({@code j < i}, {@code i < s}); {@code m * r} with {@code r < s / m} is below s, and literals compare by value;</li>
 * <li>a local assigned once, where it is declared, tells what its initializer tells, where that initializer reads only
 * indices, fixed values, such counters and such locals (which hold their values while it is in scope);</li>
 * <li>a {@code @DistinctIndex} local tells the indices of the {@code @Parallel} loops around its declaration: its author's
 * promise, for what no form shows (a scatter through a permutation, a function's index).</li>
 * </ul>
 * Arithmetic that wraps round its type (or a narrowing cast) is not considered: an index that overflows could meet another
 * iteration's element. Each write is proven on its own: two writes that each give every iteration its own element may still
 * meet ({@code out[i]} and {@code out[i + 1]}).
 */
final class DistinctIndices {
    private final MethodTree kernel;
    private final ParallelNest nest;
    /** The names the kernel assigns somewhere (declarations with an initializer aside), and those it declares. */
    private final Set<String> assigned = new HashSet<>();
    private final Set<String> declared = new HashSet<>();
    private final Set<String> parallel = new HashSet<>();
    /** In the scope of the write: names that hold one value for the whole loop nest (declared outside it, assigned nowhere). */
    private final Set<String> fixedNames = new HashSet<>();
    /** In the scope of the write: locals of the nest declared with an initializer and never assigned again: their value. */
    private final Map<String, ExpressionTree> single = new HashMap<>();
    /** In the scope of the write: counters of loops from 0 up to a bound that nothing but the loop's update assigns: the bound. */
    private final Map<String, Bound> bounds = new HashMap<>();
    /** In the scope of the write: {@code @DistinctIndex} locals, and the {@code @Parallel} indices of the loops around each. */
    private final Map<String, Set<String>> promised = new HashMap<>();
    /** The declarations in scope of the write, by name. */
    private final Map<String, VariableTree> scope = new HashMap<>();

    /** The bound of a counter from 0: {@code r < end}, or {@code r <= end} where {@code inclusive}. */
    private record Bound(ExpressionTree end, boolean inclusive) {
    }

    private DistinctIndices(MethodTree kernel, ParallelNest nest) {
        this.kernel = kernel;
        this.nest = nest;
        kernel.getParameters().forEach(p -> declared.add(p.getName().toString()));
        new TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree t, Void unused) {
                if (LoopDependence.unparen(InvariantWrites.target(t)) instanceof IdentifierTree id) {
                    assigned.add(id.getName().toString());
                }
                return super.scan(t, unused);
            }

            @Override
            public Void visitVariable(VariableTree v, Void unused) {
                declared.add(v.getName().toString());
                return super.visitVariable(v, unused);
            }
        }.scan(kernel.getBody(), null);
    }

    /**
     * Rejects a {@code @DistinctIndex} local that cannot hold what it promises, one value per iteration: one declared outside
     * the {@code @Parallel} loops, without a value, or assigned again.
     */
    static void checkPromises(MethodTree kernel, ParallelNest nest) {
        DistinctIndices d = new DistinctIndices(kernel, nest);
        new TreeScanner<Void, Boolean>() {
            @Override
            public Void visitForLoop(ForLoopTree f, Boolean inside) {
                return super.visitForLoop(f, inside || nest.depthOf(f) >= 0);
            }

            @Override
            public Void visitVariable(VariableTree v, Boolean inside) {
                String name = v.getName().toString();
                String problem = !promises(v) ? null : !inside ? "is declared outside the @Parallel loops"
                        : v.getInitializer() == null || d.assigned.contains(name) ? "is not given its value once, where it is declared" : null;
                if (problem != null) {
                    throw new Rejected(v, "in " + kernel.getName() + ", @DistinctIndex " + name + " " + problem + ": it promises one value per "
                            + "iteration of the @Parallel loops around it, so declare it in their body with its value, and assign it nowhere else");
                }
                return super.visitVariable(v, inside);
            }
        }.scan(kernel.getBody(), false);
    }

    private static boolean promises(VariableTree v) {
        return v.getModifiers().getAnnotations().stream().map(a -> a.getAnnotationType().toString())
                .anyMatch(a -> a.equals("DistinctIndex") || a.endsWith(".DistinctIndex"));
    }

    /** The {@code @Parallel} indices of {@code kernel}'s {@code nest} that the index of {@code write} tells apart. */
    static Set<String> told(MethodTree kernel, ParallelNest nest, Tree write, List<? extends ExpressionTree> index) {
        DistinctIndices d = new DistinctIndices(kernel, nest);
        d.enter(InvariantWrites.pathTo(kernel.getBody(), write));
        Set<String> out = new HashSet<>();
        index.forEach(e -> out.addAll(d.tells(e)));
        return out;
    }

    /** Reads the declarations in scope along {@code path}, from the kernel's body down to the write. */
    private void enter(List<Tree> path) {
        kernel.getParameters().forEach(p -> declare(p, false, Set.of()));
        boolean inside = false;
        Set<String> around = new HashSet<>();
        for (int k = 0; k + 1 < path.size(); k++) {
            Tree next = path.get(k + 1);
            if (path.get(k) instanceof BlockTree b) {
                for (StatementTree st : b.getStatements()) {
                    if (st == next) {
                        break;
                    }
                    if (st instanceof VariableTree v) {
                        declare(v, inside, around);
                    }
                }
            } else if (path.get(k) instanceof WhileLoopTree w && k + 2 < path.size() && next == w.getStatement() && next instanceof BlockTree b) {
                whileCounter(w, b, path.get(k + 2));
            } else if (path.get(k) instanceof ForLoopTree f && f.getInitializer().size() == 1 && f.getInitializer().getFirst() instanceof VariableTree v
                    && next != v) {
                String name = v.getName().toString();
                if (nest.depthOf(f) >= 0) {
                    ParallelLoop l = nest.loops().get(nest.depthOf(f));
                    parallel.add(name);
                    around.add(name);
                    inside = true;
                    if (!l.descending() && nonNegative(l.start())) {
                        bounds.put(name, new Bound(l.end(), l.inclusive()));
                    } else if (l.descending() && downToZero(l)) {
                        bounds.put(name, startBound(l.start()));
                    }
                } else if (countsUp(f, name)) {
                    BinaryTree c = (BinaryTree) f.getCondition();
                    bounds.put(name, new Bound(c.getRightOperand(), c.getKind() == Tree.Kind.LESS_THAN_EQUAL));
                }
            }
        }
        single.keySet().removeIf(name -> !steady(single.get(name), new HashSet<>(Set.of(name))));
    }

    /**
     * Counts {@code while (r < s)} (or {@code r <= s}) as a counter of the write's statement {@code st} in its body {@code b},
     * where r is declared in scope from a literal at least 0 and the kernel changes it only by one increment, a statement of
     * b after st: at st, r is then from 0 up to the bound.
     */
    private void whileCounter(WhileLoopTree w, BlockTree b, Tree st) {
        if (!(LoopDependence.unparen(w.getCondition()) instanceof BinaryTree c)
                || c.getKind() != Tree.Kind.LESS_THAN && c.getKind() != Tree.Kind.LESS_THAN_EQUAL
                || !(LoopDependence.unparen(c.getLeftOperand()) instanceof IdentifierTree id)) {
            return;
        }
        String name = id.getName().toString();
        List<Tree> changes = InvariantWrites.changes(kernel.getBody(), name);
        List<? extends StatementTree> body = b.getStatements();
        int write = body.indexOf(st);
        if (scope.get(name) instanceof VariableTree v && nonNegative(v.getInitializer()) && changes.size() == 1
                && body.subList(write + 1, body.size()).stream()
                        .anyMatch(t -> t instanceof ExpressionStatementTree e && e.getExpression() == changes.getFirst()
                                && InvariantWrites.increment(t, name))) {
            bounds.put(name, new Bound(c.getRightOperand(), c.getKind() == Tree.Kind.LESS_THAN_EQUAL));
        }
    }

    private void declare(VariableTree v, boolean inside, Set<String> around) {
        String name = v.getName().toString();
        scope.put(name, v);
        if (assigned.contains(name)) {
            return;
        }
        if (promises(v)) {
            promised.put(name, Set.copyOf(around));
        } else if (!inside) {
            fixedNames.add(name);
        } else if (v.getInitializer() != null) {
            single.put(name, v.getInitializer());
        }
    }

    private Set<String> tells(ExpressionTree e) {
        e = strip(e);
        if (e instanceof IdentifierTree id) {
            String name = id.getName().toString();
            return parallel.contains(name) ? Set.of(name) : promised.containsKey(name) ? promised.get(name)
                    : single.containsKey(name) ? tells(single.get(name)) : Set.of();
        }
        if (e instanceof UnaryTree u && u.getKind() == Tree.Kind.UNARY_MINUS) {
            return tells(u.getExpression());
        }
        if (e instanceof BinaryTree b && b.getKind() == Tree.Kind.LEFT_SHIFT && literal(b.getRightOperand()) instanceof Long c && c >= 0 && c < 31) {
            return tells(b.getLeftOperand());
        }
        if (e instanceof BinaryTree b && b.getKind() == Tree.Kind.PLUS && quotientAndRemainder(b) instanceof ExpressionTree whole) {
            return tells(whole);
        }
        if (e instanceof BinaryTree b && (b.getKind() == Tree.Kind.PLUS || b.getKind() == Tree.Kind.MINUS || b.getKind() == Tree.Kind.MULTIPLY)) {
            List<List<ExpressionTree>> terms = new ArrayList<>();
            terms(e, terms);
            return tellsSum(terms);
        }
        return Set.of();
    }

    /** What a sum of products tells, as the class comment says. */
    private Set<String> tellsSum(List<List<ExpressionTree>> terms) {
        List<List<ExpressionTree>> varying = terms.stream().filter(t -> !t.stream().allMatch(this::fixed)).toList();
        if (varying.size() == 1) {
            List<ExpressionTree> factors = varying.getFirst();
            List<ExpressionTree> moving = factors.stream().filter(f -> !fixed(f)).toList();
            boolean scaled = factors.stream().filter(this::fixed).allMatch(f -> literal(f) instanceof Long c && c != 0);
            return moving.size() == 1 && scaled ? tells(moving.getFirst()) : Set.of();
        }
        for (List<ExpressionTree> low : varying) {
            List<List<ExpressionTree>> others = varying.stream().filter(t -> t != low).toList();
            for (ExpressionTree stride : others.getFirst()) {
                if (!fixed(stride) || !below(low, stride)) {
                    continue;
                }
                List<List<ExpressionTree>> high = new ArrayList<>();
                for (List<ExpressionTree> t : others) {
                    int at = indexOfSame(t, stride);
                    if (at >= 0) {
                        List<ExpressionTree> rest = new ArrayList<>(t);
                        rest.remove(at);
                        high.add(rest);
                    }
                }
                if (high.size() == others.size()) { // every other term is stride times one of high's: stride * (high's sum) + low
                    Set<String> out = new HashSet<>(tellsSum(List.of(low)));
                    out.addAll(tellsSum(high));
                    return out;
                }
            }
        }
        return Set.of();
    }

    /** The e of {@code (e / s) * s + e % s} (either order), which is e; null where {@code sum} is not that. */
    private ExpressionTree quotientAndRemainder(BinaryTree sum) {
        for (int side = 0; side < 2; side++) {
            ExpressionTree product = resolve(side == 0 ? sum.getLeftOperand() : sum.getRightOperand());
            if (resolve(side == 0 ? sum.getRightOperand() : sum.getLeftOperand()) instanceof BinaryTree rem && rem.getKind() == Tree.Kind.REMAINDER
                    && product instanceof BinaryTree m && m.getKind() == Tree.Kind.MULTIPLY) {
                for (int k = 0; k < 2; k++) {
                    ExpressionTree s = k == 0 ? m.getRightOperand() : m.getLeftOperand();
                    if (resolve(k == 0 ? m.getLeftOperand() : m.getRightOperand()) instanceof BinaryTree q && q.getKind() == Tree.Kind.DIVIDE
                            && same(s, q.getRightOperand()) && same(s, rem.getRightOperand()) && same(q.getLeftOperand(), rem.getLeftOperand())) {
                        return rem.getLeftOperand();
                    }
                }
            }
        }
        return null;
    }

    /** {@code e} without parentheses and casts, a local assigned once read as its initializer. */
    private ExpressionTree resolve(ExpressionTree e) {
        ExpressionTree s = strip(e);
        return s instanceof IdentifierTree id && single.get(id.getName().toString()) instanceof ExpressionTree v ? resolve(v) : s;
    }

    /** {@code e} as a sum of products, each a list of its factors; signs dropped, as negating a term keeps what it tells. */
    private void terms(ExpressionTree e, List<List<ExpressionTree>> out) {
        ExpressionTree s = resolve(e);
        if (s instanceof BinaryTree b && (b.getKind() == Tree.Kind.PLUS || b.getKind() == Tree.Kind.MINUS)) {
            terms(b.getLeftOperand(), out);
            terms(b.getRightOperand(), out);
        } else if (s instanceof UnaryTree u && u.getKind() == Tree.Kind.UNARY_MINUS) {
            terms(u.getExpression(), out);
        } else {
            List<ExpressionTree> factors = new ArrayList<>();
            factors(s, factors);
            out.add(factors);
        }
    }

    private void factors(ExpressionTree e, List<ExpressionTree> out) {
        ExpressionTree s = resolve(e);
        if (s instanceof BinaryTree b && b.getKind() == Tree.Kind.MULTIPLY) {
            factors(b.getLeftOperand(), out);
            factors(b.getRightOperand(), out);
        } else {
            out.add(s);
        }
    }

    /** Where among {@code factors} {@code stride} is (the same expression, or a literal of the same value); -1 where it is not. */
    private int indexOfSame(List<ExpressionTree> factors, ExpressionTree stride) {
        for (int k = 0; k < factors.size(); k++) {
            if (same(factors.get(k), stride) || literal(stride) instanceof Long v && v.equals(literal(factors.get(k)))) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Whether term {@code low} (its factors) stays from 0 up to (not including) {@code stride}, for every value: a counter r
     * with {@code r < stride} or {@code r <= stride - 1}, or below a counter that is; {@code m * r} with m a positive literal
     * and {@code r < stride / m}; literals by their values ({@code k < 3} below 4).
     */
    private boolean below(List<ExpressionTree> low, ExpressionTree stride) {
        if (low.size() == 1) {
            return counterBelow(low.getFirst(), stride, 0);
        }
        for (int k = 0; low.size() == 2 && k < 2; k++) {
            if (literal(low.get(k)) instanceof Long m && m > 0 && strip(low.get(1 - k)) instanceof IdentifierTree r
                    && bounds.get(r.getName().toString()) instanceof Bound b) {
                long values = b.inclusive() ? 1 : 0; // literal bounds: m * (largest r) < stride
                if (!b.inclusive() && strip(b.end()) instanceof BinaryTree q && q.getKind() == Tree.Kind.DIVIDE
                        && literal(q.getRightOperand()) instanceof Long d && d.equals(m) && same(q.getLeftOperand(), stride)) {
                    return true; // m * r <= m * (stride / m - 1) < stride
                }
                if (literal(b.end()) instanceof Long e && literal(stride) instanceof Long s && m * (e + values - 1) < s) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether counter {@code r} (from 0) stays below {@code stride}: its bound is stride, or a counter that stays below it. */
    private boolean counterBelow(ExpressionTree r, ExpressionTree stride, int depth) {
        if (depth > bounds.size() || !(strip(r) instanceof IdentifierTree id) || !(bounds.get(id.getName().toString()) instanceof Bound b)) {
            return false;
        }
        if (b.inclusive() ? strip(b.end()) instanceof BinaryTree m && m.getKind() == Tree.Kind.MINUS && literal(m.getRightOperand()) instanceof Long one
                && one == 1 && same(m.getLeftOperand(), stride) : same(b.end(), stride)) {
            return true;
        }
        if (literal(b.end()) instanceof Long e && literal(stride) instanceof Long s && e + (b.inclusive() ? 1 : 0) <= s) {
            return true;
        }
        return counterBelow(b.end(), stride, depth + 1); // r < end (or r <= end), and end < stride
    }

    /** Whether {@code e} holds one value in every work-item and every pass of the loop nest. */
    private boolean fixed(ExpressionTree e) {
        ExpressionTree s = strip(e);
        return switch (s) {
            case LiteralTree l -> true;
            case IdentifierTree id -> fixedNames.contains(id.getName().toString()) || !declared.contains(id.getName().toString())
                    && !assigned.contains(id.getName().toString()) || single.containsKey(id.getName().toString()) && fixed(single.get(id.getName().toString()));
            case MemberSelectTree sel -> sel.getIdentifier().contentEquals("length") && fixed(sel.getExpression());
            case MethodInvocationTree call -> call.getArguments().isEmpty() && call.getMethodSelect() instanceof MemberSelectTree sel
                    && Set.of("getSize", "getNumRows", "getNumColumns", "getNumDepth", "size", "X", "Y", "Z").contains(sel.getIdentifier().toString())
                    && fixed(sel.getExpression());
            case BinaryTree b -> fixed(b.getLeftOperand()) && fixed(b.getRightOperand());
            case UnaryTree u -> !LoopDependence.isIncrement(u) && fixed(u.getExpression());
            default -> false;
        };
    }

    /** Whether {@code e} reads only indices, fixed values, counted loop counters and such locals ({@code seen}: those being checked). */
    private boolean steady(ExpressionTree e, Set<String> seen) {
        boolean[] ok = {true};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                String name = id.getName().toString();
                ok[0] &= parallel.contains(name) || fixedNames.contains(name) || bounds.containsKey(name) || promised.containsKey(name)
                        || single.containsKey(name) && seen.add(name) && steady(single.get(name), seen);
                return null;
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                ok[0] &= fixed(call);
                return null;
            }

            @Override
            public Void visitMemberSelect(MemberSelectTree sel, Void unused) {
                ok[0] &= fixed(sel);
                return null;
            }
        }.scan(e, null);
        return ok[0];
    }

    /** Whether {@code a} and {@code b} are one expression, reading locals assigned once as their initializers, and casts as their operands. */
    private boolean same(ExpressionTree a, ExpressionTree b) {
        ExpressionTree x = strip(a);
        ExpressionTree y = strip(b);
        if (x instanceof IdentifierTree i && y instanceof IdentifierTree j && i.getName().contentEquals(j.getName())) {
            return true;
        }
        if (x instanceof IdentifierTree i && single.get(i.getName().toString()) instanceof ExpressionTree v) {
            return same(v, y);
        }
        if (y instanceof IdentifierTree j && single.get(j.getName().toString()) instanceof ExpressionTree v) {
            return same(x, v);
        }
        return switch (x) {
            case LiteralTree l when y instanceof LiteralTree m -> java.util.Objects.equals(literal(l), literal(m)) && literal(l) != null;
            case BinaryTree p when y instanceof BinaryTree q -> p.getKind() == q.getKind() && same(p.getLeftOperand(), q.getLeftOperand())
                    && same(p.getRightOperand(), q.getRightOperand());
            case MemberSelectTree p when y instanceof MemberSelectTree q -> p.getIdentifier().contentEquals(q.getIdentifier())
                    && same(p.getExpression(), q.getExpression());
            case MethodInvocationTree p when y instanceof MethodInvocationTree q -> p.getArguments().isEmpty() && q.getArguments().isEmpty()
                    && p.getMethodSelect() instanceof MemberSelectTree ps && q.getMethodSelect() instanceof MemberSelectTree qs && same(ps, qs);
            default -> false;
        };
    }

    /** Whether loop {@code f} counts {@code name} from a literal at least 0 up to (not including) its bound, assigning it nowhere else. */
    private static boolean countsUp(ForLoopTree f, String name) {
        VariableTree v = (VariableTree) f.getInitializer().getFirst();
        if (!nonNegative(v.getInitializer()) || !(f.getCondition() instanceof BinaryTree c)
                || c.getKind() != Tree.Kind.LESS_THAN && c.getKind() != Tree.Kind.LESS_THAN_EQUAL
                || !(LoopDependence.unparen(c.getLeftOperand()) instanceof IdentifierTree id) || !id.getName().contentEquals(name)
                || f.getUpdate().size() != 1) {
            return false;
        }
        ExpressionStatementTree update = f.getUpdate().getFirst();
        boolean up = switch (LoopDependence.unparen(update.getExpression())) {
            case UnaryTree u -> u.getKind() == Tree.Kind.POSTFIX_INCREMENT || u.getKind() == Tree.Kind.PREFIX_INCREMENT;
            case CompoundAssignmentTree a -> a.getKind() == Tree.Kind.PLUS_ASSIGNMENT && literal(a.getExpression()) instanceof Long s && s > 0;
            default -> false;
        };
        boolean[] reassigned = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void scan(Tree t, Void unused) {
                reassigned[0] |= LoopDependence.unparen(InvariantWrites.target(t)) instanceof IdentifierTree id && id.getName().contentEquals(name);
                return super.scan(t, unused);
            }
        }.scan(List.of(f.getCondition(), f.getStatement()), null);
        return up && !reassigned[0];
    }

    /** Whether a counting-down loop stops at 0 or above: {@code r >= c} with c a literal at least 0, or {@code r > c} with c at least -1. */
    private static boolean downToZero(ParallelLoop l) {
        return literal(l.end()) instanceof Long c && c >= (l.inclusive() ? 0 : -1);
    }

    /** The bound of a counter that starts at {@code start} and only falls: below s where it starts at s - c (c a literal at least 1), else up to start. */
    private static Bound startBound(ExpressionTree start) {
        if (strip(start) instanceof BinaryTree b && b.getKind() == Tree.Kind.MINUS && literal(b.getRightOperand()) instanceof Long c && c >= 1) {
            return new Bound(b.getLeftOperand(), false);
        }
        return new Bound(start, true);
    }

    private static boolean nonNegative(ExpressionTree e) {
        return literal(e) instanceof Long c && c >= 0;
    }

    /** The value of an int or long literal (through parentheses and casts), else null. */
    private static Long literal(ExpressionTree e) {
        return strip(e) instanceof LiteralTree l && l.getValue() instanceof Number n && (n instanceof Integer || n instanceof Long) ? n.longValue() : null;
    }

    private static ExpressionTree strip(ExpressionTree e) {
        ExpressionTree s = LoopDependence.unparen(e);
        while (s instanceof TypeCastTree c) {
            s = LoopDependence.unparen(c.getExpression());
        }
        return s;
    }
}
