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

import static org.longnet.engine.graph.HelperLocalSizes.GROUP;
import static org.longnet.engine.graph.HelperLocalSizes.POWERS;

/**
 * Helpers that allocate work-group local arrays of constant lengths ({@link HelperLocalKernels}), on every test device,
 * against a float64 reference: a helper called from two places gets arrays for each, one called in a loop reuses its
 * call's, and a length read in the helper ({@code partial.length}) is the constant. The last group is partly empty.
 */
@DeviceTest
class HelperLocalArraysTest {
    private static final int N = 1237;

    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "helpers' own constant-size local arrays on {0}")
    @MethodSource("devices")
    void helperLocalArraysAgreeWithFloat64(String id) {
        FloatArray x = Check.random(N, 23, -1, 1);
        int groups = (N + GROUP - 1) / GROUP;
        FloatArray moments = Check.poisoned((long) groups * (POWERS + 2));
        IntArray positives = Check.poisonedInts(groups);
        TestDevices.run(id, new TaskGraph("moments")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("t", HelperLocalKernels::groupMoments, new KernelContext(), x, moments, positives, N)
                .withGrid("t", WorkerGrid.of(N, GROUP))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, moments, positives));
        double[] reference = new double[groups * (POWERS + 2)];
        int[] counts = new int[groups];
        for (int i = 0; i < N; i++) {
            double v = x.get(i);
            int at = i / GROUP * (POWERS + 2);
            for (int k = 0; k < POWERS; k++) {
                reference[at + k] += Math.pow(v, k + 1);
            }
            reference[at + POWERS] += v + (v + 1);
            reference[at + POWERS + 1] += v;
            counts[i / GROUP] += v > 0 ? 1 : 0;
        }
        Check.close(id + ": power sums, shifted sums (a call in a loop) and plain sums (a second call)", reference, moments, 1e-5, 1e-5);
        Check.equal(id + ": positives (int and long local arrays)", counts, positives);
    }
}
