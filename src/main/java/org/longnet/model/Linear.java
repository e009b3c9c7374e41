package org.longnet.model;

import org.longnet.attention.ColumnSums;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;
import org.longnet.attention.ProjectionKernels;

/** y = x W + b over {@code tokens} rows, W stored {@code [in][out]}: forward and backward side by side. */
final class Linear {
    final Parameter weight, bias;
    final int in, out;

    Linear(Parameter weight, Parameter bias) {
        this.weight = weight;
        this.bias = bias;
        this.in = (int) weight.shape()[0];
        this.out = (int) weight.shape()[1];
    }

    void forward(TaskGraph g, String name, FloatArray x, FloatArray y, int tokens) {
        g.library(name, Gemm.of(new GemmShape(false, false, tokens, out, in, 1f, 0f, in, out, out, 0, 0, 0, 1), x, weight.value(), y));
        g.task(name + "Bias", ProjectionKernels::addBias, y, bias.value(), tokens, out);
    }

    /**
     * dW = x^T dy, db = column sums of dy, dx = dy W^T (added to dx when {@code accumulate});
     * {@code scratch} from {@link ColumnSums#scratch}.
     */
    void backward(TaskGraph g, String name, FloatArray x, FloatArray dy, FloatArray dx, FloatArray scratch, int tokens,
                  boolean accumulate) {
        g.library(name + "GradW", Gemm.of(new GemmShape(true, false, in, out, tokens, 1f, 0f, in, out, out, 0, 0, 0, 1),
                x, dy, weight.grad()));
        ColumnSums.add(g, name + "GradB", dy, bias.grad(), scratch, tokens, out);
        g.library(name + "GradX", Gemm.of(new GemmShape(false, true, tokens, in, out, 1f, accumulate ? 1f : 0f, out, out, in,
                0, 0, 0, 1), dy, weight.value(), dx));
    }
}
