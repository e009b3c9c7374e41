package uk.ac.manchester.tornado.cufft;

import org.longnet.tornado.libraries.Bindings;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * cuFFT transforms for {@code TaskGraph.libraryTask}. Complex values are interleaved (re, im) and {@code batch} transforms
 * of length n follow one another. Forward is {@code X[f] = sum x[t] e^(-2 pi i t f / n)}; inverse uses {@code +} and, as
 * cuFFT, does not divide by n: {@code inverse(forward(x)) = n * x}.
 */
public final class CuFft {
    public static final String LIBRARY_NAME = "nvidia/cufft";

    private CuFft() {
    }

    /** Complex to complex, forward: 2 * n * batch floats in and out. */
    public static LibraryTaskDescriptor cufftForwardC2C(FloatArray input, FloatArray output, int n, int batch) {
        return transform("cufftForwardC2C", input, output, n, batch);
    }

    public static LibraryTaskDescriptor cufftInverseC2C(FloatArray input, FloatArray output, int n, int batch) {
        return transform("cufftInverseC2C", input, output, n, batch);
    }

    /** Real to complex, forward: n * batch reals in, the n / 2 + 1 non-redundant frequencies of each out. */
    public static LibraryTaskDescriptor cufftForwardR2C(FloatArray input, FloatArray output, int n, int batch) {
        return transform("cufftForwardR2C", input, output, n, batch);
    }

    /** Complex to real, inverse: n / 2 + 1 frequencies of a Hermitian spectrum in, n reals out (per transform). */
    public static LibraryTaskDescriptor cufftInverseC2R(FloatArray input, FloatArray output, int n, int batch) {
        return transform("cufftInverseC2R", input, output, n, batch);
    }

    /** Double complex to double complex, forward. */
    public static LibraryTaskDescriptor cufftForwardZ2Z(DoubleArray input, DoubleArray output, int n, int batch) {
        return transform("cufftForwardZ2Z", input, output, n, batch);
    }

    public static LibraryTaskDescriptor cufftInverseZ2Z(DoubleArray input, DoubleArray output, int n, int batch) {
        return transform("cufftInverseZ2Z", input, output, n, batch);
    }

    /** 2D complex to complex, forward, of an nx x ny grid, row-major (ny fastest). */
    public static LibraryTaskDescriptor cufftForward2dC2C(FloatArray input, FloatArray output, int nx, int ny) {
        return transform("cufftForward2dC2C", input, output, nx, ny);
    }

    /** 2D inverse, unnormalized: {@code inverse(forward(x)) = nx * ny * x}. */
    public static LibraryTaskDescriptor cufftInverse2dC2C(FloatArray input, FloatArray output, int nx, int ny) {
        return transform("cufftInverse2dC2C", input, output, nx, ny);
    }

    private static LibraryTaskDescriptor transform(String function, Object input, Object output, int a, int b) {
        return Bindings.call(LIBRARY_NAME, function, 1, false, input, output, a, b);
    }
}
