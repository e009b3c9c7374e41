package org.longnet.model;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;

/** LayerNorm with gain and bias over rows of {@code width}: forward and backward side by side. */
final class LayerNorm {
    final Parameter gain, bias;
    final int width;

    LayerNorm(Parameter gain, Parameter bias) {
        this.gain = gain;
        this.bias = bias;
        this.width = (int) gain.size();
    }

    /** Statistics one forward keeps for its backward: each row's mean and 1/std. */
    record Stats(FloatArray mean, FloatArray rstd) {
        Stats(long rows) {
            this(new FloatArray(rows), new FloatArray(rows));
        }
    }

    void forward(TaskGraph g, String name, FloatArray x, FloatArray y, Stats stats) {
        g.task(name, LayerNormKernels::forward, x, gain.value(), bias.value(), y, stats.mean(), stats.rstd(), width);
    }

    /** Row chunks of the gain and bias gradients' first pass: enough work-items to fill a GPU at 768 columns. */
    static final int ROW_CHUNKS = 128;

    /** Scratch {@link #backward} needs for rows of at most {@code width}. */
    static FloatArray partials(int width) {
        return new FloatArray(2L * ROW_CHUNKS * width);
    }

    /** dx (overwritten) and the gain and bias gradients; {@code partials} from {@link #partials}. */
    void backward(TaskGraph g, String name, FloatArray x, Stats stats, FloatArray dy, FloatArray dx, FloatArray partials) {
        g.task(name + "GradX", LayerNormKernels::backwardInput, x, gain.value(), stats.mean(), stats.rstd(), dy, dx, width);
        g.task(name + "GradPartial", LayerNormKernels::backwardParamsPartial, x, stats.mean(), stats.rstd(), dy, partials, width,
                ROW_CHUNKS);
        g.task(name + "GradP", LayerNormKernels::backwardParamsSum, partials, gain.grad(), bias.grad(), width, ROW_CHUNKS);
    }
}
