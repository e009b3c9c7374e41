package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

/** Token embedding: out[t] = table[token[t]], and the one-hot rows its gradient multiplies by. */
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
     * oneHot[t][v] = 1 where token t is v, else 0: with it the embedding's gradient is one GEMM,
     * dtable = oneHot^T dout ({@link Embedding#backward}), instead of each vocabulary row scanning
     * every token, work that grows with tokens x vocabulary.
     */
    @Kernel
    public static void oneHot(IntArray tokens, FloatArray oneHot, int vocab) {
        for (@Parallel long t = 0; t < tokens.getSize(); t++) {
            for (@Parallel int v = 0; v < vocab; v++) {
                oneHot.set(t * vocab + v, tokens.get(t) == v ? 1f : 0f);
            }
        }
    }
}
