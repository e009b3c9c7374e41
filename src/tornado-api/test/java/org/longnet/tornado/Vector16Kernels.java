package org.longnet.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;
import uk.ac.manchester.tornado.api.types.collections.VectorDouble;
import uk.ac.manchester.tornado.api.types.collections.VectorDouble16;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat2;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat4;
import uk.ac.manchester.tornado.api.types.collections.VectorInt16;
import uk.ac.manchester.tornado.api.types.collections.VectorInt4;
import uk.ac.manchester.tornado.api.types.vectors.Double16;
import uk.ac.manchester.tornado.api.types.vectors.Float16;
import uk.ac.manchester.tornado.api.types.vectors.Float2;
import uk.ac.manchester.tornado.api.types.vectors.Float4;
import uk.ac.manchester.tornado.api.types.vectors.Int16;
import uk.ac.manchester.tornado.api.types.vectors.Int4;

/**
 * Kernels on what TornadoVM's vectors added here: 16 lanes, float-with-int operations, the forms that write a third
 * vector, vectors as a task's own arguments, a kernel's own collection, and TornadoMath's double forms.
 * Vector16KernelsTest runs them.
 */
final class Vector16Kernels {
    private Vector16Kernels() {
    }

    static void lanes16(VectorFloat16 a, VectorFloat16 b, VectorInt16 k, VectorFloat16 sum, VectorFloat16 scaled, VectorInt16 ints, VectorFloat dot) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Float16 x = a.get(i);
            sum.set(i, Float16.add(x, b.get(i)));
            scaled.set(i, Float16.mult(Float16.sub(x, k.get(i)), 0.5f));
            Int16 n = Int16.max(k.get(i), new Int16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
            n.setS15(n.getS0() + n.getS14());
            ints.set(i, n);
            dot.set(i, Float16.dot(x, b.get(i)) + Float16.max(x));
        }
    }

    static void doubles16(VectorDouble16 a, VectorDouble dot) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Double16 x = a.get(i);
            dot.set(i, Double16.dot(x, Double16.sqrt(x)));
        }
    }

    static void mixed(VectorFloat4 a, VectorInt4 b, VectorFloat4 product, VectorFloat4 quotient, VectorFloat2 third) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Float4 x = a.get(i);
            Int4 n = b.get(i);
            product.set(i, Float4.mult(x, n));
            quotient.set(i, Float4.div(n, x));
            Float2 low = x.getLow();
            Float2 c = new Float2();
            Float2.sub(low, x.getHigh(), c);
            Float2.clamp(c, -0.25f, 0.25f);
            third.set(i, c);
        }
    }

    /** Vectors as the task's own arguments: a and b read, c written (its lanes go back to the caller's Float4). */
    static void vectorArguments(Float4 a, Float4 b, Float16 wide, Float4 c, VectorFloat out) {
        c.set(Float4.add(a, Float4.mult(b, b)));
        c.setW(c.getX() + Float16.sum(wide));
        out.set(0, Float4.dot(a, b));
        out.set(1, wide.getS15());
    }

    /** A kernel's own collections: one as long as its output, one of a constant length; both start at zero, as in Java. */
    static void ownCollections(VectorFloat2 output, VectorFloat scratch) {
        VectorFloat2 own = new VectorFloat2(output.getLength());
        VectorFloat fixed = new VectorFloat(3);
        for (int i = 0; i < own.getLength(); i += 2) {
            own.set(i, new Float2(i, -i));
        }
        Float2 sum = new Float2(0, 0);
        for (int i = 0; i < own.getLength(); i++) {
            sum = Float2.add(sum, own.get(i));
            output.set(i, sum);
        }
        fixed.set(1, 2f);
        scratch.set(0, fixed.get(0) + fixed.get(1) + fixed.get(2) + own.size());
    }

    /** Boxed floats: no device holds them, so the build refuses this as a task, with the reason, when one is added. */
    static void boxed(Float[] a, Float[] out) {
        for (@Parallel int i = 0; i < a.length; i++) {
            out[i] = a[i] + 1;
        }
    }

    static void doubleMath(DoubleArray x, DoubleArray out, LongArray big, LongArray clamped) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            double v = x.get(i);
            out.set(10 * i, TornadoMath.sinpi(v));
            out.set(10 * i + 1, TornadoMath.cospi(v));
            out.set(10 * i + 2, TornadoMath.signum(v));
            out.set(10 * i + 3, TornadoMath.log2(TornadoMath.abs(v) + 1));
            out.set(10 * i + 4, TornadoMath.fract(v));
            out.set(10 * i + 5, TornadoMath.toRadians(v));
            out.set(10 * i + 6, TornadoMath.asinh(v));
            out.set(10 * i + 7, TornadoMath.acosh(TornadoMath.abs(v) + 1));
            out.set(10 * i + 8, TornadoMath.asin(v / 8) + TornadoMath.acos(v / 8));
            out.set(10 * i + 9, TornadoMath.PI() * v + TornadoMath.floatPI());
            clamped.set(i, TornadoMath.clamp(big.get(i), -5_000_000_000L, 5_000_000_000L));
        }
    }
}
