package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.cufft.CuFft;

import java.util.Map;

/** The transforms of {@link CuFft} on the host ({@link Fourier}); parameters input, output and two sizes. */
public final class CuFftLibrary extends HostLibrary {
    private static final int FORWARD = -1, INVERSE = 1;

    public CuFftLibrary() {
        super(CuFft.LIBRARY_NAME, Map.of(
                "cufftForwardC2C", call -> complex(call, FORWARD),
                "cufftInverseC2C", call -> complex(call, INVERSE),
                "cufftForwardZ2Z", call -> complex(call, FORWARD),
                "cufftInverseZ2Z", call -> complex(call, INVERSE),
                "cufftForwardR2C", CuFftLibrary::realToComplex,
                "cufftInverseC2R", CuFftLibrary::complexToReal,
                "cufftForward2dC2C", call -> grid(call, FORWARD),
                "cufftInverse2dC2C", call -> grid(call, INVERSE)));
    }

    private static int positive(Call call, int i, String what) {
        int v = call.integer(i);
        if (v <= 0) {
            throw new IllegalArgumentException(call.name() + ": " + what + " must be > 0, was " + v);
        }
        return v;
    }

    private static void complex(Call call, int sign) {
        int n = positive(call, 2, "n"), batch = positive(call, 3, "batch");
        Elements in = call.elements(0).needs(call.name() + " input", 2L * n * batch), out = call.elements(1).needs(call.name() + " output", 2L * n * batch);
        double[] re = new double[n], im = new double[n];
        for (int b = 0; b < batch; b++) {
            int base = 2 * n * b;
            for (int t = 0; t < n; t++) {
                re[t] = in.get(base + 2 * t);
                im[t] = in.get(base + 2 * t + 1);
            }
            Fourier.transform(re, im, sign);
            for (int f = 0; f < n; f++) {
                out.set(base + 2 * f, re[f]);
                out.set(base + 2 * f + 1, im[f]);
            }
        }
    }

    private static void realToComplex(Call call) {
        int n = positive(call, 2, "n"), batch = positive(call, 3, "batch"), half = n / 2 + 1;
        Elements in = call.elements(0).needs(call.name() + " input", (long) n * batch);
        Elements out = call.elements(1).needs(call.name() + " output", 2L * half * batch);
        for (int b = 0; b < batch; b++) {
            double[] re = new double[n], im = new double[n];
            for (int t = 0; t < n; t++) {
                re[t] = in.get(n * b + t);
            }
            Fourier.transform(re, im, FORWARD);
            for (int f = 0; f < half; f++) {
                out.set(2 * (half * b + f), re[f]);
                out.set(2 * (half * b + f) + 1, im[f]);
            }
        }
    }

    /** The spectrum's other half is the conjugate mirror of the given one; imaginary parts that must be 0 (f = 0, n / 2) are ignored. */
    private static void complexToReal(Call call) {
        int n = positive(call, 2, "n"), batch = positive(call, 3, "batch"), half = n / 2 + 1;
        Elements in = call.elements(0).needs(call.name() + " input", 2L * half * batch);
        Elements out = call.elements(1).needs(call.name() + " output", (long) n * batch);
        for (int b = 0; b < batch; b++) {
            double[] re = new double[n], im = new double[n];
            for (int f = 0; f < half; f++) {
                re[f] = in.get(2 * (half * b + f));
                im[f] = in.get(2 * (half * b + f) + 1);
            }
            im[0] = 0;
            if (n % 2 == 0) {
                im[n / 2] = 0;
            }
            for (int f = half; f < n; f++) {
                re[f] = re[n - f];
                im[f] = -im[n - f];
            }
            Fourier.transform(re, im, INVERSE);
            for (int t = 0; t < n; t++) {
                out.set(n * b + t, re[t]);
            }
        }
    }

    /** An nx x ny grid: every row (ny long) transformed, then every column (nx long). */
    private static void grid(Call call, int sign) {
        int nx = positive(call, 2, "nx"), ny = positive(call, 3, "ny");
        Elements in = call.elements(0).needs(call.name() + " input", 2L * nx * ny), out = call.elements(1).needs(call.name() + " output", 2L * nx * ny);
        double[][] re = new double[nx][ny], im = new double[nx][ny];
        for (int x = 0; x < nx; x++) {
            for (int y = 0; y < ny; y++) {
                re[x][y] = in.get(2 * (x * ny + y));
                im[x][y] = in.get(2 * (x * ny + y) + 1);
            }
            Fourier.transform(re[x], im[x], sign);
        }
        double[] cre = new double[nx], cim = new double[nx];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                cre[x] = re[x][y];
                cim[x] = im[x][y];
            }
            Fourier.transform(cre, cim, sign);
            for (int x = 0; x < nx; x++) {
                out.set(2 * (x * ny + y), cre[x]);
                out.set(2 * (x * ny + y) + 1, cim[x]);
            }
        }
    }
}
