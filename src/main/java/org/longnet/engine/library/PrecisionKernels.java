package org.longnet.engine.library;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

/** Conversions into 16-bit storage, for the operands of bf16 GEMMs and matrix-unit attention. */
public final class PrecisionKernels {
    private PrecisionKernels() {
    }

    /** y[i] = x[i] rounded to bf16 (nearest even), for i < n. */
    @Kernel
    public static void toBf16(FloatArray x, BFloat16Array y, long n) {
        for (@Parallel long i = 0; i < n; i++) {
            y.set(i, x.get(i));
        }
    }
}
