package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

/** The residual connection: a sublayer's output (or its gradient) added to the stream. */
public final class ResidualKernels {
    private ResidualKernels() {
    }

    /** y += x. */
    @Kernel
    public static void add(FloatArray y, FloatArray x) {
        for (@Parallel long i = 0; i < y.getSize(); i++) {
            y.set(i, y.get(i) + x.get(i));
        }
    }
}
