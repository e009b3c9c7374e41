package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.PrecisionKernels;

import java.util.List;

/**
 * bf16 storage for the GEMMs of one run (16-bit operands, fp32 accumulation and results): the model's bf16 weight
 * copies ({@link Bf16Weights}), and scratch buffers into which a GEMM's gradient operands are rounded just before it
 * runs. (Its activation operands, the norms' outputs, are written in bf16 by the norms.)
 */
final class Bf16 {
    /** Which scratch buffer an operand is rounded into. */
    enum Slot {
        /** A Linear's {@code tokens x dModel} output gradient (backward). */
        GRAD,
        /** One feed-forward chunk's hidden activation or its gradient ({@code rows x ffn}). */
        FFN
    }

    private final Bf16Weights weights;
    private final BFloat16Array grad, ffn;
    /**
     * A row of ones, one per token: the A of the bias gradients' GEMMs (column sums of the bf16 gradient operands);
     * filled here, on the host, for the graph that uses it to copy in once.
     */
    final BFloat16Array ones;
    private final long tokens;

    Bf16(Bf16Weights weights, long tokens, int dModel, long ffnElements) {
        this.weights = weights;
        this.tokens = tokens;
        grad = new BFloat16Array(tokens * dModel);
        ones = new BFloat16Array(tokens);
        for (long i = 0; i < tokens; i++) {
            ones.set(i, 1f);
        }
        ffn = new BFloat16Array(ffnElements);
    }

    /** The weight operand of {@code l}'s GEMMs: its bf16 copy, or with {@code bf16} null the fp32 master. */
    static MatrixView weight(Bf16 bf16, Linear l) {
        return bf16 == null ? MatrixView.rowsOf(l.weight.value(), l.out) : bf16.weights.of(l);
    }

    /** The bf16 weights of a block's Q, K and V side by side, {@code [d][3d]}: the B of one GEMM for all three. */
    MatrixView attentionWeights(ModelWeights.Block b) {
        return weights.of(b.q());
    }

    /**
     * Where a block keeps rows of {@code 3 d} that hold Q, K and V side by side, so that one GEMM takes all three: the forward's
     * products (one GEMM writes them) and the backward's output gradients (one GEMM reads them for the input gradient). The
     * feed-forward slot, free at both times, when it holds them (without feed-forward chunks); else null, and the three go
     * one by one.
     */
    BFloat16Array attentionRows(int dModel) {
        return ffn.getSize() >= 3 * tokens * dModel ? ffn : null;
    }

    /**
     * The GEMM operand for the first {@code n} elements of {@code x}: with {@code bf16} null, or x in
     * bf16 already, x itself; otherwise a task rounds them into the slot's buffer, which is returned.
     */
    static DeviceArray operand(TaskGraph g, String name, DeviceArray x, long n, Bf16 bf16, Slot slot) {
        if (bf16 == null || x instanceof BFloat16Array) {
            return x;
        }
        BFloat16Array into = bf16.slot(slot);
        g.task(name + "Bf16", PrecisionKernels::toBf16, (FloatArray) x, into, n);
        return into;
    }

    /** A slot's buffer, for a kernel that writes a bf16 operand itself. */
    BFloat16Array slot(Slot slot) {
        return switch (slot) {
            case GRAD -> grad;
            case FFN -> ffn;
        };
    }

    /** The scratch buffers (the weight copies are the model's). */
    List<DeviceArray> arrays() {
        return List.of(grad, ffn, ones);
    }

    /** Device bytes of the scratch buffers: per token, and per row of a feed-forward chunk. */
    static long bytesPerToken(int dModel) {
        return (long) Short.BYTES * (dModel + 1);
    }

    static long bytesPerFfnRow(int ffn) {
        return (long) Short.BYTES * ffn;
    }
}
