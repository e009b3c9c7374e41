package org.longnet.attention;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Private;

import static org.longnet.attention.AttentionTiles.MMA_HEAD_DIM;
import static org.longnet.attention.AttentionTiles.MMA_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;

/**
 * One query step of the dK/dV kernels, element by element, in the accumulator fragments of a warp's 16 keys x
 * {@link AttentionTiles#MMA_KEYS} queries (the transposed tiles S^T and dP^T): element e of lane 4g + t is key g or g + 8
 * ({@link AttentionMasks#lowerRow}) and query {@code a0 + 2t + e / 4 * 8 + (e & 1)}. Every dK/dV kernel steps through its
 * queries with these calls, whichever way its tiles arrive ({@link MatrixUnitBackward}, {@link TmaBackward}).
 */
@DeviceFunctions
public final class KeyValueSteps {
    private KeyValueSteps() {
    }

    /** Where element e's query lies among the step's row statistics from {@code at} (L and Delta in local memory). */
    static int statAt(int at, int e, int t) {
        return at + e / 4 * 8 + 2 * t + (e & 1);
    }

    /**
     * S^T becomes P^T = exp2(c S^T - L): hidden scores (before the key's first visible query {@code firstTop} or
     * {@code firstBottom}, past {@code queryLimit}) become -infinity first, so their p is 0. L of the step's queries is
     * {@code rowLse[at ..]} in base 2; the warp's keys start at {@code firstKey}, its queries at {@code a0}.
     */
    static void probabilities(@Private float[] scores, float[] rowLse, int at, int a0, int firstKey, int firstTop, int firstBottom,
                              int queryLimit, int rows, int causal, float scaleLog2, int t) {
        if (!AttentionMasks.wholeTile(a0, MMA_KEYS, firstKey, MMA_ROWS, queryLimit, rows, causal)) {
            int fromTop = firstTop - a0 - 2 * t;
            int fromBottom = firstBottom - a0 - 2 * t;
            int upTo = queryLimit - 1 - a0 - 2 * t;
            for (int e = 0; e < 16; e++) {
                if (AttentionMasks.hiddenFromKey(e, fromTop, fromBottom, upTo)) {
                    scores[e] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        for (int e = 0; e < 16; e++) {
            scores[e] = KernelMath.exp2(scores[e] * scaleLog2 - rowLse[statAt(at, e, t)]);
        }
    }

    /** dP^T becomes dS^T / c = P^T (dP^T - Delta), with Delta of the step's queries at {@code rowDelta[at ..]}: the scale goes in once, at the end. */
    static void scoreGradients(@Private float[] probs, @Private float[] gradP, float[] rowDelta, int at, int t) {
        for (int e = 0; e < 16; e++) {
            gradP[e] = probs[e] * (gradP[e] - rowDelta[statAt(at, e, t)]);
        }
    }

    /**
     * P^T and dS^T packed in bf16 pairs, the A registers of dV += P^T dO and dK += dS^T Q (queries 16c .. 16c + 15 are
     * accumulator tiles 2c and 2c + 1); with {@code keep} 1 dS^T's pairs also go to row {@code dsRow} (the lane's key g;
     * g + 8 is 8 rows on) of {@code dsT} from channel {@code column} (4 channels per 16 queries), the A of dQ = dS K.
     */
    static void pack(KernelContext ctx, @Private float[] probs, @Private float[] gradS, @Private int[] probPairs, @Private int[] gradPairs,
                     int[] dsT, int dsRow, int column, int keep) {
        // Pair i lies at key g (+ 8 for odd i), queries 8 (i / 2) + 2t and the next: 8 rows or 4 channel pairs on are one
        // chunk-layout step whatever the row and pair, so each of the 8 stores is one constant from the lane's first.
        int at = KernelContext.chunkLayoutIndex(dsRow, column);
        for (int i = 0; i < 8; i++) {
            probPairs[i] = ctx.packBf16(probs[2 * i], probs[2 * i + 1]);
            gradPairs[i] = ctx.packBf16(gradS[2 * i], gradS[2 * i + 1]);
            if (keep == 1) {
                dsT[at + (i & 1) * KernelContext.chunkLayoutIndex(8, 0) + (i >> 1) * KernelContext.chunkLayoutIndex(0, 4)] = gradPairs[i];
            }
        }
    }

    /**
     * The lane's dK (times the scale) and dV, keys {@code key} and {@code key + 8} of the block, into rows {@code rowAt +
     * key * rowStep} of gradK and gradV: written with {@code first} = 1, else added where the memory is (red.global on
     * CUDA), with no reply to wait for. One pair's groups own disjoint keys, so each element gets one addition per pair, in
     * pair order: the same sums as load, add and store. Keys at or past {@code rows} are skipped.
     */
    static void store(@Private float[] dk, @Private float[] dv, FloatArray gradK, FloatArray gradV, int key, int rows, long rowAt, int rowStep,
                      float scale, int first, int t) {
        for (int half2 = 0; half2 < 2; half2++) {
            if (key + half2 * 8 < rows) {
                long at = (rowAt + (long) (key + half2 * 8) * rowStep) * MMA_HEAD_DIM;
                for (int nt = 0; nt < 8; nt++) {
                    long idx = at + nt * 8 + 2 * t;
                    int e = nt * 4 + half2 * 2;
                    if (first == 1) {
                        gradK.setPair(idx, dk[e] * scale, dk[e + 1] * scale);
                        gradV.setPair(idx, dv[e], dv[e + 1]);
                    } else {
                        gradK.atomicAddPair(idx, dk[e] * scale, dk[e + 1] * scale);
                        gradV.atomicAddPair(idx, dv[e], dv[e + 1]);
                    }
                }
            }
        }
    }
}
