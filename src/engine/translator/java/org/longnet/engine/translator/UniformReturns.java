package org.longnet.engine.translator;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;

import java.util.HashSet;
import java.util.Set;

/**
 * A {@code return} inside {@code @Parallel} loops that every iteration takes together, before doing anything, as
 * TornadoVM's TestLoopConditions writes them: {@code if (a.get(0) > b.get(0)) { return; }} first in a loop's body, that
 * loop first in the body of each {@code @Parallel} loop around it, and the condition the same for every iteration (no
 * {@code @Parallel} index or local of the loops, no array the kernel writes). Then the JVM's first iteration ending the
 * kernel and every work-item ending itself leave the same memory: none of the loops' work is done, or all of it.
 * Any other {@code return} in a {@code @Parallel} loop is refused (it would end one work-item on a device).
 */
final class UniformReturns {
    private UniformReturns() {
    }

    static boolean allTogether(MethodScope s, ReturnTree ret) {
        TreePath path = s.path(ret);
        Tree child = ret;
        TreePath at = path.getParentPath();
        // the return, alone or first in a block, as the then-branch of an if without else
        if (at.getLeaf() instanceof BlockTree block && first(block, child)) {
            child = block;
            at = at.getParentPath();
        }
        if (!(at.getLeaf() instanceof IfTree guard) || guard.getThenStatement() != child || guard.getElseStatement() != null
                || !invariant(s, guard)) {
            return false;
        }
        child = guard;
        at = at.getParentPath();
        // then first in the body of each @Parallel loop, out to the outermost
        while (at != null && at.getLeaf() != s.method) {
            Tree leaf = at.getLeaf();
            if (leaf instanceof BlockTree block && first(block, child)) {
                child = block;
            } else if (leaf instanceof ForLoopTree loop && s.nest.depthOf(loop) >= 0 && loop.getStatement() == child) {
                if (s.nest.depthOf(loop) == 0) {
                    return true;
                }
                child = loop;
            } else {
                return false;
            }
            at = at.getParentPath();
        }
        return false;
    }

    private static boolean first(BlockTree block, Tree child) {
        return !block.getStatements().isEmpty() && block.getStatements().get(0) == child;
    }

    private static boolean invariant(MethodScope s, IfTree guard) {
        Set<String> indices = new HashSet<>();
        s.nest.loops().forEach(l -> indices.add(l.name()));
        LoopDependence dependence = LoopDependence.of(s.method, s.nest);
        Set<String> written = new SameValueWrites(s.method.getBody(), dependence, indices, Set.of(),
                JavaTypes.javaArrayParameters(s.method)).written();
        return dependence.of(guard.getCondition()).stream().noneMatch(indices::contains)
                && !LoopDependence.mentions(guard.getCondition(), Reductions.varyingNames(s.nest), false)
                && !LoopDependence.mentions(guard.getCondition(), written, false);
    }
}
