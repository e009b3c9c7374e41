package org.longnet.attention;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.MpiRun;
import org.longnet.engine.TestDevices;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LongNet's distributed algorithm against the single device (spec oracle O7): one sequence split over
 * 1, 2 and 4 MPI ranks of this machine, forward and every gradient equal to 1e-5 (fp32), causal and
 * not, on every test device ({@link SequenceParallelCheck} is one rank).
 * <p>
 * The small configuration puts its pairs in every case of the split: with 4 ranks of 16 tokens,
 * (8, 1) lies inside a chunk (w &lt; l), (16, 2) is one chunk (w = l), (32, 4) spans two (l &lt; w &lt; N)
 * and (64, 3) the whole sequence (w = N) with a dilation that does not divide the chunk (r ∤ l, rows
 * gathered in blocks of different sizes). The paper's configuration, scaled down 64 times (segments
 * 32 to 512, dilations 1, 2, 4, 6, 12, twelve heads), makes its two longest pairs global on 4 ranks.
 */
@DeviceTest
class SequenceParallelAttentionTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String device : TestDevices.ids()) {
            for (int ranks : new int[] {1, 2, 4}) {
                for (boolean causal : new boolean[] {true, false}) {
                    out.add(Arguments.of(device, ranks, "every case", "2", "64", "4", "8", "8,16,32,64", "1,2,4,3", causal));
                }
                out.add(Arguments.of(device, ranks, "paper / 64", "1", "512", "12", "8", "32,64,128,256,512", "1,2,4,6,12", true));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{2} on {1} ranks of {0}, causal {9}")
    @MethodSource("cases")
    void splitAcrossRanksEqualsOneDevice(String device, int ranks, String what, String batch, String n, String heads, String dim,
                                         String segments, String rates, boolean causal) throws Exception {
        MpiRun.Result r = MpiRun.run(ranks, 300, SequenceParallelCheck.class, device, batch, n, heads, dim, segments, rates,
                Boolean.toString(causal), "fp32", "1e-5");
        assertEquals(0, r.exitCode(), r.output());
        for (int rank = 0; rank < ranks; rank++) {
            assertTrue(r.output().contains("rank " + rank + " of " + ranks + ":"), "rank " + rank + " did not report:\n" + r.output());
        }
        assertTrue(!r.output().contains("FAILED"), r.output());
    }
}
