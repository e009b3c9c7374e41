package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task2;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lambdas handed to {@code task}, as TornadoVM's programs write them, on every test device: each runs as the kernel that
 * the translator made of it, against the same Java run on the host. Lengths are no multiples of a work-group's, inputs
 * random, outputs poisoned beforehand; the parameter types come from the arguments (variables, {@code var}, literals, an
 * array's length) or from the lambda. A lambda that the task did not receive directly has no kernel and is refused.
 */
@DeviceTest
class TornadoLambdaTasksTest {
    private static final int N = 1037;

    static List<String> devices() {
        return TestDevices.ids();
    }

    private static void execute(String id, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
    }

    @ParameterizedTest(name = "two lambdas in a row, types from the arguments, on {0}")
    @MethodSource("devices")
    void lambdasWithTypesFromArguments(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(21);
        FloatArray a = TornadoApiTest.random(N, 1);
        IntArray b = new IntArray(N);
        for (int i = 0; i < N; i++) {
            b.set(i, r.nextInt(-1000, 1000));
        }
        FloatArray product = new FloatArray(N);
        FloatArray out = new FloatArray(N);
        product.init(Float.NaN);
        out.init(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b)
                .task("mul", (x, y, z) -> {
                    for (@Parallel int i = 0; i < z.getSize(); i++) {
                        z.set(i, x.get(i) * y.get(i));
                    }
                }, a, b, product)
                .task("add", (x, y, z) -> {
                    for (@Parallel int i = 0; i < x.getSize(); i++) {
                        z.set(i, (x.get(i) + 0.5f) / (1 + Math.abs(y.get(i))));
                    }
                }, product, a, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        for (int i = 0; i < N; i++) {
            // two roundings, as the kernels have them (no a * b + c in one expression, which OpenCL C may contract)
            float mul = a.get(i) * b.get(i);
            float want = (mul + 0.5f) / (1 + Math.abs(a.get(i)));
            // OpenCL lets a float division be off by 2.5 ulp unless built with -cl-fp32-correctly-rounded-divide-sqrt
            // (NVIDIA's is); jvm, CUDA and PoCL divide as Java does
            assertEquals(want, out.get(i), 2.5f * Math.ulp(want), "element " + i);
        }
    }

    @ParameterizedTest(name = "scalars, var, a Java array and outputs named first, on {0}")
    @MethodSource("devices")
    void lambdaWithScalarsAndOutputsNamedFirst(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(22);
        var source = new float[N];
        for (int i = 0; i < N; i++) {
            source[i] = (float) r.nextDouble(-10, 10);
        }
        var copy = new FloatArray(N + 5);
        copy.init(Float.NaN);
        TaskGraph graph = new TaskGraph("s").transferToHost(DataTransferMode.EVERY_EXECUTION, copy);
        graph.task("copy", (from, fromOffset, to, toOffset, length) -> {
            for (@Parallel int i = 0; i < length; i++) {
                to.set(toOffset + i, from[fromOffset + i] * 3);
            }
        }, source, 2, copy, 5, source.length - 2);
        execute(id, graph);
        for (int i = 0; i < 5; i++) {
            assertTrue(Float.isNaN(copy.get(i)), "element " + i + " is no copy's");
        }
        for (int i = 0; i < N - 2; i++) {
            assertEquals(Float.floatToIntBits(source[i + 2] * 3), Float.floatToIntBits(copy.get(i + 5)), "element " + (i + 5));
        }
    }

    @ParameterizedTest(name = "a lambda with parameter types, run twice, on {0}")
    @MethodSource("devices")
    void lambdaWithDeclaredTypes(String id) throws Exception {
        FloatArray in = TornadoApiTest.random(N, 3);
        FloatArray out = new FloatArray(N);
        out.init(Float.NaN);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("twice", (FloatArray x, FloatArray y) -> {
                    for (@Parallel int i = 0; i < x.getSize(); i++) {
                        y.set(i, x.get(i) * 2 - 1);
                    }
                }, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
            in.set(N - 1, 100f);
            plan.execute();
        }
        for (int i = 0; i < N; i++) {
            assertEquals(Float.floatToIntBits(in.get(i) * 2 - 1), Float.floatToIntBits(out.get(i)), "element " + i);
        }
    }

    @ParameterizedTest(name = "a lambda not written in the task call is refused, on {0}")
    @MethodSource("devices")
    void lambdaFromAVariableIsRefused(String id) {
        Task2<FloatArray, FloatArray> kept = (x, y) -> y.set(0, x.get(0));
        float k = id.length();
        Task2<FloatArray, FloatArray> capturing = (x, y) -> y.set(0, x.get(0) * k);
        FloatArray a = new FloatArray(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TaskGraph("s").task("t", kept, a, a));
        assertTrue(e.getMessage().startsWith("no kernel was made of the task lambda at lines "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TaskGraph("s").task("t", capturing, a, a));
        assertTrue(e.getMessage().startsWith("a task lambda in org.longnet.tornado.TornadoLambdaTasksTest captures 1 value(s)"), e.getMessage());
    }
}
