package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
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

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * VectorKernels on every test device, each lane against a float64 (or, for ints, exact) reference computed here from
 * the inputs; outputs are poisoned first, and 1003 vectors is no multiple of a work-group's size.
 */
@DeviceTest
class VectorKernelsTest {
    private static final int N = 1003;

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void run(String id, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
    }

    private static TaskGraph graph(Object... inputs) {
        return new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, inputs);
    }

    static FloatArray random(int size, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatArray a = new FloatArray(size);
        for (int i = 0; i < size; i++) {
            a.set(i, (float) r.nextDouble(lo, hi));
        }
        return a;
    }

    static FloatArray poisoned(int size) {
        FloatArray a = new FloatArray(size);
        a.init(Float.NaN);
        return a;
    }

    /** Element j of {@code out} against {@code reference(j)}, within float32 rounding of a few operations. */
    static void check(String what, FloatArray out, IntToDoubleFunction reference) {
        for (int j = 0; j < out.getSize(); j++) {
            double want = reference.applyAsDouble(j);
            assertEquals(want, out.get(j), 4e-6 * Math.max(1, Math.abs(want)), what + " element " + j);
        }
    }

    @ParameterizedTest(name = "Float4 add, sub, mult, div, min, max on {0}")
    @MethodSource("devices")
    void float4Arithmetic(String id) throws Exception {
        FloatArray a = random(4 * N, 1, -1, 1), b = random(4 * N, 2, 0.5, 1.5);
        List<FloatArray> out = List.of(poisoned(4 * N), poisoned(4 * N), poisoned(4 * N), poisoned(4 * N), poisoned(4 * N), poisoned(4 * N));
        List<VectorFloat4> v = out.stream().map(VectorFloat4::new).toList();
        run(id, graph(a, b).task("t0", VectorKernels::float4Arithmetic, new VectorFloat4(a), new VectorFloat4(b), v.get(0), v.get(1), v.get(2),
                v.get(3), v.get(4), v.get(5)).transferToHost(DataTransferMode.EVERY_EXECUTION, out.toArray()));
        check("add", out.get(0), j -> (double) a.get(j) + b.get(j));
        check("sub", out.get(1), j -> (double) a.get(j) - b.get(j));
        check("mult", out.get(2), j -> (double) a.get(j) * b.get(j));
        check("div", out.get(3), j -> (double) a.get(j) / b.get(j));
        check("min", out.get(4), j -> Math.min(a.get(j), b.get(j)));
        check("max", out.get(5), j -> Math.max(a.get(j), b.get(j)));
    }

    @ParameterizedTest(name = "Float4 with a scalar and clamp on {0}")
    @MethodSource("devices")
    void float4WithScalars(String id) throws Exception {
        FloatArray a = random(4 * N, 3, -1, 1), k = random(N, 4, 0.5, 1.5);
        List<FloatArray> out = List.of(poisoned(4 * N), poisoned(4 * N), poisoned(4 * N), poisoned(4 * N));
        run(id, graph(a, k).task("t0", VectorKernels::float4WithScalars, new VectorFloat4(a), k, new VectorFloat4(out.get(0)),
                new VectorFloat4(out.get(1)), new VectorFloat4(out.get(2)), new VectorFloat4(out.get(3)))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out.toArray()));
        check("add", out.get(0), j -> (double) a.get(j) + k.get(j / 4));
        check("scale", out.get(1), j -> (double) a.get(j) * k.get(j / 4));
        check("div", out.get(2), j -> (double) a.get(j) / k.get(j / 4));
        check("clamp", out.get(3), j -> Math.min(Math.max(a.get(j), -0.5), 0.5));
    }

    @ParameterizedTest(name = "Float3 cross, normalise, dot, length on {0}")
    @MethodSource("devices")
    void float3Geometry(String id) throws Exception {
        FloatArray a = random(3 * N, 5, 0.1, 1), b = random(3 * N, 6, -1, 1);
        FloatArray cross = poisoned(3 * N), normal = poisoned(3 * N), dot = poisoned(N), length = poisoned(N);
        run(id, graph(a, b).task("t0", VectorKernels::float3Geometry, new VectorFloat3(a), new VectorFloat3(b), new VectorFloat3(cross),
                new VectorFloat3(normal), dot, length).transferToHost(DataTransferMode.EVERY_EXECUTION, cross, normal, dot, length));
        IntToDoubleFunction len = i -> Math.sqrt(sq(a.get(3 * i)) + sq(a.get(3 * i + 1)) + sq(a.get(3 * i + 2)));
        check("cross", cross, j -> {
            int i = j / 3, l = j % 3, p = 3 * i + (l + 1) % 3, q = 3 * i + (l + 2) % 3;
            return (double) a.get(p) * b.get(q) - (double) a.get(q) * b.get(p);
        });
        check("normalise", normal, j -> a.get(j) / len.applyAsDouble(j / 3));
        check("dot", dot, i -> (double) a.get(3 * i) * b.get(3 * i) + (double) a.get(3 * i + 1) * b.get(3 * i + 1)
                + (double) a.get(3 * i + 2) * b.get(3 * i + 2));
        check("length", length, len);
    }

    private static double sq(double x) {
        return x * x;
    }

    @ParameterizedTest(name = "Float8 sum, min, max of lanes, sqrt, fract on {0}")
    @MethodSource("devices")
    void float8Lanes(String id) throws Exception {
        FloatArray a = random(8 * N, 7, -1, 1);
        FloatArray sum = poisoned(N), min = poisoned(N), max = poisoned(N), magnitude = poisoned(8 * N), fract = poisoned(8 * N);
        run(id, graph(a).task("t0", VectorKernels::float8Lanes, new VectorFloat8(a), sum, min, max, new VectorFloat8(magnitude),
                new VectorFloat8(fract)).transferToHost(DataTransferMode.EVERY_EXECUTION, sum, min, max, magnitude, fract));
        check("sum", sum, i -> lanes(a, i).sum());
        check("min", min, i -> lanes(a, i).min().orElseThrow());
        check("max", max, i -> lanes(a, i).max().orElseThrow());
        check("sqrt", magnitude, j -> Math.abs(a.get(j)));
        for (int j = 0; j < 8 * N; j++) {
            float tenfold = a.get(j) * 10f; // the kernel's product, in float, whose fraction is then exact
            assertEquals(tenfold - Math.floor(tenfold), fract.get(j), 1e-6, "fract element " + j);
        }
    }

    @ParameterizedTest(name = "TornadoMath cos, sin of Float2, Float4, Float8, Float16 on {0}")
    @MethodSource("devices")
    void trigonometry(String id) throws Exception {
        FloatArray a2 = random(2 * N, 21, -7, 7), a4 = random(4 * N, 22, -7, 7), a8 = random(8 * N, 23, -7, 7), a16 = random(16 * N, 24, -7, 7);
        FloatArray c2 = poisoned(2 * N), s4 = poisoned(4 * N), c8 = poisoned(8 * N), s16 = poisoned(16 * N);
        run(id, graph(a2, a4, a8, a16).task("t0", VectorKernels::trigonometry, new VectorFloat2(a2), new VectorFloat4(a4), new VectorFloat8(a8),
                new VectorFloat16(a16), new VectorFloat2(c2), new VectorFloat4(s4), new VectorFloat8(c8), new VectorFloat16(s16))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c2, s4, c8, s16));
        check("cos of Float2", c2, j -> Math.cos(a2.get(j)));
        check("sin of Float4", s4, j -> Math.sin(a4.get(j)));
        check("cos of Float8", c8, j -> Math.cos(a8.get(j)));
        check("sin of Float16", s16, j -> Math.sin(a16.get(j)));
    }

    private static java.util.stream.DoubleStream lanes(FloatArray a, int i) {
        return java.util.stream.IntStream.range(8 * i, 8 * i + 8).mapToDouble(a::get);
    }

    @ParameterizedTest(name = "Float2 locals, lanes, setters, helper on {0}")
    @MethodSource("devices")
    void float2Locals(String id) throws Exception {
        FloatArray a = random(2 * N, 8, -1, 1), out = poisoned(2 * N);
        run(id, graph(a).task("t0", VectorKernels::float2Locals, new VectorFloat2(a), new VectorFloat2(out))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        // three quarter turns of (x, y) are (y, -x); swapped lanes are (y, x); then + (1, 2) - (x, x)
        check("float2", out, j -> {
            double x = a.get(j - j % 2), y = a.get(j - j % 2 + 1);
            return j % 2 == 0 ? y + y + 1 - x : -x + x + 2 - x;
        });
    }

    @ParameterizedTest(name = "Int4 add, mult (wrapping), min, sum on {0}")
    @MethodSource("devices")
    void int4Arithmetic(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        IntArray a = new IntArray(4 * N), b = new IntArray(4 * N);
        for (int j = 0; j < 4 * N; j++) {
            a.set(j, r.nextInt());
            b.set(j, r.nextInt());
        }
        List<IntArray> out = List.of(new IntArray(4 * N), new IntArray(4 * N), new IntArray(4 * N), new IntArray(N));
        out.forEach(o -> o.init(0x7eadbeef));
        run(id, graph(a, b).task("t0", VectorKernels::int4Arithmetic, new VectorInt4(a), new VectorInt4(b), new VectorInt4(out.get(0)),
                new VectorInt4(out.get(1)), new VectorInt4(out.get(2)), out.get(3)).transferToHost(DataTransferMode.EVERY_EXECUTION, out.toArray()));
        for (int j = 0; j < 4 * N; j++) {
            assertEquals(a.get(j) + b.get(j), out.get(0).get(j), "add element " + j);
            assertEquals(a.get(j) * b.get(j), out.get(1).get(j), "mult element " + j);
            assertEquals(Math.min(a.get(j), b.get(j)), out.get(2).get(j), "min element " + j);
        }
        for (int i = 0; i < N; i++) {
            assertEquals(a.get(4 * i) + a.get(4 * i + 1) + a.get(4 * i + 2) + a.get(4 * i + 3), out.get(3).get(i), "sum of vector " + i);
        }
    }

    @ParameterizedTest(name = "Double4 add, dot, normalise in place on {0}")
    @MethodSource("devices")
    void double4Geometry(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(10);
        DoubleArray a = new DoubleArray(4 * N), b = new DoubleArray(4 * N), add = new DoubleArray(4 * N), dot = new DoubleArray(N);
        DoubleArray normal = new DoubleArray(4 * N);
        for (int j = 0; j < 4 * N; j++) {
            a.set(j, r.nextDouble(0.1, 1));
            b.set(j, r.nextDouble(-1, 1));
        }
        List.of(add, dot, normal).forEach(o -> o.init(Double.NaN));
        run(id, graph(a, b).task("t0", VectorKernels::double4Geometry, new VectorDouble4(a), new VectorDouble4(b), new VectorDouble4(add), dot,
                new VectorDouble4(normal)).transferToHost(DataTransferMode.EVERY_EXECUTION, add, dot, normal));
        for (int i = 0; i < N; i++) {
            double d = 0, norm = 0;
            for (int l = 4 * i; l < 4 * i + 4; l++) {
                assertEquals(a.get(l) + b.get(l), add.get(l), 1e-15, "add element " + l);
                d += a.get(l) * b.get(l);
                norm += a.get(l) * a.get(l);
            }
            assertEquals(d, dot.get(i), 1e-14, "dot of vector " + i);
            for (int l = 4 * i; l < 4 * i + 4; l++) {
                assertEquals(a.get(l) / Math.sqrt(norm), normal.get(l), 1e-14, "normalise element " + l);
            }
        }
    }

    @ParameterizedTest(name = "VectorFloat get, set, getLength, size on {0}")
    @MethodSource("devices")
    void scalarCollection(String id) throws Exception {
        FloatArray a = random(N, 11, -1, 1), out = poisoned(N);
        run(id, graph(a).task("t0", VectorKernels::scalarCollection, new VectorFloat(a), new VectorFloat(out))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        check("scaled", out, j -> a.get(j) * 2.0 + N);
    }
}
