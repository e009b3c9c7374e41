package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

/**
 * Token embedding: out[t] = table[token[t]]. Its gradient sums dout over the tokens of each
 * vocabulary row; with a byte vocabulary (256 rows) each row's work-item scans the tokens itself,
 * which is deterministic and needs no atomics.
 */
public final class EmbeddingKernels {
    private EmbeddingKernels() {
    }

    @Kernel
    public static void forward(IntArray tokens, FloatArray table, FloatArray out, int dim) {
        for (@Parallel long t = 0; t < tokens.getSize(); t++) {
            for (@Parallel int c = 0; c < dim; c++) {
                out.set(t * dim + c, table.get((long) tokens.get(t) * dim + c));
            }
        }
    }

    /**
     * dtable[v][c] = sum of dout[t][c] over the tokens t equal to v; with {@code accumulate} 1 it is
     * added to what dtable holds (a tied LM head has already written its share there).
     */
    @Kernel
    public static void backward(IntArray tokens, FloatArray dout, FloatArray dtable, int dim, int accumulate) {
        for (@Parallel int v = 0; v < dtable.getSize() / dim; v++) {
            for (@Parallel int c = 0; c < dim; c++) {
                float sum = accumulate == 1 ? dtable.get((long) v * dim + c) : 0f;
                for (long t = 0; t < tokens.getSize(); t++) {
                    if (tokens.get(t) == v) {
                        sum += dout.get(t * dim + c);
                    }
                }
                dtable.set((long) v * dim + c, sum);
            }
        }
    }
}
