package org.longnet.model;

import org.longnet.attention.DilatedAttentionCore;
import org.longnet.attention.Positions;
import org.longnet.attention.ProjectionKernels;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;

/**
 * One Sub-LN (MAGNETO) decoder block, spec §6:
 * <pre>
 * h = x + Wo( LN_a( DilatedAttn( LN_1(x) ) ) )
 * y = h + W2( LN_f( GELU( W1 LN_2(h) ) ) )
 * </pre>
 * Forward and backward side by side, appended as tasks to the caller's graph. The feed-forward
 * half may run over chunks of rows ({@code ffnRows} each): its {@code rows x ffn} hidden
 * activations then exist for one chunk at a time, and the backward recomputes each chunk's before
 * going back through it. This is what lets one GPU train on sequences of a million tokens.
 */
final class DecoderBlock {
    private final ModelWeights.Block w;
    private final DilatedAttentionCore attention;
    private final Positions positions;
    private final float rotaryBase;
    private final String name;
    private final int tokens, seqLen, heads, headDim, ffnRows;
    /** bf16 GEMM operands, or null for fp32 GEMMs. */
    private final Bf16 bf16;
    /** Work-items per row of the LayerNorms ({@link LayerNorm#rowGroup}). */
    private final int rowGroup;

    DecoderBlock(ModelWeights.Block weights, DilatedAttentionCore attention, Positions positions, float rotaryBase, String name, Bf16 bf16,
                 int rowGroup, int ffnRows) {
        this.ffnRows = ffnRows;
        this.w = weights;
        this.bf16 = bf16;
        this.rowGroup = rowGroup;
        this.attention = attention;
        this.positions = positions;
        this.rotaryBase = rotaryBase;
        this.name = name;
        this.seqLen = attention.shape().seqLen();
        this.tokens = attention.shape().batch() * seqLen;
        this.heads = attention.shape().heads();
        this.headDim = attention.shape().headDim();
    }

    DilatedAttentionCore attention() {
        return attention;
    }

    /**
     * What a residual stream that holds a sublayer's product still lacks, which the norm that reads it next adds as it reads
     * it ({@link LayerNorm#forwardOfResidual}): the sublayer's bias and the stream before the sublayer.
     */
    record Residual(FloatArray bias, FloatArray stream) {
    }

    /**
     * y = block(x), but for the feed-forward's bias and residual, returned: y holds fc2's product, and the next norm (the next
     * block's first, or the final one) adds them as it reads y, one pass over the stream fewer. {@code xLacks}: what x lacks
     * likewise (null where x is whole), added and written over x by this block's first norm.
     */
    Residual forward(TaskGraph g, FloatArray x, FloatArray y, BlockActivations a, Residual xLacks) {
        forwardAttention(g, "", x, a, true, xLacks);
        forwardFeedForward(g, "", y, a);
        return new Residual(w.fc2().bias.value(), a.h);
    }

    /**
     * Before this block's backward when activations were not kept: what its backward reads of the forward, again. Not the
     * attention kernels where {@code attentionKept} (a.o and a.lse still hold what they wrote); not the feed-forward's output
     * (its checkpoint, the next block's input, is already y); and not the hidden layer when that runs in chunks (the backward
     * recomputes it chunk by chunk).
     */
    void recompute(TaskGraph g, FloatArray x, BlockActivations a, boolean attentionKept) {
        forwardAttention(g, "re", x, a, !attentionKept, null);
        if (chunks() == 1) {
            hidden(g, "re" + name, a.ln2, 0, tokens, a);
        }
    }

    /**
     * Through attention (its kernels where {@code attend}, else only the products the backward reads, Q, K and V), the
     * first residual and the feed-forward's input norm (a.h and a.ln2); {@code tag} keeps task names apart when the
     * backward recomputes this forward. The first norm adds what x lacks ({@link #forward}) and writes the sum over x; it
     * normalizes a whole x by the same kernel, so a recomputed block's ln1 has its forward's bits.
     */
    private void forwardAttention(TaskGraph g, String tag, FloatArray x, BlockActivations a, boolean attend, Residual xLacks) {
        String n = tag + name;
        if (xLacks == null) {
            w.attnNorm().forwardOfStream(g, n + "Norm1", x, a.ln1, a.ln1Stats, tokens, rowGroup);
        } else {
            w.attnNorm().forwardOfResidual(g, n + "Norm1", x, xLacks.bias(), xLacks.stream(), a.ln1, a.ln1Stats, tokens, rowGroup);
        }
        BFloat16Array together = bf16 == null || a.q16 == null ? null : bf16.attentionRows(dModel());
        if (together != null) {
            // One GEMM for the three products, in bf16 rows of Q, K and V; then each one's bias and positions in one pass.
            Linear.multiply(g, n + "Qkv", a.ln1, 0, bf16.attentionWeights(w), dModel(), 3 * dModel(), together, 0, tokens);
            productOperand(g, n + "QOperand", together, 0, w.q().bias.value(), a.q16, 1f, true);
            productOperand(g, n + "KOperand", together, 1, w.k().bias.value(), a.k16, -1f, true);
            productOperand(g, n + "VOperand", together, 2, w.v().bias.value(), a.v16, 0f, false);
            attend(g, a, attend);
        } else if (a.q16 != null) {
            // Products only: each one's bias, positions and rounding to the matrix units' bf16 come in one pass.
            w.q().multiply(g, n + "Q", a.ln1, 0, a.q, 0, tokens, bf16);
            w.k().multiply(g, n + "K", a.ln1, 0, a.k, 0, tokens, bf16);
            w.v().multiply(g, n + "V", a.ln1, 0, a.v, 0, tokens, bf16);
            operand(g, n + "QOperand", a.q, w.q().bias.value(), MatrixView.rowsOf(a.q16, dModel()), 1f, true);
            operand(g, n + "KOperand", a.k, w.k().bias.value(), MatrixView.rowsOf(a.k16, dModel()), -1f, true);
            operand(g, n + "VOperand", a.v, w.v().bias.value(), MatrixView.rowsOf(a.v16, dModel()), 0f, false);
            attend(g, a, attend);
        } else {
            w.q().forward(g, n + "Q", a.ln1, a.q, tokens, bf16);
            w.k().forward(g, n + "K", a.ln1, a.k, tokens, bf16);
            w.v().forward(g, n + "V", a.ln1, a.v, tokens, bf16);
            rotate(g, n + "Rotate", a.q, a.k, 0);
            attend(g, a, attend);
        }
        w.attnInnerNorm().forward(g, n + "NormA", a.o, a.lnA, a.lnAStats, tokens, rowGroup);
        w.out().multiply(g, n + "Out", a.lnA, 0, a.h, 0, tokens, bf16);
        // h = x + the product + its bias, and ln2 = LN_2(h), in one pass
        w.ffnNorm().forwardOfResidual(g, n + "Norm2", a.h, w.out().bias.value(), x, a.ln2, a.ln2Stats, tokens, rowGroup);
    }

    /** a.o and a.lse from the block's Q, K and V, in bf16 where they are (matrix units), else in fp32; nothing unless {@code attend}. */
    private void attend(TaskGraph g, BlockActivations a, boolean attend) {
        if (!attend) {
            return;
        }
        if (a.q16 != null) {
            attention.appendForward(g, a.q16, a.k16, a.v16, a.o, a.lse);
        } else {
            attention.appendForward(g, a.q, a.k, a.v, a.o, a.lse);
        }
    }

    /** y = W2 LN_f(GELU(W1 ln2)), chunk by chunk: the feed-forward's product, without its bias and the residual h. */
    private void forwardFeedForward(TaskGraph g, String tag, FloatArray y, BlockActivations a) {
        String n = tag + name;
        for (int c = 0; c < chunks(); c++) {
            int row = c * ffnRows, rows = rowsOf(c);
            String p = chunkName(c, n);
            hidden(g, p, a.ln2, row, rows, a);
            w.fc2().multiply(g, p + "Fc2", a.lnF, 0, y, row, rows, bf16); // in bf16 already with bf16 GEMMs
        }
    }

    /** One chunk's hidden layer: fc1's product, then lnF = LN_f(gelu(product + bias)) of rows {@code [row, row + rows)}, into the chunk buffers. */
    private void hidden(TaskGraph g, String p, DeviceArray ln2, int row, int rows, BlockActivations a) {
        w.fc1().multiply(g, p + "Fc1", ln2, row, a.fc1, 0, rows, bf16);
        w.ffnInnerNorm().forwardOfGelu(g, p + "NormF", a.fc1, w.fc1().bias.value(), a.lnF, a.lnFStats, rows, rowGroup);
    }

    /**
     * Given dy, writes dx and every weight gradient of the block (overwriting them) but fc2's bias gradient, which the norm
     * whose backward wrote dy summed ({@link #feedForwardOutput}). With bf16 GEMMs dy must also be in {@link #streamGradient},
     * in bf16 (that norm put it there), and dx is left there the same way for the block before, and summed into
     * {@code dxSums} (the block before's {@link #feedForwardOutput}; null where dx goes to no Linear).
     */
    void backward(TaskGraph g, FloatArray x, BlockActivations a, FloatArray dy, FloatArray dx, BlockActivations.Scratch s,
                  LayerNorm.DxSums dxSums) {
        String n = name;
        backwardFeedForward(g, a, dy, s);
        // dh = dy (the residual) + LN_2's gradient; in bf16 too, for the output projection's GEMMs
        w.ffnNorm().backward(g, n + "Norm2", a.h, a.ln2Stats, s.dTmp, dy, s.dh, streamGradient(bf16), w.out().biasSums(n + "Out"),
                s.columnSums, tokens, false, rowGroup);

        w.out().backward(g, n + "Out", a.lnA, bf16 == null ? s.dh : streamGradient(bf16), s.dTmp, s.columnSums, tokens, false, bf16, false);
        if (a.q16 != null) { // dO straight into the matrix units' bf16
            w.attnInnerNorm().backward(g, n + "NormA", a.o, a.lnAStats, s.dTmp, s.dO16, s.columnSums, tokens, false, rowGroup);
            attention.appendBackward(g, a.q16, a.k16, a.v16, a.o, a.lse, s.dO16, s.delta, s.gq, s.gk, s.gv);
        } else {
            w.attnInnerNorm().backward(g, n + "NormA", a.o, a.lnAStats, s.dTmp, s.dO, s.columnSums, tokens, false, rowGroup);
            attention.appendBackward(g, a.q, a.k, a.v, a.o, a.lse, s.dO, s.delta, s.gq, s.gk, s.gv);
        }
        if (bf16 != null) {
            backwardProjectionsBf16(g, a, s);
        } else {
            rotate(g, n + "Unrotate", s.gq, s.gk, 1);
            w.q().backward(g, n + "Q", a.ln1, s.gq, s.dTmp, s.columnSums, tokens, false, bf16, true);
            w.k().backward(g, n + "K", a.ln1, s.gk, s.dTmp, s.columnSums, tokens, true, bf16, true);
            w.v().backward(g, n + "V", a.ln1, s.gv, s.dTmp, s.columnSums, tokens, true, bf16, true);
        }
        // dx = dh + LN_1's gradient, and in bf16 for the block before
        w.attnNorm().backward(g, n + "Norm1", x, a.ln1Stats, s.dTmp, s.dh, dx, streamGradient(bf16), dxSums, s.columnSums, tokens, false,
                rowGroup);
    }

    /** Where the backward of the norm that writes this block's output gradient sums it: fc2's bias gradient. */
    LayerNorm.DxSums feedForwardOutput() {
        return w.fc2().biasSums(name + "Fc2");
    }

    /**
     * From attention's dQ, dK, dV (s.gq, s.gk, s.gv) to the Q, K and V projections' weight and bias gradients
     * and their summed input gradient (s.dTmp), with bf16 GEMMs. Each output gradient becomes its GEMMs' bf16
     * operand in one pass (with the positions' transpose for Q and K). Where the feed-forward slot holds all
     * three side by side, one GEMM with k = 3d takes them for the input gradient (three GEMMs adding up into
     * an fp32 dx would read and write it three times); otherwise they take turns in the GRAD slot, each one's
     * GEMMs run before the next one is written.
     */
    private void backwardProjectionsBf16(TaskGraph g, BlockActivations a, BlockActivations.Scratch s) {
        BFloat16Array together = bf16.attentionRows(dModel());
        Linear[] projections = {w.q(), w.k(), w.v()};
        FloatArray[] grads = {s.gq, s.gk, s.gv};
        String[] names = {"Q", "K", "V"};
        float[] xposSigns = {1f, -1f, 0f};
        for (int t = 0; t < 3; t++) {
            MatrixView dy = together != null ? new MatrixView(together, (long) t * dModel(), 3 * dModel())
                    : MatrixView.rowsOf(bf16.slot(Bf16.Slot.GRAD), dModel());
            String p = name + names[t];
            operand(g, p + "GradOperand", grads[t], null, dy, xposSigns[t], t < 2);
            projections[t].gradWeight(g, p, a.ln1, 0, dy, tokens, false);
            if (together == null) {
                projections[t].gradBias(g, p, dy, s.columnSums, tokens, false, bf16);
                projections[t].gradInput(g, p, dy, s.dTmp, 0, tokens, t > 0, bf16);
            }
        }
        if (together != null) {
            MatrixView rows = MatrixView.rowsOf(together, 3 * dModel());
            Linear.gradInput(g, name + "QkvGradX", rows, bf16.attentionWeights(w), 3 * dModel(), dModel(), s.dTmp, 0, tokens, false);
            // The three bias gradients: the column sums of the same rows, one GEMM for all three, then split.
            Linear.columnSums(g, name + "QkvGradBSums", bf16, rows, 3 * dModel(), s.columnSums, tokens, false);
            g.task(name + "QkvGradB", ProjectionKernels::splitColumns, s.columnSums, w.q().bias.grad(), w.k().bias.grad(), w.v().bias.grad(),
                    dModel());
        }
    }

    private int dModel() {
        return heads * headDim;
    }

    /**
     * Where the residual stream's gradient is kept in bf16 for the GEMMs that take it (the output projection's
     * and fc2's): the GRAD operand slot, which the stream norms' backward passes write; null without bf16 GEMMs.
     */
    static BFloat16Array streamGradient(Bf16 bf16) {
        return bf16 == null ? null : bf16.slot(Bf16.Slot.GRAD);
    }

    /**
     * From dy to the feed-forward's input gradient (s.dTmp) and its weight gradients, chunk by
     * chunk: later chunks add to the weight gradients the first one wrote.
     */
    private void backwardFeedForward(TaskGraph g, BlockActivations a, FloatArray dy, BlockActivations.Scratch s) {
        String n = name;
        Linear fc1 = w.fc1(), fc2 = w.fc2();
        // with bf16 GEMMs dy's bf16 copy, which the norm that wrote dy left there
        MatrixView dyOperand = MatrixView.rowsOf(bf16 == null ? dy : streamGradient(bf16), dModel());
        for (int c = 0; c < chunks(); c++) {
            int row = c * ffnRows, rows = rowsOf(c);
            boolean add = c > 0;
            String p = chunkName(c, n);
            if (chunks() > 1) {
                hidden(g, chunkName(c, "re" + n), a.ln2, row, rows, a);
            }
            fc2.gradWeight(g, p + "Fc2", a.lnF, 0, dyOperand.fromRow(row), rows, add);
            fc2.gradInput(g, p + "Fc2", dyOperand.fromRow(row), s.dFfnA, 0, rows, false, bf16);
            // Through LN_f, the GELU and the bias before it in one pass: dFfnB is the gradient of fc1's output (bias added).
            // With bf16 GEMMs straight into the bf16 operand of fc1's gradient GEMMs.
            DeviceArray dHidden = bf16 == null ? s.dFfnB : bf16.slot(Bf16.Slot.FFN);
            w.ffnInnerNorm().backwardOfGelu(g, p + "NormF", a.fc1, w.fc1().bias.value(), a.lnFStats, s.dFfnA, dHidden, fc1.biasSums(p + "Fc1"),
                    s.columnSums, rows, add, rowGroup);
            MatrixView dHiddenRows = MatrixView.rowsOf(dHidden, fc1.out);
            fc1.gradWeight(g, p + "Fc1", a.ln2, row, dHiddenRows, rows, add);
            fc1.gradInput(g, p + "Fc1", dHiddenRows, s.dTmp, row, rows, false, bf16);
        }
    }

    private int chunks() {
        return (tokens + ffnRows - 1) / ffnRows;
    }

    private int rowsOf(int chunk) {
        return Math.min(ffnRows, tokens - chunk * ffnRows);
    }

    /** Task names of chunk c: the first chunk keeps the block's names; the others are prefixed, and profiles fold them. */
    private static String chunkName(int c, String n) {
        return c == 0 ? n : "c" + c + n;
    }

    /**
     * A bf16 operand in one pass. Forward ({@code bias} set): positions(product + bias), the matrix-unit
     * attention's Q, K or V from its projection's product. Backward ({@code bias} null): a projection's output
     * gradient for its GEMMs, from attention's dQ, dK or dV through the transposed positions. {@code sign} is
     * XPOS's (+1 queries, -1 keys); V ({@code positioned} false) is not rotated.
     */
    private void operand(TaskGraph g, String n, FloatArray x, FloatArray bias, MatrixView out, float sign, boolean positioned) {
        int rotary = positioned && positions != Positions.NONE ? 1 : 0;
        int xpos = positions == Positions.XPOS ? 1 : 0;
        g.task(n, ProjectionKernels::biasRotateBf16, x, bias == null ? x : bias, bias == null ? 0 : 1, (BFloat16Array) out.array(),
                out.stride(), (int) out.offset(), seqLen, heads, headDim, rotary, xpos, sign, bias == null ? 1 : 0, rotaryBase,
                attention.split().offset(), attention.split().length());
    }

    /**
     * The matrix-unit attention's Q, K or V ({@code part} 0, 1 or 2 of the rows of {@code together}, as one GEMM wrote the
     * three products): plus its bias, through the positions ({@code positioned}, {@code sign} as {@link #operand}), in bf16.
     */
    private void productOperand(TaskGraph g, String n, BFloat16Array together, int part, FloatArray bias, BFloat16Array out, float sign,
                                boolean positioned) {
        int rotary = positioned && positions != Positions.NONE ? 1 : 0;
        int xpos = positions == Positions.XPOS ? 1 : 0;
        g.task(n, ProjectionKernels::productRotateBf16, together, 3 * dModel(), part * dModel(), bias, out, dModel(), tokens / seqLen,
                seqLen, heads, headDim, rotary, xpos, sign, rotaryBase, attention.split().offset(), attention.split().length());
    }

    /** Rotary/XPOS on queries and keys ({@code inverse} 1: the transpose, for their gradients). */
    private void rotate(TaskGraph g, String n, FloatArray q, FloatArray k, int inverse) {
        if (positions == Positions.NONE) {
            return;
        }
        int xpos = positions == Positions.XPOS ? 1 : 0;
        int offset = attention.split().offset(), total = attention.split().length();
        g.task(n + "Q", ProjectionKernels::rotate, q, seqLen, heads, headDim, xpos, 1f, inverse, rotaryBase, offset, total);
        g.task(n + "K", ProjectionKernels::rotate, k, seqLen, heads, headDim, xpos, -1f, inverse, rotaryBase, offset, total);
    }
}
