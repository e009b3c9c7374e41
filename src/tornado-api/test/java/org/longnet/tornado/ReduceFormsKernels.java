package org.longnet.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.annotations.Reduce;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;

/**
 * Reductions in the shapes of TornadoVM's reduction tests and examples: the {@code @Reduce} element set before the
 * {@code @Parallel} loop (from a constant, from a parameter, at an index kept in a local, over two loops), and an
 * update that adds several terms ({@code r.get(0) + a + b}). Called as plain Java they are the sequential results the
 * devices must give.
 */
final class ReduceFormsKernels {
    private ReduceFormsKernels() {
    }

    static void sumFromZero(FloatArray input, @Reduce FloatArray result) {
        result.set(0, 0f);
        for (@Parallel int i = 0; i < input.getSize(); i++) {
            result.set(0, result.get(0) + input.get(i));
        }
    }

    static void maxFrom(FloatArray input, @Reduce FloatArray result, float neutral) {
        result.set(0, neutral);
        for (@Parallel int i = 0; i < input.getSize(); i++) {
            result.set(0, TornadoMath.max(result.get(0), input.get(i)));
        }
    }

    static void productFromOne(DoubleArray input, @Reduce DoubleArray result) {
        result.set(0, 1.0);
        for (@Parallel int i = 0; i < input.getSize(); i++) {
            result.set(0, result.get(0) * input.get(i));
        }
    }

    /** Counts the positive elements into counts[slot + 1], from 7; the other elements keep what they hold. */
    static void countPositiveFromSeven(IntArray input, @Reduce IntArray counts, int slot) {
        int k = slot + 1;
        counts.set(k, 7);
        for (@Parallel int i = 0; i < input.getSize(); i++) {
            counts.set(k, counts.get(k) + (input.get(i) > 0 ? 1 : 0));
        }
    }

    static void sumOfMatrix(LongArray m, int rows, int cols, @Reduce LongArray total) {
        total.set(0, 0L);
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int c = 0; c < cols; c++) {
                total.set(0, total.get(0) + m.get(r * cols + c));
            }
        }
    }

    /** Integration's shape: the element plus two terms, left to right. */
    static void sumOfTwoTerms(IntArray a, IntArray b, @Reduce IntArray result) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            result.set(0, result.get(0) + a.get(i) + 2 * b.get(i));
        }
    }

    private static long combine(long x, long y) {
        return x + y;
    }

    private static double larger(double x, double y) {
        return Math.max(y, x);
    }

    /** TornadoVM's reductionWithFunctionCall: the update goes through a helper that adds its two parameters. */
    static void sumThroughHelper(LongArray a, @Reduce LongArray result) {
        result.set(0, 5L);
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            result.set(0, combine(a.get(i) * 3, result.get(0)));
        }
    }

    static void maxThroughHelper(DoubleArray a, @Reduce DoubleArray result) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            result.set(0, larger(result.get(0), a.get(i)));
        }
    }

    /** TornadoVM's computeMapWithReduceValue: a @Reduce array the kernel only reads. */
    static void shiftByReduced(DoubleArray values, @Reduce DoubleArray reduced) {
        for (@Parallel int i = 0; i < values.getSize(); i++) {
            values.set(i, reduced.get(0) + i);
        }
    }
}
