package org.longnet.attention;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.graph.TaskGraph;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab switch -Dlongnet.attention.forward: what it accepts, that the core's forward tasks run the kernel it names, and
 * that the two kernels give the same bits (DilatedAttentionTest checks each against float64).
 */
@DeviceTest
class ForwardKernelTest {
    private static final AttentionShape SHAPE = new AttentionShape(1, 150, 3, 64);
    private static final DilatedAttentionConfig CONFIG = DilatedAttentionConfig.of(new int[] {40, 150}, new int[] {1, 3}, true);

    @Test
    void thePropertyNamesTheKernelAndAnythingElseFails() {
        assertEquals(ForwardKernel.PIPELINED, withProperty("pipelined", ForwardKernel::selected));
        assertEquals(ForwardKernel.STANDARD, withProperty("standard", ForwardKernel::selected));
        assertEquals(ForwardKernel.STANDARD, withProperty(null, ForwardKernel::selected));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withProperty("fast", ForwardKernel::selected));
        assertEquals("-Dlongnet.attention.forward=fast names no forward kernel: it must be standard or pipelined", e.getMessage());
    }

    @Test
    void theCoresForwardTasksRunTheSelectedKernel() {
        String pipelined = withProperty("pipelined", () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG)));
        String standard = withProperty(null, () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG)));
        assertTrue(pipelined.contains("MatrixUnitForward.forwardPairMmaPipelined("), pipelined);
        assertFalse(pipelined.contains("MatrixUnitForward.forwardPairMma("), pipelined);
        assertTrue(standard.contains("MatrixUnitForward.forwardPairMma("), standard);
        assertFalse(standard.contains("forwardPairMmaPipelined"), standard);
        String chosen = forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG).withForwardKernel(ForwardKernel.PIPELINED));
        assertTrue(chosen.contains("MatrixUnitForward.forwardPairMmaPipelined("), chosen);
    }

    /**
     * The pipelined forward does the standard one's arithmetic in the same order (it only waits for its products later),
     * so on every device its output has the same bits.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.longnet.attention.DilatedAttentionTest#matrixUnitCases")
    void bothKernelsGiveTheSameBits(DilatedAttentionTest.Case c) {
        SplittableRandom r = new SplittableRandom(95);
        double[] q = DilatedAttentionTest.random(r, c.shape().elements()), k = DilatedAttentionTest.random(r, c.shape().elements());
        double[] v = DilatedAttentionTest.random(r, c.shape().elements());
        double[] standard = DilatedAttentionTest.run(c, ForwardKernel.STANDARD, q, k, v, null, true)[0];
        assertArrayEquals(standard, DilatedAttentionTest.run(c, ForwardKernel.PIPELINED, q, k, v, null, true)[0], c.toString());
    }

    /** The matrix-unit forward's tasks, as the task graph spells them (each with its kernel method). */
    private static String forwardTasks(DilatedAttentionCore core) {
        BFloat16Array x = new BFloat16Array(SHAPE.elements());
        return core.appendForward(new TaskGraph("g"), x, x, x, new FloatArray(SHAPE.elements()), new FloatArray(SHAPE.rows())).toString();
    }

    /** What {@code action} gives with the property set to {@code value} (cleared for null); the old value is put back. */
    private static <T> T withProperty(String value, Supplier<T> action) {
        String old = System.getProperty(ForwardKernel.PROPERTY);
        try {
            if (value == null) {
                System.clearProperty(ForwardKernel.PROPERTY);
            } else {
                System.setProperty(ForwardKernel.PROPERTY, value);
            }
            return action.get();
        } finally {
            if (old == null) {
                System.clearProperty(ForwardKernel.PROPERTY);
            } else {
                System.setProperty(ForwardKernel.PROPERTY, old);
            }
        }
    }
}
