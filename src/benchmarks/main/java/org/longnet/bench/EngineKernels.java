package org.longnet.bench;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

/** Kernels the engine benchmark times. */
public final class EngineKernels {
    private EngineKernels() {
    }

    /**
     * Reads and writes every element once: its rate against the driver's copy is the bandwidth
     * score. Each work-item moves four elements a quarter of the array apart, loading all four
     * before storing any: one 4-byte load per work-item leaves too few requests in flight to fill
     * HBM, and a quarter apart keeps each of the four loads coalesced across neighbouring work-items.
     */
    @Kernel
    public static void copy(FloatArray in, FloatArray out) {
        long n = out.getSize();
        long quarter = (n + 3) / 4;
        for (@Parallel long i = 0; i < quarter; i++) {
            long j1 = i + quarter, j2 = j1 + quarter, j3 = j2 + quarter;
            float a = in.get(i);
            float b = j1 < n ? in.get(j1) : 0f;
            float c = j2 < n ? in.get(j2) : 0f;
            float d = j3 < n ? in.get(j3) : 0f;
            out.set(i, a);
            if (j1 < n) {
                out.set(j1, b);
            }
            if (j2 < n) {
                out.set(j2, c);
            }
            if (j3 < n) {
                out.set(j3, d);
            }
        }
    }

    /** Pseudo-random values in [-1, 1) made on the device, so large inputs need no host memory or copies. */
    @Kernel
    public static void fillRandom(FloatArray x, long seed) {
        for (@Parallel long i = 0; i < x.getSize(); i++) {
            x.set(i, random(i, seed));
        }
    }

    /** {@link #fillRandom} into bf16 storage. */
    @Kernel
    public static void fillRandomBf16(BFloat16Array x, long seed) {
        for (@Parallel long i = 0; i < x.getSize(); i++) {
            x.set(i, random(i, seed));
        }
    }

    /** A hash of (i, seed) mapped to [-1, 1). */
    static float random(long i, long seed) {
        long h = (i + seed) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (float) (h >>> 40) / 8388608f - 1f;
    }

    /** Almost no work, so a launch measures overhead alone. */
    @Kernel
    public static void increment(FloatArray x) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            x.set(i, x.get(i) + 1f);
        }
    }
}
