package org.longnet.attention;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-place backward ({@link ChunkedBackward}) gives the gradients of the standard plan with the same TMA-fed kernels: dK
 * and dV the same fp32 sums (one addition per pair, in pair order, chunk or not) rounded once to bf16, so bit for bit; dQ
 * added atomically, so within float rounding of the order of its additions.
 */
@DeviceTest
class ChunkedBackwardTest {
    /**
     * Sequences of several chunks: blocks of 96 rows, of 112 (dilation 4, a key tile cut short) and of 672 (dilation 2: six key
     * tiles, the last cut short), a chunk every 1,344 positions; causal or not, and a first pair of dilation 2, whose gradients
     * are zeroed before the pairs add to them (the chunk's and dQ), with rows in no block at all.
     */
    static List<DilatedAttentionTest.Case> cases() {
        List<DilatedAttentionTest.Case> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            for (boolean causal : new boolean[] {true, false}) {
                out.add(new DilatedAttentionTest.Case(d, "two chunks a sequence", new AttentionShape(1, 2688, 2, 64),
                        DilatedAttentionConfig.of(new int[] {96, 448, 1344}, new int[] {1, 4, 2}, causal)));
            }
            out.add(new DilatedAttentionTest.Case(d, "first pair dilated, three chunks of two sequences", new AttentionShape(2, 1344, 3, 64),
                    DilatedAttentionConfig.of(new int[] {112, 448}, new int[] {2, 3}, true)));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void givesTheStandardPlansGradients(DilatedAttentionTest.Case c) {
        double[][] operands = AttentionRuns.randomOperands(98, c.shape().elements());
        double[] q = operands[0], k = operands[1], v = operands[2], g = operands[3];
        double[][] standard = AttentionRuns.runInPlace(c, MatrixUnitSchedule.TMA, q, k, v, g, false);
        double[][] chunked = AttentionRuns.runInPlace(c, MatrixUnitSchedule.TMA, q, k, v, g, false, 4);
        String[] names = {"dQ", "dK", "dV"};
        for (int i = 1; i < 3; i++) {
            assertArrayEquals(bf16(standard[i]), chunked[i], c + " " + names[i]);
        }
        double relative = Check.relativeError("dQ", standard[0], chunked[0]);
        assertTrue(relative < 1e-6, c + " dQ: relative error " + relative);
    }

    /** Chunks hold whole segments of every pair and divide the sequence: the smallest such for at most so many a sequence. */
    @Test
    void chunksHoldWholeSegments() {
        AttentionShape shape = new AttentionShape(1, 2688, 2, 64);
        DilatedAttentionConfig config = DilatedAttentionConfig.of(new int[] {96, 448, 1344}, new int[] {1, 4, 2}, true);
        long row = 2 * 64;
        assertEquals(1344 * row, ChunkedBackward.chunkElements(shape, config, 2));
        assertEquals(1344 * row, ChunkedBackward.chunkElements(shape, config, 8), "no chunk shorter than the longest segment");
        assertEquals(2688 * row, ChunkedBackward.chunkElements(shape, config, 1));
        // the paper's configuration at 4M: chunks of 512K positions for 8 a sequence, of 32K at most for 128
        AttentionShape paper = new AttentionShape(1, 4 << 20, 12, 64);
        assertEquals((512L << 10) * 12 * 64, ChunkedBackward.chunkElements(paper, DilatedAttentionConfig.paper(true), 8));
        assertEquals((32L << 10) * 12 * 64, ChunkedBackward.chunkElements(paper, DilatedAttentionConfig.paper(true), 1000));
        // 96 and 448 make chunks of 1,344: none divides 2,000, so the whole sequence is the chunk
        AttentionShape odd = new AttentionShape(1, 2000, 2, 64);
        assertEquals(2000 * row, ChunkedBackward.chunkElements(odd, DilatedAttentionConfig.of(new int[] {96, 448}, new int[] {1, 4}, true), 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChunkedBackward.chunkElements(shape, config, 0));
        assertEquals("the in-place backward needs at least 1 chunk a sequence, not 0", e.getMessage());
    }

    /** What the plan cannot run is refused with one line before any task is added. */
    @Test
    void refusesWhatItCannotRun() {
        AttentionShape shape = new AttentionShape(1, 2688, 2, 64);
        DilatedAttentionConfig config = DilatedAttentionConfig.of(new int[] {96, 448, 1344}, new int[] {1, 4, 2}, true);
        long padded = DilatedAttentionCore.operandElements(shape, config);
        BFloat16Array x = new BFloat16Array(padded);
        FloatArray out = new FloatArray(shape.elements()), rows = new FloatArray(shape.rows());
        TaskGraph graph = new TaskGraph("g");
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> new DilatedAttentionCore(shape, config)
                .appendBackwardInPlace(graph, x, x, x, out, rows, x, rows, new FloatArray(448 * 128), new FloatArray(448 * 128)));
        assertEquals("the in-place backward's chunk gradients must each hold C*H*D elements (H*D = 128) for a chunk of C positions that "
                + "divides N = 2688 and is a multiple of 1344 (every pair's segment), the same for dK and dV; they hold 57344 and 57344",
                odd.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new DilatedAttentionCore(shape, config)
                .appendBackwardInPlace(graph, x, x, x, out, rows, x, rows, new FloatArray(0), new FloatArray(0)));
        assertTrue(none.getMessage().endsWith("; they hold 0 and 0"), none.getMessage());
        FloatArray chunk = new FloatArray(1344 * 128);
        IllegalArgumentException reproducible = assertThrows(IllegalArgumentException.class, () -> new DilatedAttentionCore(shape, config, "a", true)
                .appendBackwardInPlace(graph, x, x, x, out, rows, x, rows, chunk, chunk));
        assertEquals("the in-place backward adds dQ atomically on one device; this core is bit-reproducible", reproducible.getMessage());
        assertEquals(new TaskGraph("g").toString(), graph.toString(), "no task added");
    }

    /** x rounded to bf16 (nearest even), as the in-place plan stores dK and dV. */
    private static double[] bf16(double[] x) {
        BFloat16Array b = new BFloat16Array(x.length);
        for (int i = 0; i < x.length; i++) {
            b.set(i, (float) x[i]);
        }
        return AttentionRuns.doubles(b, x.length);
    }
}
