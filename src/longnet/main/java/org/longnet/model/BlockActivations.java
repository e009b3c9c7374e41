package org.longnet.model;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;

import java.util.ArrayList;
import java.util.List;

/**
 * What one decoder block's forward keeps for its backward, for {@code tokens} tokens. Without
 * recomputation each block has its own; with it, all blocks share one and the backward runs each
 * block's forward again just before its backward. The feed-forward hidden activations (fc1's product
 * before its bias, and lnF; the GELU between them is recomputed where it is read) hold one chunk of {@code ffnRows} rows: all tokens, or, when the
 * feed-forward runs in
 * chunks, the chunk the backward has just recomputed. With bf16 GEMMs the norms' outputs, which only
 * ever feed them, are kept in bf16: written so by the norm, with no rounding pass before each GEMM.
 */
final class BlockActivations {
    final FloatArray q, k, v, o, lse, h;
    /** fc1's product (before its bias): FloatArray, or with bf16 GEMMs a BFloat16Array written so by the GEMM (see {@link #bf16Hidden}). */
    final DeviceArray fc1;
    /** The norms that only feed GEMMs (LN_1, LN_a, LN_2, the feed-forward's inner LN_f): FloatArray, or BFloat16Array with bf16 GEMMs. */
    final DeviceArray ln1, lnA, ln2, lnF;
    /** bf16 Q, K, V for matrix-unit attention, or null (fp32 attention keeps q, k, v). */
    final BFloat16Array q16, k16, v16;
    final LayerNorm.Stats ln1Stats, lnAStats, ln2Stats, lnFStats;
    /** Whether these activations own only o and lse ({@link #keepingAttention}). */
    private final boolean sharing;

    /**
     * With {@code bf16Attention} only the bf16 Q, K, V are kept; the fp32 q, k, v they are rounded
     * from are the scratch's gradient buffers gq, gk, gv, which are free between a block's
     * projections and its attention (the backward fills them only after the forward that needs them).
     */
    BlockActivations(long tokens, long ffnRows, int dModel, int heads, int ffn, boolean bf16Attention, boolean bf16Gemms,
                     Scratch scratch, long attentionOperands) {
        long td = tokens * dModel, tf = ffnRows * ffn;
        ln1 = gemmOperand(td, bf16Gemms);
        q = bf16Attention ? scratch.gq : new FloatArray(td);
        k = bf16Attention ? scratch.gk : new FloatArray(td);
        v = bf16Attention ? scratch.gv : new FloatArray(td);
        q16 = bf16Attention ? new BFloat16Array(attentionOperands) : null;
        k16 = bf16Attention ? new BFloat16Array(attentionOperands) : null;
        v16 = bf16Attention ? new BFloat16Array(attentionOperands) : null;
        o = new FloatArray(td);
        lse = new FloatArray(tokens * heads);
        lnA = gemmOperand(td, bf16Gemms);
        h = new FloatArray(td);
        ln2 = gemmOperand(td, bf16Gemms);
        fc1 = bf16Hidden(bf16Gemms, ffn) ? new BFloat16Array(tf) : new FloatArray(tf);
        lnF = gemmOperand(tf, bf16Gemms);
        ln1Stats = new LayerNorm.Stats(tokens);
        lnAStats = new LayerNorm.Stats(tokens);
        ln2Stats = new LayerNorm.Stats(tokens);
        lnFStats = new LayerNorm.Stats(ffnRows);
        sharing = false;
    }

    /**
     * A later block's activations under recomputation with the attention kept ({@link StepPlans#keepAttention}): its own
     * attention output and log-sum-exp, which its forward writes and its backward reads, and {@code shared}'s arrays for
     * everything else, which the backward recomputes into.
     */
    private BlockActivations(BlockActivations shared, long tokens, int dModel, int heads) {
        ln1 = shared.ln1;
        q = shared.q;
        k = shared.k;
        v = shared.v;
        q16 = shared.q16;
        k16 = shared.k16;
        v16 = shared.v16;
        o = new FloatArray(tokens * dModel);
        lse = new FloatArray(tokens * heads);
        lnA = shared.lnA;
        h = shared.h;
        ln2 = shared.ln2;
        fc1 = shared.fc1;
        lnF = shared.lnF;
        ln1Stats = shared.ln1Stats;
        lnAStats = shared.lnAStats;
        ln2Stats = shared.ln2Stats;
        lnFStats = shared.lnFStats;
        sharing = true;
    }

    /** Another block's activations that keep their own attention output and share the rest with these. */
    BlockActivations keepingAttention(long tokens, int dModel, int heads) {
        return new BlockActivations(this, tokens, dModel, heads);
    }

    /** Bytes of the attention output and log-sum-exp a block keeps of its own under {@link #keepingAttention}. */
    static long attentionBytes(long tokens, int dModel, int heads) {
        return tokens * Float.BYTES * ((long) dModel + heads);
    }

    /** Whether fc1's product is kept in bf16: with bf16 GEMMs, where the norm's bf16 kernels take its rows. */
    static boolean bf16Hidden(boolean bf16Gemms, int ffn) {
        return bf16Gemms && fitsBf16Hidden(ffn);
    }

    /** Rows the feed-forward norm's bf16 kernels take: an even number of columns (read in pairs), at most they keep in local memory. */
    static boolean fitsBf16Hidden(int ffn) {
        return ffn % 2 == 0 && ffn <= GeluNormKernels.CACHED_COLS;
    }

    private static DeviceArray gemmOperand(long n, boolean bf16) {
        return bf16 ? new BFloat16Array(n) : new FloatArray(n);
    }

    /** The arrays this block owns (not the scratch it borrows). */
    List<DeviceArray> arrays() {
        if (sharing) {
            return List.of(o, lse);
        }
        List<DeviceArray> out = new ArrayList<>(List.of(ln1, o, lse, lnA, h, ln2, fc1, lnF, ln1Stats.mean(), ln1Stats.rstd(),
                lnAStats.mean(), lnAStats.rstd(), ln2Stats.mean(), ln2Stats.rstd(), lnFStats.mean(), lnFStats.rstd()));
        out.addAll(q16 != null ? List.of(q16, k16, v16) : List.of(q, k, v));
        return out;
    }

    /** Bytes for {@code tokens} tokens and feed-forward chunks of {@code ffnRows}, for memory estimates before anything is allocated. */
    static long bytes(long tokens, long ffnRows, int dModel, int heads, int ffn, boolean bf16Attention, boolean bf16Gemms) {
        long perToken = Float.BYTES * (2L * dModel + heads + 6) + (bf16Gemms ? Short.BYTES : Float.BYTES) * 3L * dModel
                + (bf16Attention ? Short.BYTES : Float.BYTES) * 3L * dModel;
        return tokens * perToken + ffnRows * (Float.BYTES * 2L + (bf16Hidden(bf16Gemms, ffn) ? Short.BYTES : Float.BYTES) * (long) ffn
                + (bf16Gemms ? Short.BYTES : Float.BYTES) * (long) ffn);
    }

    /** Gradient scratch shared by all blocks' backward passes. */
    static final class Scratch {
        final FloatArray dh, dTmp, gq, gk, gv, delta;
        /** dO in fp32 for fp32 attention (else null), or rounded to bf16 for matrix-unit attention (else null). */
        final FloatArray dO;
        final BFloat16Array dO16;
        /** The gradient of LN_f's output: fp32, or bf16 (written so by fc2's GEMM) where fc1's product is ({@link #bf16Hidden}). */
        final DeviceArray dFfnA;
        /** The gradient of fc1's output in fp32, or null with bf16 GEMMs (it goes to their bf16 operand instead). */
        final FloatArray dFfnB;
        /** Partial sums of bias, gain and LayerNorm-bias gradients (every block, the final norm too). */
        final FloatArray columnSums;

        Scratch(long tokens, long ffnRows, int dModel, int heads, int ffn, boolean bf16Attention, boolean bf16Gemms, long attentionOperands) {
            long td = tokens * dModel, tf = ffnRows * ffn;
            dh = new FloatArray(td);
            dTmp = new FloatArray(td);
            gq = new FloatArray(td);
            gk = new FloatArray(td);
            gv = new FloatArray(td);
            dO = bf16Attention ? null : new FloatArray(td);
            dO16 = bf16Attention ? new BFloat16Array(attentionOperands) : null;
            dFfnA = bf16Hidden(bf16Gemms, ffn) ? new BFloat16Array(tf) : new FloatArray(tf);
            dFfnB = bf16Gemms ? null : new FloatArray(tf);
            delta = new FloatArray(tokens * heads);
            columnSums = LayerNorm.scratch(Math.max(dModel, ffn));
        }

        List<DeviceArray> arrays() {
            List<DeviceArray> out = new ArrayList<>(List.of(dh, dTmp, gq, gk, gv, dFfnA, delta, columnSums));
            for (DeviceArray a : new DeviceArray[] {dO, dO16, dFfnB}) {
                if (a != null) {
                    out.add(a);
                }
            }
            return out;
        }

        static long bytes(long tokens, long ffnRows, int dModel, int heads, int ffn, boolean bf16Attention, boolean bf16Gemms) {
            long perToken = Float.BYTES * (5L * dModel + heads) + (bf16Attention ? Short.BYTES : Float.BYTES) * (long) dModel;
            long perFfnRow = (bf16Hidden(bf16Gemms, ffn) ? Short.BYTES : Float.BYTES) * (long) ffn + (bf16Gemms ? 0 : Float.BYTES * (long) ffn);
            return tokens * perToken + ffnRows * perFfnRow + Float.BYTES * LayerNorm.scratchSize(Math.max(dModel, ffn));
        }
    }
}
