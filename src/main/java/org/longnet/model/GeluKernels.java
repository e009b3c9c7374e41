package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/**
 * GELU, tanh form (as GPT-2 and llm.c): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), after the bias. Its derivative
 * is applied inside the backward of the LayerNorm that follows it ({@link LayerNormKernels#backwardInput}).
 */
public final class GeluKernels {
    static final float SCALE = 0.7978845608f; // sqrt(2 / pi)
    static final float CUBIC = 0.044715f;

    private GeluKernels() {
    }

    /**
     * The feed-forward's hidden activation from its product, in one pass over {@code rows x cols}:
     * x += bias (by column, kept in x: the backward's input) and y = gelu(x). One pass instead of a
     * bias pass and a GELU pass: at 32K tokens they read and wrote 400 MB per layer each.
     */
    @Kernel
    public static void forward(FloatArray x, FloatArray bias, FloatArray y, int rows, int cols) {
        for (@Parallel int row = 0; row < rows; row++) {
            for (@Parallel int col = 0; col < cols; col++) {
                long i = (long) row * cols + col;
                float v = x.get(i) + bias.get(col);
                x.set(i, v);
                y.set(i, 0.5f * v * (1f + KernelMath.tanh(SCALE * (v + CUBIC * v * v * v))));
            }
        }
    }
}
