package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.tornado.helpers.PlainGeometry;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A kernel calling static methods of a plain class of another package (which call a third class), as TornadoVM's
 * GraphicsTests call slam.utils.GraphicsMath: translated from their source, on every test device, against plain Java.
 */
@DeviceTest
class CrossClassCallsTest {
    private static final int N = 1001;

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void lengths(FloatArray points, FloatArray out, float limit) {
        for (@Parallel int i = 0; i < out.getSize(); i++) {
            out.set(i, PlainGeometry.clampedLength(points, i, limit) - PlainGeometry.length(points, i) / 2);
        }
    }

    @ParameterizedTest(name = "helpers of another class on {0}")
    @MethodSource("devices")
    void matchJava(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        FloatArray points = new FloatArray(3 * N), out = new FloatArray(N), want = new FloatArray(N);
        for (int i = 0; i < 3 * N; i++) {
            points.set(i, (float) r.nextDouble(-4, 4));
        }
        out.init(Float.NaN);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, points)
                .task("t", CrossClassCallsTest::lengths, points, out, 5f).transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        lengths(points, want, 5f);
        for (int i = 0; i < N; i++) {
            assertEquals(want.get(i), out.get(i), 1e-5f * Math.max(1, Math.abs(want.get(i))), "point " + i);
        }
    }
}
