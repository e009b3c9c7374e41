package uk.ac.manchester.tornado.cutlass;

import org.longnet.tornado.libraries.Bindings;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.BFloat16Array;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;

/**
 * CUTLASS GEMMs for {@code TaskGraph.libraryTask}. Unlike cuBLAS, every matrix is row-major, as TornadoVM's arrays are:
 * A is m x k, B k x n, C m x n, packed, and {@code C = alpha * A * B + beta * C} (C not read where beta is 0). The
 * 16-bit kernels accumulate in fp32 and need k and n to be multiples of 4 (their 8-byte loads), checked here.
 */
public final class Cutlass {
    public static final String LIBRARY_NAME = "nvidia/cutlass";

    private Cutlass() {
    }

    public static LibraryTaskDescriptor cutlassSgemm(int m, int n, int k, float alpha, FloatArray a, FloatArray b, float beta, FloatArray c) {
        return Bindings.call(LIBRARY_NAME, "cutlassSgemm", 7, beta != 0, m, n, k, alpha, a, b, beta, c);
    }

    public static LibraryTaskDescriptor cutlassHgemm(int m, int n, int k, float alpha, HalfFloatArray a, HalfFloatArray b, float beta, HalfFloatArray d) {
        requireVectorShape("cutlassHgemm", n, k);
        return Bindings.call(LIBRARY_NAME, "cutlassHgemm", 7, beta != 0, m, n, k, alpha, a, b, beta, d);
    }

    public static LibraryTaskDescriptor cutlassBgemm(int m, int n, int k, float alpha, BFloat16Array a, BFloat16Array b, float beta, BFloat16Array c) {
        requireVectorShape("cutlassBgemm", n, k);
        return Bindings.call(LIBRARY_NAME, "cutlassBgemm", 7, beta != 0, m, n, k, alpha, a, b, beta, c);
    }

    /** {@code D = relu(A * B + bias)}, bias n values added to each row (fp16, fp32 inside). */
    public static LibraryTaskDescriptor cutlassGemmBiasRelu(int m, int n, int k, HalfFloatArray a, HalfFloatArray b, HalfFloatArray bias, HalfFloatArray d) {
        return fused("cutlassGemmBiasRelu", m, n, k, a, b, bias, d);
    }

    /** {@code D = gelu(A * B + bias)}, GELU exactly ({@code x * Phi(x)}, through erf). */
    public static LibraryTaskDescriptor cutlassGemmBiasGelu(int m, int n, int k, HalfFloatArray a, HalfFloatArray b, HalfFloatArray bias, HalfFloatArray d) {
        return fused("cutlassGemmBiasGelu", m, n, k, a, b, bias, d);
    }

    /** {@code D = silu(A * B + bias)}, {@code silu(x) = x * sigmoid(x)}. */
    public static LibraryTaskDescriptor cutlassGemmBiasSilu(int m, int n, int k, HalfFloatArray a, HalfFloatArray b, HalfFloatArray bias, HalfFloatArray d) {
        return fused("cutlassGemmBiasSilu", m, n, k, a, b, bias, d);
    }

    public static LibraryTaskDescriptor cutlassGemmBiasSigmoid(int m, int n, int k, HalfFloatArray a, HalfFloatArray b, HalfFloatArray bias,
            HalfFloatArray d) {
        return fused("cutlassGemmBiasSigmoid", m, n, k, a, b, bias, d);
    }

    public static LibraryTaskDescriptor cutlassGemmBiasTanh(int m, int n, int k, HalfFloatArray a, HalfFloatArray b, HalfFloatArray bias, HalfFloatArray d) {
        return fused("cutlassGemmBiasTanh", m, n, k, a, b, bias, d);
    }

    /** {@code D = hardswish(A * B + bias)}, {@code hardswish(x) = x * relu6(x + 3) / 6}. */
    public static LibraryTaskDescriptor cutlassGemmBiasHardSwish(int m, int n, int k, HalfFloatArray a, HalfFloatArray b, HalfFloatArray bias,
            HalfFloatArray d) {
        return fused("cutlassGemmBiasHardSwish", m, n, k, a, b, bias, d);
    }

    /** {@link #cutlassHgemm} on {@code batchCount} packed matrices (strides m * k, k * n, m * n). */
    public static LibraryTaskDescriptor cutlassHgemmBatched(int m, int n, int k, float alpha, HalfFloatArray a, HalfFloatArray b, float beta,
            HalfFloatArray c, int batchCount) {
        requireVectorShape("cutlassHgemmBatched", n, k);
        if (batchCount <= 0) {
            throw new TornadoRuntimeException("cutlassHgemmBatched: batchCount must be > 0, was " + batchCount);
        }
        return Bindings.call(LIBRARY_NAME, "cutlassHgemmBatched", 7, beta != 0, m, n, k, alpha, a, b, beta, c, batchCount);
    }

    private static LibraryTaskDescriptor fused(String function, int m, int n, int k, HalfFloatArray a, HalfFloatArray b, HalfFloatArray bias,
            HalfFloatArray d) {
        requireVectorShape(function, n, k);
        return Bindings.call(LIBRARY_NAME, function, 6, false, m, n, k, a, b, bias, d);
    }

    private static void requireVectorShape(String function, int n, int k) {
        if (n % 4 != 0 || k % 4 != 0) {
            throw new TornadoRuntimeException(function + ": n and k must be multiples of 4 (the 16-bit kernels load 4 elements at once), were n "
                    + n + ", k " + k);
        }
    }
}
