package org.longnet.engine.bench;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

/** Kernels the engine benchmark times. */
public final class EngineKernels {
    private EngineKernels() {
    }

    /** Reads and writes every element once: its rate against the driver's copy is the bandwidth score. */
    @Kernel
    public static void copy(FloatArray in, FloatArray out) {
        for (@Parallel long i = 0; i < out.getSize(); i++) {
            out.set(i, in.get(i));
        }
    }

    /** Almost no work, so a launch measures overhead alone. */
    @Kernel
    public static void increment(FloatArray x) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            x.set(i, x.get(i) + 1f);
        }
    }
}
