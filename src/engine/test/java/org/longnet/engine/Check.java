package org.longnet.engine;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.ByteArray;
import org.longnet.engine.api.CharArray;
import org.longnet.engine.api.DoubleArray;
import org.longnet.engine.api.LongArray;
import org.longnet.engine.api.ShortArray;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.IntArray;

import java.util.function.Function;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Random inputs, poisoned outputs, and comparison against float64 references. */
public final class Check {
    private Check() {
    }

    public static FloatArray random(long n, long seed, float lo, float hi) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatArray a = new FloatArray(n);
        for (long i = 0; i < n; i++) {
            a.set(i, (float) (lo + (hi - lo) * r.nextDouble()));
        }
        return a;
    }

    public static IntArray randomInts(long n, long seed, int lo, int hi) {
        SplittableRandom r = new SplittableRandom(seed);
        IntArray a = new IntArray(n);
        for (long i = 0; i < n; i++) {
            a.set(i, r.nextInt(lo, hi));
        }
        return a;
    }

    /** NaN in every element, so an element the kernel forgot shows up. */
    public static FloatArray poisoned(long n) {
        FloatArray a = new FloatArray(n);
        a.fill(Float.NaN);
        return a;
    }

    public static IntArray poisonedInts(long n) {
        IntArray a = new IntArray(n);
        a.fill(0xDEADBEEF);
        return a;
    }

    /** Every element within {@code atol + rtol * |ref|} of the float64 reference; NaN never passes. */
    public static void close(String what, double[] ref, FloatArray out, double rtol, double atol) {
        assertEquals(ref.length, out.getSize(), what + ": size");
        for (int i = 0; i < ref.length; i++) {
            double got = out.get(i);
            if (!(Math.abs(got - ref[i]) <= atol + rtol * Math.abs(ref[i]))) {
                fail(what + ": element " + i + " is " + got + ", reference " + ref[i]);
            }
        }
    }

    public static void equal(String what, int[] ref, IntArray out) {
        assertEquals(ref.length, out.getSize(), what + ": size");
        for (int i = 0; i < ref.length; i++) {
            if (ref[i] != out.get(i)) {
                fail(what + ": element " + i + " is " + out.get(i) + ", expected " + ref[i]);
            }
        }
    }

    /**
     * ||got - ref|| / ||ref||, after checking that every element of {@code got} is finite: how far a
     * reduced-precision result (bf16 operands) is from the exact one.
     */
    public static double relativeError(String what, double[] ref, double[] got) {
        double err = 0, norm = 0;
        for (int i = 0; i < ref.length; i++) {
            if (!Double.isFinite(got[i])) {
                throw new AssertionError(what + ": element " + i + " is " + got[i]);
            }
            err += (got[i] - ref[i]) * (got[i] - ref[i]);
            norm += ref[i] * ref[i];
        }
        return Math.sqrt(err / norm);
    }

    public static double[] toDoubles(DeviceArray a) {
        double[] d = new double[(int) a.getSize()];
        for (int i = 0; i < d.length; i++) {
            d[i] = switch (a) {
                case FloatArray f -> f.get(i);
                case HalfFloatArray h -> h.get(i);
                case BFloat16Array b -> b.get(i);
                case IntArray x -> x.get(i);
                case DoubleArray x -> x.get(i);
                case LongArray x -> x.get(i);
                case ShortArray x -> x.get(i);
                case ByteArray x -> x.get(i);
                case CharArray x -> x.get(i);
            };
        }
        return d;
    }

    /** Central differences (step 1e-6) of f at x, element by element: the reference for backward kernels. */
    public static double[] centralDifferences(double[] x, Function<double[], Double> f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + 1e-6;
            double up = f.apply(x);
            x[i] = keep - 1e-6;
            double down = f.apply(x);
            x[i] = keep;
            out[i] = (up - down) / 2e-6;
        }
        return out;
    }
}
