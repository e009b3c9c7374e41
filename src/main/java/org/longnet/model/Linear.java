package org.longnet.model;

import org.longnet.attention.ColumnSums;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;
import org.longnet.engine.library.PrecisionKernels;
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

    /** y = x W + b; with {@code bf16} (null: fp32) the product takes x and W rounded to bf16. */
    void forward(TaskGraph g, String name, FloatArray x, FloatArray y, int tokens, Bf16 bf16) {
        GemmShape shape = new GemmShape(false, false, tokens, out, in, 1f, 0f, in, out, out, 0, 0, 0, 1);
        if (bf16 == null) {
            g.library(name, Gemm.of(shape, x, weight.value(), y));
        } else {
            g.task(name + "InBf16", PrecisionKernels::toBf16, x, bf16.input, (long) tokens * in);
            g.library(name, Gemm.of(shape, bf16.input, bf16.weight(this), y));
        }
        g.task(name + "Bias", ProjectionKernels::addBias, y, bias.value(), tokens, out);
    }

    /**
     * dW = x^T dy, db = column sums of dy, dx = dy W^T (added to dx when {@code accumulate});
     * {@code scratch} from {@link ColumnSums#scratch}. With {@code bf16} (null: fp32) both products
     * take x, dy and W rounded to bf16; dW, db and dx stay fp32.
     */
    void backward(TaskGraph g, String name, FloatArray x, FloatArray dy, FloatArray dx, FloatArray scratch, int tokens,
                  boolean accumulate, Bf16 bf16) {
        GemmShape weightGrad = new GemmShape(true, false, in, out, tokens, 1f, 0f, in, out, out, 0, 0, 0, 1);
        GemmShape inputGrad = new GemmShape(false, true, tokens, in, out, 1f, accumulate ? 1f : 0f, out, out, in, 0, 0, 0, 1);
        if (bf16 == null) {
            g.library(name + "GradW", Gemm.of(weightGrad, x, dy, weight.grad()));
            g.library(name + "GradX", Gemm.of(inputGrad, dy, weight.value(), dx));
        } else {
            g.task(name + "InBf16", PrecisionKernels::toBf16, x, bf16.input, (long) tokens * in);
            g.task(name + "GradBf16", PrecisionKernels::toBf16, dy, bf16.grad, (long) tokens * out);
            g.library(name + "GradW", Gemm.of(weightGrad, bf16.input, bf16.grad, weight.grad()));
            g.library(name + "GradX", Gemm.of(inputGrad, bf16.grad, bf16.weight(this), dx));
        }
        ColumnSums.add(g, name + "GradB", dy, bias.grad(), scratch, tokens, out);
    }
}
