package org.longnet.engine.translator;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
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
 * Which {@code @Parallel} indices each value of a kernel may depend on, read from its trees alone. A local depends on
 * index i when a value assigned to it is computed from i (or from a local that depends on i), or when it is assigned
 * under an {@code if}, {@code ?:} or loop whose condition does; an array depends on what is written to it and where.
 * A {@code KernelContext} id ({@code globalIdx}, ...) depends on every index. The answer errs one way only: a value
 * that might differ between the iterations over i is taken to depend on i.
 */
final class LoopDependence {
    private static final Set<String> CONTEXT_IDS = Set.of("globalIdx", "globalIdy", "globalIdz", "localIdx", "localIdy", "localIdz",
            "groupIdx", "groupIdy", "groupIdz");
    /** The array methods that write elements. */
    static final Set<String> ARRAY_WRITES = Set.of("set", "setPair", "scaleAddPair", "atomicAdd", "atomicAddPair");
    /** The methods that change a TornadoVM vector's lanes ({@code setX}, {@code setS3}, {@code fill}). */
    private static final java.util.regex.Pattern VECTOR_WRITES = java.util.regex.Pattern.compile("set[XYZW]|setS1[0-5]|setS[0-9]|fill");

    /** A value given to {@code target}, computed from {@code sources} (its operands and the conditions it is under). */
    private record Assignment(String target, List<Tree> sources) {
    }

    private final Set<String> indices = new HashSet<>();
    private final Map<String, Set<String>> deps = new HashMap<>();
    private final List<Assignment> assignments = new ArrayList<>();

    private LoopDependence() {
    }

    static LoopDependence of(MethodTree kernel, ParallelNest nest) {
        LoopDependence d = new LoopDependence();
        nest.loops().forEach(l -> {
            d.indices.add(l.name());
            d.deps.put(l.name(), new HashSet<>(Set.of(l.name())));
        });
        d.assignments.addAll(collect(kernel, nest));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Assignment a : d.assignments) {
                Set<String> from = new HashSet<>();
                a.sources().forEach(s -> from.addAll(d.of(s)));
                changed |= d.deps.computeIfAbsent(a.target(), k -> new HashSet<>()).addAll(from);
            }
        }
        return d;
    }

    /** The {@code @Parallel} indices whose value {@code tree} may depend on. */
    Set<String> of(Tree tree) {
        Set<String> out = new HashSet<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                out.addAll(deps.getOrDefault(id.getName().toString(), Set.of()));
                return null;
            }

            @Override
            public Void visitMemberSelect(MemberSelectTree sel, Void unused) {
                if (CONTEXT_IDS.contains(sel.getIdentifier().toString())) {
                    out.addAll(indices);
                }
                return isLength(sel) ? null : super.visitMemberSelect(sel, unused);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                // an array's length is fixed, whatever the iterations write into it
                return call.getArguments().isEmpty() && call.getMethodSelect() instanceof MemberSelectTree sel && isLength(sel) ? null
                        : super.visitMethodInvocation(call, unused);
            }
        }.scan(tree, null);
        return out;
    }

    /** Whether {@code sel} is {@code a.length} or {@code a.getSize} of a named array. */
    private static boolean isLength(MemberSelectTree sel) {
        return (sel.getIdentifier().contentEquals("length") || sel.getIdentifier().contentEquals("getSize"))
                && unparen(sel.getExpression()) instanceof IdentifierTree;
    }

    /**
     * Every name that the value of {@code tree} may be computed from: the names it mentions, and, for each local or array among
     * them, the names of every value assigned to it and of the conditions it is assigned under, and so on.
     */
    Set<String> sources(Tree tree) {
        Set<String> out = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(names(tree));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (out.add(name)) {
                assignments.stream().filter(a -> a.target().equals(name)).forEach(a -> a.sources().forEach(s -> todo.addAll(names(s))));
            }
        }
        return out;
    }

    /** The names {@code tree} mentions. */
    private static Set<String> names(Tree tree) {
        Set<String> out = new HashSet<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                out.add(id.getName().toString());
                return null;
            }
        }.scan(tree, null);
        return out;
    }

    /** Every value given to a local or an array of the kernel, with the conditions it is given under. */
    private static List<Assignment> collect(MethodTree kernel, ParallelNest nest) {
        List<Assignment> out = new ArrayList<>();
        new TreeScanner<Void, Deque<Tree>>() {
            private void add(ExpressionTree target, Tree value, Deque<Tree> conditions) {
                List<Tree> sources = new ArrayList<>(conditions);
                if (value != null) {
                    sources.add(value);
                }
                ExpressionTree t = unparen(target);
                while (t instanceof ArrayAccessTree a) {
                    sources.add(a.getIndex());
                    t = unparen(a.getExpression());
                }
                if (t instanceof IdentifierTree id) {
                    out.add(new Assignment(id.getName().toString(), sources));
                }
            }

            private Void under(Tree condition, Deque<Tree> conditions, Tree... parts) {
                conditions.push(condition);
                for (Tree p : parts) {
                    scan(p, conditions);
                }
                conditions.pop();
                return null;
            }

            @Override
            public Void visitVariable(VariableTree v, Deque<Tree> conditions) {
                if (v.getInitializer() != null) {
                    List<Tree> sources = new ArrayList<>(conditions);
                    sources.add(v.getInitializer());
                    out.add(new Assignment(v.getName().toString(), sources));
                }
                return super.visitVariable(v, conditions);
            }

            @Override
            public Void visitAssignment(AssignmentTree a, Deque<Tree> conditions) {
                add(a.getVariable(), a.getExpression(), conditions);
                return super.visitAssignment(a, conditions);
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree a, Deque<Tree> conditions) {
                add(a.getVariable(), a.getExpression(), conditions);
                return super.visitCompoundAssignment(a, conditions);
            }

            @Override
            public Void visitUnary(UnaryTree u, Deque<Tree> conditions) {
                if (isIncrement(u)) {
                    add(u.getExpression(), null, conditions);
                }
                return super.visitUnary(u, conditions);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree call, Deque<Tree> conditions) {
                if (ArrayElements.fill(call) instanceof ArrayElements.Fill fill) {
                    List<Tree> sources = new ArrayList<>(conditions);
                    sources.addAll(fill.elements().index());
                    sources.add(fill.value());
                    out.add(new Assignment(fill.elements().array(), sources));
                } else if (call.getMethodSelect() instanceof MemberSelectTree sel && (ARRAY_WRITES.contains(sel.getIdentifier().toString())
                        || VECTOR_WRITES.matcher(sel.getIdentifier().toString()).matches())) {
                    List<Tree> sources = new ArrayList<>(conditions);
                    sources.addAll(call.getArguments());
                    if (unparen(sel.getExpression()) instanceof IdentifierTree id) {
                        out.add(new Assignment(id.getName().toString(), sources));
                    }
                }
                return super.visitMethodInvocation(call, conditions);
            }

            @Override
            public Void visitIf(IfTree t, Deque<Tree> conditions) {
                scan(t.getCondition(), conditions);
                return under(t.getCondition(), conditions, t.getThenStatement(), t.getElseStatement());
            }

            @Override
            public Void visitConditionalExpression(ConditionalExpressionTree t, Deque<Tree> conditions) {
                scan(t.getCondition(), conditions);
                return under(t.getCondition(), conditions, t.getTrueExpression(), t.getFalseExpression());
            }

            @Override
            public Void visitWhileLoop(WhileLoopTree t, Deque<Tree> conditions) {
                return under(t.getCondition(), conditions, t.getCondition(), t.getStatement());
            }

            @Override
            public Void visitDoWhileLoop(DoWhileLoopTree t, Deque<Tree> conditions) {
                return under(t.getCondition(), conditions, t.getStatement(), t.getCondition());
            }

            @Override
            public Void visitEnhancedForLoop(EnhancedForLoopTree t, Deque<Tree> conditions) {
                // the variable takes the iterable's elements, and how often the body runs is its length
                scan(t.getExpression(), conditions);
                List<Tree> sources = new ArrayList<>(conditions);
                sources.add(t.getExpression());
                out.add(new Assignment(t.getVariable().getName().toString(), sources));
                return under(t.getExpression(), conditions, t.getStatement());
            }

            @Override
            public Void visitForLoop(ForLoopTree t, Deque<Tree> conditions) {
                if (nest.depthOf(t) >= 0) {
                    return super.visitForLoop(t, conditions); // which iteration runs is the index itself
                }
                scan(t.getInitializer(), conditions);
                if (t.getCondition() != null) {
                    conditions.push(t.getCondition());
                }
                scan(t.getCondition(), conditions);
                scan(t.getStatement(), conditions);
                scan(t.getUpdate(), conditions);
                if (t.getCondition() != null) {
                    conditions.pop();
                }
                return null;
            }
        }.scan(kernel.getBody(), new ArrayDeque<>());
        return out;
    }

    /** Whether {@code tree} names any of {@code names}; with {@code callsVary}, whether it has a call too (which may read anything). */
    static boolean mentions(Tree tree, Set<String> names, boolean callsVary) {
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                found[0] |= names.contains(id.getName().toString());
                return null;
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree m, Void unused) {
                found[0] |= callsVary;
                return super.visitMethodInvocation(m, unused);
            }
        }.scan(tree, null);
        return found[0];
    }

    /** Whether {@code e} assigns a variable ({@code =}, {@code +=}, {@code ++}, ...); calls are not looked into. */
    static boolean hasSideEffects(ExpressionTree e) {
        Boolean found = new TreeScanner<Boolean, Void>() {
            @Override
            public Boolean visitAssignment(AssignmentTree a, Void unused) {
                return true;
            }

            @Override
            public Boolean visitCompoundAssignment(CompoundAssignmentTree a, Void unused) {
                return true;
            }

            @Override
            public Boolean visitUnary(UnaryTree u, Void unused) {
                return isIncrement(u) || Boolean.TRUE.equals(super.visitUnary(u, unused));
            }

            @Override
            public Boolean reduce(Boolean a, Boolean b) {
                return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
            }
        }.scan(e, null);
        return Boolean.TRUE.equals(found);
    }

    static boolean isIncrement(UnaryTree u) {
        return switch (u.getKind()) {
            case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> true;
            default -> false;
        };
    }

    static ExpressionTree unparen(ExpressionTree e) {
        while (e instanceof ParenthesizedTree p) {
            e = p.getExpression();
        }
        return e;
    }
}
