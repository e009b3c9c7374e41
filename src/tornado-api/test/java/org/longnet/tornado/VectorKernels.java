package org.longnet.tornado;

import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.collections.VectorDouble4;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat2;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat3;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat4;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat8;
import uk.ac.manchester.tornado.api.types.collections.VectorInt4;
import uk.ac.manchester.tornado.api.types.vectors.Double4;
import uk.ac.manchester.tornado.api.types.vectors.Float2;
import uk.ac.manchester.tornado.api.types.vectors.Float3;
import uk.ac.manchester.tornado.api.types.vectors.Float4;
import uk.ac.manchester.tornado.api.types.vectors.Float8;
import uk.ac.manchester.tornado.api.types.vectors.Int4;

/** Kernels on TornadoVM's vector types and collections, as TornadoVM programs write them; VectorKernelsTest runs them. */
final class VectorKernels {
    private VectorKernels() {
    }

    static void float4Arithmetic(VectorFloat4 a, VectorFloat4 b, VectorFloat4 add, VectorFloat4 sub, VectorFloat4 mult, VectorFloat4 div,
                                 VectorFloat4 min, VectorFloat4 max) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Float4 x = a.get(i);
            Float4 y = b.get(i);
            add.set(i, Float4.add(x, y));
            sub.set(i, Float4.sub(x, y));
            mult.set(i, Float4.mult(x, y));
            div.set(i, Float4.div(x, y));
            min.set(i, Float4.min(x, y));
            max.set(i, Float4.max(x, y));
        }
    }

    static void float4WithScalars(VectorFloat4 a, FloatArray k, VectorFloat4 add, VectorFloat4 mult, VectorFloat4 div, VectorFloat4 clamp) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            add.set(i, Float4.add(a.get(i), k.get(i)));
            mult.set(i, Float4.scale(a.get(i), k.get(i)));
            div.set(i, Float4.div(a.get(i), k.get(i)));
            clamp.set(i, Float4.clamp(a.get(i), -0.5f, 0.5f));
        }
    }

    static void float3Geometry(VectorFloat3 a, VectorFloat3 b, VectorFloat3 cross, VectorFloat3 normal, FloatArray dot, FloatArray length) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Float3 x = a.get(i);
            cross.set(i, Float3.cross(x, b.get(i)));
            normal.set(i, Float3.normalise(x));
            dot.set(i, Float3.dot(x, b.get(i)));
            length.set(i, Float3.length(x));
        }
    }

    static void float8Lanes(VectorFloat8 a, FloatArray sum, FloatArray min, FloatArray max, VectorFloat8 magnitude, VectorFloat8 fract) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Float8 x = a.get(i);
            sum.set(i, Float8.sum(x));
            min.set(i, Float8.min(x));
            max.set(i, Float8.max(x));
            magnitude.set(i, Float8.sqrt(Float8.mult(x, x)));
            fract.set(i, Float8.fract(Float8.mult(x, 10f)));
        }
    }

    /** TornadoMath's lane-wise cos and sin of each width, as TornadoVM's DFT examples use them. */
    static void trigonometry(VectorFloat2 a2, VectorFloat4 a4, VectorFloat8 a8, VectorFloat16 a16, VectorFloat2 c2, VectorFloat4 s4,
                             VectorFloat8 c8, VectorFloat16 s16) {
        for (@Parallel int i = 0; i < a2.getLength(); i++) {
            c2.set(i, TornadoMath.cos(a2.get(i)));
            s4.set(i, TornadoMath.sin(a4.get(i)));
            c8.set(i, TornadoMath.cos(a8.get(i)));
            s16.set(i, TornadoMath.sin(a16.get(i)));
        }
    }

    /** A point turned a quarter to the left, by a helper that takes and returns a vector. */
    private static Float2 quarterTurn(Float2 p) {
        return new Float2(-p.getY(), p.getX());
    }

    /**
     * Locals, lanes by name and by index, setters, fill, duplicate, halves, a helper, and a vector carried through a
     * loop: out[i] = (3 quarter turns of a[i]) + (lanes swapped) + (1, 2) - (a[i].x, a[i].x).
     */
    static void float2Locals(VectorFloat2 a, VectorFloat2 out) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Float2 p = a.get(i);
            Float2 turned = p.duplicate();
            for (int t = 0; t < 3; t++) {
                turned = quarterTurn(turned);
            }
            Float2 swapped = new Float2();
            swapped.setX(p.getY());
            swapped.set(1, p.get(0));
            Float4 wide = new Float4(1f, 2f, 0f, 0f);
            Float2 shift = new Float2();
            shift.fill(p.getX());
            Float2 sum = Float2.add(Float2.add(turned, swapped), wide.getLow());
            out.set(i, Float2.sub(sum, shift));
        }
    }

    static void int4Arithmetic(VectorInt4 a, VectorInt4 b, VectorInt4 add, VectorInt4 mult, VectorInt4 min, IntArray sum) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            add.set(i, Int4.add(a.get(i), b.get(i)));
            mult.set(i, Int4.mult(a.get(i), b.get(i)));
            min.set(i, Int4.min(a.get(i), b.get(i)));
            sum.set(i, Int4.sum(a.get(i)));
        }
    }

    static void double4Geometry(VectorDouble4 a, VectorDouble4 b, VectorDouble4 add, DoubleArray dot, VectorDouble4 normal) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            Double4 x = a.get(i);
            add.set(i, Double4.add(x, b.get(i)));
            dot.set(i, Double4.dot(x, b.get(i)));
            Double4.normalise(x);
            normal.set(i, x);
        }
    }

    static void scalarCollection(VectorFloat a, VectorFloat out) {
        for (@Parallel int i = 0; i < a.getLength(); i++) {
            out.set(i, a.get(i) * 2f + a.size());
        }
    }
}
