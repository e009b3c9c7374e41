package org.longnet.attention;

import org.longnet.engine.api.DeviceFunctions;
import org.longnet.engine.api.KernelMath;

/**
 * Which scores a query may see: the causal mask by original positions (a key after its query is hidden),
 * and the block's edges (rows past its last query or key). A hidden score becomes -infinity, whose exp2
 * is 0. Most tiles need no test at all ({@link #wholeTile}).
 * <p>
 * The matrix-unit kernels hold a warp's 16 x n tile of scores as accumulator fragments: element e of a
 * work-item (lane 4g + t) is row g or g + 8 ({@link #lowerRow}) and column {@code e / 4 * 8 + 2t + (e & 1)}
 * ({@link #fragmentColumn}), as PTX lays out mma's C fragments.
 */
@DeviceFunctions
public final class AttentionMasks {
    private AttentionMasks() {
    }

    /** Whether accumulator element e is in a fragment's lower 8 rows (g + 8 rather than g). */
    static boolean lowerRow(int e) {
        return e % 4 >= 2;
    }

    /** The column (key, or query in the transposed dK/dV tiles) of accumulator element e of lane 4g + t, from {@code first}. */
    static int fragmentColumn(int first, int e, int t) {
        return first + e / 4 * 8 + 2 * t + (e & 1);
    }

    /**
     * The keys query a sees are those below this bound: none past the queries ({@code queryLimit}), none past the keys
     * ({@code rows}), and (causal) none after the query. Query a must not see key {@code key} exactly where
     * {@code key >= visibleKeys(a, ...)}.
     */
    static int visibleKeys(int a, int queryLimit, int rows, int causal) {
        return a >= queryLimit ? 0 : causal == 1 ? KernelMath.min(rows, a + 1) : rows;
    }

    /**
     * Whether accumulator element e is hidden from its row, given the row's {@link #visibleKeys} less the lane's first
     * column ({@code fragmentColumn(first, 0, t)}): one comparison with a constant per element, the bound computed once
     * per row.
     */
    static boolean pastBound(int e, int bound) {
        return e / 4 * 8 + (e & 1) >= bound;
    }

    /**
     * Whether every score of a warp's tile is visible: its rows ({@code rowCount} from {@code firstRow}, below
     * {@code queryLimit}) and keys ({@code keyCount} from {@code firstKey}, below {@code rows}) all inside the block,
     * and with the causal mask no key after its first row. All tiles but those on the diagonal or at the block's end
     * are, and they skip the per-score mask.
     */
    static boolean wholeTile(int firstRow, int rowCount, int firstKey, int keyCount, int queryLimit, int rows, int causal) {
        return firstRow + rowCount <= queryLimit && firstKey + keyCount <= rows && (causal == 0 || firstKey + keyCount <= firstRow + 1);
    }

    /**
     * The first query row that sees key {@code key} ({@code rows} for none); queries from it to the block's end see
     * it. Computed once per key, it makes each score's mask in dK/dV two comparisons, as {@link #visibleKeys} does in
     * the forward and dQ.
     */
    static int firstVisibleQuery(int key, int rows, int causal) {
        return key >= rows ? rows : causal == 1 ? key : 0;
    }

    /**
     * In dK/dV's transposed tiles: whether element e (query {@code e / 4 * 8 + (e & 1)} after the lane's first) is
     * hidden from its key, given the first query each of the lane's two keys sees and the last query there is,
     * both relative to the lane's first query.
     */
    static boolean hiddenFromKey(int e, int fromTop, int fromBottom, int upTo) {
        int offset = e / 4 * 8 + (e & 1);
        return offset < (lowerRow(e) ? fromBottom : fromTop) || offset > upTo;
    }
}
