package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DDouble;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A write to one element that every work-item of a 2D nest makes, with the value that the work-item owning the element
 * stores there too (as TornadoVM's TestLoopConditions writes them): accepted, and on every test device the result is
 * the sequential one, whether the condition holds or not.
 */
@DeviceTest
class SameValueWritesTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    static void sums(Matrix2DDouble a, Matrix2DDouble b, Matrix2DDouble out) {
        for (@Parallel int i = 0; i < out.getNumRows(); i++) {
            for (@Parallel int j = 0; j < out.getNumColumns(); j++) {
                if (a.get(0, 0) != b.get(1, 1)) {
                    out.set(0, 0, a.get(0, 0) - b.get(0, 0));
                }
                out.set(i, j, a.get(i, j) - b.get(i, j));
            }
            if (a.get(1, 0) > 0.5) {
                out.set(1, 2, a.get(1, 2) - b.get(1, 2));
            }
        }
    }

    @ParameterizedTest(name = "one value from every work-item on {0}")
    @MethodSource("devices")
    void matchesSequential(String id) throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int rows = 37, cols = 29;
            Matrix2DDouble a = new Matrix2DDouble(rows, cols), b = new Matrix2DDouble(rows, cols), out = new Matrix2DDouble(rows, cols);
            Matrix2DDouble want = new Matrix2DDouble(rows, cols);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    a.set(i, j, r.nextDouble());
                    b.set(i, j, r.nextDouble());
                }
            }
            try (TornadoExecutionPlan plan = new TornadoExecutionPlan(new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                    .task("t", SameValueWritesTest::sums, a, b, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot())) {
                plan.withDevice(TornadoApiTest.device(id)).execute();
            }
            sums(a, b, want);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(want.get(i, j), out.get(i, j), "(" + i + ", " + j + ") with seed " + seed);
                }
            }
        }
    }
}
