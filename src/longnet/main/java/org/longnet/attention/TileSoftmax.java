package org.longnet.attention;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Private;

import static org.longnet.attention.AttentionTiles.FWD_KEYS;
import static org.longnet.attention.AttentionTiles.MMA_ROWS;

/**
 * One key tile's step of the forward's online softmax, in the accumulator fragments of a warp's 16 x {@link AttentionTiles#FWD_KEYS}
 * scores (FlashAttention-2 style): the work-item of lane 4g + t holds 32 scores of rows g ("top") and g + 8 ("bottom")
 * ({@link AttentionMasks}), and the four work-items of a row agree on its max with warp shuffles. What a row carries from
 * tile to tile is a private array {@code rows} of {@link #STATE} floats: the running max of its raw scores, this
 * work-item's part of its running sum, and the factor by which the last step shrank the old sum and output. Every
 * forward kernel steps through its tiles with these calls, whichever way its tiles arrive.
 */
@DeviceFunctions
public final class TileSoftmax {
    /** Elements of a work-item's row state, and where each lies in it. */
    static final int STATE = 6, MAX_TOP = 0, MAX_BOTTOM = 1, SUM_TOP = 2, SUM_BOTTOM = 3, KEEP_TOP = 4, KEEP_BOTTOM = 5;
    /** A work-item's fragment elements of one tile of {@link AttentionTiles#FWD_KEYS} keys. */
    private static final int HALF = FWD_KEYS / 2;

    private TileSoftmax() {
    }

    /** A row state before any key: no max yet (-infinity), sums of zero. */
    static void start(@Private float[] rows) {
        rows[MAX_TOP] = Float.NEGATIVE_INFINITY;
        rows[MAX_BOTTOM] = Float.NEGATIVE_INFINITY;
        rows[SUM_TOP] = 0f;
        rows[SUM_BOTTOM] = 0f;
    }

    /**
     * Hides (-infinity) the scores of the tile of keys from {@code t0} that the warp's rows, queries {@code a0 + warp * 16} on,
     * may not see; tiles that need no mask ({@link AttentionMasks#wholeTile}) are left as they are.
     */
    static void mask(@Private float[] scores, int a0, int warp, int t0, int top, int bottom, int t, int queryLimit, int rows, int causal) {
        if (!AttentionMasks.wholeTile(a0 + warp * MMA_ROWS, MMA_ROWS, t0, FWD_KEYS, queryLimit, rows, causal)) {
            int laneColumn = AttentionMasks.fragmentColumn(t0, 0, t);
            int boundTop = AttentionMasks.visibleKeys(a0 + top, queryLimit, rows, causal) - laneColumn;
            int boundBottom = AttentionMasks.visibleKeys(a0 + bottom, queryLimit, rows, causal) - laneColumn;
            for (int e = 0; e < FWD_KEYS / 2; e++) {
                if (AttentionMasks.pastBound(e, AttentionMasks.lowerRow(e) ? boundBottom : boundTop)) {
                    scores[e] = Float.NEGATIVE_INFINITY;
                }
            }
        }
    }

    /**
     * The tile's scores become probabilities: the rows' maxima grow to cover them (agreed across the quad), the old sums
     * shrink by the factors {@code rows[KEEP_*]} where a max grew, each score becomes {@code exp2(score * scaleLog2 - shift)}
     * and is added to its row's sum. Returns whether a max grew, so that the caller rescales its output ({@link #rescale})
     * once the products that add to it are in. The scale is positive, so the maxima of the raw scores are those of the
     * scaled ones, and each probability is one fused multiply-add and one exp2.
     */
    static boolean exponentiate(KernelContext ctx, float[] lanes, @Private float[] scores, @Private float[] rows, float scaleLog2) {
        return exponentiate(ctx, lanes, scores, scores, 1, rows, scaleLog2, 0f);
    }

    /**
     * {@link #exponentiate} of a tile of {@code halves} x {@link AttentionTiles#FWD_KEYS} keys (1 or 2, a literal at each call):
     * the first {@code FWD_KEYS} keys' fragments in {@code low}, the next ones' in {@code high} (unread where {@code halves}
     * is 1). A wider tile shares one exchange of row maxima, one test of growth and one rescale among more keys.
     * <p>
     * A row's max moves only when the tile's exceeds it by more than {@code slack} (raw score units; 0: whenever it grows).
     * Any max serves as the shift, so long as the sum and the output use the same one: with a slack of s, a probability is at
     * most 2^(s · scaleLog2) before the final division, so the output's rescaling is skipped on most tiles where the max
     * grows a little (FlashAttention-4's conditional rescaling) at the price of other roundings than the exact max's.
     */
    static boolean exponentiate(KernelContext ctx, float[] lanes, @Private float[] low, @Private float[] high, int halves, @Private float[] rows,
                                float scaleLog2, float slack) {
        float tileTop = Float.NEGATIVE_INFINITY, tileBottom = Float.NEGATIVE_INFINITY;
        for (int e = 0; e < HALF * halves; e++) {
            if (AttentionMasks.lowerRow(e)) {
                tileBottom = KernelMath.max(tileBottom, score(low, high, e));
            } else {
                tileTop = KernelMath.max(tileTop, score(low, high, e));
            }
        }
        tileTop = OnlineSoftmax.quadMax(ctx, lanes, tileTop);
        tileBottom = OnlineSoftmax.quadMax(ctx, lanes, tileBottom);
        boolean topGrows = tileTop > rows[MAX_TOP] + slack;
        boolean bottomGrows = tileBottom > rows[MAX_BOTTOM] + slack;
        // Rescale only when a row's max grew (FlashAttention-2): after a row's first tiles it seldom does. (The factors are
        // set at every step, so that they live in no register from one tile to the next.)
        boolean grew = false;
        rows[KEEP_TOP] = 1f;
        rows[KEEP_BOTTOM] = 1f;
        if (topGrows || bottomGrows) {
            grew = true;
            float newTop = topGrows ? tileTop : rows[MAX_TOP];
            float newBottom = bottomGrows ? tileBottom : rows[MAX_BOTTOM];
            rows[KEEP_TOP] = OnlineSoftmax.rescale(rows[MAX_TOP], newTop, scaleLog2);
            rows[KEEP_BOTTOM] = OnlineSoftmax.rescale(rows[MAX_BOTTOM], newBottom, scaleLog2);
            rows[SUM_TOP] *= rows[KEEP_TOP];
            rows[SUM_BOTTOM] *= rows[KEEP_BOTTOM];
            rows[MAX_TOP] = newTop;
            rows[MAX_BOTTOM] = newBottom;
        }
        float shiftTop = OnlineSoftmax.shift(rows[MAX_TOP], scaleLog2);
        float shiftBottom = OnlineSoftmax.shift(rows[MAX_BOTTOM], scaleLog2);
        for (int e = 0; e < HALF; e++) {
            low[e] = KernelMath.exp2(low[e] * scaleLog2 - (AttentionMasks.lowerRow(e) ? shiftBottom : shiftTop));
        }
        for (int e = 0; e < HALF * (halves - 1); e++) {
            high[e] = KernelMath.exp2(high[e] * scaleLog2 - (AttentionMasks.lowerRow(e) ? shiftBottom : shiftTop));
        }
        for (int nt = 0; nt < HALF / 4 * halves; nt++) {
            rows[SUM_TOP] += score(low, high, nt * 4) + score(low, high, nt * 4 + 1);
            rows[SUM_BOTTOM] += score(low, high, nt * 4 + 2) + score(low, high, nt * 4 + 3);
        }
        return grew;
    }

    /** Fragment element {@code e} of a tile held as two halves ({@link #exponentiate}). */
    private static float score(@Private float[] low, @Private float[] high, int e) {
        return e < HALF ? low[e] : high[e - HALF];
    }

    /** The work-item's 16 x 64 output fragment (rows top and bottom) shrunk by the factors of the last step whose max grew. */
    static void rescale(@Private float[] acc, @Private float[] rows) {
        for (int nt = 0; nt < 8; nt++) {
            acc[nt * 4] *= rows[KEEP_TOP];
            acc[nt * 4 + 1] *= rows[KEEP_TOP];
            acc[nt * 4 + 2] *= rows[KEEP_BOTTOM];
            acc[nt * 4 + 3] *= rows[KEEP_BOTTOM];
        }
    }

    /**
     * Half {@code half} (keys 32 half to 32 half + 31) of the probabilities packed in bf16 pairs, the A registers of P·V:
     * keys 16c to 16c + 15 are accumulator tiles 2c and 2c + 1.
     */
    static void pack(KernelContext ctx, @Private float[] scores, int half, @Private int[] probs) {
        for (int i = 0; i < 8; i++) {
            probs[i] = ctx.packBf16(scores[16 * half + 2 * i], scores[16 * half + 2 * i + 1]);
        }
    }
}
