package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.HalfFloat;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf16;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf2;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf3;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf4;
import uk.ac.manchester.tornado.api.types.collections.VectorHalf8;
import uk.ac.manchester.tornado.api.types.vectors.Half4;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link HalfVectorKernels} on every test device, each lane bit for bit against plain Java that rounds each operation's float
 * result to fp16 ({@link #h}), written here without TornadoVM's classes. Inputs mix every fp16 range (subnormal, ordinary,
 * near the largest finite value, either sign), so sums overflow and quotients underflow; outputs start as NaN; 1003 vectors
 * is no multiple of a work-group's size.
 */
@DeviceTest
class HalfVectorKernelsTest {
    private static final int N = 1003;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** {@code x} rounded to fp16 (nearest even): what every HalfFloat operation does to its float result. */
    static float h(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }

    /** TornadoVM's dot order: the products' two halves (the first half the larger) summed apart, then added, each sum rounded. */
    static float pairwise(float[] products, int from, int to) {
        if (to - from == 1) {
            return products[from];
        }
        int middle = from + (to - from + 1) / 2;
        return h(pairwise(products, from, middle) + pairwise(products, middle, to));
    }

    static float dot(IntToDoubleFunction x, IntToDoubleFunction y, int lanes) {
        float[] products = new float[lanes];
        for (int l = 0; l < lanes; l++) {
            products[l] = h((float) x.applyAsDouble(l) * (float) y.applyAsDouble(l));
        }
        return pairwise(products, 0, lanes);
    }

    private static float randomHalf(SplittableRandom r) {
        float magnitude = switch (r.nextInt(5)) {
            case 0 -> (float) r.nextDouble(0, 6.1e-5);
            case 1 -> (float) r.nextDouble(1e4, 6.5e4);
            default -> (float) r.nextDouble(0, 40);
        };
        return h(r.nextBoolean() ? magnitude : -magnitude);
    }

    static HalfFloatArray random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        HalfFloatArray out = new HalfFloatArray(size);
        for (int i = 0; i < size; i++) {
            out.set(i, new HalfFloat(randomHalf(r)));
        }
        return out;
    }

    static HalfFloatArray poisoned(int size) {
        HalfFloatArray out = new HalfFloatArray(size);
        out.init(new HalfFloat(Float.NaN));
        return out;
    }

    /** Element j of {@code out} against {@code reference(j)}: the same fp16 bits, or both NaN (a NaN's bits are the device's own). */
    static void check(String what, HalfFloatArray out, IntToDoubleFunction reference) {
        for (int j = 0; j < out.getSize(); j++) {
            float want = (float) reference.applyAsDouble(j), got = out.get(j).getFloat32();
            if (!(Float.isNaN(want) && Float.isNaN(got))) {
                assertEquals(Float.floatToFloat16(want), out.get(j).getHalfFloatValue(), what + " element " + j + ": " + want + ", " + got);
            }
        }
    }

    private static void run(String id, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
    }

    private static TaskGraph graph(Object... inputs) {
        return new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, inputs);
    }

    @ParameterizedTest(name = "Half4 arithmetic and dot on {0}")
    @MethodSource("devices")
    void half4(String id) throws Exception {
        HalfFloatArray a = random(4 * N, 1), b = random(4 * N, 2), s = random(N, 3), dots = poisoned(N);
        List<HalfFloatArray> out = List.of(poisoned(4 * N), poisoned(4 * N), poisoned(4 * N), poisoned(4 * N), poisoned(4 * N));
        List<VectorHalf4> v = out.stream().map(VectorHalf4::new).toList();
        run(id, graph(a, b, s).task("t0", HalfVectorKernels::half4, new VectorHalf4(a), new VectorHalf4(b), new VectorHalf(s), v.get(0), v.get(1),
                v.get(2), v.get(3), v.get(4), new VectorHalf(dots)).transferToHost(DataTransferMode.EVERY_EXECUTION, out.get(0), out.get(1),
                out.get(2), out.get(3), out.get(4), dots));
        check("add", out.get(0), j -> h(x(a, j) + x(b, j)));
        check("sub", out.get(1), j -> h(x(a, j) - x(b, j)));
        check("mult", out.get(2), j -> h(x(a, j) * x(b, j)));
        check("div", out.get(3), j -> h(x(a, j) / x(b, j)));
        check("with one value", out.get(4), j -> {
            float k = x(s, j / 4), m = h(h(h(h(x(a, j) + k) * k) - k) / k);
            if (j % 4 != 2) {
                return m;
            }
            return h(m + x(b, j + 1));
        });
        check("dot", dots, i -> dot(l -> x(a, 4 * i + l), l -> x(b, 4 * i + l), 4));
    }

    @ParameterizedTest(name = "Half3 through a helper, dot and aHalf2 on {0}")
    @MethodSource("devices")
    void half3(String id) throws Exception {
        HalfFloatArray a = random(3 * N, 4), b = random(3 * N, 5), sum = poisoned(3 * N), dots = poisoned(N), two = poisoned(2 * N);
        run(id, graph(a, b).task("t0", HalfVectorKernels::half3, new VectorHalf3(a), new VectorHalf3(b), new VectorHalf3(sum), new VectorHalf(dots),
                new VectorHalf2(two)).transferToHost(DataTransferMode.EVERY_EXECUTION, sum, dots, two));
        check("sum", sum, j -> j % 3 == 1 ? h(x(a, j) * 2f) : h(x(a, j) + x(b, j)));
        check("dot", dots, i -> dot(l -> x(a, 3 * i + l), l -> x(b, 3 * i + l), 3));
        check("aHalf2", two, j -> x(a, j / 2 * 3 + j % 2));
    }

    @ParameterizedTest(name = "Half8 with one value, halves and dot on {0}")
    @MethodSource("devices")
    void half8(String id) throws Exception {
        HalfFloatArray a = random(8 * N, 6), b = random(8 * N, 7), s = random(N, 8);
        HalfFloatArray scaled = poisoned(8 * N), low = poisoned(4 * N), high = poisoned(4 * N), dots = poisoned(N);
        run(id, graph(a, b, s).task("t0", HalfVectorKernels::half8, new VectorHalf8(a), new VectorHalf8(b), new VectorHalf(s), new VectorHalf8(scaled),
                new VectorHalf4(low), new VectorHalf4(high), new VectorHalf(dots)).transferToHost(DataTransferMode.EVERY_EXECUTION, scaled, low, high,
                dots));
        check("scaled", scaled, j -> h(h(x(a, j) / x(s, j / 8)) * x(b, j)));
        check("low", low, j -> x(a, j / 4 * 8 + j % 4));
        check("high", high, j -> x(b, j / 4 * 8 + 4 + j % 4));
        check("dot", dots, i -> dot(l -> x(a, 8 * i + l), l -> x(b, 8 * i + l), 8));
    }

    @ParameterizedTest(name = "Half16 arithmetic, lanes and dot on {0}")
    @MethodSource("devices")
    void half16(String id) throws Exception {
        HalfFloatArray a = random(16 * N, 9), b = random(16 * N, 10), out = poisoned(16 * N), dots = poisoned(N);
        run(id, graph(a, b).task("t0", HalfVectorKernels::half16, new VectorHalf16(a), new VectorHalf16(b), new VectorHalf16(out), new VectorHalf(dots))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out, dots));
        check("lanes", out, j -> j % 16 == 0 ? x(a, j + 7) : h(h(x(a, j) - x(b, j)) + x(a, j / 16 * 16 + 15)));
        check("dot", dots, i -> dot(l -> x(a, 16 * i + l), l -> x(b, 16 * i + l), 16));
    }

    @ParameterizedTest(name = "Half2 pairs of fp16 arrays on {0}")
    @MethodSource("devices")
    void pairs(String id) throws Exception {
        HalfFloatArray a = random(2 * N, 11), b = random(2 * N, 12), c = random(2 * N, 13);
        HalfFloatArray fma = poisoned(2 * N), third = poisoned(2 * N), rounded = poisoned(2 * N);
        FloatArray dots = new FloatArray(N);
        dots.init(Float.NaN);
        run(id, graph(a, b, c).task("t0", HalfVectorKernels::pairs, a, b, c, fma, third, dots, rounded)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, fma, third, dots, rounded));
        check("fma", fma, j -> h(h(x(a, j) * x(b, j)) + x(c, j)));
        check("third", third, j -> h(h(h(x(a, j) * x(b, j)) - x(a, j)) + x(b, j)));
        check("fromFloats", rounded, j -> j % 2 == 0 ? h(x(a, j) / 3f) : h(x(b, j) * 1.001f));
        for (int i = 0; i < N; i++) {
            assertEquals(x(a, 2 * i) * x(b, 2 * i + 1), dots.get(i), "lowFloat times highFloat " + i);
        }
    }

    @ParameterizedTest(name = "a Half2 local array on {0}")
    @MethodSource("devices")
    void localPairs(String id) throws Exception {
        int group = HalfVectorKernels.GROUP, groups = (N + group - 1) / group;
        HalfFloatArray a = random(2 * N, 14), out = poisoned(2 * N);
        WorkerGrid grid = new WorkerGrid1D(groups * group);
        grid.setLocalWork(group, 1, 1);
        TaskGraph graph = graph(a).task("t0", HalfVectorKernels::neighbours, new KernelContext(), a, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("s0.t0", grid)).execute();
        }
        check("neighbour's pair added", out, j -> {
            int item = j / 2, next = item / group * group + (item % group + 1) % group;
            return h((next < N ? x(a, 2 * next + j % 2) : 0f) + x(a, j));
        });
    }

    @ParameterizedTest(name = "Half4 arguments, an own collection and VectorHalf.dot on {0}")
    @MethodSource("devices")
    void arguments(String id) throws Exception {
        HalfFloatArray lanes = random(8, 15), xs = random(N, 16), ys = random(N, 17), out = poisoned(3);
        Half4 a = new Half4(lanes.get(0), lanes.get(1), lanes.get(2), lanes.get(3));
        Half4 b = new Half4(lanes.get(4), lanes.get(5), lanes.get(6), lanes.get(7));
        HalfFloat nan = new HalfFloat(Float.NaN);
        Half4 c = new Half4(nan, nan, nan, nan);
        run(id, graph(a, b, xs, ys).task("t0", HalfVectorKernels::arguments, a, b, c, new VectorHalf(xs), new VectorHalf(ys), new VectorHalf(out))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c, out));
        HalfFloatArray cs = new HalfFloatArray(4);
        for (int l = 0; l < 4; l++) {
            cs.set(l, c.get(l));
        }
        check("c", cs, l -> l < 3 ? h(x(lanes, l) * x(lanes, 4 + l)) : h(h(x(lanes, 0) * x(lanes, 4)) - x(lanes, 7)));
        float sequential = 0f;
        for (int i = 0; i < N; i++) {
            sequential = h(sequential + h(x(xs, i) * x(ys, i)));
        }
        float total = sequential;
        check("out", out, j -> switch (j) {
            case 0 -> dot(l -> h(x(lanes, (int) l) + x(lanes, 4 + (int) l)), l -> x(lanes, (int) l), 4);
            case 1 -> 0f;
            default -> total;
        });
    }

    private static float x(HalfFloatArray array, int index) {
        return array.get(index).getFloat32();
    }
}
