package org.longnet.model;

import org.longnet.attention.ColumnSums;
import org.longnet.attention.BiasKernels;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;

/**
 * y = x W + b over rows of tokens, W stored {@code [in][out]}: forward and backward side by side,
 * whole or as their parts (product, bias, weight and input gradients) on a range of rows, for
 * callers that work through a long sequence in chunks. With {@code bf16} (null: fp32) the products
 * take x, dy and W rounded to bf16; results and gradients stay fp32.
 */
final class Linear {
    final Parameter weight, bias;
    final int in, out;

    Linear(Parameter weight, Parameter bias) {
        this.weight = weight;
        this.bias = bias;
        this.in = (int) weight.shape()[0];
        this.out = (int) weight.shape()[1];
    }

    /** y = x W + b over {@code tokens} rows. */
    void forward(TaskGraph g, String name, DeviceArray x, FloatArray y, int tokens, Bf16 bf16) {
        multiply(g, name, x, 0, y, 0, tokens, bf16);
        addBias(g, name, y, tokens);
    }

    /**
     * Rows {@code [yRow, yRow + rows)} of y = rows from {@code xRow} of x (a GEMM operand) times W; y in fp32, or in bf16
     * (rounded as the GEMM writes it) where x and W are bf16.
     */
    void multiply(TaskGraph g, String name, DeviceArray x, int xRow, DeviceArray y, int yRow, int rows, Bf16 bf16) {
        multiply(g, name, x, (long) xRow * in, Bf16.weight(bf16, this), in, out, y, (long) yRow * out, rows);
    }

    /**
     * y = x w over {@code rows} rows, from element {@code xAt} of x and {@code yAt} of y, w {@code [in][out]} as a view: with the
     * weights of several Linears side by side in w, their products side by side in y's rows, in one GEMM.
     */
    static void multiply(TaskGraph g, String name, DeviceArray x, long xAt, MatrixView w, int in, int out, DeviceArray y, long yAt, int rows) {
        GemmShape shape = new GemmShape(false, false, rows, out, in, 1f, 0f, in, w.stride(), out, 0, 0, 0, 1);
        g.library(name, Gemm.of(shape, x, xAt, w.array(), w.offset(), y, yAt));
    }

    /** y += b on its first {@code rows} rows. */
    void addBias(TaskGraph g, String name, FloatArray y, int rows) {
        g.task(name + "Bias", BiasKernels::addBiasFloat, y, bias.value(), rows, out);
    }

    /**
     * dW = x^T dy, db = column sums of dy (unless {@code withBias} is false: a LayerNorm's backward summed dy as it wrote it,
     * {@link LayerNorm.DxSums}), dx = dy W^T (added to dx when {@code accumulate}) over {@code tokens} rows; {@code scratch} from
     * {@link ColumnSums#scratch}.
     */
    void backward(TaskGraph g, String name, DeviceArray x, DeviceArray dy, FloatArray dx, FloatArray scratch, int tokens,
                  boolean accumulate, Bf16 bf16, boolean withBias) {
        MatrixView dyOperand = MatrixView.rowsOf(Bf16.operand(g, name + "Grad", dy, (long) tokens * out, bf16, Bf16.Slot.GRAD), out);
        gradWeight(g, name, x, 0, dyOperand, tokens, false);
        gradInput(g, name, dyOperand, dx, 0, tokens, accumulate, bf16);
        if (withBias) {
            gradBias(g, name, dyOperand, scratch, tokens, false, bf16);
        }
    }

    /** Where a LayerNorm's backward sums this Linear's output gradient: into its bias gradient, by the task {@code name}GradB. */
    LayerNorm.DxSums biasSums(String name) {
        return new LayerNorm.DxSums(name + "GradB", bias.grad());
    }

    /** dW = (or += with {@code accumulate}) x^T dy over {@code rows} rows, from row xRow of x and dy's first. */
    void gradWeight(TaskGraph g, String name, DeviceArray x, int xRow, MatrixView dy, int rows, boolean accumulate) {
        GemmShape shape = new GemmShape(true, false, in, out, rows, 1f, accumulate ? 1f : 0f, in, dy.stride(), out, 0, 0, 0, 1);
        g.library(name + "GradW", Gemm.of(shape, x, (long) xRow * in, dy.array(), dy.offset(), weight.grad(), 0));
    }

    /** Rows {@code [dxRow, dxRow + rows)} of dx = (or += with {@code accumulate}) the first rows of dy times W^T. */
    void gradInput(TaskGraph g, String name, MatrixView dy, DeviceArray dx, int dxRow, int rows, boolean accumulate, Bf16 bf16) {
        gradInput(g, name + "GradX", dy, Bf16.weight(bf16, this), out, in, dx, dxRow, rows, accumulate);
    }

    /**
     * Rows {@code [dxRow, dxRow + rows)} of dx ({@code in} wide) = (or += with {@code accumulate}) dy times w^T, both
     * {@code k} wide: one Linear's input gradient, or with w the weights of several Linears side by side (and dy their
     * output gradients side by side) the sum of their input gradients in one GEMM.
     */
    static void gradInput(TaskGraph g, String name, MatrixView dy, MatrixView w, int k, int in, DeviceArray dx, int dxRow, int rows,
                          boolean accumulate) {
        GemmShape shape = new GemmShape(false, true, rows, in, k, 1f, accumulate ? 1f : 0f, dy.stride(), w.stride(), in, 0, 0, 0, 1);
        g.library(name, Gemm.of(shape, dy.array(), dy.offset(), w.array(), w.offset(), dx, (long) dxRow * in));
    }

    /**
     * db = (or += with {@code accumulate}) column sums of the first {@code rows} rows of dy. With bf16 GEMMs dy
     * is their bf16 operand, and the sums are one more GEMM, ones^T dy, cheaper than a pass of column sums
     * over the fp32 gradient; otherwise two passes of sums over dy, which must then be a whole FloatArray of
     * rows of {@code out}.
     */
    void gradBias(TaskGraph g, String name, MatrixView dy, FloatArray scratch, int rows, boolean accumulate, Bf16 bf16) {
        if (bf16 == null) {
            if (!(dy.array() instanceof FloatArray f) || dy.offset() != 0 || dy.stride() != out) {
                throw new IllegalArgumentException(name + ": fp32 bias gradients take a whole FloatArray of rows of " + out);
            }
            ColumnSums.add(g, name + "GradB", f, bias.grad(), scratch, rows, out, accumulate);
            return;
        }
        columnSums(g, name + "GradB", bf16, dy, out, bias.grad(), rows, accumulate);
    }

    /**
     * sums = (or += with {@code accumulate}) the column sums of the first {@code rows} rows of dy, {@code width} wide: one GEMM,
     * ones^T dy, on the bf16 operand dy.
     */
    static void columnSums(TaskGraph g, String name, Bf16 bf16, MatrixView dy, int width, FloatArray sums, int rows, boolean accumulate) {
        GemmShape shape = new GemmShape(false, false, 1, width, rows, 1f, accumulate ? 1f : 0f, rows, dy.stride(), width, 0, 0, 0, 1);
        g.library(name, Gemm.of(shape, bf16.ones, 0, dy.array(), dy.offset(), sums, 0));
    }
}
