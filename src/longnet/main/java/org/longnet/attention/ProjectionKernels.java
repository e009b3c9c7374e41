package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DistinctIndex;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/** The small kernels around the projections: biases, their gradients, and rotary/XPOS positions. */
public final class ProjectionKernels {
    /** XPOS's scale base (spec §6, [ts]). */
    static final float XPOS_BASE = 512f;
    static final double TWO_PI = 2 * Math.PI;

    private ProjectionKernels() {
    }

    /**
     * First pass of column sums over many rows: work-item (chunk, col) sums one of {@code chunks}
     * equal runs of rows into partials[chunk][col]. One work-item per column looping over all rows
     * cannot fill a GPU when there are 768 columns and 32K rows; chunks x columns can.
     */
    @Kernel
    public static void columnSumPartial(FloatArray x, FloatArray partials, int rows, int cols, int chunks) {
        for (@Parallel int i = 0; i < chunks * cols; i++) {
            int chunk = i / cols;
            int col = i % cols;
            int perChunk = (rows + chunks - 1) / chunks;
            int end = KernelMath.min(rows, (chunk + 1) * perChunk);
            float sum = 0f;
            for (int row = chunk * perChunk; row < end; row++) {
                sum += x.get((long) row * cols + col);
            }
            partials.set(i, sum);
        }
    }

    /** The work-group of {@link #sumChunks}: {@code SUM_PARTS} work-items for each of {@code SUM_COLUMNS} columns. */
    public static final int SUM_PARTS = 16, SUM_COLUMNS = 16, SUM_GROUP = SUM_PARTS * SUM_COLUMNS;

    /**
     * Second pass: out[col] = sum of partials[first + c][col] over c < chunks, in a fixed order; with
     * {@code accumulate} 1 the sum is added to out (gradients summed over chunks of a sequence). A
     * work-group of {@link #SUM_GROUP} owns {@link #SUM_COLUMNS} columns; its work-item (part p, column)
     * sums chunks p, p + SUM_PARTS, ..., then the first part adds the parts up in order. A work-item per
     * column, reading every chunk one after another, would be bound by latency, not bytes.
     * Launch: one dimension of ceil(cols / SUM_COLUMNS) groups of SUM_GROUP.
     */
    @Kernel(groupSize = SUM_GROUP)
    public static void sumChunks(KernelContext ctx, FloatArray partials, FloatArray out, int cols, int chunks, int first, int accumulate) {
        float[] parts = ctx.allocateFloatLocalArray(SUM_GROUP);
        int lid = ctx.localIdx;
        int part = lid / SUM_COLUMNS;
        int col = ctx.groupIdx * SUM_COLUMNS + lid % SUM_COLUMNS;
        float sum = 0f;
        if (col < cols) {
            for (int c = part; c < chunks; c += SUM_PARTS) {
                sum += partials.get((long) (first + c) * cols + col);
            }
        }
        parts[lid] = sum;
        ctx.localBarrier();
        if (part == 0 && col < cols) {
            float total = accumulate == 1 ? out.get(col) : 0f;
            for (int p = 0; p < SUM_PARTS; p++) {
                total += parts[p * SUM_COLUMNS + lid];
            }
            out.set(col, total);
        }
    }

    /** a, b and c = the three thirds of {@code sums} ({@code 3 n}): one sum of columns that held three tensors side by side, split. */
    @Kernel
    public static void splitColumns(FloatArray sums, FloatArray a, FloatArray b, FloatArray c, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            a.set(i, sums.get(i));
            b.set(i, sums.get(n + i));
            c.set(i, sums.get(2L * n + i));
        }
    }

    /**
     * Rotates channel pairs (2f, 2f+1) of every head of x ({@code [B][N][H][D]}) by angle
     * position * base^(-2f/D), in place, with the original absolute positions: row t of x is position
     * {@code offset + t} of a sequence of {@code total} tokens (offset 0 and total n unless the sequence is
     * split across ranks). With {@code xpos}
     * each pair is also scaled by zeta_f^(sign * (position - total/2) / 512), zeta_f = (2f + 0.4 D) / (1.4 D):
     * sign +1 for queries, -1 for keys. {@code inverse} applies the transpose (for gradients).
     * A work-item per (position, pair) computes the angle and scale once for every head and batch
     * row that share them: per element, the sine, cosine, exponentials and logarithms, not the bytes,
     * would set this pass's time.
     */
    @Kernel
    public static void rotate(FloatArray x, int n, int h, int d, int xpos, float sign, int inverse, float base, int offset, int total) {
        for (@Parallel int position = 0; position < n; position++) {
            for (@Parallel int f = 0; f < d / 2; f++) {
                float angle = angleOf(offset + position, f, d, base);
                float cos = KernelMath.cos(angle);
                float sin = inverse == 1 ? -KernelMath.sin(angle) : KernelMath.sin(angle);
                float scale = xposScale(offset + position, total, f, d, xpos, sign);
                long batches = x.getSize() / ((long) n * h * d);
                for (long b = 0; b < batches; b++) {
                    for (int j = 0; j < h; j++) { // no 64-bit division per element: it cost as much as the loads
                        long i = ((b * n + position) * h + j) * d + 2 * f;
                        float x0 = x.get(i);
                        float x1 = x.get(i + 1);
                        x.setPair(i, scale * (x0 * cos - x1 * sin), scale * (x0 * sin + x1 * cos));
                    }
                }
            }
        }
    }

    /**
     * A bf16 operand from a [B][N][H][D] fp32 array x: out = rotate(x + bias) rounded to bf16, in one pass
     * instead of three (bias, positions, rounding). Forward ({@code inverse} 0), the matrix-unit attention's
     * Q, K or V from its projection's product; backward ({@code inverse} 1, {@code addBias} 0: bias not read), the projection's output
     * gradient from attention's dQ, dK or dV for its bf16 GEMMs. {@code rotary} 0 skips the positions of
     * {@link #rotate} (V, and models without positions; {@code offset} and {@code total} as there). Row r of out starts at {@code r * outStride + outColumn}:
     * out may be the Q, K or V part of rows that hold all three (one GEMM then takes them together).
     */
    @Kernel
    public static void biasRotateBf16(FloatArray x, FloatArray bias, int addBias, BFloat16Array out, int outStride, int outColumn, int n,
                                      int h, int d, int rotary, int xpos, float sign, int inverse, float base, int offset, int total) {
        for (@Parallel int position = 0; position < n; position++) {
            for (@Parallel int f = 0; f < d / 2; f++) {
                float angle = rotary == 1 ? angleOf(offset + position, f, d, base) : 0f;
                float cos = rotary == 1 ? KernelMath.cos(angle) : 1f;
                float sin = rotary == 1 ? (inverse == 1 ? -KernelMath.sin(angle) : KernelMath.sin(angle)) : 0f;
                float scale = rotary == 1 ? xposScale(offset + position, total, f, d, xpos, sign) : 1f;
                long batches = x.getSize() / ((long) n * h * d);
                for (long b = 0; b < batches; b++) {
                    for (int j = 0; j < h; j++) {
                        int channel = j * d + 2 * f;
                        long row = b * n + position;
                        long i = row * h * d + channel;
                        float x0 = x.get(i) + (addBias == 1 ? bias.get(channel) : 0f);
                        float x1 = x.get(i + 1) + (addBias == 1 ? bias.get(channel + 1) : 0f);
                        @DistinctIndex long at = row * outStride + outColumn + channel; // outColumn + h * d <= outStride
                        out.setPair(at, scale * (x0 * cos - x1 * sin), scale * (x0 * sin + x1 * cos));
                    }
                }
            }
        }
    }

    /**
     * {@link #biasRotateBf16}'s forward from a bf16 product: the matrix-unit attention's Q, K or V from its columns of rows
     * that hold all three, as one GEMM wrote them (row r of x at {@code r * xStride + xColumn}, {@code batches * n} rows),
     * plus the bias, through the positions ({@code rotary} 1), rounded to bf16 into out (row r at {@code r * outStride}; even, as
     * {@link #biasRotateBf16}'s rows start, since each pair is written as one word). Half the bytes of
     * an fp32 product; the operand is rounded twice, once as the product and once here.
     */
    @Kernel
    public static void productRotateBf16(BFloat16Array x, int xStride, int xColumn, FloatArray bias, BFloat16Array out, int outStride,
                                         int batches, int n, int h, int d, int rotary, int xpos, float sign, float base, int offset, int total) {
        for (@Parallel int position = 0; position < n; position++) {
            for (@Parallel int f = 0; f < d / 2; f++) {
                float angle = rotary == 1 ? angleOf(offset + position, f, d, base) : 0f;
                float cos = rotary == 1 ? KernelMath.cos(angle) : 1f;
                float sin = rotary == 1 ? KernelMath.sin(angle) : 0f;
                float scale = rotary == 1 ? xposScale(offset + position, total, f, d, xpos, sign) : 1f;
                for (int b = 0; b < batches; b++) {
                    for (int j = 0; j < h; j++) {
                        int channel = j * d + 2 * f;
                        long row = (long) b * n + position;
                        long i = row * xStride + xColumn + channel;
                        float x0 = x.get(i) + bias.get(channel);
                        float x1 = x.get(i + 1) + bias.get(channel + 1);
                        @DistinctIndex long at = row * outStride + channel; // h * d <= outStride
                        out.setPair(at, scale * (x0 * cos - x1 * sin), scale * (x0 * sin + x1 * cos));
                    }
                }
            }
        }
    }

    /**
     * The rotation angle of channel pair f at {@code position}, position x base^(-2f/d), in double and reduced
     * modulo 2 pi: the frequency's relative error is multiplied by the position (a float frequency would be
     * off by 1e-3 radians a thousand positions in on a GPU's fast exp and log, by a tenth of a radian a million
     * positions in), and the devices' fast sine and cosine are accurate only for small arguments.
     */
    static float angleOf(int position, int f, int d, float base) {
        return (float) ((double) position * KernelMath.exp(-2.0 * f / d * KernelMath.log((double) base)) % TWO_PI);
    }

    /** XPOS's scale of pair f at {@code position} (1 without {@code xpos}): zeta_f^(sign (position - n/2) / 512). */
    static float xposScale(int position, int n, int f, int d, int xpos, float sign) {
        if (xpos == 0) {
            return 1f;
        }
        float zeta = (2f * f + 0.4f * d) / (1.4f * d);
        return KernelMath.exp(sign * (position - n / 2) / XPOS_BASE * KernelMath.log(zeta));
    }
}
