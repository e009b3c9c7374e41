package org.longnet.engine.conformance;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DistinctIndex;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/** Kernels that together use every construct the translator accepts. */
public final class ConformanceKernels {
    static final int GROUP = 64;
    static final int ROW_GROUP = 128;

    private ConformanceKernels() {
    }

    @Kernel
    public static void vectorAdd(FloatArray a, FloatArray b, FloatArray c) {
        for (@Parallel int i = 0; i < c.getSize(); i++) {
            c.set(i, a.get(i) + b.get(i));
        }
    }

    /** Odd start and step: the launch range is computed from the loop bounds. */
    @Kernel
    public static void stridedScale(FloatArray x, FloatArray y, int first, int step, float s) {
        for (@Parallel long i = first; i < y.getSize(); i += step) {
            y.set(i, s * x.get(i));
        }
    }

    @Kernel
    public static void transpose(FloatArray in, FloatArray out, int rows, int cols) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int c = 0; c < cols; c++) {
                out.set((long) c * rows + r, in.get((long) r * cols + c));
            }
        }
    }

    /** {@link #transpose} through device functions of two classes that both have an {@code index}. */
    @Kernel
    public static void libraryTranspose(FloatArray in, FloatArray out, int rows, int cols) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int c = 0; c < cols; c++) {
                @DistinctIndex long at = ConformanceRows.index(r, c, rows); // a transpose: (r, c) to (c, r)
                out.set(at, ConformanceRows.element(in, r, c, cols));
            }
        }
    }

    @Kernel
    public static void volume(FloatArray out, int nz, int ny, int nx) {
        for (@Parallel int z = 0; z < nz; z++) {
            for (@Parallel int y = 0; y < ny; y++) {
                for (@Parallel int x = 0; x <= nx - 1; x++) {
                    out.set(((long) z * ny + y) * nx + x, 0.5f * z - 0.25f * y + x);
                }
            }
        }
    }

    /** Tree reduction in local memory with barriers: one partial sum per work-group. */
    @Kernel
    public static void groupSum(KernelContext ctx, FloatArray x, FloatArray partials) {
        float[] scratch = ctx.allocateFloatLocalArray(GROUP);
        int lid = ctx.localIdx;
        long gid = ctx.globalIdx;
        scratch[lid] = gid < x.getSize() ? x.get(gid) : 0f;
        ctx.localBarrier();
        for (int stride = GROUP / 2; stride > 0; stride /= 2) {
            if (lid < stride) {
                scratch[lid] += scratch[lid + stride];
            }
            ctx.localBarrier();
        }
        if (lid == 0) {
            partials.set(ctx.groupIdx, scratch[0]);
        }
    }

    /** Softmax of each row: one work-group per row, max and sum reduced in local memory. */
    @Kernel
    public static void rowSoftmax(KernelContext ctx, FloatArray x, FloatArray y, int rows, int cols) {
        float[] scratch = ctx.allocateFloatLocalArray(ROW_GROUP);
        int row = ctx.groupIdx;
        int lid = ctx.localIdx;
        long base = (long) row * cols;
        float max = -Float.MAX_VALUE;
        for (int c = lid; c < cols; c += ROW_GROUP) {
            max = KernelMath.max(max, x.get(base + c));
        }
        scratch[lid] = max;
        ctx.localBarrier();
        for (int stride = ROW_GROUP / 2; stride > 0; stride >>= 1) {
            if (lid < stride) {
                scratch[lid] = KernelMath.max(scratch[lid], scratch[lid + stride]);
            }
            ctx.localBarrier();
        }
        float rowMax = scratch[0];
        ctx.localBarrier();
        float sum = 0f;
        for (int c = lid; c < cols; c += ROW_GROUP) {
            sum += KernelMath.exp(x.get(base + c) - rowMax);
        }
        scratch[lid] = sum;
        ctx.localBarrier();
        for (int stride = ROW_GROUP / 2; stride > 0; stride >>= 1) {
            if (lid < stride) {
                scratch[lid] += scratch[lid + stride];
            }
            ctx.localBarrier();
        }
        float inv = 1f / scratch[0];
        for (int c = lid; c < cols; c += ROW_GROUP) {
            y.set(base + c, KernelMath.exp(x.get(base + c) - rowMax) * inv);
        }
    }

    /**
     * Each row's sum and maximum, one work-group per row, through device functions of other classes
     * ({@link ConformanceGroups}, {@link ConformanceRows}, and the engine's GroupReductions): the kernel
     * calls no barrier itself, yet waits for its group through them.
     */
    @Kernel
    public static void libraryRowStats(KernelContext ctx, FloatArray x, FloatArray sums, FloatArray maxes, int cols) {
        float[] scratch = ctx.allocateFloatLocalArray(GROUP);
        int row = ctx.groupIdx;
        float sum = ConformanceGroups.rowReduce(ctx, scratch, x, row, cols, false);
        float max = ConformanceGroups.rowReduce(ctx, scratch, x, row, cols, true);
        if (ctx.localIdx == 0) {
            sums.set(row, sum);
            maxes.set(row, max);
        }
    }

    /** Global indices beyond 2^31: the loop index and the arithmetic on it stay 64-bit. */
    @Kernel
    public static void longIndexHash(IntArray out, long first) {
        for (@Parallel long i = first; i < first + out.getSize(); i++) {
            long h = i * 0x9E3779B97F4A7C15L;
            out.set(i - first, (int) (h >>> 33) ^ (int) (i >> 31));
        }
    }

    /** Writes elements past index 2^31 of a huge array. */
    @Kernel
    public static void writeFar(FloatArray src, BFloat16Array big, long offset) {
        for (@Parallel int i = 0; i < src.getSize(); i++) {
            big.set(offset + i, 2f * src.get(i));
        }
    }

    /** fp16 and bf16 loads, stores and rounding. */
    @Kernel
    public static void sixteenBit(FloatArray in, HalfFloatArray half, BFloat16Array bf, FloatArray back) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            half.set(i, in.get(i));
            bf.set(i, in.get(i) * 3f);
            back.set(i, half.get(i) + bf.get(i));
        }
    }

    @Kernel
    public static void mathFunctions(FloatArray x, FloatArray out) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            float v = x.get(i);
            float a = KernelMath.exp(v) + KernelMath.log(KernelMath.abs(v) + 1f) + KernelMath.tanh(v);
            float b = KernelMath.sqrt(KernelMath.abs(v)) + KernelMath.rsqrt(v * v + 1f) + KernelMath.sin(v) * KernelMath.cos(v);
            float c = KernelMath.fma(v, 2f, 1f) + KernelMath.floor(v) + KernelMath.ceil(v) + KernelMath.pow(2f, v) + v % 0.75f
                    + KernelMath.exp2(-1.5f * v);
            // sigmoid out to +-120, where e^-x overflows
            float d = KernelMath.sigmoid(v) + KernelMath.sigmoid(40f * v);
            out.set(i, a + b + c + d + KernelMath.min(v, 0.5f) + KernelMath.max(v, -0.5f));
        }
    }

    /** Java integer semantics that C lacks or differs on: >>>, masked shift counts, saturating casts. */
    @Kernel
    public static void integerSemantics(IntArray x, FloatArray f, IntArray out) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            int v = x.get(i);
            int shift = i % 70;
            long wide = (long) v * 3L;
            int r = (v >>> shift) ^ (v << shift) ^ (v >> 3) ^ (int) (wide >>> 40);
            r += (int) (f.get(i) * 1e9f);
            r ^= (int) (long) f.get(i);
            r += (int) ((long) (f.get(i) * 1e12f) >>> 32) ^ (int) ((long) (double) f.get(i) >>> 33); // NaN: 0, not LONG_MIN
            r ^= (int) (f.get(i) * 1e10); // double to int, NaN: 0, not INT_MIN
            r += v % 7 - v / 5;
            r = (r & 0xFFFF) == 0 ? ~r : r | 1;
            out.set(i, r);
        }
    }

    /** A device function and a private array (a register tile). */
    @Kernel
    public static void polynomial(FloatArray x, FloatArray out, float scale) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            float[] coefficients = new float[4];
            for (int k = 0; k < coefficients.length; k++) {
                coefficients[k] = scale / (k + 1);
            }
            out.set(i, horner(coefficients[0], coefficients[1], coefficients[2], coefficients[3], x.get(i)));
        }
    }

    static float horner(float c0, float c1, float c2, float c3, float x) {
        return ((c3 * x + c2) * x + c1) * x + c0;
    }

    /** No parallel loop: one work-item runs the whole sequential scan. */
    @Kernel
    public static void prefixSum(FloatArray x, FloatArray out) {
        double running = 0;
        for (long i = 0; i < x.getSize(); i++) {
            running += x.get(i);
            out.set(i, (float) running);
        }
    }

    /** while, do-while, break and continue: Collatz steps of each value, capped. */
    @Kernel
    public static void collatz(IntArray start, IntArray steps, int cap) {
        for (@Parallel int i = 0; i < start.getSize(); i++) {
            long v = start.get(i);
            int count = 0;
            if (v <= 0) {
                steps.set(i, -1);
                continue;
            }
            while (v != 1) {
                v = (v & 1) == 0 ? v / 2 : 3 * v + 1;
                count++;
                if (count >= cap) {
                    break;
                }
            }
            int extra = 0;
            do {
                extra++;
            } while (extra < 3);
            boolean odd = (start.get(i) & 1) == 1;
            steps.set(i, odd ? count + extra : count);
        }
    }

    static final int MMA_WARPS = 2;

    /**
     * Warp matrix-multiply-accumulate: each warp of a two-warp group owns one tile,
     * C (16 x 8) += A (16 x 32) B (32 x 8), as two mmaBf16 calls over K; with {@code transposed} = 1
     * B sits in local memory transposed and goes through mmaBf16TransposedB.
     */
    @Kernel
    public static void mmaTiles(KernelContext ctx, FloatArray a, FloatArray b, FloatArray c, int tiles, int transposed) {
        float[] tileA = ctx.allocateFloatLocalArray(MMA_WARPS * 16 * 32);
        float[] tileB = ctx.allocateFloatLocalArray(MMA_WARPS * 32 * 8);
        float[] acc = new float[8];
        int warp = ctx.localIdx / 32;
        int lane = ctx.localIdx % 32;
        int tile = ctx.groupIdx * MMA_WARPS + warp;
        boolean valid = tile < tiles;
        for (int i = lane; i < 16 * 32; i += 32) {
            tileA[warp * 512 + i] = valid ? a.get((long) tile * 512 + i) : 0f;
        }
        for (int i = lane; i < 32 * 8; i += 32) {
            int at = transposed == 1 ? i % 8 * 32 + i / 8 : i;
            tileB[warp * 256 + at] = valid ? b.get((long) tile * 256 + i) : 0f;
        }
        long base = (long) tile * 128;
        if (valid) {
            for (int i = 0; i < 4; i++) {
                acc[4 + i] = c.get(base + fragmentIndex(lane, i));
            }
        }
        ctx.localBarrier();
        if (transposed == 1) {
            ctx.mmaBf16TransposedB(tileA, warp * 512, 32, tileB, warp * 256, 32, acc, 4);
            ctx.mmaBf16TransposedB(tileA, warp * 512 + 16, 32, tileB, warp * 256 + 16, 32, acc, 4);
        } else {
            ctx.mmaBf16(tileA, warp * 512, 32, tileB, warp * 256, 8, acc, 4);
            ctx.mmaBf16(tileA, warp * 512 + 16, 32, tileB, warp * 256 + 16 * 8, 8, acc, 4);
        }
        if (valid) {
            for (int i = 0; i < 4; i++) {
                c.set(base + fragmentIndex(lane, i), acc[4 + i]);
            }
        }
    }

    /**
     * Where accumulator i (0..3) of the work-item in {@code lane} lies in a row-major 16 x 8 tile of C:
     * rows g and g + 8, columns 2t and 2t + 1 (g = lane / 4, t = lane % 4), as mmaBf16 hands them out.
     */
    static int fragmentIndex(int lane, int i) {
        return (lane / 4 + (i >= 2 ? 8 : 0)) * 8 + 2 * (lane % 4) + (i & 1);
    }

    /**
     * The same product as {@link #mmaTiles} from tiles packed with packBf16, in one of three ways
     * ({@code mode}): 0, mmaBf16Packed with A packed along k (16 rows x 16 ints) and B transposed and
     * packed along k (8 columns x 16 ints); 1, mmaBf16PackedA, each work-item packing its A fragment
     * registers straight from global memory; 2, mmaBf16Registers with A so and B row-major with pairs
     * along n (32 rows of 4 ints), handed out by loadBFragments.
     */
    @Kernel
    public static void mmaPackedTiles(KernelContext ctx, FloatArray a, FloatArray b, FloatArray c, int tiles, int mode) {
        int[] packedA = ctx.allocateIntLocalArray(MMA_WARPS * 16 * 16);
        int[] packedBt = ctx.allocateIntLocalArray(MMA_WARPS * 8 * 16);
        int[] rowsB = ctx.allocateIntLocalArray(MMA_WARPS * 32 * 4);
        int[] exchange = ctx.allocateIntLocalArray(MMA_WARPS * 32 * 6);
        float[] acc = new float[4];
        int[] fragmentsB = new int[4];
        int warp = ctx.localIdx / 32;
        int lane = ctx.localIdx % 32;
        int tile = ctx.groupIdx * MMA_WARPS + warp;
        boolean valid = tile < tiles;
        for (int i = lane; i < 16 * 16; i += 32) {
            long at = (long) tile * 512 + i / 16 * 32 + i % 16 * 2;
            packedA[warp * 256 + i] = valid ? ctx.packBf16(a.get(at), a.get(at + 1)) : 0;
        }
        for (int i = lane; i < 8 * 16; i += 32) {
            long at = (long) tile * 256 + i % 16 * 2 * 8 + i / 16;
            packedBt[warp * 128 + i] = valid ? ctx.packBf16(b.get(at), b.get(at + 8)) : 0;
            long row = (long) tile * 256 + i / 4 * 8 + i % 4 * 2;
            rowsB[warp * 128 + i] = valid ? ctx.packBf16(b.get(row), b.get(row + 1)) : 0;
        }
        int g = lane / 4;
        int t = lane % 4;
        long base = (long) tile * 128;
        if (valid) {
            for (int i = 0; i < 4; i++) {
                acc[i] = c.get(base + fragmentIndex(lane, i));
            }
        }
        ctx.localBarrier();
        ctx.loadBFragments(rowsB, warp * 128, 4, fragmentsB, 0);
        for (int chunk = 0; chunk < 2; chunk++) {
            long top = (long) tile * 512 + g * 32 + chunk * 16 + 2 * t;
            long bottom = top + 8 * 32;
            int a0 = valid ? ctx.packBf16(a.get(top), a.get(top + 1)) : 0;
            int a1 = valid ? ctx.packBf16(a.get(bottom), a.get(bottom + 1)) : 0;
            int a2 = valid ? ctx.packBf16(a.get(top + 8), a.get(top + 9)) : 0;
            int a3 = valid ? ctx.packBf16(a.get(bottom + 8), a.get(bottom + 9)) : 0;
            if (mode == 2) {
                ctx.mmaBf16Registers(exchange, a0, a1, a2, a3, fragmentsB[2 * chunk], fragmentsB[2 * chunk + 1], acc, 0);
            } else if (mode == 1) {
                ctx.mmaBf16PackedA(exchange, a0, a1, a2, a3, packedBt, warp * 128 + chunk * 8, 16, acc, 0);
            } else {
                ctx.mmaBf16Packed(packedA, warp * 256 + chunk * 8, 16, packedBt, warp * 128 + chunk * 8, 16, acc, 0);
            }
        }
        if (valid) {
            for (int i = 0; i < 4; i++) {
                c.set(base + fragmentIndex(lane, i), acc[i]);
            }
        }
    }

    /**
     * The warpgroup products on tiles loaded by loadChunk (A) and loadChunkAsync (B; waited for all at once in
     * modes 0 and 2, batch by batch in modes 1 and 3): work-group G (two warpgroups) holds rows
     * 128 G .. of A and 64 G .. of B (rows at or past aRows, bRows read as zeros); warpgroup wg adds to
     * c[G][wg] (64 x 64) A's rows 64 wg .. times, with mode 0, B's rows 64 - n .. transposed (n columns),
     * or with mode 1, A's first 32 channels as registers times B's rows 16 .. 47. Modes 2 and 3 do the
     * same through the pair intrinsics, whose second product (B's rows 0 .. transposed, B's rows
     * 32 .. 63) goes into a second accumulator that is then added; mode 2 does not accumulate, so c's
     * old values are dropped. Mode 4 adds A^T B, A's rows 64 wg .. and B's rows 0 .. as the k dimension,
     * B's columns from channel 64 - n (mmaBf16WarpgroupTransposedA).
     */
    @Kernel
    public static void warpgroupProducts(KernelContext ctx, BFloat16Array a, BFloat16Array b, FloatArray c, int aRows, int bRows, int n,
                                         int mode) {
        int[] as = ctx.allocateIntLocalArray(128 * 32);
        int[] bs = ctx.allocateIntLocalArray(64 * 32);
        int[] exchange = ctx.allocateIntLocalArray(256 * 8);
        int[] regs = new int[8];
        float[] acc = new float[32];
        float[] second = new float[32];
        int lid = ctx.localIdx;
        int group = ctx.groupIdx;
        for (int i = lid; i < 128 * 8; i += 256) {
            int row = group * 128 + (i >> 6) * 8 + (i & 7);
            ctx.loadChunk(a, (long) row * 64 + ((i >> 3) & 7) * 8, as, i * 4, row < aRows);
        }
        for (int i = lid; i < 64 * 8; i += 256) {
            int row = group * 64 + (i >> 6) * 8 + (i & 7);
            ctx.loadChunkAsync(b, (long) row * 64 + ((i >> 3) & 7) * 8, bs, i * 4, row < bRows); // B's copies in the background
            ctx.commitChunks(); // two batches: rows 0 .. 31 and 32 .. 63
        }
        int wg = lid / 128;
        int lane = lid % 32;
        int top = wg * 64 + lid / 32 % 4 * 16 + lane / 4;
        long cBase = (long) group * 128 * 64; // the group's two 64 x 64 tiles, one per warpgroup
        for (int i = 0; i < 32; i++) {
            int row = top + ((i & 2) != 0 ? 8 : 0);
            acc[i] = c.get(cBase + (long) row * 64 + 8 * (i >> 2) + 2 * (lane % 4) + (i & 1));
        }
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 4; i++) {
                int row = group * 128 + top + ((i & 1) != 0 ? 8 : 0);
                int k = 16 * s + 2 * (lane % 4) + ((i & 2) != 0 ? 8 : 0);
                regs[4 * s + i] = row < aRows ? a.getPair((long) row * 64 + k) : 0;
            }
        }
        if (mode % 2 == 0) {
            ctx.waitChunks();
        } else {
            ctx.waitChunks(1); // the first batch
            ctx.waitChunks(0); // and the second
        }
        ctx.localBarrier();
        if (mode == 0) {
            ctx.mmaBf16Warpgroup(as, 64 * wg, bs, 64 - n, n, acc, true);
        } else if (mode == 1) {
            ctx.mmaBf16WarpgroupRegisters(exchange, regs, bs, 16, acc);
        } else if (mode == 2) {
            ctx.mmaBf16WarpgroupPair(as, 64 * wg, bs, 64 - n, acc, as, 64 * wg, bs, 0, second, n, false); // overwrites acc
        } else if (mode == 3) {
            ctx.mmaBf16WarpgroupRegistersPair(exchange, regs, bs, 16, acc, regs, bs, 32, second);
        } else {
            ctx.mmaBf16WarpgroupTransposedA(as, 64 * wg, bs, 0, 64 - n, n, acc, true);
        }
        int columns = mode % 2 == 0 ? n : 64;
        for (int i = 0; i < columns / 2; i++) {
            acc[i] += second[i];
        }
        for (int i = 0; i < columns / 2; i++) {
            int row = top + ((i & 2) != 0 ? 8 : 0);
            c.set(cBase + (long) row * 64 + 8 * (i >> 2) + 2 * (lane % 4) + (i & 1), acc[i]);
        }
    }

    /** out[s][i] = x of the work-item whose lane is i's XOR 2^s, s = 0..4 (work-items past n hold 0 but still take part). */
    @Kernel
    public static void shuffles(KernelContext ctx, FloatArray x, FloatArray out, int n) {
        float[] exchange = ctx.allocateFloatLocalArray(64);
        int i = ctx.globalIdx;
        float v = i < n ? x.get(i) : 0f;
        for (int s = 0; s < 5; s++) {
            float other = ctx.shuffleXor(exchange, v, 1 << s);
            if (i < n) {
                out.set((long) s * n + i, other);
            }
        }
    }

    /**
     * out[2i] = 2 x[2i], out[2i + 1] = x[2i + 1] + 1 through FloatArray.setPair, then merged[2i, 2i + 1] = 3 merged[2i, 2i + 1]
     * + the same through scaleAddPair, for the first {@code pairs} pairs.
     */
    @Kernel
    public static void pairStores(FloatArray x, FloatArray out, FloatArray merged, int pairs) {
        for (@Parallel int i = 0; i < pairs; i++) {
            out.setPair(2L * i, 2f * x.get(2L * i), x.get(2L * i + 1) + 1f);
            merged.scaleAddPair(2L * i, 3f, 2f * x.get(2L * i), x.get(2L * i + 1) + 1f);
        }
    }

    /**
     * sums[i % bins] += x[i] for every i by FloatArray.atomicAdd (and pairSums[2 (i % bins) + j] += x[i] (j + 1),
     * j = 0, 1, by atomicAddPair): many work-items, in many groups, add to each bin at once.
     */
    @Kernel
    public static void atomicSums(FloatArray x, FloatArray sums, FloatArray pairSums, int bins) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            sums.atomicAdd(i % bins, x.get(i));
            pairSums.atomicAddPair(2L * (i % bins), x.get(i), 2f * x.get(i));
        }
    }

    /** The copy kernel whose bandwidth is compared with the device's copy peak. */
    @Kernel
    public static void copy(FloatArray in, FloatArray out) {
        for (@Parallel long i = 0; i < out.getSize(); i++) {
            out.set(i, in.get(i));
        }
    }

    /**
     * Raw bf16 reads: pairs[i] = the elements 2i and 2i + 1 as one int, bits[i] = element i's 16 bits; and
     * pair stores: written[2i, 2i + 1] = (values[2i], -values[2i + 1]) rounded, for the first {@code pairs.getSize()} pairs.
     */
    @Kernel
    public static void bf16Bits(BFloat16Array x, IntArray pairs, IntArray bits, FloatArray values, BFloat16Array written) {
        for (@Parallel int i = 0; i < bits.getSize(); i++) {
            bits.set(i, x.getBits(i));
            if (i < pairs.getSize()) {
                pairs.set(i, x.getPair(2L * i));
                written.setPair(2L * i, values.get(2L * i), -values.get(2L * i + 1));
            }
        }
    }
}
