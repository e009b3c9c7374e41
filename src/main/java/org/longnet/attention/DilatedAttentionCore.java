package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dilated attention on given Q, K, V ({@code [B][N][H][D]}, fp32): the tasks of its forward and
 * backward passes, appended to a caller's task graph so data stays on the device. Call
 * {@link #configure} on the plan that runs the graph to give each task its launch sizes.
 */
public final class DilatedAttentionCore {
    private final AttentionShape shape;
    private final DilatedAttentionConfig config;
    private final float scale;
    /** Prefix of this core's task names, so several cores can share one graph. */
    private final String name;
    /** Forward and backward on matrix units (bf16 inputs, fp32 accumulation; head dimension 64). */
    private final boolean matrixUnits;
    /** Launch sizes of the tasks this core added, by task name. */
    private final Map<String, WorkerGrid> grids = new LinkedHashMap<>();

    public DilatedAttentionCore(AttentionShape shape, DilatedAttentionConfig config) {
        this(shape, config, "attn");
    }

    public DilatedAttentionCore(AttentionShape shape, DilatedAttentionConfig config, String name) {
        this(shape, config, name, false);
    }

    /**
     * With {@code matrixUnits} the forward and backward multiply on tensor cores through
     * {@code KernelContext.mmaBf16} (Q, K, V and probabilities rounded to bf16, fp32 accumulation);
     * it needs head dimension {@value DilatedAttentionKernels#MMA_HEAD_DIM}.
     */
    public DilatedAttentionCore(AttentionShape shape, DilatedAttentionConfig config, String name, boolean matrixUnits) {
        if (matrixUnits && shape.headDim() != DilatedAttentionKernels.MMA_HEAD_DIM) {
            throw new IllegalArgumentException("matrix-unit attention needs head dimension " + DilatedAttentionKernels.MMA_HEAD_DIM
                    + ", was " + shape.headDim());
        }
        this.shape = shape;
        this.config = config;
        this.scale = (float) (1.0 / Math.sqrt(shape.headDim()));
        this.name = name;
        this.matrixUnits = matrixUnits;
    }

    public AttentionShape shape() {
        return shape;
    }

    public DilatedAttentionConfig config() {
        return config;
    }

    /** Adds tasks that compute {@code out} and the mixed log-sum-exp {@code lse} from q, k, v. */
    public TaskGraph appendForward(TaskGraph graph, FloatArray q, FloatArray k, FloatArray v, FloatArray out, FloatArray lse) {
        check(q, k, v, out);
        checkRows(lse);
        graph.task(name + "Reset", DilatedAttentionKernels::resetMixture, out, lse);
        int n = shape.seqLen(), h = shape.heads(), d = shape.headDim();
        List<DilatedPair> pairs = config.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            DilatedPair p = pairs.get(i);
            String task = name + "Pair" + i;
            if (matrixUnits) {
                graph.task(task, DilatedAttentionKernels::forwardPairMma, new KernelContext(), q, k, v, out, lse,
                        n, h, p.segmentLength(), p.dilationRate(), config.causal() ? 1 : 0, scale);
                grids.put(task, grid(p, DilatedAttentionKernels.MMA_GROUP_ROWS, DilatedAttentionKernels.MMA_GROUP_SIZE));
            } else {
                graph.task(task, DilatedAttentionKernels::forwardPair, new KernelContext(), q, k, v, out, lse,
                        n, h, d, p.segmentLength(), p.dilationRate(), config.causal() ? 1 : 0, scale);
                grids.put(task, grid(p));
            }
        }
        return graph;
    }

    /**
     * Adds tasks that compute dQ, dK, dV from dO, given the forward's {@code out} and {@code lse}.
     * {@code delta} is scratch of {@link AttentionShape#rows()} elements.
     */
    public TaskGraph appendBackward(TaskGraph graph, FloatArray q, FloatArray k, FloatArray v, FloatArray out, FloatArray lse,
                                    FloatArray gradOut, FloatArray delta, FloatArray gradQ, FloatArray gradK, FloatArray gradV) {
        check(q, k, v, out, gradOut, gradQ, gradK, gradV);
        checkRows(lse);
        checkRows(delta);
        int n = shape.seqLen(), h = shape.heads(), d = shape.headDim();
        int causal = config.causal() ? 1 : 0;
        graph.task(name + "Delta", DilatedAttentionKernels::deltas, out, gradOut, delta, d);
        graph.task(name + "ZeroGrads", DilatedAttentionKernels::zeroGradients, gradQ, gradK, gradV);
        List<DilatedPair> pairs = config.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            DilatedPair p = pairs.get(i);
            String queryTask = name + "GradQ" + i, keyValueTask = name + "GradKV" + i;
            if (matrixUnits) {
                graph.task(queryTask, DilatedAttentionKernels::backwardQueryMma, new KernelContext(), q, k, v, gradOut, delta,
                        lse, gradQ, n, h, p.segmentLength(), p.dilationRate(), causal, scale);
                graph.task(keyValueTask, DilatedAttentionKernels::backwardKeyValueMma, new KernelContext(), q, k, v, gradOut, delta,
                        lse, gradK, gradV, n, h, p.segmentLength(), p.dilationRate(), causal, scale);
                grids.put(queryTask, grid(p, DilatedAttentionKernels.MMA_DQ_ROWS, DilatedAttentionKernels.MMA_DQ_SIZE));
                grids.put(keyValueTask, grid(p, DilatedAttentionKernels.MMA_KV_KEYS, DilatedAttentionKernels.MMA_KV_SIZE));
            } else {
                graph.task(queryTask, DilatedAttentionKernels::backwardQuery, new KernelContext(), q, k, v, gradOut, delta,
                        lse, gradQ, n, h, d, p.segmentLength(), p.dilationRate(), causal, scale);
                graph.task(keyValueTask, DilatedAttentionKernels::backwardKeyValue, new KernelContext(), q, k, v, gradOut, delta,
                        lse, gradK, gradV, n, h, d, p.segmentLength(), p.dilationRate(), causal, scale);
                grids.put(queryTask, grid(p));
                grids.put(keyValueTask, grid(p));
            }
        }
        return graph;
    }

    /** Gives the plan the launch sizes of every task this core appended to the graph {@code graphName}. */
    public ExecutionPlan configure(ExecutionPlan plan, String graphName) {
        grids.forEach((task, grid) -> plan.withGrid(graphName + "." + task, grid));
        return plan;
    }

    private WorkerGrid grid(DilatedPair p) {
        return grid(p, DilatedAttentionKernels.TILE, DilatedAttentionKernels.TILE);
    }

    /** One dimension of groups of {@code groupSize}: row tiles of {@code rowsPerGroup} x (segments x heads) x batch. */
    private WorkerGrid grid(DilatedPair p, int rowsPerGroup, int groupSize) {
        int n = shape.seqLen();
        int seg = p.effectiveLength(n);
        long segments = (n + seg - 1) / seg;
        long tiles = ((seg + p.dilationRate() - 1) / p.dilationRate() + rowsPerGroup - 1) / rowsPerGroup;
        long groups = tiles * segments * shape.heads() * shape.batch();
        if (groups > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sequence length " + n + " with " + shape.heads() + " heads and batch " + shape.batch()
                    + " needs " + groups + " work-groups for pair " + p + "; at most " + Integer.MAX_VALUE);
        }
        return WorkerGrid.of(groups * groupSize, groupSize);
    }

    private void check(FloatArray... arrays) {
        for (FloatArray a : arrays) {
            if (a.getSize() != shape.elements()) {
                throw new IllegalArgumentException("attention arrays must hold B*N*H*D = " + shape.elements()
                        + " elements for " + shape + ", one holds " + a.getSize());
            }
        }
    }

    private void checkRows(FloatArray a) {
        if (a.getSize() != shape.rows()) {
            throw new IllegalArgumentException("log-sum-exp arrays must hold B*N*H = " + shape.rows() + " elements for "
                    + shape + ", one holds " + a.getSize());
        }
    }
}
