package org.longnet.attention;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelMath;
import org.longnet.engine.api.Parallel;

/** The small kernels around the projections: biases, their gradients, and rotary/XPOS positions. */
public final class ProjectionKernels {
    /** XPOS's scale base (spec §6, [ts]). */
    static final float XPOS_BASE = 512f;

    private ProjectionKernels() {
    }

    /** x[row][col] += bias[col]. */
    @Kernel
    public static void addBias(FloatArray x, FloatArray bias, int rows, int cols) {
        for (@Parallel int row = 0; row < rows; row++) {
            for (@Parallel int col = 0; col < cols; col++) {
                long i = (long) row * cols + col;
                x.set(i, x.get(i) + bias.get(col));
            }
        }
    }

    /** out[col] = sum over rows of x[row][col]: the gradient of a bias. */
    @Kernel
    public static void columnSum(FloatArray x, FloatArray out, int rows, int cols) {
        for (@Parallel int col = 0; col < cols; col++) {
            float sum = 0f;
            for (int row = 0; row < rows; row++) {
                sum += x.get((long) row * cols + col);
            }
            out.set(col, sum);
        }
    }

    /**
     * Rotates channel pairs (2f, 2f+1) of every head of x ({@code [B][N][H][D]}) by angle
     * position * 10000^(-2f/D), in place, with the original absolute positions. With {@code xpos}
     * each pair is also scaled by zeta_f^(sign * (position - N/2) / 512), zeta_f = (2f + 0.4 D) / (1.4 D):
     * sign +1 for queries, -1 for keys. {@code inverse} applies the transpose (for gradients).
     */
    @Kernel
    public static void rotate(FloatArray x, int n, int h, int d, int xpos, float sign, int inverse) {
        for (@Parallel long row = 0; row < x.getSize() / d; row++) {
            for (@Parallel int f = 0; f < d / 2; f++) {
                int position = (int) (row / h % n);
                float angle = position * KernelMath.exp(-2f * f / d * KernelMath.log(10000f));
                float cos = KernelMath.cos(angle);
                float sin = inverse == 1 ? -KernelMath.sin(angle) : KernelMath.sin(angle);
                float scale = 1f;
                if (xpos == 1) {
                    float zeta = (2f * f + 0.4f * d) / (1.4f * d);
                    scale = KernelMath.exp(sign * (position - n / 2) / XPOS_BASE * KernelMath.log(zeta));
                }
                long i = row * d + 2 * f;
                float x0 = x.get(i);
                float x1 = x.get(i + 1);
                x.set(i, scale * (x0 * cos - x1 * sin));
                x.set(i + 1, scale * (x0 * sin + x1 * cos));
            }
        }
    }
}
