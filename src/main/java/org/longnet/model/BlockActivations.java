package org.longnet.model;

import org.longnet.attention.ColumnSums;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;

import java.util.List;

/**
 * What one decoder block's forward keeps for its backward, for {@code tokens} tokens. Without
 * recomputation each block has its own; with it, all blocks share one and the backward runs each
 * block's forward again just before its backward.
 */
final class BlockActivations {
    final FloatArray ln1, q, k, v, o, lse, lnA, h, ln2, fc1, gelu, lnF;
    final LayerNorm.Stats ln1Stats, lnAStats, ln2Stats, lnFStats;

    BlockActivations(long tokens, int dModel, int heads, int ffn) {
        long td = tokens * dModel, tf = tokens * ffn;
        ln1 = new FloatArray(td);
        q = new FloatArray(td);
        k = new FloatArray(td);
        v = new FloatArray(td);
        o = new FloatArray(td);
        lse = new FloatArray(tokens * heads);
        lnA = new FloatArray(td);
        h = new FloatArray(td);
        ln2 = new FloatArray(td);
        fc1 = new FloatArray(tf);
        gelu = new FloatArray(tf);
        lnF = new FloatArray(tf);
        ln1Stats = new LayerNorm.Stats(tokens);
        lnAStats = new LayerNorm.Stats(tokens);
        ln2Stats = new LayerNorm.Stats(tokens);
        lnFStats = new LayerNorm.Stats(tokens);
    }

    List<DeviceArray> arrays() {
        return List.of(ln1, q, k, v, o, lse, lnA, h, ln2, fc1, gelu, lnF, ln1Stats.mean(), ln1Stats.rstd(), lnAStats.mean(),
                lnAStats.rstd(), ln2Stats.mean(), ln2Stats.rstd(), lnFStats.mean(), lnFStats.rstd());
    }

    /** Bytes per token, for memory estimates before anything is allocated. */
    static long bytesPerToken(int dModel, int heads, int ffn) {
        return Float.BYTES * (9L * dModel + heads + 3L * ffn + 8);
    }

    /** Gradient scratch shared by all blocks' backward passes. */
    static final class Scratch {
        final FloatArray dh, dTmp, dO, gq, gk, gv, dFfnA, dFfnB, delta;
        /** Partial sums of bias, gain and LayerNorm-bias gradients (every block, the final norm too). */
        final FloatArray columnSums;

        Scratch(long tokens, int dModel, int heads, int ffn) {
            long td = tokens * dModel, tf = tokens * ffn;
            dh = new FloatArray(td);
            dTmp = new FloatArray(td);
            dO = new FloatArray(td);
            gq = new FloatArray(td);
            gk = new FloatArray(td);
            gv = new FloatArray(td);
            dFfnA = new FloatArray(tf);
            dFfnB = new FloatArray(tf);
            delta = new FloatArray(tokens * heads);
            columnSums = ColumnSums.scratch(Math.max(dModel, ffn));
        }

        List<DeviceArray> arrays() {
            return List.of(dh, dTmp, dO, gq, gk, gv, dFfnA, dFfnB, delta, columnSums);
        }

        static long bytesPerToken(int dModel, int heads, int ffn) {
            return Float.BYTES * (6L * dModel + 2L * ffn + heads);
        }
    }
}
