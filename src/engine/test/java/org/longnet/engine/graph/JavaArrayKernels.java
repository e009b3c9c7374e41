package org.longnet.engine.graph;

import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.Parallel;
import org.longnet.engine.api.Reduce;

/** Kernels on Java's own arrays ({@code float[]}, ...), written as TornadoVM's programs write them, for {@link JavaArrayKernelsTest}. */
public final class JavaArrayKernels {
    private JavaArrayKernels() {
    }

    /** A write-only output of every element type, bounded by {@code length}. */
    @Kernel
    public static void widen(byte[] b, short[] s, char[] c, int[] i32, long[] l, float[] f, double[] d, float[] out) {
        for (@Parallel int i = 0; i < out.length; i++) {
            out[i] = f[i] * 2f - (float) d[i] + i32[i] % 1000 + s[i] + c[i] + b[i] + l[i] % 77;
        }
    }

    /** Updates in place: compound assignments, increments and narrowing stores, each reading its own element. */
    @Kernel
    public static void update(int[] a, int[] b, long[] l, short[] s, char[] c, byte[] y, double[] d) {
        for (@Parallel int i = 0; i < a.length; i++) {
            a[i] += b[i] * 3;
            a[i]++;
            l[i] = l[i] * 31 + a[i];
            s[i] = (short) (s[i] + b[i]);
            c[i] = (char) (c[i] * 7 + 1);
            y[i] ^= (byte) b[i];
            d[i] /= 3;
        }
    }

    /** Sums and products into Java arrays: compound and assignment forms, with and without a start value. */
    @Kernel
    public static void reduce(float[] x, int[] k, @Reduce float[] sum, @Reduce int[] odd, @Reduce long[] product, @Reduce double[] half) {
        odd[0] = 0;
        for (@Parallel int i = 0; i < x.length; i++) {
            sum[0] += x[i];
            odd[0] += k[i] & 1;
            product[0] *= k[i] | 1;
            half[0] = half[0] + x[i] * 0.5;
        }
    }

    /** The largest element, from a start value set before the loop. */
    @Kernel
    public static void max(float[] x, @Reduce float[] best) {
        best[0] = Float.NEGATIVE_INFINITY;
        for (@Parallel int i = 0; i < x.length; i++) {
            best[0] = Math.max(best[0], x[i]);
        }
    }

    /** An assert (dropped on devices, checked on the JVM under -ea) and a private array sized by a local never reassigned. */
    @Kernel
    public static void window(float[] x, float[] out) {
        int width = 3;
        assert width > 0 : "width";
        for (@Parallel int i = 0; i < out.length; i++) {
            float[] taps = new float[width];
            for (int t = 0; t < width; t++) {
                taps[t] = x[Math.min(i + t, x.length - 1)];
            }
            out[i] = taps[0] + 2f * taps[1] + taps[2];
        }
    }
}
