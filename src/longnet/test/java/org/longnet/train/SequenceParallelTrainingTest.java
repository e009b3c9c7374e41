package org.longnet.train;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.MpiRun;
import org.longnet.engine.TestDevices;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sequence-parallel training of the LongNet LM against one device: 2 and 4 MPI ranks of this machine
 * train the tiny model (two of its three pairs span chunks at 256 tokens on 4 ranks) on the same
 * batches as a single-device model; every step's loss and gradients, and the weights after the run,
 * agree to 1e-5 ({@link SequenceParallelTrainingCheck} is one rank). Positions: XPOS on two ranks,
 * rotary on four, so both see global positions. A split run resumed from its checkpoint ends with the same bits as
 * one run straight through.
 */
@DeviceTest
class SequenceParallelTrainingTest {
    static Stream<Arguments> cases() {
        return TestDevices.ids().stream().flatMap(d -> Stream.of(Arguments.of(d, 2, "xpos"), Arguments.of(d, 4, "rotary")));
    }

    @ParameterizedTest(name = "training on {1} ranks of {0} ({2} positions) equals one device")
    @MethodSource("cases")
    void splitTrainingEqualsOneDevice(String device, int ranks, String positions) throws Exception {
        MpiRun.Result r = MpiRun.run(ranks, 300, SequenceParallelTrainingCheck.class, device, "256", "1", "3", positions, "1e-5");
        assertEquals(0, r.exitCode(), r.output());
        for (int rank = 0; rank < ranks; rank++) {
            assertTrue(r.output().contains("rank " + rank + " of " + ranks + ":"), "rank " + rank + " did not report:\n" + r.output());
        }
        assertTrue(!r.output().contains("FAILED"), r.output());
    }

    @org.junit.jupiter.api.Test
    void aResumedSplitRunContinuesBitForBit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        MpiRun.Result r = MpiRun.run(2, 300, SequenceParallelResumeCheck.class, "jvm", dir.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("rank 0 of 2: ok") && r.output().contains("rank 1 of 2: ok"), r.output());
    }
}
