package org.longnet.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Kernels in Java forms TornadoVM's programs use and the translator lowers to C: switch statements (falling through,
 * arrow cases, a char selector, a default in the middle), private arrays with their elements given, a private array
 * variable given another array, overloaded helpers, private arrays whose length is a parameter or has a bound, and a
 * helper that allocates its own work-group local array. Each runs as plain Java too, which the tests compare with.
 */
final class TornadoLanguageKernels {
    private TornadoLanguageKernels() {
    }

    static void switches(IntArray in, IntArray out) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            int v = in.get(i);
            int r = 0;
            switch (v % 7) {
                case 0:
                case 1:
                    r += 10;
                    // falls through
                case 2:
                    r += 100;
                    break;
                default:
                    int twice = v * 2;
                    r = twice;
                    break;
                case -3:
                case 5:
                    r = -1;
            }
            switch ((char) ('a' + (v & 3))) {
                case 'a' -> r += 1000;
                case 'b', 'c' -> {
                    if (v > 0) {
                        break;
                    }
                    r -= 1000;
                }
                default -> r *= 3;
            }
            out.set(i, r);
        }
    }

    static void initializedArrays(FloatArray in, FloatArray out) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            float[] weights = {0.25f, 0.5f, 0.25f};
            int[] offsets = new int[] {-1, 0, i % 2 == 0 ? 1 : 0};
            float sum = 0;
            for (int k = 0; k < weights.length; k++) {
                int j = Math.min(Math.max(i + offsets[k], 0), in.getSize() - 1);
                sum += weights[k] * in.get(j);
            }
            out.set(i, sum);
        }
    }

    static void reassignedArrays(IntArray in, IntArray out) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            int[] first = new int[4];
            int[] second = new int[4];
            for (int k = 0; k < 4; k++) {
                first[k] = in.get(i) + k;
                second[k] = -k;
            }
            if (in.get(i) % 3 == 0) {
                second = first;
            }
            second[1] = 77;
            out.set(i, first[1] * 1000 + second[2] + second.length);
        }
    }

    static int mix(int a) {
        return a * 3;
    }

    static int mix(int a, int b) {
        return a - b;
    }

    static float mix(float a) {
        return a * 0.5f;
    }

    static void overloadedHelpers(IntArray in, FloatArray out) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            out.set(i, mix(in.get(i)) + mix(in.get(i), i) + mix((float) in.get(i)));
        }
    }

    /** Each work-item keeps a window of {@code 2 * width} values of its own, a private array sized by a parameter. */
    static void windows(FloatArray in, FloatArray out, int width) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            float[] window = new float[2 * width];
            for (int k = 0; k < window.length; k++) {
                window[k] += in.get((i + k) % in.getSize()) * (k + 1);
            }
            float sum = 0;
            for (int k = window.length - 1; k >= 0; k--) {
                sum = sum * 0.5f + window[k];
            }
            out.set(i, sum);
        }
    }

    /** The same through a KernelContext, and a private array whose length is bounded ({@code getSize() % 8} is at most 7). */
    static void contextWindows(KernelContext context, FloatArray in, FloatArray out, int width) {
        int i = context.globalIdx;
        float[] window = new float[width];
        int[] counts = new int[in.getSize() % 8];
        if (i < in.getSize()) {
            for (int k = 0; k < width; k++) {
                window[k] = in.get((i + k) % in.getSize());
            }
            for (int k = 0; k < counts.length; k++) {
                counts[k] += k;
            }
            float sum = counts.length;
            for (int k = 0; k < width; k++) {
                sum = sum * 0.5f + window[k] + counts[k % counts.length];
            }
            out.set(i, sum);
        }
    }

    /** The sum of {@code values} over the work-group, through a local array the helper allocates (each call its own), of its length. */
    static float groupSum(KernelContext context, int groupSize, float value) {
        float[] partial = context.allocateFloatLocalArray(groupSize);
        int lid = context.localIdx;
        partial[lid] = value;
        context.localBarrier();
        for (int stride = partial.length / 2; stride > 0; stride /= 2) {
            if (lid < stride) {
                partial[lid] += partial[lid + stride];
            }
            context.localBarrier();
        }
        return partial[0];
    }

    /** Per work-group: the sum of its inputs and the sum of their squares, each through a call of the helper. */
    static void groupSums(KernelContext context, FloatArray in, FloatArray sums, FloatArray squares, int groupSize) {
        int i = context.globalIdx;
        float x = i < in.getSize() ? in.get(i) : 0f;
        int size = groupSize;
        float sum = groupSum(context, size, x);
        float square = groupSum(context, 1 * groupSize, x * x);
        if (context.localIdx == 0) {
            sums.set(context.groupIdx, sum);
            squares.set(context.groupIdx, square);
        }
    }
}
