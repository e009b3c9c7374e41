package org.longnet.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.annotations.Reduce;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.CharArray;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;
import uk.ac.manchester.tornado.api.types.arrays.ShortArray;

/**
 * Kernels written as a TornadoVM user writes them: no @Kernel, TornadoVM's types, private where TornadoVM's
 * examples make them private. The translator finds them through the tasks of TornadoApiTest.
 */
final class TornadoKernels {
    private static final int GROUP = 64;

    private TornadoKernels() {
    }

    static void vectorAdd(FloatArray a, FloatArray b, FloatArray c) {
        for (@Parallel int i = 0; i < c.getSize(); i++) {
            c.set(i, a.get(i) + b.get(i));
        }
    }

    /** C = A B for n x n row-major matrices, one work-item per element of C. */
    static void matrixMultiply(FloatArray a, FloatArray b, FloatArray c, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            for (@Parallel int j = 0; j < n; j++) {
                float sum = 0f;
                for (int k = 0; k < n; k++) {
                    sum += a.get(i * n + k) * b.get(k * n + j);
                }
                c.set(i * n + j, sum);
            }
        }
    }

    static void sum(FloatArray input, @Reduce FloatArray result) {
        for (@Parallel int i = 0; i < input.getSize(); i++) {
            result.set(0, result.get(0) + input.get(i));
        }
    }

    static void max(IntArray input, @Reduce IntArray result) {
        for (@Parallel int i = 0; i < input.getSize(); i++) {
            result.set(0, TornadoMath.max(result.get(0), input.get(i)));
        }
    }

    static void sumOfSquares(DoubleArray input, @Reduce DoubleArray result) {
        for (@Parallel int i = 0; i < input.getSize(); i++) {
            double x = input.get(i);
            result.set(0, x * x + result.get(0));
        }
    }

    static void sumLongs(LongArray input, @Reduce LongArray result) {
        for (@Parallel int i = 0; i < input.getSize(); i++) {
            result.set(0, result.get(0) + input.get(i));
        }
    }

    /** Each group's sum through local memory, in the shape of TornadoVM's ReductionsLocalMemory. */
    static void groupSums(KernelContext context, FloatArray input, FloatArray sums) {
        int gid = context.globalIdx;
        int lid = context.localIdx;
        float[] local = context.allocateFloatLocalArray(GROUP);
        local[lid] = gid < input.getSize() ? input.get(gid) : 0f;
        for (int stride = context.localGroupSizeX / 2; stride > 0; stride /= 2) {
            context.localBarrier();
            if (lid < stride) {
                local[lid] += local[lid + stride];
            }
        }
        if (lid == 0) {
            sums.set(context.groupIdx, local[0]);
        }
    }

    /** out = in^T for a rows x cols matrix, on a 2D grid of work-items (x the column). */
    static void transpose(KernelContext context, FloatArray in, FloatArray out, int rows, int cols) {
        int col = context.globalIdx;
        int row = context.globalIdy;
        if (row < rows && col < cols) {
            out.set(col * rows + row, in.get(row * cols + col));
        }
    }

    /**
     * A kernel written for one thread, as TornadoVM programs run a KernelContext task given no grid: a running sum, and
     * the global and local sizes the kernel saw.
     */
    static void runningSumOneThread(KernelContext context, FloatArray in, FloatArray out, IntArray sizes) {
        float sum = 0;
        for (int i = 0; i < in.getSize(); i++) {
            sum += in.get(i);
            out.set(i, sum);
        }
        sizes.set(0, context.globalGroupSizeX);
        sizes.set(1, context.localGroupSizeX);
    }

    /** The other element types, each written from its own element type and Java's math on it. */
    static void mixed(DoubleArray d, LongArray l, ShortArray s, ByteArray b, CharArray c) {
        for (@Parallel int i = 0; i < d.getSize(); i++) {
            d.set(i, Math.sqrt(d.get(i)) + 0.5);
            l.set(i, l.get(i) * 3_000_000_000L);
            s.set(i, (short) (s.get(i) - 1000));
            b.set(i, (byte) (b.get(i) * 3));
            c.set(i, (char) (c.get(i) + 1));
        }
    }
}
