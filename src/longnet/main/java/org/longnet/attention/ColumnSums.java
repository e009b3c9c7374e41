package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;

/**
 * Sums over all tokens per column (bias, gain and LayerNorm-bias gradients) in two passes: row
 * chunks first, then the chunks, so that a GPU is filled and the order of additions is fixed.
 */
public final class ColumnSums {
    /** Row chunks of the first pass: 128 x 768 columns is about 100k work-items. */
    public static final int CHUNKS = 128;

    private ColumnSums() {
    }

    /** Scratch for two sums of columns of at most {@code width} (LayerNorm needs two at once). */
    public static FloatArray scratch(int width) {
        return new FloatArray(2L * CHUNKS * width);
    }

    /** out = column sums of dy ({@code rows} x {@code cols}): a bias gradient. */
    public static void add(TaskGraph g, String name, FloatArray dy, FloatArray out, FloatArray scratch, int rows, int cols) {
        add(g, name, dy, out, scratch, rows, cols, false);
    }

    /** As above, or with {@code accumulate} out += the column sums (one chunk of a sequence after another). */
    public static void add(TaskGraph g, String name, FloatArray dy, FloatArray out, FloatArray scratch, int rows, int cols,
                           boolean accumulate) {
        g.task(name + "Partial", ProjectionKernels::columnSumPartial, dy, scratch, rows, cols, CHUNKS);
        sumChunks(g, name, scratch, out, cols, CHUNKS, 0, accumulate);
    }

    /**
     * Adds the task {@code name}: out = the sums over chunks {@code first .. first + chunks - 1} of
     * {@code partials} ({@code [chunk][cols]}), or with {@code accumulate} out += them.
     */
    public static void sumChunks(TaskGraph g, String name, FloatArray partials, FloatArray out, int cols, int chunks, int first,
                                 boolean accumulate) {
        g.task(name, ProjectionKernels::sumChunks, new KernelContext(), partials, out, cols, chunks, first, accumulate ? 1 : 0);
        long groups = (cols + ProjectionKernels.SUM_COLUMNS - 1) / ProjectionKernels.SUM_COLUMNS;
        g.withGrid(name, WorkerGrid.of(groups * ProjectionKernels.SUM_GROUP, ProjectionKernels.SUM_GROUP));
    }
}
