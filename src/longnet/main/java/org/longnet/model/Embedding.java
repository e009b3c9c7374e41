package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;

/** The token embedding's gradient as a GEMM: deterministic (no atomics), and as fast as the library's products. */
final class Embedding {
    private Embedding() {
    }

    /**
     * dtable (vocab x dim) = (or += with {@code accumulate}, where a tied head has written its share)
     * the sum of dout's rows over the tokens of each vocabulary row: oneHot^T dout, with the one-hot
     * rows written into {@code oneHot} (tokens x vocab floats, free scratch: the model lends its logits).
     */
    static TaskGraph backward(TaskGraph g, String name, IntArray tokens, FloatArray dout, FloatArray dtable, FloatArray oneHot,
                              int vocab, int dim, boolean accumulate) {
        int n = (int) tokens.getSize();
        g.task(name + "OneHot", EmbeddingKernels::oneHot, tokens, oneHot, vocab);
        return g.library(name, Gemm.of(new GemmShape(true, false, vocab, dim, n, 1f, accumulate ? 1f : 0f, vocab, dim, dim, 0, 0, 0, 1),
                oneHot, dout, dtable));
    }
}
