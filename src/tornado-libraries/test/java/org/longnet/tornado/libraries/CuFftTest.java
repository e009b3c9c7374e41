package org.longnet.tornado.libraries;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.cufft.CuFft;

import java.util.List;
import java.util.SplittableRandom;

import static org.longnet.tornado.libraries.LibraryTests.assertClose;
import static org.longnet.tornado.libraries.LibraryTests.floats;
import static org.longnet.tornado.libraries.LibraryTests.poisoned;
import static org.longnet.tornado.libraries.LibraryTests.run;
import static org.longnet.tornado.libraries.LibraryTests.values;

/** cuFFT's transforms through libraryTask on every test device, against the DFT's sum in float64. */
@DeviceTest
class CuFftTest {
    private static final int EVERY = DataTransferMode.EVERY_EXECUTION;

    static List<String> devices() {
        return LibraryTests.devices();
    }

    /** The DFT of interleaved complex {@code x} (n long, starting at {@code at}, stepping {@code step} values), {@code sign} in the exponent. */
    private static double[] dft(double[] x, int at, int step, int n, int sign) {
        double[] out = new double[2 * n];
        for (int f = 0; f < n; f++) {
            for (int t = 0; t < n; t++) {
                double re = x[at + t * step], im = x[at + t * step + 1], angle = sign * 2 * Math.PI * t * f / n;
                out[2 * f] += re * Math.cos(angle) - im * Math.sin(angle);
                out[2 * f + 1] += re * Math.sin(angle) + im * Math.cos(angle);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "C2C forward and inverse (n 16 and 12, batches), Z2Z, 2D, on {0}")
    @MethodSource("devices")
    void complexTransforms(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(41);
        int batch = 3, nx = 4, ny = 6;
        FloatArray x16 = floats(r, 2 * 16 * batch), y16 = poisoned(2 * 16 * batch), x12 = floats(r, 2 * 12 * batch), y12 = poisoned(2 * 12 * batch);
        FloatArray grid = floats(r, 2 * nx * ny), gridOut = poisoned(2 * nx * ny), gridBack = poisoned(2 * nx * ny);
        DoubleArray z = new DoubleArray(2 * 8), zOut = new DoubleArray(2 * 8);
        for (int i = 0; i < z.getSize(); i++) {
            z.set(i, r.nextDouble(-1, 1));
        }
        zOut.init(Double.NaN);
        run(id, new TaskGraph("g").transferToDevice(EVERY, x16, x12, grid, z)
                .libraryTask("f16", CuFft::cufftForwardC2C, x16, y16, 16, batch)
                .libraryTask("i12", CuFft::cufftInverseC2C, x12, y12, 12, batch)
                .libraryTask("z", CuFft::cufftForwardZ2Z, z, zOut, 8, 1)
                .libraryTask("g", CuFft::cufftForward2dC2C, grid, gridOut, nx, ny)
                .libraryTask("gi", CuFft::cufftInverse2dC2C, gridOut, gridBack, nx, ny)
                .transferToHost(EVERY, y16, y12, zOut, gridOut, gridBack), 1);
        assertClose(batched(values(x16), 16, batch, -1), y16, 1e-5);
        assertClose(batched(values(x12), 12, batch, 1), y12, 1e-5);
        assertClose(dft(values(z), 0, 2, 8, -1), zOut, 1e-12);
        double[] g = values(grid), rows = new double[g.length], want = new double[g.length];
        for (int x = 0; x < nx; x++) {
            System.arraycopy(dft(g, 2 * x * ny, 2, ny, -1), 0, rows, 2 * x * ny, 2 * ny);
        }
        for (int y = 0; y < ny; y++) {
            double[] col = dft(rows, 2 * y, 2 * ny, nx, -1);
            for (int x = 0; x < nx; x++) {
                want[2 * (x * ny + y)] = col[2 * x];
                want[2 * (x * ny + y) + 1] = col[2 * x + 1];
            }
        }
        assertClose(want, gridOut, 1e-5);
        for (int i = 0; i < g.length; i++) {
            g[i] *= nx * ny; // unnormalized inverse
        }
        assertClose(g, gridBack, 1e-5);
    }

    @ParameterizedTest(name = "R2C of n 10 (two batches), and C2R back: n times the input, on {0}")
    @MethodSource("devices")
    void realTransforms(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(42);
        int n = 10, batch = 2, half = n / 2 + 1;
        FloatArray x = floats(r, n * batch), spectrum = poisoned(2 * half * batch), back = poisoned(n * batch);
        run(id, new TaskGraph("g").transferToDevice(EVERY, x)
                .libraryTask("r2c", CuFft::cufftForwardR2C, x, spectrum, n, batch)
                .libraryTask("c2r", CuFft::cufftInverseC2R, spectrum, back, n, batch)
                .transferToHost(EVERY, spectrum, back), 1);
        double[] xv = values(x), complex = new double[2 * n * batch], want = new double[2 * half * batch];
        for (int i = 0; i < n * batch; i++) {
            complex[2 * i] = xv[i];
        }
        for (int b = 0; b < batch; b++) {
            System.arraycopy(dft(complex, 2 * n * b, 2, n, -1), 0, want, 2 * half * b, 2 * half);
        }
        assertClose(want, spectrum, 1e-5);
        for (int i = 0; i < xv.length; i++) {
            xv[i] *= n;
        }
        assertClose(xv, back, 1e-5);
    }

    private static double[] batched(double[] x, int n, int batch, int sign) {
        double[] out = new double[x.length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(dft(x, 2 * n * b, 2, n, sign), 0, out, 2 * n * b, 2 * n);
        }
        return out;
    }
}
