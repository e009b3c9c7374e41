package org.longnet.model;

import org.longnet.attention.DilatedAttentionCore;
import org.longnet.attention.Positions;
import org.longnet.attention.ProjectionKernels;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;

/**
 * One Sub-LN (MAGNETO) decoder block, spec §6:
 * <pre>
 * h = x + Wo( LN_a( DilatedAttn( LN_1(x) ) ) )
 * y = h + W2( LN_f( GELU( W1 LN_2(h) ) ) )
 * </pre>
 * Forward and backward side by side, appended as tasks to the caller's graph.
 */
final class DecoderBlock {
    private final ModelWeights.Block w;
    private final DilatedAttentionCore attention;
    private final Positions positions;
    private final String name;
    private final int tokens, seqLen, heads, headDim;
    /** bf16 GEMM operands, or null for fp32 GEMMs. */
    private final Bf16 bf16;
    /** Work-items per row of the LayerNorms ({@link LayerNorm#rowGroup}). */
    private final int rowGroup;

    DecoderBlock(ModelWeights.Block weights, DilatedAttentionCore attention, Positions positions, String name, Bf16 bf16,
                 int rowGroup) {
        this.w = weights;
        this.bf16 = bf16;
        this.rowGroup = rowGroup;
        this.attention = attention;
        this.positions = positions;
        this.name = name;
        this.seqLen = attention.shape().seqLen();
        this.tokens = attention.shape().batch() * seqLen;
        this.heads = attention.shape().heads();
        this.headDim = attention.shape().headDim();
    }

    DilatedAttentionCore attention() {
        return attention;
    }

    /** y = block(x); {@code tag} keeps task names apart when the backward recomputes this forward. */
    void forward(TaskGraph g, String tag, FloatArray x, FloatArray y, BlockActivations a) {
        String n = tag + name;
        w.attnNorm().forward(g, n + "Norm1", x, a.ln1, a.ln1Stats, rowGroup);
        w.q().forward(g, n + "Q", a.ln1, a.q, tokens, bf16);
        w.k().forward(g, n + "K", a.ln1, a.k, tokens, bf16);
        w.v().forward(g, n + "V", a.ln1, a.v, tokens, bf16);
        rotate(g, n + "Rotate", a.q, a.k, 0);
        if (a.q16 != null) {
            attention.appendForward(g, a.q, a.k, a.v, a.q16, a.k16, a.v16, a.o, a.lse);
        } else {
            attention.appendForward(g, a.q, a.k, a.v, a.o, a.lse);
        }
        w.attnInnerNorm().forward(g, n + "NormA", a.o, a.lnA, a.lnAStats, rowGroup);
        w.out().forward(g, n + "Out", a.lnA, a.h, tokens, bf16);
        g.task(n + "Residual1", ResidualKernels::add, a.h, x);
        w.ffnNorm().forward(g, n + "Norm2", a.h, a.ln2, a.ln2Stats, rowGroup);
        w.fc1().forward(g, n + "Fc1", a.ln2, a.fc1, tokens, bf16);
        g.task(n + "Gelu", GeluKernels::forward, a.fc1, a.gelu);
        w.ffnInnerNorm().forward(g, n + "NormF", a.gelu, a.lnF, a.lnFStats, rowGroup);
        w.fc2().forward(g, n + "Fc2", a.lnF, y, tokens, bf16);
        g.task(n + "Residual2", ResidualKernels::add, y, a.h);
    }

    /** Given dy, writes dx and every weight gradient of the block (overwriting them). */
    void backward(TaskGraph g, FloatArray x, BlockActivations a, FloatArray dy, FloatArray dx, BlockActivations.Scratch s) {
        String n = name;
        w.fc2().backward(g, n + "Fc2", a.lnF, dy, s.dFfnA, s.columnSums, tokens, false, bf16);
        w.ffnInnerNorm().backward(g, n + "NormF", a.gelu, a.lnFStats, s.dFfnA, s.dFfnB, s.columnSums, rowGroup);
        g.task(n + "GeluGrad", GeluKernels::backward, a.fc1, s.dFfnB, s.dFfnA);
        w.fc1().backward(g, n + "Fc1", a.ln2, s.dFfnA, s.dTmp, s.columnSums, tokens, false, bf16);
        w.ffnNorm().backward(g, n + "Norm2", a.h, a.ln2Stats, s.dTmp, s.dh, s.columnSums, rowGroup);
        g.task(n + "Residual2Grad", ResidualKernels::add, s.dh, dy);

        w.out().backward(g, n + "Out", a.lnA, s.dh, s.dTmp, s.columnSums, tokens, false, bf16);
        w.attnInnerNorm().backward(g, n + "NormA", a.o, a.lnAStats, s.dTmp, s.dO, s.columnSums, rowGroup);
        if (a.q16 != null) {
            attention.appendBackward(g, a.q16, a.k16, a.v16, a.o, a.lse, s.dO, s.dO16, s.delta, s.gq, s.gk, s.gv);
        } else {
            attention.appendBackward(g, a.q, a.k, a.v, a.o, a.lse, s.dO, s.delta, s.gq, s.gk, s.gv);
        }
        rotate(g, n + "Unrotate", s.gq, s.gk, 1);
        w.q().backward(g, n + "Q", a.ln1, s.gq, s.dTmp, s.columnSums, tokens, false, bf16);
        w.k().backward(g, n + "K", a.ln1, s.gk, s.dTmp, s.columnSums, tokens, true, bf16);
        w.v().backward(g, n + "V", a.ln1, s.gv, s.dTmp, s.columnSums, tokens, true, bf16);
        w.attnNorm().backward(g, n + "Norm1", x, a.ln1Stats, s.dTmp, dx, s.columnSums, rowGroup);
        g.task(n + "Residual1Grad", ResidualKernels::add, dx, s.dh);
    }

    /** Rotary/XPOS on queries and keys ({@code inverse} 1: the transpose, for their gradients). */
    private void rotate(TaskGraph g, String n, FloatArray q, FloatArray k, int inverse) {
        if (positions == Positions.NONE) {
            return;
        }
        int xpos = positions == Positions.XPOS ? 1 : 0;
        g.task(n + "Q", ProjectionKernels::rotate, q, seqLen, heads, headDim, xpos, 1f, inverse);
        g.task(n + "K", ProjectionKernels::rotate, k, seqLen, heads, headDim, xpos, -1f, inverse);
    }
}
