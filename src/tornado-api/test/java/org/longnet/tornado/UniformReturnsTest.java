package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A {@code return} first in the body of a 2D nest's inner loop, under a condition that is the same for every work-item
 * (TornadoVM's TestLoopConditions): on every test device the kernel does all of its work or none, as in sequential Java.
 */
@DeviceTest
class UniformReturnsTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    static void copyUnlessFirstGreater(IntArray a, IntArray b, IntArray c, int columns) {
        for (@Parallel int i = 0; i < c.getSize() / columns; i++) {
            for (@Parallel int j = 0; j < columns; j++) {
                if (a.get(0) > b.get(0)) {
                    return;
                }
                c.set(i * columns + j, a.get(i * columns + j) + b.get(i * columns + j));
            }
        }
    }

    @ParameterizedTest(name = "return taken by every work-item or none on {0}")
    @MethodSource("devices")
    void matchesSequential(String id) throws Exception {
        int rows = 33, columns = 17;
        for (int first : new int[] {-5, 5}) {
            IntArray a = new IntArray(rows * columns), b = new IntArray(rows * columns), c = new IntArray(rows * columns);
            IntArray want = new IntArray(rows * columns);
            for (int k = 0; k < a.getSize(); k++) {
                a.set(k, k * 7 % 23);
                b.set(k, k % 5);
            }
            a.set(0, first);
            c.init(-1);
            want.init(-1);
            try (TornadoExecutionPlan plan = new TornadoExecutionPlan(new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b, c)
                    .task("t", UniformReturnsTest::copyUnlessFirstGreater, a, b, c, columns).transferToHost(DataTransferMode.EVERY_EXECUTION, c)
                    .snapshot())) {
                plan.withDevice(TornadoApiTest.device(id)).execute();
            }
            copyUnlessFirstGreater(a, b, want, columns);
            for (int k = 0; k < c.getSize(); k++) {
                assertEquals(want.get(k), c.get(k), "element " + k + " with a[0] = " + first);
            }
        }
    }
}
