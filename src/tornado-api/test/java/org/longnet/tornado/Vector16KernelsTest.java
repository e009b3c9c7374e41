package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.LongArray;
import uk.ac.manchester.tornado.api.types.collections.VectorDouble;
import uk.ac.manchester.tornado.api.types.collections.VectorDouble16;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat16;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat2;
import uk.ac.manchester.tornado.api.types.collections.VectorFloat4;
import uk.ac.manchester.tornado.api.types.collections.VectorInt16;
import uk.ac.manchester.tornado.api.types.collections.VectorInt4;
import uk.ac.manchester.tornado.api.types.vectors.Float16;
import uk.ac.manchester.tornado.api.types.vectors.Float4;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.longnet.tornado.VectorKernelsTest.check;
import static org.longnet.tornado.VectorKernelsTest.poisoned;
import static org.longnet.tornado.VectorKernelsTest.random;
import static org.longnet.tornado.VectorKernelsTest.run;

/**
 * Vector16Kernels on every test device, each lane against a float64 (for ints, exact) reference computed here from random
 * inputs, with VectorKernelsTest's helpers; outputs are poisoned first, and 101 vectors is no multiple of a work-group's size.
 */
@DeviceTest
class Vector16KernelsTest {
    private static final int N = 101;

    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "Float16 and Int16 lanes on {0}")
    @MethodSource("devices")
    void lanes16(String id) throws Exception {
        FloatArray a = random(16 * N, 1, -2, 2), b = random(16 * N, 2, -2, 2), sum = poisoned(16 * N), scaled = poisoned(16 * N), dot = poisoned(N);
        IntArray k = new IntArray(16 * N), ints = new IntArray(16 * N);
        SplittableRandom r = new SplittableRandom(3);
        for (int j = 0; j < k.getSize(); j++) {
            k.set(j, r.nextInt(-40, 40));
        }
        ints.init(Integer.MIN_VALUE);
        run(id, new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b, k)
                .task("t0", Vector16Kernels::lanes16, new VectorFloat16(a), new VectorFloat16(b), new VectorInt16(k), new VectorFloat16(sum),
                        new VectorFloat16(scaled), new VectorInt16(ints), new VectorFloat(dot))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sum, scaled, ints, dot));
        check("add", sum, j -> (double) a.get(j) + b.get(j));
        check("sub int, scale", scaled, j -> ((double) a.get(j) - k.get(j)) * 0.5);
        for (int i = 0; i < N; i++) {
            double want = 0, max = Double.NEGATIVE_INFINITY;
            for (int l = 0; l < 16; l++) {
                int j = 16 * i + l;
                want += (double) a.get(j) * b.get(j);
                max = Math.max(max, a.get(j));
                int expected = l < 15 ? Math.max(k.get(j), l) : Math.max(k.get(16 * i), 0) + Math.max(k.get(16 * i + 14), 14);
                assertEquals(expected, ints.get(j), "Int16 lane " + l + " of vector " + i);
            }
            assertEquals(want + max, dot.get(i), 1e-5 * Math.max(1, Math.abs(want + max)), "dot + max of vector " + i);
        }
    }

    @ParameterizedTest(name = "Double16 dot and sqrt on {0}")
    @MethodSource("devices")
    void doubles16(String id) throws Exception {
        DoubleArray a = new DoubleArray(16 * N), dot = new DoubleArray(N);
        SplittableRandom r = new SplittableRandom(4);
        for (int j = 0; j < a.getSize(); j++) {
            a.set(j, r.nextDouble(0, 3));
        }
        dot.init(Double.NaN);
        run(id, new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, a)
                .task("t0", Vector16Kernels::doubles16, new VectorDouble16(a), new VectorDouble(dot))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, dot));
        for (int i = 0; i < N; i++) {
            double want = 0;
            for (int j = 16 * i; j < 16 * i + 16; j++) {
                want += a.get(j) * Math.sqrt(a.get(j));
            }
            assertEquals(want, dot.get(i), 1e-12 * want, "vector " + i);
        }
    }

    @ParameterizedTest(name = "Float4 with Int4, Float2's third-vector forms and clamp on {0}")
    @MethodSource("devices")
    void mixed(String id) throws Exception {
        FloatArray a = random(4 * N, 5, 0.5, 2), product = poisoned(4 * N), quotient = poisoned(4 * N), third = poisoned(2 * N);
        IntArray b = new IntArray(4 * N);
        SplittableRandom r = new SplittableRandom(6);
        for (int j = 0; j < b.getSize(); j++) {
            b.set(j, r.nextInt(-1000, 1000));
        }
        run(id, new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("t0", Vector16Kernels::mixed, new VectorFloat4(a), new VectorInt4(b), new VectorFloat4(product), new VectorFloat4(quotient),
                        new VectorFloat2(third))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, product, quotient, third));
        check("Float4 * Int4", product, j -> (double) a.get(j) * b.get(j));
        check("Int4 / Float4", quotient, j -> b.get(j) / (double) a.get(j));
        check("sub into c, clamp in place", third, j -> Math.clamp((double) a.get(4 * (j / 2) + j % 2) - a.get(4 * (j / 2) + j % 2 + 2), -0.25, 0.25));
    }

    @ParameterizedTest(name = "vectors as a task's arguments on {0}")
    @MethodSource("devices")
    void vectorArguments(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        Float4 a = new Float4((float) r.nextDouble(), (float) r.nextDouble(), (float) r.nextDouble(), (float) r.nextDouble());
        Float4 b = new Float4((float) r.nextDouble(), (float) r.nextDouble(), (float) r.nextDouble(), (float) r.nextDouble());
        Float16 wide = new Float16();
        for (int l = 0; l < 16; l++) {
            wide.set(l, (float) r.nextDouble(-1, 1));
        }
        Float4 c = new Float4(Float.NaN, Float.NaN, Float.NaN, Float.NaN);
        VectorFloat out = new VectorFloat(2);
        run(id, new TaskGraph("s0").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b, wide)
                .task("t0", Vector16Kernels::vectorArguments, a, b, wide, c, out).transferToHost(DataTransferMode.EVERY_EXECUTION, c, out));
        double wideSum = 0;
        for (int l = 0; l < 16; l++) {
            wideSum += wide.get(l);
        }
        for (int l = 0; l < 3; l++) {
            assertEquals((double) a.get(l) + (double) b.get(l) * b.get(l), c.get(l), 1e-6, "lane " + l + " of c");
        }
        assertEquals((double) c.getX() + wideSum, c.getW(), 1e-5, "lane w of c, set after c");
        assertEquals((double) a.getX() * b.getX() + a.getY() * b.getY() + a.getZ() * b.getZ() + a.getW() * b.getW(), out.get(0), 1e-6, "dot");
        assertEquals(wide.getS15(), out.get(1), "lane s15 of the Float16 argument");
    }

    @ParameterizedTest(name = "a kernel's own collections on {0}")
    @MethodSource("devices")
    void ownCollections(String id) throws Exception {
        FloatArray output = poisoned(2 * 37);
        VectorFloat scratch = new VectorFloat(1);
        run(id, new TaskGraph("s0").task("t0", Vector16Kernels::ownCollections, new VectorFloat2(output), scratch)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, output, scratch));
        double x = 0;
        for (int i = 0; i < 37; i++) {
            x += i % 2 == 0 ? i : 0;
            assertEquals(x, output.get(2 * i), "lane x of vector " + i);
            assertEquals(0.0 - x, output.get(2 * i + 1), "lane y of vector " + i);
        }
        assertEquals(2f + 2 * 37, scratch.get(0), "zeros, the lane set, and the lanes of the collection as long as the output");
    }

    @org.junit.jupiter.api.Test
    void tasksOfArraysOfObjectsAreRefusedWithTheReason() {
        Float[] a = {1f, 2f}, out = new Float[2];
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TaskGraph("s0").task("t0", Vector16Kernels::boxed, a, out));
        assertEquals("Vector16Kernels.boxed takes a as java.lang.Float[], an array of objects, which no device holds: it cannot be a task "
                + "(as in TornadoVM); use the array types (FloatArray, float[], ...) or a collection of vectors (VectorFloat2, ...)", e.getMessage());
    }

    @ParameterizedTest(name = "TornadoMath on doubles, PI and clamp of longs on {0}")
    @MethodSource("devices")
    void doubleMath(String id) throws Exception {
        DoubleArray x = new DoubleArray(N), out = new DoubleArray(10 * N);
        LongArray big = new LongArray(N), clamped = new LongArray(N);
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < N; i++) {
            x.set(i, i % 5 == 0 ? (i / 5 % 9 - 4) * 0.5 : r.nextDouble(-6, 6));
            big.set(i, r.nextLong(-9_000_000_000L, 9_000_000_000L));
        }
        out.init(Double.NaN);
        run(id, new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, big)
                .task("t0", Vector16Kernels::doubleMath, x, out, big, clamped).transferToHost(DataTransferMode.EVERY_EXECUTION, out, clamped));
        for (int i = 0; i < N; i++) {
            double v = x.get(i);
            String at = " of " + v;
            assertEquals(Math.sin(Math.PI * v), out.get(10 * i), 1e-12, "sinpi" + at);
            assertEquals(Math.cos(Math.PI * v), out.get(10 * i + 1), 1e-12, "cospi" + at);
            assertEquals(Math.signum(v), out.get(10 * i + 2), "signum" + at);
            assertEquals(Math.log(Math.abs(v) + 1) / Math.log(2), out.get(10 * i + 3), 1e-12, "log2" + at);
            assertEquals(v - Math.floor(v), out.get(10 * i + 4), 1e-15, "fract" + at);
            assertEquals(Math.toRadians(v), out.get(10 * i + 5), "toRadians" + at);
            assertEquals(Math.copySign(Math.log(Math.abs(v) + Math.sqrt(v * v + 1)), v), out.get(10 * i + 6), 1e-12, "asinh" + at);
            double u = Math.abs(v) + 1;
            assertEquals(Math.log(u + Math.sqrt(u * u - 1)), out.get(10 * i + 7), 1e-12, "acosh" + at);
            assertEquals(Math.asin(v / 8) + Math.acos(v / 8), out.get(10 * i + 8), 1e-12, "asin + acos" + at);
            assertEquals(Math.PI * v + (float) Math.PI, out.get(10 * i + 9), 1e-12, "PI, floatPI" + at);
            assertEquals(Math.clamp(big.get(i), -5_000_000_000L, 5_000_000_000L), clamped.get(i), "clamp of " + big.get(i));
        }
    }
}
