package org.longnet.engine.device.cuda;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A kernel's fault, reported by a later call, names the launches before it; other errors are left as the driver says them. */
class LaunchTrailTest {
    @Test
    void keepsTheLastLaunchesNewestFirst() {
        LaunchTrail trail = new LaunchTrail(3);
        for (String k : List.of("a", "b", "c", "d", "e")) {
            trail.add(k);
        }
        assertEquals(List.of("e", "d", "c"), trail.newestFirst());
    }

    @Test
    void faultsNameTheLaunchesAndOtherErrorsNothing() {
        String fault = LaunchTrail.afterFault(715, List.of("TmaKernels.storeBoxes", "TmaKernels.phases"));
        assertTrue(fault.contains("a kernel faulted") && fault.endsWith("newest first: TmaKernels.storeBoxes, TmaKernels.phases"), fault);
        for (int lost : new int[] {700, 710, 716, 719}) {
            assertTrue(LaunchTrail.afterFault(lost, List.of()).contains("every later call on this device fails"), "status " + lost);
        }
        for (int other : new int[] {1, 2, 200, 600, 701, 999}) {
            assertEquals("", LaunchTrail.afterFault(other, List.of("k")), "status " + other);
        }
    }
}
