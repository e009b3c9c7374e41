package org.longnet.engine.collective;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.MpiRun;
import org.longnet.engine.TestDevices;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MPI communicator on 1, 2 and 4 ranks of this machine ({@code mpirun --oversubscribe}), on
 * every test device: variable-size all-gathers (fp32 and bf16), reduce-scatter, all-reduce (the
 * same bits on every rank), broadcast, sub-groups and the traffic count ({@link CollectivesCheck}).
 */
@DeviceTest
class CollectivesTest {
    static Stream<Arguments> cases() {
        return TestDevices.ids().stream().flatMap(d -> Stream.of(1, 2, 4).map(p -> Arguments.of(d, p)));
    }

    @ParameterizedTest(name = "collectives on {1} ranks of {0}")
    @MethodSource("cases")
    void everyCollectiveGivesWhatTheInputsImply(String device, int ranks) throws Exception {
        MpiRun.Result r = MpiRun.run(ranks, 180, CollectivesCheck.class, device);
        assertEquals(0, r.exitCode(), r.output());
        for (int rank = 0; rank < ranks; rank++) {
            assertTrue(r.output().contains("rank " + rank + " ok"), "rank " + rank + " did not finish:\n" + r.output());
        }
    }

    @Test
    void aRankThatDiesEndsTheOthers() throws Exception {
        MpiRun.Result r = MpiRun.run(3, 120, DeadPeerCheck.class);
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.millis() < 60_000, "the job took " + r.millis() + " ms to end after a rank died:\n" + r.output());
        assertTrue(r.output().contains("rank 1") && r.output().contains("signal 9"), "mpirun must say which rank died:\n" + r.output());
        assertTrue(!r.output().contains("finished without its peer"), r.output());
    }
}
