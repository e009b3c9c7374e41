package org.longnet.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;

import java.util.Arrays;

/** Kernels over Java arrays of arrays, and Arrays.fill, as TornadoVM's programs write them; each is also plain Java, the reference. */
final class ArraysOfArraysKernels {
    private ArraysOfArraysKernels() {
    }

    /** Rows of any lengths: c[i][j] = a[i][j] * b[i][j] + i. */
    static void multiplyRows(float[][] a, float[][] b, float[][] c) {
        for (@Parallel int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                c[i][j] = a[i][j] * b[i][j] + i;
            }
        }
    }

    /** Each row's sum and length, reading rows of any lengths. */
    static void rowSums(double[][] a, double[] sums, int[] lengths) {
        for (@Parallel int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < a[i].length; j++) {
                s += a[i][j];
            }
            sums[i] = s;
            lengths[i] = a[i].length;
        }
    }

    /** Two @Parallel loops over a rectangular part of the rows: an update in place. */
    static void updateInPlace(int[][] a, int columns, int k) {
        for (@Parallel int i = 0; i < a.length; i++) {
            for (@Parallel int j = 0; j < columns; j++) {
                a[i][j] = a[i][j] * k + i - j;
            }
        }
    }

    /** Arrays.fill of whole rows, and of a range of a row. */
    static void fillRows(int[][] a, int[] values) {
        for (@Parallel int i = 0; i < a.length; i++) {
            Arrays.fill(a[i], values[i]);
            Arrays.fill(a[i], 0, Math.min(2, a[i].length), -values[i]);
        }
    }

    /** Arrays.fill of a one-dimensional parameter, of a range of it, and of a private array, in a kernel without @Parallel. */
    static void fillFlat(float[] x, int from, int to, float v) {
        Arrays.fill(x, 0.5f);
        Arrays.fill(x, from, to, v);
        float[] tmp = new float[4];
        Arrays.fill(tmp, 2f);
        x[0] = tmp[0] + tmp[3];
    }

    /** long[][], char[][] and byte[][] rows: out[i][j] = in[i][j] + c[i][j] + b[i][j]. */
    static void addMixed(long[][] in, char[][] c, byte[][] b, long[][] out) {
        for (@Parallel int i = 0; i < in.length; i++) {
            for (int j = 0; j < in[i].length; j++) {
                out[i][j] = in[i][j] + c[i][j] + b[i][j];
            }
        }
    }
}
