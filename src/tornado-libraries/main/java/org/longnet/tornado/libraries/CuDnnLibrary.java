package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.cudnn.CuDnn;

import java.util.Map;

/** The operations of {@link CuDnn} on the host, in double, each result rounded once to the output's type. */
public final class CuDnnLibrary extends HostLibrary {
    public CuDnnLibrary() {
        super(CuDnn.LIBRARY_NAME, Map.of(
                "cudnnSoftmax", CuDnnLibrary::softmax,
                "cudnnRelu", call -> elementWise(call, Activation.RELU),
                "cudnnSigmoid", call -> elementWise(call, Activation.SIGMOID),
                "cudnnTanh", call -> elementWise(call, Activation.TANH),
                "cudnnMaxPool2d", CuDnnLibrary::maxPool,
                "cudnnConv2d", CuDnnLibrary::conv2d,
                "sdpaForward", Attention::forward));
    }

    static int atLeast(Call call, int i, String what, int min) {
        int v = call.integer(i);
        if (v < min) {
            throw new IllegalArgumentException(call.name() + ": " + what + " must be >= " + min + ", was " + v);
        }
        return v;
    }

    /** Parameters input, output, size. */
    private static void elementWise(Call call, Activation f) {
        int size = atLeast(call, 2, "size", 0);
        Elements in = call.elements(0).needs(call.name() + " input", size), out = call.elements(1).needs(call.name() + " output", size);
        for (int i = 0; i < size; i++) {
            out.set(i, f.apply(in.get(i)));
        }
    }

    /** Parameters input, output, rows, cols. */
    private static void softmax(Call call) {
        int rows = atLeast(call, 2, "rows", 0), cols = atLeast(call, 3, "cols", 1);
        Elements in = call.elements(0).needs(call.name() + " input", (long) rows * cols);
        Elements out = call.elements(1).needs(call.name() + " output", (long) rows * cols);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, in.get(r * cols + j));
            }
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(in.get(r * cols + j) - max);
            }
            for (int j = 0; j < cols; j++) {
                out.set(r * cols + j, Math.exp(in.get(r * cols + j) - max) / sum);
            }
        }
    }

    /** Parameters input, output, n, c, h, w, window, stride. */
    private static void maxPool(Call call) {
        int n = atLeast(call, 2, "n", 0), c = atLeast(call, 3, "c", 0), h = atLeast(call, 4, "h", 1), w = atLeast(call, 5, "w", 1);
        int window = atLeast(call, 6, "window", 1), stride = atLeast(call, 7, "stride", 1);
        if (window > h || window > w) {
            throw new IllegalArgumentException(call.name() + ": window must be <= h and w, was " + window + " for " + h + " x " + w);
        }
        int oh = (h - window) / stride + 1, ow = (w - window) / stride + 1, planes = n * c;
        Elements in = call.elements(0).needs(call.name() + " input", (long) planes * h * w);
        Elements out = call.elements(1).needs(call.name() + " output", (long) planes * oh * ow);
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int dy = 0; dy < window; dy++) {
                        for (int dx = 0; dx < window; dx++) {
                            max = Math.max(max, in.get((p * h + y * stride + dy) * w + x * stride + dx));
                        }
                    }
                    out.set((p * oh + y) * ow + x, max);
                }
            }
        }
    }

    /** Parameters input, filter, output, n, c, h, w, k, r, s, pad, stride. */
    private static void conv2d(Call call) {
        int n = atLeast(call, 3, "n", 0), c = atLeast(call, 4, "c", 1), h = atLeast(call, 5, "h", 1), w = atLeast(call, 6, "w", 1);
        int k = atLeast(call, 7, "k", 1), r = atLeast(call, 8, "r", 1), s = atLeast(call, 9, "s", 1);
        int pad = atLeast(call, 10, "pad", 0), stride = atLeast(call, 11, "stride", 1);
        int oh = (h + 2 * pad - r) / stride + 1, ow = (w + 2 * pad - s) / stride + 1;
        if (h + 2 * pad < r || w + 2 * pad < s) {
            throw new IllegalArgumentException(call.name() + ": the filter (" + r + " x " + s + ") must fit the padded input (" + (h + 2 * pad) + " x "
                    + (w + 2 * pad) + ")");
        }
        Elements in = call.elements(0).needs(call.name() + " input", (long) n * c * h * w);
        Elements filter = call.elements(1).needs(call.name() + " filter", (long) k * c * r * s);
        Elements out = call.elements(2).needs(call.name() + " output", (long) n * k * oh * ow);
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < k; f++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        double sum = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int dy = 0; dy < r; dy++) {
                                int iy = y * stride + dy - pad;
                                for (int dx = 0; dx < s && iy >= 0 && iy < h; dx++) {
                                    int ix = x * stride + dx - pad;
                                    if (ix >= 0 && ix < w) {
                                        sum += in.get(((b * c + ch) * h + iy) * w + ix) * filter.get(((f * c + ch) * r + dy) * s + dx);
                                    }
                                }
                            }
                        }
                        out.set(((b * k + f) * oh + y) * ow + x, sum);
                    }
                }
            }
        }
    }
}
