package uk.ac.manchester.tornado.api;

import uk.ac.manchester.tornado.api.types.matrix.Matrix8x8Float;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The tiles that one work-group's work-items have made on the jvm device, by the number of the call that made each
 * (a work-item's first SIMD-group matrix call is call 0, and so on), so that a work-item whose call would make the tile
 * already logged at that number takes that tile instead of computing it again. TornadoVM's kernels have the 32 lanes of
 * a SIMD group make the same calls on the same values, each computing the whole tile ({@link SimdgroupTiles}); sharing
 * leaves one product in 32.
 * <p>
 * Exact, whatever the work-items do: a tile in a kernel never changes (the translator refuses {@code set},
 * {@code values} and {@code ==} on one, and no kernel takes or gives one), so a tile is no more than its 64 values. A
 * load takes the logged tile when the values it read are that tile's bit for bit; a product takes the logged one when
 * its three operands are the very tiles the logged product was made of. Otherwise the call computes its own tile, which
 * replaces the logged one.
 * <p>
 * One log per thread, for the work-group that thread runs now (the jvm device runs a group's work-items on one thread,
 * in order or as continuations that take turns at barriers); a thread that runs another group starts an empty log.
 * Virtual threads, on which the device runs work-items that wait at real barriers, and the host share nothing.
 */
final class SimdgroupTileLog {
    /** Calls per work-item that are logged; later ones compute their own tiles. */
    private static final int MOST_CALLS = 4096;
    private static final ThreadLocal<SimdgroupTileLog> OF_THREAD = ThreadLocal.withInitial(SimdgroupTileLog::new);

    /** The work-group whose tiles these are. */
    private Object group;
    private Matrix8x8Float[] tiles = new Matrix8x8Float[64];
    /** The operands a, b, c of the product logged at call i are at 3i, 3i + 1, 3i + 2; null for a tile that was loaded. */
    private Matrix8x8Float[] operands = new Matrix8x8Float[3 * 64];
    /**
     * Whether the tile logged at call i holds a NaN: where it holds none, Arrays.equals (which takes NaNs of any payload as
     * equal, and 0 and -0 as different) is a comparison of bits.
     */
    private boolean[] withNaN = new boolean[64];
    /** Calls below this number may have logged tiles. */
    private int extent;
    private final Matrix8x8Float zero = new Matrix8x8Float();

    private SimdgroupTileLog() {
    }

    /** The log of {@code group} on this thread; null where nothing is shared: no group (the host) or a virtual thread. */
    static SimdgroupTileLog of(Object group) {
        if (group == null || Thread.currentThread().isVirtual()) {
            return null;
        }
        SimdgroupTileLog log = OF_THREAD.get();
        if (log.group != group) {
            Arrays.fill(log.tiles, 0, log.extent, null);
            Arrays.fill(log.operands, 0, 3 * log.extent, null);
            log.extent = 0;
            log.group = group;
        }
        return log;
    }

    /** The group's tile of zeros. */
    Matrix8x8Float zero() {
        return zero;
    }

    /** The tile logged at {@code call} if it holds {@code values} bit for bit; else a new tile of them, logged there. */
    Matrix8x8Float loaded(int call, float[] values) {
        if (call >= MOST_CALLS) {
            return SimdgroupTiles.tileOf(values);
        }
        room(call);
        Matrix8x8Float logged = tiles[call];
        if (logged != null && Arrays.equals(logged.values, values) && (!withNaN[call] || sameBits(logged.values, values))) {
            return logged;
        }
        Matrix8x8Float tile = SimdgroupTiles.tileOf(values);
        log(call, tile, null, null, null);
        return tile;
    }

    /** The product logged at {@code call} if it was made of these very tiles; else null. */
    Matrix8x8Float product(int call, Matrix8x8Float a, Matrix8x8Float b, Matrix8x8Float c) {
        if (call >= tiles.length || operands[3 * call] != a || operands[3 * call + 1] != b || operands[3 * call + 2] != c) {
            return null;
        }
        return tiles[call];
    }

    /** Logs {@code d}, made of a, b and c, at {@code call}. */
    void logProduct(int call, Matrix8x8Float a, Matrix8x8Float b, Matrix8x8Float c, Matrix8x8Float d) {
        if (call < MOST_CALLS) {
            room(call);
            log(call, d, a, b, c);
        }
    }

    private void log(int call, Matrix8x8Float tile, Matrix8x8Float a, Matrix8x8Float b, Matrix8x8Float c) {
        tiles[call] = tile;
        operands[3 * call] = a;
        operands[3 * call + 1] = b;
        operands[3 * call + 2] = c;
        boolean nan = false;
        for (float v : tile.values) {
            nan |= Float.isNaN(v);
        }
        withNaN[call] = nan;
    }

    private void room(int call) {
        extent = Math.max(extent, call + 1);
        if (call >= tiles.length) {
            int length = Math.min(MOST_CALLS, Math.max(2 * tiles.length, call + 1));
            tiles = Arrays.copyOf(tiles, length);
            withNaN = Arrays.copyOf(withNaN, length);
            operands = Arrays.copyOf(operands, 3 * length);
        }
    }

    /** Whether x and y hold the same bits (a comparison of bytes: NaNs of other payloads differ). */
    private static boolean sameBits(float[] x, float[] y) {
        return MemorySegment.ofArray(x).mismatch(MemorySegment.ofArray(y)) == -1;
    }
}
