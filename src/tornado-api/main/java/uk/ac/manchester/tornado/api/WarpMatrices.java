package uk.ac.manchester.tornado.api;

import uk.ac.manchester.tornado.api.types.FP8;

import java.util.function.IntUnaryOperator;

/**
 * The jvm device's warp matrix units, for TornadoVM's {@code KernelContext.mmaLoadA}, {@code mma} and their kin. A warp
 * is 32 work-items of consecutive linear local ids (x fastest); lane = linear local id % 32, g = lane / 4, c = lane % 4.
 * The meaning is PTX's: a load is {@code ldmatrix.sync.aligned.m8n8} ({@code .x4} for A, {@code .x2.trans} for B), where
 * each lane gives the byte address of one 8-element row of 16-bit words and receives 32-bit registers made of other
 * lanes' rows; a product is {@code mma.sync.aligned.m16n8k16} (16-bit operands) or {@code m16n8k32} (8-bit ones) with
 * PTX's fragment layouts. The lanes meet in {@code exchange}, a local array of {@link #WORDS} ints per work-item of
 * the group, between two barriers, so every work-item of the work-group must make each call together (as with a
 * barrier), and the work-group must be whole warps. The translated kernels compute the same values in the same order
 * ({@code longnet_mma.cl}); products of the operands are exact in float, so only the accumulation rounds, in k order.
 */
final class WarpMatrices {
    static final int WIDTH = 32;
    /** Words a lane publishes for a product: its four A registers, then its two B registers. */
    static final int WORDS = 6;

    /** The operand types of the products and how an element of a 32-bit register reads. */
    enum Operand {
        F16(16), BF16(16), S8(8), E4M3(8), E5M2(8);

        final int bits;

        Operand(int bits) {
            this.bits = bits;
        }

        /** Element {@code part} of register {@code word}, as a float. */
        float value(int word, int part) {
            int e = word >>> (part * bits);
            return switch (this) {
                case F16 -> Float.float16ToFloat((short) e);
                case BF16 -> Float.intBitsToFloat((e & 0xFFFF) << 16);
                case S8 -> (byte) e;
                case E4M3 -> FP8.e4m3ToFloat((byte) e);
                case E5M2 -> FP8.e5m2ToFloat((byte) e);
            };
        }
    }

    private final KernelContext item;
    private final int[] exchange;
    private final int id, base, lane;

    WarpMatrices(KernelContext item, int[] exchange) {
        int size = exchange.length / WORDS;
        if (size % WIDTH != 0) {
            throw new IllegalStateException("warp matrix operations (mma, mmaLoadA, ...) need work-groups of whole warps: "
                    + "the local size is " + size + " work-items, not a multiple of " + WIDTH);
        }
        this.item = item;
        this.exchange = exchange;
        this.id = item.localIdx + item.localGroupSizeX * (item.localIdy + item.localGroupSizeY * item.localIdz);
        this.base = id - id % WIDTH;
        this.lane = id - base;
    }

    /** Local memory for a group of {@code item}'s size. */
    static int[] scratchFor(KernelContext item) {
        return new int[item.localGroupSizeX * item.localGroupSizeY * item.localGroupSizeZ * WORDS];
    }

    /** The row this lane gives an A load ({@code ldmatrix.x4} of a tile of 32-byte rows): matrices 0-3 are rows 0-7, 8-15 of byte columns 0-15, then 16-31. */
    int rowOfA(int byteOffset) {
        int matrix = lane >> 3;
        return (((matrix & 1) << 3) + (lane & 7)) * 32 + (matrix >> 1) * 16 + byteOffset;
    }

    /** The row this lane gives a B load ({@code ldmatrix.x2.trans} of a tile of 16-byte rows), swizzled as TornadoVM's stride-32 fp16 tiles where asked. */
    int rowOfB(boolean swizzled, int byteOffset) {
        int row = (lane & 7) * 16 + ((lane >> 3) & 1) * 128;
        return (swizzled ? row ^ (((row >> 7) & 7) << 4) : row) + byteOffset;
    }

    /**
     * {@code ldmatrix}: this lane gives {@code row} (a byte address of the tile) and receives one register per matrix.
     * Register i holds, of matrix i (the rows of lanes 8i .. 8i + 7), row g's 16-bit words 2c and 2c + 1, or transposed
     * word g of rows 2c and 2c + 1. {@code word16} reads the 16 bits at a byte address of the tile.
     */
    int[] load(int row, IntUnaryOperator word16, int matrices, boolean transposed) {
        exchange[id] = row;
        item.localBarrier();
        int g = lane >> 2, c = lane & 3;
        int[] registers = new int[matrices];
        for (int i = 0; i < matrices; i++) {
            int first = base + i * 8;
            int lo, hi;
            if (transposed) {
                lo = word16.applyAsInt(exchange[first + 2 * c] + 2 * g);
                hi = word16.applyAsInt(exchange[first + 2 * c + 1] + 2 * g);
            } else {
                lo = word16.applyAsInt(exchange[first + g] + 4 * c);
                hi = word16.applyAsInt(exchange[first + g] + 4 * c + 2);
            }
            registers[i] = (lo & 0xFFFF) | hi << 16;
        }
        item.localBarrier();
        return registers;
    }

    /** This lane's four elements of D = A B + C (float accumulation), from the warp's A (4) and B (2) registers. */
    float[] product(int[] a, int[] b, float[] c, Operand op) {
        publish(a, b);
        float[] d = new float[4];
        for (int i = 0; i < 4; i++) {
            float sum = c[i];
            for (int k = 0; k < depth(op); k++) {
                float p = a(op, row(i), k) * b(op, k, column(i));
                sum += p;
            }
            d[i] = sum;
        }
        item.localBarrier();
        return d;
    }

    /** {@link #product} of int8 operands with int accumulation (wrapping, as s32). */
    int[] product(int[] a, int[] b, int[] c) {
        publish(a, b);
        int[] d = new int[4];
        for (int i = 0; i < 4; i++) {
            int sum = c[i];
            for (int k = 0; k < 32; k++) {
                sum += (int) a(Operand.S8, row(i), k) * (int) b(Operand.S8, k, column(i));
            }
            d[i] = sum;
        }
        item.localBarrier();
        return d;
    }

    /** Row of D element i of this lane: g, g, g + 8, g + 8. */
    int row(int i) {
        return (lane >> 2) + 8 * (i >> 1);
    }

    /** Column of D element i of this lane: 2c, 2c + 1, 2c, 2c + 1. */
    int column(int i) {
        return 2 * (lane & 3) + (i & 1);
    }

    private void publish(int[] a, int[] b) {
        for (int j = 0; j < 4; j++) {
            exchange[id * WORDS + j] = a[j];
        }
        exchange[id * WORDS + 4] = b[0];
        exchange[id * WORDS + 5] = b[1];
        item.localBarrier();
    }

    private static int depth(Operand op) {
        return op.bits == 16 ? 16 : 32;
    }

    /** A[r][k] from the published registers: row r % 8 of lanes 4 (r % 8) .. + 3, k's pair (or quad) in register r / 8 + 2 (k / half-depth). */
    private float a(Operand op, int r, int k) {
        int per = 32 / op.bits, half = depth(op) / 2;
        int owner = base + (r & 7) * 4 + (k % half) / per;
        return op.value(exchange[owner * WORDS + (r >> 3) + 2 * (k / half)], k % per);
    }

    /** B[k][n]: column n of lanes 4n .. 4n + 3, k's pair (or quad) in register k / half-depth. */
    private float b(Operand op, int k, int n) {
        int per = 32 / op.bits, half = depth(op) / 2;
        int owner = base + n * 4 + (k % half) / per;
        return op.value(exchange[owner * WORDS + 4 + k / half], k % per);
    }
}
