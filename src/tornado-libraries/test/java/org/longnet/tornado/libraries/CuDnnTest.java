package org.longnet.tornado.libraries;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.cudnn.CuDnn;

import java.util.List;
import java.util.SplittableRandom;

import static org.longnet.tornado.libraries.LibraryTests.assertClose;
import static org.longnet.tornado.libraries.LibraryTests.floats;
import static org.longnet.tornado.libraries.LibraryTests.halves;
import static org.longnet.tornado.libraries.LibraryTests.poisoned;
import static org.longnet.tornado.libraries.LibraryTests.poisonedHalves;
import static org.longnet.tornado.libraries.LibraryTests.run;
import static org.longnet.tornado.libraries.LibraryTests.values;

/** cuDNN's operations through libraryTask on every test device, against float64 references written from their definitions. */
@DeviceTest
class CuDnnTest {
    private static final int EVERY = DataTransferMode.EVERY_EXECUTION;

    static List<String> devices() {
        return LibraryTests.devices();
    }

    @ParameterizedTest(name = "softmax, relu, sigmoid, tanh, max pooling, on {0}")
    @MethodSource("devices")
    void pointwiseAndPooling(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(61);
        int rows = 5, cols = 9, n = 2, c = 3, h = 7, w = 6, window = 3, stride = 2, oh = 3, ow = 2;
        FloatArray x = floats(r, rows * cols), soft = poisoned(rows * cols), relu = poisoned(rows * cols), sig = poisoned(rows * cols);
        FloatArray tanh = poisoned(rows * cols), image = floats(r, n * c * h * w), pooled = poisoned(n * c * oh * ow);
        run(id, new TaskGraph("g").transferToDevice(EVERY, x, image)
                .libraryTask("softmax", CuDnn::cudnnSoftmax, x, soft, rows, cols)
                .libraryTask("relu", CuDnn::cudnnRelu, x, relu, rows * cols)
                .libraryTask("sigmoid", CuDnn::cudnnSigmoid, x, sig, rows * cols)
                .libraryTask("tanh", CuDnn::cudnnTanh, x, tanh, rows * cols)
                .libraryTask("pool", CuDnn::cudnnMaxPool2d, image, pooled, n, c, h, w, window, stride)
                .transferToHost(EVERY, soft, relu, sig, tanh, pooled), 1);
        double[] xv = values(x), wantSoft = new double[xv.length], wantRelu = new double[xv.length], wantSig = new double[xv.length];
        double[] wantTanh = new double[xv.length];
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(xv[i * cols + j]);
            }
            for (int j = 0; j < cols; j++) {
                wantSoft[i * cols + j] = Math.exp(xv[i * cols + j]) / sum;
            }
        }
        for (int i = 0; i < xv.length; i++) {
            wantRelu[i] = xv[i] > 0 ? xv[i] : 0;
            wantSig[i] = 1 / (1 + Math.exp(-xv[i]));
            wantTanh[i] = Math.tanh(xv[i]);
        }
        double[] iv = values(image), wantPool = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int y = 0; y < oh; y++) {
                for (int z = 0; z < ow; z++) {
                    double max = -Double.MAX_VALUE;
                    for (int dy = 0; dy < window; dy++) {
                        for (int dz = 0; dz < window; dz++) {
                            max = Math.max(max, iv[p * h * w + (y * stride + dy) * w + z * stride + dz]);
                        }
                    }
                    wantPool[(p * oh + y) * ow + z] = max;
                }
            }
        }
        assertClose(wantSoft, soft, 1e-6);
        assertClose(wantRelu, relu, 0);
        assertClose(wantSig, sig, 1e-6);
        assertClose(wantTanh, tanh, 1e-6);
        assertClose(wantPool, pooled, 0);
    }

    @ParameterizedTest(name = "conv2d with padding 1 and stride 2, on {0}")
    @MethodSource("devices")
    void convolution(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(62);
        int n = 2, c = 3, h = 9, w = 8, k = 4, fr = 3, fs = 2, pad = 1, stride = 2;
        int oh = (h + 2 * pad - fr) / stride + 1, ow = (w + 2 * pad - fs) / stride + 1;
        FloatArray input = floats(r, n * c * h * w), filter = floats(r, k * c * fr * fs), out = poisoned(n * k * oh * ow);
        run(id, new TaskGraph("g").transferToDevice(EVERY, input, filter)
                .libraryTask("conv", CuDnn::cudnnConv2d, input, filter, out, n, c, h, w, k, fr, fs, pad, stride)
                .transferToHost(EVERY, out), 1);
        double[] in = values(input), f = values(filter), want = new double[n * k * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < k; o++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        double sum = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int dy = 0; dy < fr; dy++) {
                                for (int dx = 0; dx < fs; dx++) {
                                    int iy = y * stride - pad + dy, ix = x * stride - pad + dx;
                                    double v = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : in[((b * c + ch) * h + iy) * w + ix];
                                    sum += v * f[((o * c + ch) * fr + dy) * fs + dx];
                                }
                            }
                        }
                        want[((b * k + o) * oh + y) * ow + x] = sum;
                    }
                }
            }
        }
        assertClose(want, out, 1e-5);
    }

    @ParameterizedTest(name = "attention, plain and causal, more keys than queries, on {0}")
    @MethodSource("devices")
    void attention(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(63);
        int b = 2, h = 2, sq = 5, skv = 7, d = 8;
        float scale = 0.35f;
        HalfFloatArray q = halves(r, b * h * sq * d), k = halves(r, b * h * skv * d), v = halves(r, b * h * skv * d);
        HalfFloatArray plain = poisonedHalves(b * h * sq * d), causal = poisonedHalves(b * h * sq * d);
        run(id, new TaskGraph("g").transferToDevice(EVERY, q, k, v)
                .libraryTask("sdpa", CuDnn::sdpaForward, q, k, v, plain, b, h, sq, skv, d, scale, false)
                .libraryTask("causal", CuDnn::sdpaForward, q, k, v, causal, b, h, sq, skv, d, scale, true)
                .transferToHost(EVERY, plain, causal), 1);
        assertClose(attention(values(q), values(k), values(v), b * h, sq, skv, d, scale, false), plain, 2e-3);
        assertClose(attention(values(q), values(k), values(v), b * h, sq, skv, d, scale, true), causal, 2e-3);
    }

    private static double[] attention(double[] q, double[] k, double[] v, int heads, int sq, int skv, int d, double scale, boolean causal) {
        double[] out = new double[heads * sq * d];
        for (int hd = 0; hd < heads; hd++) {
            for (int i = 0; i < sq; i++) {
                double[] weight = new double[skv];
                double total = 0;
                for (int j = 0; j < skv; j++) {
                    if (causal && j > i) {
                        continue; // a masked key weighs 0
                    }
                    double dot = 0;
                    for (int x = 0; x < d; x++) {
                        dot += q[(hd * sq + i) * d + x] * k[(hd * skv + j) * d + x];
                    }
                    weight[j] = Math.exp(dot * scale);
                    total += weight[j];
                }
                for (int x = 0; x < d; x++) {
                    for (int j = 0; j < skv; j++) {
                        out[(hd * sq + i) * d + x] += weight[j] / total * v[(hd * skv + j) * d + x];
                    }
                }
            }
        }
        return out;
    }
}
