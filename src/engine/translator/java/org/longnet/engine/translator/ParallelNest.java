package org.longnet.engine.translator;

import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreeScanner;

import java.util.ArrayList;
import java.util.List;

/**
 * The chain of {@code @Parallel} loops of one kernel, outermost first. One loop per depth and at
 * most three: each depth becomes one dimension of the launch range.
 */
record ParallelNest(List<ParallelLoop> loops) {
    static final int MAX_DIMS = 3;

    static ParallelNest of(MethodTree method) {
        List<ParallelLoop> found = new ArrayList<>();
        new TreeScanner<Void, Integer>() {
            @Override
            public Void visitForLoop(ForLoopTree loop, Integer depth) {
                if (!ParallelLoop.isParallel(loop)) {
                    return super.visitForLoop(loop, depth);
                }
                if (depth >= MAX_DIMS) {
                    throw new Rejected(loop, "at most " + MAX_DIMS + " nested @Parallel loops are allowed");
                }
                if (found.size() > depth) {
                    throw new Rejected(loop, "a kernel has one @Parallel loop per nesting level; this is a second one"
                            + " at level " + (depth + 1) + ": split it into another kernel");
                }
                found.add(ParallelLoop.of(loop));
                return scan(loop.getStatement(), depth + 1);
            }
        }.scan(method.getBody(), 0);
        return new ParallelNest(List.copyOf(found));
    }

    int dims() {
        return loops.size();
    }

    /** The device dimension of the loop at {@code depth}: the innermost loop is x (0), so it is coalesced. */
    int deviceDim(int depth) {
        return loops.size() - 1 - depth;
    }

    int depthOf(ForLoopTree loop) {
        for (int d = 0; d < loops.size(); d++) {
            if (loops.get(d).loop() == loop) {
                return d;
            }
        }
        return -1;
    }
}
