package org.longnet.attention;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.Devices;
import org.longnet.engine.graph.TaskGraph;

import java.lang.reflect.Proxy;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The switches -Dlongnet.attention.forward and -Dlongnet.attention.backward: what they accept, that the core's tasks
 * run the kernels they name, and that the standard, pipelined and TMA-fed kernels give the same bits (DilatedAttentionTest
 * checks each against float64 and the fp32 backward); and -Dlongnet.attention.split ({@link KeyTileSplit}): which pairs it
 * splits, and that the split backward gives the whole tiles' sums.
 */
@DeviceTest
class MatrixUnitScheduleTest {
    private static final AttentionShape SHAPE = new AttentionShape(1, 150, 3, 64);
    /** The second pair's dilation does not divide N: its tensor maps' last row reaches two positions past the sequence. */
    private static final DilatedAttentionConfig CONFIG = DilatedAttentionConfig.of(new int[] {40, 150}, new int[] {1, 4}, true);
    private static final String FORWARD = MatrixUnitSchedule.FORWARD, BACKWARD = MatrixUnitSchedule.BACKWARD;

    @Test
    void thePropertiesNameTheKernelsAndAnythingElseFails() {
        for (String property : new String[] {FORWARD, BACKWARD}) {
            assertEquals(MatrixUnitSchedule.PIPELINED, withProperty(property, "pipelined", () -> MatrixUnitSchedule.selected(property)));
            assertEquals(MatrixUnitSchedule.STANDARD, withProperty(property, "standard", () -> MatrixUnitSchedule.selected(property)));
            assertEquals(MatrixUnitSchedule.STANDARD, withProperty(property, null, () -> MatrixUnitSchedule.selected(property)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withProperty(FORWARD, "fast", () -> MatrixUnitSchedule.selected(FORWARD)));
        assertEquals("-Dlongnet.attention.forward=fast names no forward kernel: it must be standard, pipelined, tma or tma_wide",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> withProperty(BACKWARD, "Pipelined", () -> MatrixUnitSchedule.selected(BACKWARD)));
        assertEquals("-Dlongnet.attention.backward=Pipelined names no backward kernel: it must be standard, pipelined or tma", e.getMessage());
        assertEquals(MatrixUnitSchedule.TMA, withProperty(FORWARD, "tma", () -> MatrixUnitSchedule.selected(FORWARD)));
        assertEquals(MatrixUnitSchedule.TMA_WIDE, withProperty(FORWARD, "tma_wide", () -> MatrixUnitSchedule.selected(FORWARD)));
        assertEquals(MatrixUnitSchedule.TMA, withProperty(BACKWARD, "tma", () -> MatrixUnitSchedule.selected(BACKWARD)));
        e = assertThrows(IllegalArgumentException.class,
                () -> withProperty(BACKWARD, "tma_wide", () -> MatrixUnitSchedule.selected(BACKWARD)));
        assertEquals("-Dlongnet.attention.backward=tma_wide names no backward kernel: it must be standard, pipelined or tma",
                e.getMessage());
    }

    @Test
    void theCoresForwardTasksRunTheSelectedKernel() {
        String pipelined = withProperty(FORWARD, "pipelined", () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG)));
        String standard = withProperty(FORWARD, null, () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG)));
        assertTrue(pipelined.contains("MatrixUnitForward.forwardPairMmaPipelined("), pipelined);
        assertFalse(pipelined.contains("MatrixUnitForward.forwardPairMma("), pipelined);
        assertTrue(standard.contains("MatrixUnitForward.forwardPairMma("), standard);
        assertFalse(standard.contains("forwardPairMmaPipelined"), standard);
        MatrixUnitSchedule pipe = MatrixUnitSchedule.PIPELINED, plain = MatrixUnitSchedule.STANDARD;
        String chosen = forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG).withSchedules(pipe, plain));
        assertTrue(chosen.contains("MatrixUnitForward.forwardPairMmaPipelined("), chosen);
        // tma: (40, 1) through tensor maps; (150, 4) too where the arrays hold the maps' slack, which the core then zeroes first,
        // else on the standard kernel
        String tma = withProperty(FORWARD, "tma", () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG)));
        assertTrue(tma.contains("name=attnPair0, kernel=KernelInfo[owner=class org.longnet.attention.TmaForward,"), tma);
        assertTrue(tma.contains("name=attnPair1, kernel=KernelInfo[owner=class org.longnet.attention.MatrixUnitForward, method=public static "
                + "void org.longnet.attention.MatrixUnitForward.forwardPairMma("), tma);
        assertFalse(tma.contains("name=attnSlack"), tma);
        long padded = DilatedAttentionCore.operandElements(SHAPE, CONFIG);
        assertEquals(SHAPE.elements() + 2 * 3 * 64, padded);
        String slack = withProperty(FORWARD, "tma", () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG), padded));
        assertTrue(slack.contains("name=attnPair1, kernel=KernelInfo[owner=class org.longnet.attention.TmaForward,"), slack);
        for (String x : new String[] {"Q", "K", "V"}) {
            assertTrue(slack.contains("name=attnSlack" + x + ", kernel=KernelInfo[owner=class org.longnet.attention.DilatedAttentionKernels, "
                    + "method=public static void org.longnet.attention.DilatedAttentionKernels.zeroTail("), slack);
        }
        String standardPadded = withProperty(FORWARD, "standard", () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG), padded));
        assertFalse(standardPadded.contains("name=attnSlack"), standardPadded);
        assertTrue(standardPadded.contains("name=attnPair1, kernel=KernelInfo[owner=class org.longnet.attention.MatrixUnitForward,"),
                standardPadded);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG), SHAPE.elements() + 1));
        assertEquals("attention bf16 operands must hold B*N*H*D = 28800 or, with the tensor maps' slack, 29184 elements for "
                + SHAPE + ", one holds 28801", e.getMessage());
        String wide = withProperty(FORWARD, "tma_wide", () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG)));
        assertTrue(wide.contains("TmaWideForward.forwardPairTmaWide("), wide);
    }

    /**
     * Given its device, a core runs the TMA-fed forward (of wide tiles) and backward on Hopper and the standard ones elsewhere
     * (the JVM), unless the properties name others.
     */
    @Test
    void theDeviceChoosesTheForwardUnlessThePropertyDoes() {
        Device hopper = (Device) Proxy.newProxyInstance(Device.class.getClassLoader(), new Class<?>[] {Device.class}, (proxy, method, args) -> {
            if (method.getName().equals("hopperPipelines")) {
                return true;
            }
            if (method.getName().equals("info")) {
                return new DeviceInfo("cuda:0", "cuda", "a Hopper", "", 1L << 36, 1L << 36, 132, 1024, 232_448, true);
            }
            throw new UnsupportedOperationException(method.getName());
        });
        String onHopper = withProperty(FORWARD, null, () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG).forDevice(hopper)));
        assertTrue(onHopper.contains("name=attnPair0, kernel=KernelInfo[owner=class org.longnet.attention.TmaWideForward,"), onHopper);
        assertEquals("forward tma_wide, backward tma", withProperty(FORWARD, null, () -> DilatedAttentionCore.kernelsOn(hopper, false)));
        assertEquals("forward standard, backward tma", withProperty(FORWARD, "standard", () -> DilatedAttentionCore.kernelsOn(hopper, false)));
        String named = withProperty(FORWARD, "standard", () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG).forDevice(hopper)));
        assertFalse(named.contains("TmaForward") || named.contains("TmaWideForward"), named);
        String onJvm = withProperty(FORWARD, null, () -> forwardTasks(new DilatedAttentionCore(SHAPE, CONFIG).forDevice(Devices.jvm())));
        assertFalse(onJvm.contains("TmaForward") || onJvm.contains("TmaWideForward"), onJvm);
        assertEquals("forward standard, backward standard", withProperty(FORWARD, null, () -> DilatedAttentionCore.kernelsOn(Devices.jvm(), false)));
        // the backward likewise: the TMA-fed kernel on Hopper for the pair through tensor maps, unless the property names one
        DilatedAttentionCore hopperCore = new DilatedAttentionCore(SHAPE, CONFIG, "attn", false);
        String backward = withProperty(BACKWARD, null, () -> backwardTasks(hopperCore.forDevice(hopper)));
        assertTrue(backward.contains("name=attnGrad0, kernel=KernelInfo[owner=class org.longnet.attention.TmaBackward,"), backward);
        DilatedAttentionCore namedCore = new DilatedAttentionCore(SHAPE, CONFIG, "attn", false);
        String namedBackward = withProperty(BACKWARD, "pipelined", () -> backwardTasks(namedCore.forDevice(hopper)));
        assertFalse(namedBackward.contains("TmaBackward"), namedBackward);
        assertTrue(namedBackward.contains("MatrixUnitBackward.backwardPairMmaPipelined("), namedBackward);
        DilatedAttentionCore jvmCore = new DilatedAttentionCore(SHAPE, CONFIG, "attn", false);
        String onJvmBackward = withProperty(BACKWARD, null, () -> backwardTasks(jvmCore.forDevice(Devices.jvm())));
        assertFalse(onJvmBackward.contains("TmaBackward"), onJvmBackward);
        assertEquals("forward tma_wide, backward standard", withProperty(BACKWARD, null, () -> DilatedAttentionCore.kernelsOn(hopper, true)));
        assertEquals("forward tma_wide, backward pipelined", withProperty(BACKWARD, "pipelined", () -> DilatedAttentionCore.kernelsOn(hopper, false)));
    }

    /** The backward property picks the kernels of both plans (dQ added atomically, and dQ in its own kernel), and only those. */
    @Test
    void theCoresBackwardTasksRunTheSelectedKernels() {
        for (boolean deterministic : new boolean[] {false, true}) {
            String pipelined = withProperty(BACKWARD, "pipelined", () -> backwardTasks(deterministic, null));
            String standard = withProperty(BACKWARD, null, () -> backwardTasks(deterministic, null));
            String[] kernels = deterministic ? new String[] {"backwardQueryMma", "backwardKeyValueMma"} : new String[] {"backwardPairMma"};
            for (String kernel : kernels) {
                assertTrue(pipelined.contains("MatrixUnitBackward." + kernel + "Pipelined("), pipelined);
                assertFalse(pipelined.contains("MatrixUnitBackward." + kernel + "("), pipelined);
                assertTrue(standard.contains("MatrixUnitBackward." + kernel + "("), standard);
                assertFalse(standard.contains(kernel + "Pipelined"), standard);
            }
            // tma: (40, 1) through tensor maps, (150, 4) only where the arrays hold the maps' slack; the deterministic plan has no
            // TMA kernel
            String tma = withProperty(BACKWARD, "tma", () -> backwardTasks(deterministic, null));
            assertEquals(!deterministic, tma.contains("name=attnGrad0, kernel=KernelInfo[owner=class org.longnet.attention.TmaBackward,"), tma);
            assertTrue(tma.contains("name=attnGrad1, kernel=KernelInfo[owner=class org.longnet.attention.MatrixUnitBackward,")
                    || tma.contains("name=attnGradKV1, kernel=KernelInfo[owner=class org.longnet.attention.MatrixUnitBackward,"), tma);
            long padded = DilatedAttentionCore.operandElements(SHAPE, CONFIG);
            String slack = withProperty(BACKWARD, "tma", () -> backwardTasks(new DilatedAttentionCore(SHAPE, CONFIG, "attn", deterministic), padded));
            assertEquals(!deterministic, slack.contains("name=attnGrad1, kernel=KernelInfo[owner=class org.longnet.attention.TmaBackward,"), slack);
            assertEquals(!deterministic, slack.contains("name=attnSlackGradOut, kernel=KernelInfo"), slack);
            assertTrue(tma.contains("MatrixUnitBackward." + kernels[0] + "("), tma);
            String chosen = backwardTasks(deterministic, MatrixUnitSchedule.PIPELINED);
            assertTrue(chosen.contains("MatrixUnitBackward." + kernels[0] + "Pipelined("), chosen);
            assertTrue(chosen.contains("MatrixUnitForward.forwardPairMma("), chosen);
        }
    }

    /**
     * The pipelined forward does the standard one's arithmetic in the same order (it only waits for its products later),
     * and so does {@code tma} (its tiles arrive otherwise, in another layout, and the rows past a block that a box brings
     * are masked as the standard kernel's zeros are), so on every device their outputs have the same bits; {@code tma_wide}
     * steps its softmax over other tiles, so it agrees to the rounding of its probabilities.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.longnet.attention.DilatedAttentionTest#matrixUnitCases")
    void bothForwardsGiveTheSameBits(DilatedAttentionTest.Case c) {
        SplittableRandom r = new SplittableRandom(95);
        double[] q = AttentionRuns.random(r, c.shape().elements()), k = AttentionRuns.random(r, c.shape().elements());
        double[] v = AttentionRuns.random(r, c.shape().elements());
        double[] standard = AttentionRuns.run(c, MatrixUnitSchedule.STANDARD, q, k, v, null, true)[0];
        assertArrayEquals(standard, AttentionRuns.run(c, MatrixUnitSchedule.PIPELINED, q, k, v, null, true)[0], c + ", pipelined");
        assertArrayEquals(standard, AttentionRuns.run(c, MatrixUnitSchedule.TMA, q, k, v, null, true)[0], c + ", tma");
        // The wide tiles' running max differs where it grows within a tile (or by less than the slack), and so may a
        // probability's rounding to bf16 (a relative 2^-9), but nothing else: a masking or merging error would be of the
        // outputs' own size.
        double relative = Check.relativeError(c + ", tma_wide", standard, AttentionRuns.run(c, MatrixUnitSchedule.TMA_WIDE, q, k, v, null, true)[0]);
        assertTrue(relative < 2e-3, c + ", tma_wide: relative error " + relative + " against the standard forward");
    }

    /**
     * The pipelined and TMA-fed backward kernels do the standard ones' arithmetic in the same order (the TMA-fed kernel has no
     * plan of its own for deterministic dQ: that plan runs the standard kernels), so: dQ, dK and dV of the
     * bit-reproducible plan have the same bits, and so do dK and dV where dQ is added atomically (each element of dK and
     * dV gets one addition per pair, in pair order). That plan's dQ is summed in an order the device picks, so it is
     * compared within float rounding of the reordering.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.longnet.attention.DilatedAttentionTest#matrixUnitCases")
    void bothBackwardsGiveTheSameBits(DilatedAttentionTest.Case c) {
        double[][] operands = AttentionRuns.randomOperands(96, c.shape().elements());
        double[] q = operands[0], k = operands[1], v = operands[2], g = operands[3];
        String[] names = {"dQ", "dK", "dV"};
        for (boolean deterministic : new boolean[] {true, false}) {
            double[][] standard = AttentionRuns.runInPlace(c, MatrixUnitSchedule.STANDARD, q, k, v, g, deterministic);
            for (MatrixUnitSchedule other : new MatrixUnitSchedule[] {MatrixUnitSchedule.PIPELINED, MatrixUnitSchedule.TMA}) {
                if (deterministic && other.deterministicBackward() != other) {
                    continue; // its bit-reproducible plan runs the standard kernels: nothing of its own to compare
                }
                double[][] got = AttentionRuns.runInPlace(c, other, q, k, v, g, deterministic);
                String what = c + ", " + other + (deterministic ? " (deterministic)" : "") + " ";
                for (int i = deterministic ? 0 : 1; i < 3; i++) {
                    assertArrayEquals(standard[i], got[i], what + names[i]);
                }
                if (!deterministic) {
                    double relative = Check.relativeError("dQ", standard[0], got[0]);
                    assertTrue(relative < 1e-6, what + "dQ: relative error " + relative);
                }
            }
        }
    }

    /**
     * The TMA-fed backward with its heaviest key tiles split ({@link KeyTileSplit}, {@code always}): each split tile's two
     * groups add their halves of dK and dV, so the sums are tma's up to their order; the first pair, which writes dK and dV,
     * stays whole. A half that took every window, or none, would be off by that tile's whole share.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.longnet.attention.DilatedAttentionTest#matrixUnitCases")
    void splitKeyTilesGiveTheSameSums(DilatedAttentionTest.Case c) {
        double[][] operands = AttentionRuns.randomOperands(97, c.shape().elements());
        double[] q = operands[0], k = operands[1], v = operands[2], g = operands[3];
        double[][] whole = AttentionRuns.runInPlace(c, MatrixUnitSchedule.TMA, q, k, v, g, false);
        double[][] split = withProperty(KeyTileSplit.PROPERTY, "always", () -> AttentionRuns.runInPlace(c, MatrixUnitSchedule.TMA, q, k, v, g, false));
        String[] names = {"dQ", "dK", "dV"};
        for (int i = 0; i < 3; i++) {
            double relative = Check.relativeError(names[i], whole[i], split[i]);
            assertTrue(relative < 1e-6, c + ", split " + names[i] + ": relative error " + relative);
        }
    }

    /** A split block's slots give each whole tile once and each split tile's two halves once, the heaviest first. */
    @Test
    void aSplitBlocksSlotsCoverEveryTileOnce() {
        for (int tiles = 1; tiles <= 23; tiles++) {
            for (int split = 0; split <= tiles; split++) {
                int[] parts = new int[tiles]; // bit p set: part p seen
                for (int slot = 0; slot < tiles + split; slot++) {
                    int tile = AttentionBlocks.splitTileOf(slot, split, tiles), part = AttentionBlocks.splitPartOf(slot, split, tiles);
                    String at = tiles + " tiles, " + split + " split, slot " + slot;
                    assertTrue(tile >= 0 && tile < tiles && (part == 0) == (tile >= split), at + ": tile " + tile + " part " + part);
                    assertEquals(0, parts[tile] & 1 << part, at + ": tile " + tile + " part " + part + " twice");
                    parts[tile] |= 1 << part;
                }
            }
        }
        // 22 tiles, 11 split (the base preset's last pairs at 32K): halves of 0, whole 11, halves of 1, whole 12, ...
        int[] order = new int[9];
        for (int slot = 0; slot < order.length; slot++) {
            order[slot] = AttentionBlocks.splitTileOf(slot, 11, 22) * 10 + AttentionBlocks.splitPartOf(slot, 11, 22);
        }
        assertArrayEquals(new int[] {1, 2, 110, 11, 12, 120, 21, 22, 130}, order);
    }

    @Test
    void theSplitLaunchHasAGroupMoreForEachSplitTile() {
        AttentionShape shape = new AttentionShape(1, 1344, 2, 64);
        DilatedPair pair = DilatedAttentionConfig.of(new int[] {448}, new int[] {4}, true).pairs().get(0); // blocks of 112 rows: 1 tile
        DilatedPair longer = DilatedAttentionConfig.of(new int[] {1344}, new int[] {2}, true).pairs().get(0); // 672 rows: 6 tiles
        assertEquals(1, KeyTileSplit.ALWAYS.tiles(shape, pair, 1, 0, 0));
        assertEquals(3, KeyTileSplit.ALWAYS.tiles(shape, longer, 1, 0, 0));
        assertEquals(0, KeyTileSplit.ALWAYS.tiles(shape, longer, 1, 1, 0), "a pair that writes dK and dV");
        assertEquals(0, KeyTileSplit.ALWAYS.tiles(shape, longer, 0, 0, 0), "not causal");
        assertEquals(0, KeyTileSplit.NEVER.tiles(shape, longer, 1, 0, 1000));
        assertEquals(0, KeyTileSplit.AUTO.tiles(shape, longer, 1, 0, 0), "places unknown");
        // 6 tiles x 1 segment x 2 heads = 12 groups: split at 6 places or more (two waves), whole below
        assertEquals(3, KeyTileSplit.AUTO.tiles(shape, longer, 1, 0, 6));
        assertEquals(0, KeyTileSplit.AUTO.tiles(shape, longer, 1, 0, 5));
        assertEquals(12 + 3 * 2, AttentionGrids.pair(shape, longer, AttentionTiles.MMA_KV_KEYS, AttentionTiles.MMA_KV_SIZE, 3).global()[0]
                / AttentionTiles.MMA_KV_SIZE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withProperty(KeyTileSplit.PROPERTY, "half", KeyTileSplit::selected));
        assertEquals("-Dlongnet.attention.split=half is not a setting; use one of [never, always, auto]", e.getMessage());
        assertEquals(3, withProperty(KeyTileSplit.WAVES_PROPERTY, "1", () -> KeyTileSplit.AUTO.tiles(shape, longer, 1, 0, 12)));
        assertEquals(0, withProperty(KeyTileSplit.WAVES_PROPERTY, "1", () -> KeyTileSplit.AUTO.tiles(shape, longer, 1, 0, 11)));
        for (String bad : new String[] {"0", "two"}) {
            IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                    () -> withProperty(KeyTileSplit.WAVES_PROPERTY, bad, () -> KeyTileSplit.AUTO.tiles(shape, longer, 1, 0, 6)));
            assertEquals("-Dlongnet.attention.splitWaves=" + bad + " is not a number of waves; give a whole number of at least 1", w.getMessage());
        }
    }

    /** The matrix-unit forward's tasks, as the task graph spells them (each with its kernel method). */
    private static String forwardTasks(DilatedAttentionCore core) {
        return forwardTasks(core, SHAPE.elements());
    }

    /** The same with bf16 operands of {@code elements} elements. */
    private static String forwardTasks(DilatedAttentionCore core, long elements) {
        BFloat16Array x = new BFloat16Array(elements);
        return core.appendForward(new TaskGraph("g"), x, x, x, new FloatArray(SHAPE.elements()), new FloatArray(SHAPE.rows())).toString();
    }

    /** The matrix-unit forward's and backward's tasks, with the backward kernels of {@code backward} (null: the property's). */
    private static String backwardTasks(boolean deterministic, MatrixUnitSchedule backward) {
        DilatedAttentionCore core = new DilatedAttentionCore(SHAPE, CONFIG, "attn", deterministic);
        if (backward != null) {
            core.withSchedules(MatrixUnitSchedule.STANDARD, backward);
        }
        return backwardTasks(core);
    }

    /** The forward's and backward's tasks of {@code core}, with the kernels it has chosen. */
    private static String backwardTasks(DilatedAttentionCore core) {
        return backwardTasks(core, SHAPE.elements());
    }

    /** The same with bf16 operands of {@code elements} elements. */
    private static String backwardTasks(DilatedAttentionCore core, long elements) {
        BFloat16Array x = new BFloat16Array(elements);
        FloatArray f = new FloatArray(SHAPE.elements()), rows = new FloatArray(SHAPE.rows());
        TaskGraph g = core.appendForward(new TaskGraph("g"), x, x, x, f, rows);
        return core.appendBackward(g, x, x, x, f, rows, x, rows, f, f, f).toString();
    }

    /** What {@code action} gives with {@code property} set to {@code value} (cleared for null); the old value is put back. */
    private static <T> T withProperty(String property, String value, Supplier<T> action) {
        String old = System.getProperty(property);
        try {
            if (value == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, value);
            }
            return action.get();
        } finally {
            if (old == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, old);
            }
        }
    }
}
