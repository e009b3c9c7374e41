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
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A kernel reading static fields that are not constants (TornadoVM's NBody reads {@code private static float ESP_SQR}): each
 * launch takes the values the fields have then, so a program that changes one between executions sees the change on
 * every device. Random inputs and field values, compared with plain Java.
 */
@DeviceTest
class TornadoStaticFieldsTest {
    private static final int N = 1000, GROUP = 50;
    private static float scale = 1f;
    private static double shift;
    private static int steps = 1;
    private static boolean negate;

    static void apply(KernelContext context, FloatArray x, FloatArray y) {
        int i = context.globalIdx;
        if (i < x.getSize()) {
            float v = x.get(i) * scale * steps + (float) shift;
            y.set(i, negate ? -v : v);
        }
    }

    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "static fields read at each launch on {0}")
    @MethodSource("devices")
    void eachLaunchReadsTheFieldsAsTheyAreThen(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(21);
        FloatArray x = new FloatArray(N), y = new FloatArray(N);
        for (int i = 0; i < N; i++) {
            x.set(i, (float) r.nextDouble(-4, 4));
        }
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                .task("t", TornadoStaticFieldsTest::apply, new KernelContext(), x, y)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y);
        WorkerGrid grid = new WorkerGrid1D(N);
        grid.setLocalWork(GROUP, 1, 1);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(new GridScheduler("s.t", grid));
            for (int e = 0; e < 3; e++) {
                scale = (float) r.nextDouble(-2, 2);
                shift = r.nextDouble(-1, 1);
                steps = r.nextInt(1, 5);
                negate = r.nextBoolean();
                plan.execute();
                for (int i = 0; i < N; i++) {
                    float v = x.get(i) * scale * steps + (float) shift;
                    assertEquals(negate ? -v : v, y.get(i), 1e-5f * (1 + Math.abs(v)), "element " + i + " of execution " + e);
                }
            }
        }
    }
}
