package uk.ac.manchester.tornado.api;

import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.matrix.Matrix8x8Float;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One work-item's SIMD-group matrix calls on the host and the jvm device: each computes the whole 8 x 8 tile, as
 * TornadoVM's Java defines it (on Apple's GPUs a SIMD group shares the work; the results are the same). Tiles are
 * row-major, {@code stride} elements apart from one row to the next in memory. In a product, element (i, j) is c's plus
 * a(i, k) b(k, j) for k from 0 to 7 in turn, each product rounded before it is added, which the devices' C keeps
 * ({@code longnet_simdmat.h}), so every device gives these results bit for bit. Where the work-item runs in a work-group
 * on the jvm device, a call that would make the tile another work-item of the group made at the same point takes that
 * one ({@link SimdgroupTileLog}).
 */
final class SimdgroupTiles {
    private static final int SIDE = 8, ELEMENTS = SIDE * SIDE;

    /** The group's log; null where nothing is shared. */
    private final SimdgroupTileLog log;
    /** The number of this work-item's next call. */
    private int calls;
    /** The values of the tile being loaded. */
    private final float[] read = new float[ELEMENTS];

    /** The calls of a work-item of {@code group} (null on the host). */
    SimdgroupTiles(Object group) {
        log = SimdgroupTileLog.of(group);
    }

    Matrix8x8Float zero() {
        calls++;
        return log == null ? new Matrix8x8Float() : log.zero();
    }

    Matrix8x8Float load(FloatArray array, int base, int stride) {
        MemorySegment elements = array.getSegment();
        for (int i = 0; i < SIDE; i++) {
            MemorySegment.copy(elements, ValueLayout.JAVA_FLOAT, (long) (base + i * stride) * Float.BYTES, read, i * SIDE, SIDE);
        }
        return loaded();
    }

    Matrix8x8Float load(float[] array, int base, int stride) {
        for (int i = 0; i < SIDE; i++) {
            System.arraycopy(array, base + i * stride, read, i * SIDE, SIDE);
        }
        return loaded();
    }

    private Matrix8x8Float loaded() {
        int call = calls++;
        return log == null ? tileOf(read) : log.loaded(call, read);
    }

    /** {@code a * b + c}, a new tile (or the group's equal one). */
    Matrix8x8Float multiplyAccumulate(Matrix8x8Float a, Matrix8x8Float b, Matrix8x8Float c) {
        int call = calls++;
        Matrix8x8Float d = log == null ? null : log.product(call, a, b, c);
        if (d == null) {
            d = new Matrix8x8Float();
            multiplyAccumulate(a.values, b.values, c.values, d.values);
            if (log != null) {
                log.logProduct(call, a, b, c, d);
            }
        }
        return d;
    }

    /**
     * d = a b + c, row by row: d's row i starts as c's, then for k from 0 to 7 gets a(i, k) times b's row k added, element by
     * element; so element (i, j) adds its products in the order of k.
     */
    private static void multiplyAccumulate(float[] a, float[] b, float[] c, float[] d) {
        System.arraycopy(c, 0, d, 0, ELEMENTS);
        for (int row = 0; row < ELEMENTS; row += SIDE) {
            for (int k = 0; k < SIDE; k++) {
                float aik = a[row + k];
                int bRow = k * SIDE;
                for (int j = 0; j < SIDE; j++) {
                    d[row + j] += aik * b[bRow + j];
                }
            }
        }
    }

    static void store(Matrix8x8Float tile, FloatArray array, int base, int stride) {
        MemorySegment elements = array.getSegment();
        for (int i = 0; i < SIDE; i++) {
            MemorySegment.copy(tile.values, i * SIDE, elements, ValueLayout.JAVA_FLOAT, (long) (base + i * stride) * Float.BYTES, SIDE);
        }
    }

    /** A new tile holding {@code values}. */
    static Matrix8x8Float tileOf(float[] values) {
        Matrix8x8Float tile = new Matrix8x8Float();
        System.arraycopy(values, 0, tile.values, 0, ELEMENTS);
        return tile;
    }
}
