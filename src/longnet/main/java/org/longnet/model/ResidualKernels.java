package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;

/** The residual connection: a sublayer's output added to the stream. */
public final class ResidualKernels {
    private ResidualKernels() {
    }

    /**
     * y[row][col] += bias[col] + stream[row][col]: a sublayer's bias and the residual stream added to its
     * product in one pass: two passes would read and write the product twice.
     */
    @Kernel
    public static void addBiasAndStream(FloatArray y, FloatArray bias, FloatArray stream, int rows, int cols) {
        for (@Parallel int row = 0; row < rows; row++) {
            for (@Parallel int col = 0; col < cols; col++) {
                long i = (long) row * cols + col;
                y.set(i, y.get(i) + bias.get(col) + stream.get(i));
            }
        }
    }
}
