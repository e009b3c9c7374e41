package org.longnet.tornado.libraries;

/**
 * The discrete Fourier transform in double, in place: {@code X[f] = sum x[t] e^(sign 2 pi i t f / n)}, unnormalized. A
 * power-of-two length runs as a radix-2 FFT, any other length as the sum itself.
 */
final class Fourier {
    private Fourier() {
    }

    static void transform(double[] re, double[] im, int sign) {
        int n = re.length;
        if (Integer.bitCount(n) == 1) {
            radix2(re, im, sign);
        } else {
            direct(re, im, sign);
        }
    }

    private static void direct(double[] re, double[] im, int sign) {
        int n = re.length;
        double[] outRe = new double[n], outIm = new double[n];
        for (int f = 0; f < n; f++) {
            for (int t = 0; t < n; t++) {
                double angle = sign * 2 * Math.PI * ((long) t * f % n) / n;
                double c = Math.cos(angle), s = Math.sin(angle);
                outRe[f] += re[t] * c - im[t] * s;
                outIm[f] += re[t] * s + im[t] * c;
            }
        }
        System.arraycopy(outRe, 0, re, 0, n);
        System.arraycopy(outIm, 0, im, 0, n);
    }

    private static void radix2(double[] re, double[] im, int sign) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) { // bit-reversed order
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j |= bit;
            if (i < j) {
                swap(re, i, j);
                swap(im, i, j);
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            for (int i = 0; i < n; i += len) {
                for (int p = 0; p < len / 2; p++) {
                    double angle = sign * 2 * Math.PI * p / len;
                    double wr = Math.cos(angle), wi = Math.sin(angle);
                    int u = i + p, v = i + p + len / 2;
                    double tr = re[v] * wr - im[v] * wi, ti = re[v] * wi + im[v] * wr;
                    re[v] = re[u] - tr;
                    im[v] = im[u] - ti;
                    re[u] += tr;
                    im[u] += ti;
                }
            }
        }
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
