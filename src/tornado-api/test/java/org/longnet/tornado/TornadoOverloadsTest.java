package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Overloaded task methods through TornadoVM's API, as its own tests write them: {@code scale} on floats, on ints, and
 * with one parameter less; each task runs the overload its method reference names, on every test device, over a size
 * that is no multiple of a work-group, into outputs poisoned beforehand.
 */
@DeviceTest
class TornadoOverloadsTest {
    private static final int N = 3001;

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void scale(FloatArray x, FloatArray out, float by) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            out.set(i, x.get(i) * by);
        }
    }

    static void scale(IntArray x, IntArray out, int by) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            out.set(i, x.get(i) * by);
        }
    }

    static void scale(FloatArray x, FloatArray out) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            out.set(i, x.get(i) * 0.5f);
        }
    }

    @ParameterizedTest(name = "overloaded tasks on {0}")
    @MethodSource("devices")
    void eachTaskRunsItsOverload(String id) throws Exception {
        FloatArray x = new FloatArray(N), tripled = new FloatArray(N), halved = new FloatArray(N);
        IntArray k = new IntArray(N), negated = new IntArray(N);
        for (int i = 0; i < N; i++) {
            x.set(i, i * 0.25f - 100);
            k.set(i, i * 7 - 5000);
        }
        tripled.init(Float.NaN);
        halved.init(Float.NaN);
        negated.init(0xDEADBEEF);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, k)
                .task("floats", TornadoOverloadsTest::scale, x, tripled, 3f)
                .task("ints", TornadoOverloadsTest::scale, k, negated, -1)
                .task("halves", TornadoOverloadsTest::scale, x, halved)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, tripled, negated, halved);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        for (int i = 0; i < N; i++) {
            assertEquals(x.get(i) * 3f, tripled.get(i), "scale(FloatArray, FloatArray, float) at " + i);
            assertEquals(-k.get(i), negated.get(i), "scale(IntArray, IntArray, int) at " + i);
            assertEquals(x.get(i) * 0.5f, halved.get(i), "scale(FloatArray, FloatArray) at " + i);
        }
    }
}
