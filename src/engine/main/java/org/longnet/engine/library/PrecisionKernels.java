package org.longnet.engine.library;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DistinctIndex;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

/** Conversions into 16-bit storage, for the operands of 16-bit GEMMs, matrix-unit attention and 16-bit layers. */
public final class PrecisionKernels {
    private PrecisionKernels() {
    }

    /**
     * y[i] = x[i] rounded to bf16 (nearest even), for i &lt; n. Each work-item rounds four elements a quarter
     * of n apart: four loads in flight per work-item, each coalesced across neighbours, since one load per
     * work-item leaves a GPU waiting on memory latency well below its bandwidth.
     */
    @Kernel
    public static void toBf16(FloatArray x, BFloat16Array y, long n) {
        long quarter = (n + 3) / 4;
        for (@Parallel long i = 0; i < quarter; i++) {
            // All four loads before any store; the last quarters can be short (n < 4 quarters).
            float a = x.get(i);
            float b = i + quarter < n ? x.get(i + quarter) : 0f;
            float c = i + 2 * quarter < n ? x.get(i + 2 * quarter) : 0f;
            float d = i + 3 * quarter < n ? x.get(i + 3 * quarter) : 0f;
            y.set(i, a);
            if (i + quarter < n) {
                y.set(i + quarter, b);
            }
            if (i + 2 * quarter < n) {
                y.set(i + 2 * quarter, c);
            }
            if (i + 3 * quarter < n) {
                y.set(i + 3 * quarter, d);
            }
        }
    }

    /**
     * y[i] = x[i] rounded to fp16 (nearest even; beyond 65504 it becomes infinity), for i &lt; n: the rounding
     * that the portable GEMM kernels and 16-bit layers apply where cuBLAS is absent.
     */
    @Kernel
    public static void toHalf(FloatArray x, HalfFloatArray y, long n) {
        for (@Parallel long i = 0; i < n; i++) {
            y.set(i, x.get(i));
        }
    }

    /** y[i] = value for i &lt; n. */
    @Kernel
    public static void fill(BFloat16Array y, float value, long n) {
        for (@Parallel long i = 0; i < n; i++) {
            y.set(i, value);
        }
    }

    /**
     * x ({@code [rows][cols]}) rounded to bf16 into columns {@code [column, column + cols)} of y, whose rows are
     * {@code stride} long: a weight's bf16 copy, alone ({@code stride} = cols) or beside others in one wider
     * matrix that a single GEMM takes (the attention projections' [d][3d]).
     */
    @Kernel
    public static void toBf16Columns(FloatArray x, BFloat16Array y, int rows, int cols, int stride, int column) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int c = 0; c < cols; c++) {
                @DistinctIndex long at = (long) r * stride + column + c; // column + cols <= stride
                y.set(at, x.get((long) r * cols + c));
            }
        }
    }
}
