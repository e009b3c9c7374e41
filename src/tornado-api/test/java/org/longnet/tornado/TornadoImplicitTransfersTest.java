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
 * Arrays that a task uses but no transferToDevice names start on the device as the host has them, on every device:
 * a kernel that reads such an array sees the host's values, and one that writes part of it leaves the rest as it was.
 */
@DeviceTest
class TornadoImplicitTransfersTest {
    private static final int N = 1001;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** Doubles the odd elements of {@code a} in place: only read and written here, transferred only back. */
    static void doubleOdd(IntArray a) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            if (a.get(i) % 2 != 0) {
                a.set(i, 2 * a.get(i));
            }
        }
    }

    /** Writes the elements of {@code out} where {@code in} is positive, and no others. */
    static void positives(FloatArray in, FloatArray out) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            if (in.get(i) > 0) {
                out.set(i, in.get(i));
            }
        }
    }

    @ParameterizedTest(name = "untransferred arrays start as the host's on {0}")
    @MethodSource("devices")
    void untransferredArraysStartAsTheHostHasThem(String id) throws Exception {
        IntArray a = new IntArray(N);
        FloatArray in = new FloatArray(N), out = new FloatArray(N);
        for (int i = 0; i < N; i++) {
            a.set(i, i * 7 % 13);
            in.set(i, i % 3 - 1);
        }
        out.init(-5f);
        TaskGraph graph = new TaskGraph("s").task("odd", TornadoImplicitTransfersTest::doubleOdd, a)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, in).task("pos", TornadoImplicitTransfersTest::positives, in, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, a, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        for (int i = 0; i < N; i++) {
            int v = i * 7 % 13;
            assertEquals(v % 2 != 0 ? 2 * v : v, a.get(i), "a[" + i + "]");
            assertEquals(i % 3 - 1 > 0 ? 1f : -5f, out.get(i), "out[" + i + "]");
        }
    }
}
