package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

// The template of BiasKernelsHalf and BiasKernelsBf16, which src/longnet/build/GenerateStorageVariants.java writes
// from it with x in 16 bits: edit this file for all three.
/** A bias added to every row of a projection's output, for x in fp32 storage. */
public final class BiasKernels {
    private BiasKernels() {
    }

    /** x[row][col] += bias[col], for x in fp32 storage: the sum in fp32, rounded once as it is stored. */
    @Kernel
    public static void addBiasFloat(FloatArray x, FloatArray bias, int rows, int cols) {
        for (@Parallel int row = 0; row < rows; row++) {
            for (@Parallel int col = 0; col < cols; col++) {
                long i = (long) row * cols + col;
                x.set(i, x.get(i) + bias.get(col));
            }
        }
    }
}
