package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.PrecisionKernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bf16 storage for the GEMMs of one run (16-bit operands, fp32 accumulation and results; the fp32
 * master weights stay what AdamW updates): a bf16 copy of every Linear's weight, refreshed from the
 * master at the start of each forward (a block's Q, K and V side by side), and scratch buffers into which a GEMM's gradient operands are
 * rounded just before it runs. (Its activation operands, the norms' outputs, are written in bf16 by the norms.)
 */
final class Bf16 {
    /** Which scratch buffer an operand is rounded into. */
    enum Slot {
        /** A Linear's {@code tokens x dModel} output gradient (backward). */
        GRAD,
        /** One feed-forward chunk's hidden activation or its gradient ({@code rows x ffn}). */
        FFN
    }

    /** Each Linear's bf16 weight: its own array, or for Q, K and V a third of the columns of their block's [d][3d]. */
    private final Map<Linear, MatrixView> weights = new LinkedHashMap<>();
    private final BFloat16Array grad, ffn;
    /** A row of ones, one per token: the A of the bias gradients' GEMMs (column sums of the bf16 gradient operands). */
    final BFloat16Array ones;
    private final long tokens;

    Bf16(List<ModelWeights.Block> blocks, long tokens, int dModel, long ffnElements) {
        for (ModelWeights.Block b : blocks) {
            List<Linear> qkv = List.of(b.q(), b.k(), b.v());
            BFloat16Array together = new BFloat16Array(3L * dModel * dModel);
            for (int t = 0; t < 3; t++) {
                weights.put(qkv.get(t), new MatrixView(together, (long) t * dModel, 3 * dModel));
            }
            for (Linear l : List.of(b.out(), b.fc1(), b.fc2())) {
                weights.put(l, MatrixView.rowsOf(new BFloat16Array(l.weight.size()), l.out));
            }
        }
        this.tokens = tokens;
        grad = new BFloat16Array(tokens * dModel);
        ones = new BFloat16Array(tokens);
        ffn = new BFloat16Array(ffnElements);
    }

    /** The weight operand of {@code l}'s GEMMs: its bf16 copy, or with {@code bf16} null the fp32 master. */
    static MatrixView weight(Bf16 bf16, Linear l) {
        return bf16 == null ? MatrixView.rowsOf(l.weight.value(), l.out) : bf16.weights.get(l);
    }

    /** The bf16 weights of a block's Q, K and V side by side, {@code [d][3d]}: the B of one GEMM for all three. */
    MatrixView attentionWeights(ModelWeights.Block b) {
        return weights.get(b.q());
    }

    /**
     * Where a block's backward puts the Q, K and V projections' output gradients side by side, rows of
     * {@code 3 d}, so that one GEMM takes them for the input gradient: the feed-forward slot, free by then,
     * when it holds them (without feed-forward chunks); else null, and they go through the GRAD slot one by one.
     */
    BFloat16Array attentionGradients(int dModel) {
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

    /** Tasks that round every master weight into its bf16 copy (named like layer tasks, so profiles fold them), and fill the ones. */
    void refreshWeights(TaskGraph g) {
        g.task("onesBf16", PrecisionKernels::fill, ones, 1f, ones.getSize());
        int i = 0;
        for (var e : weights.entrySet()) {
            Linear l = e.getKey();
            MatrixView copy = e.getValue();
            BFloat16Array into = (BFloat16Array) copy.array();
            // A copy that is a whole array is rounded flat, one element per work-item: cheaper than the strided kernel,
            // which also works out every element's row and column.
            if (copy.stride() == l.out) {
                g.task("l" + i++ + "WeightBf16", PrecisionKernels::toBf16, l.weight.value(), into, l.weight.size());
            } else { // a third of the columns of a block's Q, K, V copy
                g.task("l" + i++ + "WeightBf16", PrecisionKernels::toBf16Columns, l.weight.value(), into, l.in, l.out, copy.stride(),
                        (int) copy.offset());
            }
        }
    }

    List<DeviceArray> arrays() {
        List<DeviceArray> out = new ArrayList<>(weights.values().stream().map(MatrixView::array).distinct().toList());
        out.addAll(List.of(grad, ffn, ones));
        return out;
    }

    /** Device bytes of the scratch buffers: per token, and per row of a feed-forward chunk. */
    static long bytesPerToken(int dModel) {
        return (long) Short.BYTES * (dModel + 1);
    }

    static long bytesPerFfnRow(int ffn) {
        return (long) Short.BYTES * ffn;
    }
}
