package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.longnet.tornado.TornadoApiTest.device;

/** Tasks of one graph on different devices (withDevice("graph.task", device)), for every ordered pair of test devices. */
@DeviceTest
class TornadoTaskDevicesTest {
    /** Every ordered pair of test devices, the same device twice included. */
    static List<String[]> pairs() {
        List<String[]> out = new ArrayList<>();
        for (String a : TestDevices.ids()) {
            for (String b : TestDevices.ids()) {
                out.add(new String[] {a, b});
            }
        }
        return out;
    }

    private static void square(FloatArray a) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            a.set(i, a.get(i) * a.get(i));
        }
    }

    private static void affine(FloatArray in, FloatArray out, float scale) {
        for (@Parallel int i = 0; i < out.getSize(); i++) {
            out.set(i, in.get(i) * scale + i);
        }
    }

    private static FloatArray random(int n, long seed) {
        Random r = new Random(seed);
        FloatArray a = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, r.nextFloat() * 2 - 1);
        }
        return a;
    }

    /** square(a) on the first task's device, then out = a * 3 + i on the second's, then square(out) on the first's again. */
    private static TaskGraph chain(FloatArray a, FloatArray out, int back) {
        return new TaskGraph("graph").transferToDevice(DataTransferMode.EVERY_EXECUTION, a).task("first", TornadoTaskDevicesTest::square, a)
                .task("second", TornadoTaskDevicesTest::affine, a, out, 3f).task("third", TornadoTaskDevicesTest::square, out)
                .transferToHost(back, a, out);
    }

    private static void assertChain(FloatArray input, FloatArray a, FloatArray out) {
        for (int i = 0; i < input.getSize(); i++) {
            float squared = input.get(i) * input.get(i);
            float affine = squared * 3f + i;
            assertEquals(squared, a.get(i), 1e-6f, "a[" + i + "]");
            assertEquals(affine * affine, out.get(i), 1e-5f * affine * affine + 1e-6f, "out[" + i + "]");
        }
    }

    @ParameterizedTest(name = "tasks on {0} and {1} pass their arrays between the devices")
    @MethodSource("pairs")
    void tasksOnTwoDevicesShareTheirArrays(String first, String second) throws Exception {
        FloatArray input = random(5000, 11);
        FloatArray a = new FloatArray(5000), out = new FloatArray(5000);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(chain(a, out, DataTransferMode.EVERY_EXECUTION).snapshot())) {
            plan.withDevice("graph.first", device(first)).withDevice("graph.second", device(second)).withDevice("graph.third", device(first));
            for (int run = 0; run < 2; run++) {
                // each run starts from the input again: a travels to the device every execution
                for (int i = 0; i < 5000; i++) {
                    a.set(i, input.get(i));
                }
                plan.execute();
                assertChain(input, a, out);
            }
            // the devices swapped: the arrays follow the tasks
            plan.withDevice("graph.first", device(second)).withDevice("graph.second", device(first)).withConcurrentDevices();
            for (int i = 0; i < 5000; i++) {
                a.set(i, input.get(i));
            }
            plan.execute();
            assertChain(input, a, out);
        }
    }

    @ParameterizedTest(name = "UNDER_DEMAND copies come back from {1}, where the last task left them")
    @MethodSource("pairs")
    void underDemandCopiesComeFromTheDeviceThatWroteLast(String first, String second) throws Exception {
        FloatArray input = random(3000, 12);
        FloatArray a = new FloatArray(3000), out = new FloatArray(3000);
        for (int i = 0; i < 3000; i++) {
            a.set(i, input.get(i));
        }
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(chain(a, out, DataTransferMode.UNDER_DEMAND).snapshot())) {
            TornadoExecutionResult result = plan.withDevice("graph.first", device(first)).withDevice("graph.second", device(second))
                    .withDevice("graph.third", device(second)).execute();
            result.transferToHost(a, out);
            assertChain(input, a, out);
        }
    }

    @ParameterizedTest(name = "withDevice refuses a task the plan does not have ({0}, {1})")
    @MethodSource("pairs")
    void unknownTaskIsRefused(String first, String second) {
        FloatArray a = new FloatArray(4), out = new FloatArray(4);
        TornadoExecutionPlan plan = new TornadoExecutionPlan(chain(a, out, DataTransferMode.EVERY_EXECUTION).snapshot());
        assertThrows(TornadoRuntimeException.class, () -> plan.withDevice("graph.fourth", device(first)));
        assertThrows(TornadoRuntimeException.class, () -> plan.withDevice("first", device(second)));
    }
}
