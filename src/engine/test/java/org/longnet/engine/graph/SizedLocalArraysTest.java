package org.longnet.engine.graph;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Work-group local arrays whose lengths are a kernel's int parameter, sized by each launch, on every test device: two
 * launches of one kernel with groups of different sizes, a size that is no multiple of either.
 */
@DeviceTest
class SizedLocalArraysTest {
    private static final int N = 1237;

    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "groups of 64 and 128 on {0}")
    @MethodSource("devices")
    void eachLaunchSizesItsLocalArrays(String id) {
        FloatArray x = Check.random(N, 9, -1, 1);
        for (int group : new int[] {64, 128}) {
            int groups = (N + group - 1) / group;
            FloatArray sums = Check.poisoned(groups);
            IntArray positives = Check.poisonedInts(groups);
            TestDevices.run(id, new TaskGraph("sums")
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                    .task("t", SizedLocalKernels::groupSums, new KernelContext(), x, sums, positives, group, group / 2, N)
                    .withGrid("t", WorkerGrid.of(N, group))
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, sums, positives));
            double[] sumRef = new double[groups];
            int[] countRef = new int[groups];
            for (int i = 0; i < N; i++) {
                sumRef[i / group] += x.get(i);
                countRef[i / group] += x.get(i) > 0 ? 1 : 0;
            }
            Check.close(id + ", groups of " + group, sumRef, sums, 1e-5, 1e-5);
            Check.equal(id + ", groups of " + group, countRef, positives);
        }
    }

    @ParameterizedTest(name = "a negative length fails the launch on {0}")
    @MethodSource("devices")
    void negativeLengthIsRefused(String id) {
        FloatArray x = new FloatArray(8), sums = new FloatArray(1);
        IntArray positives = new IntArray(1);
        TaskGraph g = new TaskGraph("bad").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, sums, positives)
                .task("t", SizedLocalKernels::groupSums, new KernelContext(), x, sums, positives, 8, -4, 8)
                .withGrid("t", WorkerGrid.of(8, 8));
        Exception e = assertThrows(RuntimeException.class, () -> TestDevices.run(id, g));
        String message = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " " + e.getCause());
        // devices name the argument; the JVM runs the Java, which throws as Java does
        assertTrue(message.contains("argument 6 of SizedLocalKernels.groupSums is -4") || message.contains("NegativeArraySizeException"), message);
    }
}
