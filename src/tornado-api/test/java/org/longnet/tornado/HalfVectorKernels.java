package org.longnet.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf16;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf2;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf3;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf4;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf8;
import uk.ac.manchester.tornado.api.types.vectors.Half16;
import uk.ac.manchester.tornado.api.types.vectors.Half2;
import uk.ac.manchester.tornado.api.types.vectors.Half3;
import uk.ac.manchester.tornado.api.types.vectors.Half4;
import uk.ac.manchester.tornado.api.types.vectors.Half8;

/**
 * Kernels on TornadoVM's fp16 vectors, one width each with the operations TornadoVM's programs use on it; {@link HalfVectorKernelsTest}
 * checks every lane against plain Java rounding each operation to fp16.
 */
final class HalfVectorKernels {
    static final int GROUP = 64;

    private HalfVectorKernels() {
    }

    /** Half4's lane-wise operations on two vectors and with one value, and its dot product, lane names mixed. */
    static void half4(VectorHalf4 a, VectorHalf4 b, VectorHalf s, VectorHalf4 sum, VectorHalf4 difference, VectorHalf4 product,
            VectorHalf4 quotient, VectorHalf4 scalars, VectorHalf dots) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Half4 x = a.get(i);
            Half4 y = b.get(i);
            HalfFloat k = s.get(i);
            sum.set(i, Half4.add(x, y));
            difference.set(i, Half4.sub(x, y));
            product.set(i, Half4.mult(x, y));
            quotient.set(i, Half4.div(x, y));
            Half4 mixed = Half4.div(Half4.sub(Half4.mult(Half4.add(x, k), k), k), k);
            mixed.setS2(HalfFloat.add(mixed.getZ(), y.getS3()));
            scalars.set(i, mixed);
            dots.set(i, Half4.dot(x, y));
        }
    }

    /** Half3: a sum through a helper that returns a new vector, its dot product, and aHalf2 into a Half2 collection. */
    static void half3(VectorHalf3 a, VectorHalf3 b, VectorHalf3 sum, VectorHalf dots, VectorHalf2 firstTwo) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Half3 x = a.get(i);
            sum.set(i, plusSecond(x, b.get(i)));
            dots.set(i, Half3.dot(x, b.get(i)));
            firstTwo.set(i, x.aHalf2());
        }
    }

    /** {@code x + y} with its lane y replaced by {@code x.y * 2}. */
    static Half3 plusSecond(Half3 x, Half3 y) {
        Half3 out = Half3.add(x, y);
        out.setY(HalfFloat.mult(x.getY(), new HalfFloat(2f)));
        return out;
    }

    /** Half8: products with one value, its halves, and its dot product (a pairwise tree). */
    static void half8(VectorHalf8 a, VectorHalf8 b, VectorHalf s, VectorHalf8 scaled, VectorHalf4 low, VectorHalf4 high, VectorHalf dots) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Half8 x = a.get(i);
            scaled.set(i, Half8.mult(Half8.div(x, s.get(i)), b.get(i)));
            low.set(i, x.getLow());
            high.set(i, b.get(i).getHigh());
            dots.set(i, Half8.dot(x, b.get(i)));
        }
    }

    /** Half16: differences, sums with one value, lanes by index, and its dot product. */
    static void half16(VectorHalf16 a, VectorHalf16 b, VectorHalf16 out, VectorHalf dots) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Half16 x = a.get(i);
            Half16 d = Half16.add(Half16.sub(x, b.get(i)), x.get(15));
            d.setS0(x.getS7());
            out.set(i, d);
            dots.set(i, Half16.dot(x, b.get(i)));
        }
    }

    /** Half2 pairs of fp16 arrays: fma, the forms that write a third vector, lanes as floats, and floats rounded into a pair. */
    static void pairs(HalfFloatArray a, HalfFloatArray b, HalfFloatArray c, HalfFloatArray fma, HalfFloatArray third, FloatArray dots,
            HalfFloatArray rounded) {
        for (@Parallel int i = 0; i < a.getSize() / 2; i++) {
            Half2 x = a.getHalf2(2 * i);
            Half2 y = b.getHalf2(2 * i);
            fma.setHalf2(2 * i, Half2.fma(x, y, c.getHalf2(2 * i)));
            Half2 t = new Half2();
            Half2.mult(x, y, t);
            Half2.sub(t, x, t);
            Half2.add(t, y, t);
            third.setHalf2(2 * i, t);
            dots.set(i, Half2.lowFloat(x) * Half2.highFloat(y));
            rounded.setHalf2(2 * i, Half2.fromFloats(Half2.lowFloat(x) / 3f, Half2.highFloat(y) * 1.001f));
        }
    }

    /**
     * A work-group's pairs staged in a Half2 local array; each work-item then adds its neighbour's pair (the next work-item's,
     * the last wrapping to the first) to its own, so the barrier matters. Work-items past the data stage zeros.
     */
    static void neighbours(KernelContext context, HalfFloatArray a, HalfFloatArray out) {
        Half2[] tile = context.allocateHalf2LocalArray(GROUP);
        int gid = context.globalIdx;
        int lid = context.localIdx;
        int pairs = a.getSize() / 2;
        tile[lid] = gid < pairs ? a.getHalf2(2 * gid) : Half2.fromFloats(0f, 0f);
        context.localBarrier();
        Half2 next = tile[(lid + 1) % GROUP];
        if (gid < pairs) {
            out.setHalf2(2 * gid, Half2.add(next, a.getHalf2(2 * gid)));
        }
    }

    /**
     * Vectors as the task's own arguments (their lanes travel as fp16 words): c is written through set and a lane setter, and a
     * kernel's own collection and VectorHalf.dot fill {@code out}.
     */
    static void arguments(Half4 a, Half4 b, Half4 c, VectorHalf x, VectorHalf y, VectorHalf out) {
        c.set(Half4.mult(a, b));
        c.setW(HalfFloat.sub(c.getX(), b.getW()));
        VectorHalf4 own = new VectorHalf4(x.getLength());
        own.set(1, Half4.add(a, b));
        out.set(0, Half4.dot(own.get(1), a));
        out.set(1, own.get(0).getZ());
        out.set(2, VectorHalf.dot(x, y));
    }
}
