package org.longnet.model;

import org.longnet.engine.DeviceTest;
import org.longnet.attention.ProjectionKernels;
import org.longnet.attention.RotaryReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.PrecisionKernels;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels that prepare attention and projection operands on every device (rotary and XPOS positions, biases,
 * rounding to bf16), against float64 references, outputs poisoned with NaN first.
 */
@DeviceTest
class OperandKernelsTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    /** Also on a chunk of a longer sequence (rows that are positions 700 .. 736 of 2,000, as on one rank of several). */
    @ParameterizedTest(name = "rotary and XPOS positions, and their transposes, on {0}")
    @MethodSource("devices")
    void rotary(String device) {
        int batch = 2, n = 37, heads = 3, d = 10; // 555 rows of 5 channel pairs
        float[] bases = {10_000f, 1e7f};
        int[][] placements = {{0, n}, {700, 2000}};
        for (int xpos = 0; xpos <= 1; xpos++) {
            for (float base : bases) {
                for (int inverse = 0; inverse <= 1; inverse++) {
                    for (int[] at : placements) {
                        FloatArray x = Check.random((long) batch * n * heads * d, 11 + xpos + inverse, -2, 2);
                        double[] ref = Check.toDoubles(x);
                        RotaryReference.rotate(ref, n, heads, d, xpos == 1, -1, inverse == 1, base, at[0], at[1]);
                        TestDevices.run(device, new TaskGraph("rotary").transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                                .task("rotate", ProjectionKernels::rotate, x, n, heads, d, xpos, -1f, inverse, base, at[0], at[1])
                                .transferToHost(DataTransferMode.EVERY_EXECUTION, x));
                        Check.close("rotary, base " + base + ", xpos " + xpos + ", inverse " + inverse + ", rows from " + at[0] + " of " + at[1],
                                ref, x, 2e-5, 2e-5);
                    }
                }
            }
        }
    }

    /**
     * At a million positions the first pair turns a million radians: a device's fast sine and cosine
     * of such an argument are off by a tenth or more, so the kernel reduces the angle first.
     */
    @ParameterizedTest(name = "rotary angles at 1M positions on {0}")
    @MethodSource("devices")
    void rotaryFarAlong(String device) {
        int n = 1 << 20, heads = 1, d = 2; // one channel pair, whose frequency is exactly 1
        FloatArray x = Check.random((long) n * d, 13, -2, 2);
        double[] ref = Check.toDoubles(x);
        RotaryReference.rotate(ref, n, heads, d, false, 1, false, 10_000f);
        TestDevices.run(device, new TaskGraph("rotary").transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                .task("rotate", ProjectionKernels::rotate, x, n, heads, d, 0, 1f, 0, 10_000f, 0, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, x));
        Check.close("rotary at positions up to " + n, ref, x, 1e-4, 1e-4);
    }

    /**
     * bf16 operands in one pass: forward, a projection's product plus bias, positioned (or not), for the
     * matrix-unit attention; backward, attention's dQ or dK with the positions' transpose, for the GEMMs.
     * The output is the middle part of wider rows (as K's in rows of Q, K and V): the rest must stay untouched.
     */
    @ParameterizedTest(name = "bias, positions and bf16 rounding of attention and projection operands on {0}")
    @MethodSource("devices")
    void attentionOperand(String device) {
        int batch = 2, n = 37, heads = 3, d = 10, size = batch * n * heads * d; // 555 rows of 5 channel pairs
        for (int inverse = 0; inverse <= 1; inverse++) {
            for (int rotary = 0; rotary <= 1; rotary++) {
                for (int xpos = 0; xpos <= rotary; xpos++) {
                    int addBias = 1 - inverse; // gradients have no bias
                    FloatArray x = Check.random(size, 31 + xpos + rotary + 2 * inverse, -2, 2), bias = Check.random(heads * d, 33, -1, 1);
                    int rows = batch * n, width = heads * d, stride = 3 * width + 2, column = width;
                    BFloat16Array out = new BFloat16Array((long) rows * stride);
                    for (int i = 0; i < rows * stride; i++) {
                        out.set(i, Float.NaN); // poisoned
                    }
                    double[] ref = Check.toDoubles(x);
                    for (int i = 0; i < size; i++) {
                        ref[i] += addBias * bias.get(i % (heads * d));
                    }
                    if (rotary == 1) {
                        RotaryReference.rotate(ref, n, heads, d, xpos == 1, -1, inverse == 1, 1e7f, 300, 1000);
                    }
                    TestDevices.run(device, new TaskGraph("operand").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, bias, out)
                            .task("operand", ProjectionKernels::biasRotateBf16, x, bias, addBias, out, stride, column, n, heads, d, rotary, xpos,
                                    -1f, inverse, 1e7f, 300, 1000)
                            .transferToHost(DataTransferMode.EVERY_EXECUTION, out));
                    FloatArray got = new FloatArray(size);
                    for (int i = 0; i < rows * stride; i++) {
                        int c = i % stride - column;
                        if (c >= 0 && c < width) {
                            got.set((long) i / stride * width + c, out.get(i));
                        } else {
                            assertTrue(Float.isNaN(out.get(i)), "element " + i % stride + " of row " + i / stride + " outside the operand's columns");
                        }
                    }
                    // bf16 keeps 8 bits: relative error up to 2^-9 on top of the fp32 kernel's
                    Check.close("operand, inverse " + inverse + ", rotary " + rotary + ", xpos " + xpos, ref, got, 4e-3, 1e-4);
                }
            }
        }
    }

    /**
     * The forward's operands from bf16 products: Q's, K's or V's columns of rows that hold all three (as one GEMM writes
     * them), plus the bias, positioned or not, into the first columns of wider rows, the rest of which must stay untouched.
     * The reference starts from the same bf16 products.
     */
    @ParameterizedTest(name = "attention operands from bf16 products side by side on {0}")
    @MethodSource("devices")
    void attentionOperandFromProducts(String device) {
        int batch = 2, n = 37, heads = 3, d = 10, width = heads * d, rows = batch * n, size = rows * width; // 555 rows of 5 channel pairs
        int xStride = 3 * width, outStride = width + 2; // even: pairs are written as one word
        for (int part = 0; part < 3; part++) {
            for (int xpos = 0; xpos <= 1; xpos++) {
                int rotary = part < 2 ? 1 : 0; // V is not positioned
                FloatArray products = Check.random((long) rows * xStride, 41 + part + 3 * xpos, -2, 2), bias = Check.random(width, 43, -1, 1);
                BFloat16Array x = new BFloat16Array((long) rows * xStride), out = new BFloat16Array((long) rows * outStride);
                double[] ref = new double[size];
                for (int i = 0; i < rows * xStride; i++) {
                    x.set(i, products.get(i));
                    int c = i % xStride - part * width;
                    if (c >= 0 && c < width) {
                        ref[i / xStride * width + c] = x.get(i) + (double) bias.get(c);
                    }
                }
                for (int i = 0; i < rows * outStride; i++) {
                    out.set(i, Float.NaN); // poisoned
                }
                int sign = part == 0 ? 1 : -1;
                if (rotary == 1) {
                    RotaryReference.rotate(ref, n, heads, d, xpos == 1, sign, false, 1e4f, 300, 1000);
                }
                TestDevices.run(device, new TaskGraph("operand").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, bias, out)
                        .task("operand", ProjectionKernels::productRotateBf16, x, xStride, part * width, bias, out, outStride, batch,
                                n, heads, d, rotary, xpos, (float) sign, 1e4f, 300, 1000)
                        .transferToHost(DataTransferMode.EVERY_EXECUTION, out));
                FloatArray got = new FloatArray(size);
                for (int i = 0; i < rows * outStride; i++) {
                    int c = i % outStride;
                    if (c < width) {
                        got.set((long) i / outStride * width + c, out.get(i));
                    } else {
                        assertTrue(Float.isNaN(out.get(i)), "element " + i % outStride + " of row " + i / outStride + " outside the operand's columns");
                    }
                }
                Check.close("operand from products, part " + part + ", xpos " + xpos, ref, got, 4e-3, 1e-4);
            }
        }
    }

    @ParameterizedTest(name = "rounding to bf16 for GEMM operands, and filling, on {0}")
    @MethodSource("devices")
    void bf16Rounding(String device) {
        // Lengths that are not multiples of 4 (each work-item rounds four elements a quarter of the length apart),
        // and ones shorter than four quarters.
        for (int used : new int[] {999, 5, 2, 1}) {
            int n = used + 2;
            FloatArray x = Check.random(n, 7, -300, 300);
            BFloat16Array y = new BFloat16Array(n);
            BFloat16Array filled = new BFloat16Array(n);
            for (int i = 0; i < n; i++) {
                y.set(i, Float.NaN);
                filled.set(i, Float.NaN);
            }
            TestDevices.run(device, new TaskGraph("bf16").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, y, filled)
                    .task("round", PrecisionKernels::toBf16, x, y, (long) used)
                    .task("fill", PrecisionKernels::fill, filled, 1.5f, (long) used)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, y, filled));
            for (int i = 0; i < n; i++) {
                float expected = i < used ? BFloat16Array.toFloat(BFloat16Array.fromFloat(x.get(i))) : Float.NaN;
                assertEquals(expected, y.get(i), 0f, "element " + i + " of " + x.get(i) + ", length " + used);
                assertEquals(i < used ? 1.5f : Float.NaN, filled.get(i), 0f, "filled element " + i + ", length " + used);
            }
        }
    }

    /** A weight's bf16 copy into some columns of a wider matrix (odd sizes: no pairs), the rest untouched. */
    @ParameterizedTest(name = "rounding to bf16 into columns of a wider matrix on {0}")
    @MethodSource("devices")
    void bf16Columns(String device) {
        int rows = 37, cols = 5, stride = 13, column = 3;
        FloatArray x = Check.random(rows * cols, 8, -300, 300);
        BFloat16Array y = new BFloat16Array((long) rows * stride);
        for (int i = 0; i < rows * stride; i++) {
            y.set(i, Float.NaN);
        }
        TestDevices.run(device, new TaskGraph("columns").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, y)
                .task("round", PrecisionKernels::toBf16Columns, x, y, rows, cols, stride, column)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y));
        for (int i = 0; i < rows * stride; i++) {
            int r = i / stride, c = i % stride - column;
            float expected = c >= 0 && c < cols ? BFloat16Array.toFloat(BFloat16Array.fromFloat(x.get((long) r * cols + c))) : Float.NaN;
            assertEquals(expected, y.get(i), 0f, "row " + r + ", column " + i % stride);
        }
    }
}
