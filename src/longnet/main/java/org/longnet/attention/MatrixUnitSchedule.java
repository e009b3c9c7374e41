package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.TensorMap;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.Tasks.Task13;
import org.longnet.engine.graph.Tasks.Task16;
import org.longnet.engine.graph.Tasks.Task18;
import org.longnet.engine.graph.Tasks.Task19;
import org.longnet.engine.graph.Tasks.Task20;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which matrix-unit kernels {@link DilatedAttentionCore} runs, two lab switches read the same way:
 * {@code -Dlongnet.attention.forward} for the forward and {@code -Dlongnet.attention.backward} for the backward, each
 * {@code standard} (every product waited for where it is issued) or {@code pipelined} (products issued
 * asynchronously, {@link org.longnet.engine.api.WarpgroupMma}, so that a warpgroup's element-by-element work runs while
 * its tensor cores work: {@link MatrixUnitForward#forwardPairMmaPipelined}, and the {@code ...Pipelined} kernels of
 * {@link MatrixUnitBackward}) or {@code tma} ({@link TmaForward} and {@link TmaBackward}: tiles brought by the tensor memory
 * accelerator through a ring of barriers, for the pairs whose maps the arrays hold ({@link TmaMaps#fits}), the standard kernels for the others); the
 * forward also {@code tma_wide} (key tiles of 128, {@link TmaWideForward}), whose backward, where a test gives it one, is
 * tma's. Anything else named is refused. The schedules give the same results (dQ of the atomic plan up to its order of
 * additions; {@code tma_wide}'s forward to bf16's rounding of its probabilities). Unset, both are standard until a core is
 * given its device ({@link DilatedAttentionCore#forDevice}), which makes the forward tma_wide and the backward tma on Hopper.
 */
enum MatrixUnitSchedule {
    STANDARD, PIPELINED, TMA, TMA_WIDE;

    /** The system property that selects the forward kernel. */
    static final String FORWARD = "longnet.attention.forward";
    /** The system property that selects the backward kernels. */
    static final String BACKWARD = "longnet.attention.backward";

    /**
     * The forward for {@code device}: the one {@link #FORWARD} names, else {@link #TMA_WIDE} on Hopper ({@link Device#hopperPipelines},
     * where it was measured fastest), {@link #STANDARD} elsewhere.
     */
    static MatrixUnitSchedule forwardOn(Device device) {
        return on(FORWARD, device);
    }

    /** The backward for {@code device}: the one {@link #BACKWARD} names, else {@link #TMA} on Hopper, {@link #STANDARD} elsewhere. */
    static MatrixUnitSchedule backwardOn(Device device) {
        return on(BACKWARD, device);
    }

    private static MatrixUnitSchedule on(String property, Device device) {
        if (System.getProperty(property) != null) {
            return selected(property);
        }
        if (!device.hopperPipelines()) {
            return STANDARD;
        }
        return property.equals(FORWARD) ? TMA_WIDE : TMA;
    }

    /** The schedule {@code property} ({@link #FORWARD} or {@link #BACKWARD}) names; standard when it is not set. */
    static MatrixUnitSchedule selected(String property) {
        String name = System.getProperty(property, "standard");
        String pass = property.substring(property.lastIndexOf('.') + 1);
        boolean forward = property.equals(FORWARD);
        return Arrays.stream(values()).filter(k -> k.name().toLowerCase(Locale.ROOT).equals(name) && (forward || k.backward())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("-D" + property + "=" + name + " names no " + pass + " kernel: it must be "
                        + (forward ? "standard, pipelined, tma or tma_wide" : "standard, pipelined or tma")));
    }

    /**
     * Adds pair {@code p}'s forward on one device as task {@code task}: the TMA-fed kernel of this schedule where it is
     * {@link #tmaFed} and the arrays hold its maps' rows, else {@link #forward()}'s kernel. Returns the rows each group of
     * the chosen kernel owns (its launch: a warp per 16 rows).
     */
    int appendForward(TaskGraph graph, String task, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out, FloatArray lse,
                      AttentionShape shape, DilatedPair p, int causal, float scaleLog2, int first) {
        int n = shape.seqLen(), r = p.dilationRate();
        if (tmaFed() && TmaMaps.fits(shape, r, q, k, v)) {
            boolean wide = this == TMA_WIDE;
            int keys = wide ? AttentionTiles.WIDE_KEYS : AttentionTiles.FWD_KEYS; // the K and V boxes: a key tile; Q's stay at 64 rows
            Task13<KernelContext, TensorMap, TensorMap, TensorMap, FloatArray, FloatArray, Integer, Integer, Integer, Integer, Integer, Float,
                    Integer> kernel = wide ? TmaWideForward::forwardPairTmaWide : TmaForward::forwardPairTma;
            graph.task(task, kernel, new KernelContext(), TmaMaps.of(q, shape, r, AttentionTiles.FWD_KEYS), TmaMaps.of(k, shape, r, keys),
                    TmaMaps.of(v, shape, r, keys), out, lse, n, shape.heads(), p.segmentLength(), r, causal, scaleLog2, first);
            return AttentionTiles.TMA_GROUP_ROWS;
        }
        graph.task(task, forward(), new KernelContext(), q, k, v, out, lse, n, shape.heads(), p.segmentLength(), r, causal, scaleLog2,
                first, 0, 0, 0);
        return AttentionTiles.FWD_GROUP_ROWS;
    }

    /**
     * Whether the backward has kernels of this schedule: standard, pipelined and tma ({@link TmaBackward}, for the pairs
     * {@link TmaMaps#fits}); tma_wide's forward runs tma's backward.
     */
    boolean backward() {
        return this == STANDARD || this == PIPELINED || this == TMA;
    }

    /** Whether this schedule's kernels take their tiles by TMA (tma's backward serves tma_wide's forward too). */
    boolean tmaFed() {
        return this == TMA || this == TMA_WIDE;
    }

    /** The forward kernel, to hand to {@code TaskGraph.task}: both take the same arguments. */
    Task16<KernelContext, BFloat16Array, BFloat16Array, BFloat16Array, FloatArray, FloatArray, Integer, Integer, Integer, Integer, Integer,
            Float, Integer, Integer, Integer, Integer> forward() {
        return this == PIPELINED ? MatrixUnitForward::forwardPairMmaPipelined : MatrixUnitForward::forwardPairMma;
    }

    /**
     * Adds pair {@code p}'s backward on one device (dK/dV with dQ added atomically) as task {@code task}, with its launch:
     * {@link TmaBackward}'s kernel where this schedule is TMA-fed and the arrays hold its maps' rows (its heaviest key tiles
     * split as {@link KeyTileSplit#selected} says, for a device that runs {@code places} of its groups at once), else
     * {@link #backwardPair()}'s. Both take groups of {@link AttentionTiles#MMA_KV_SIZE} work-items, {@link AttentionTiles#MMA_KV_KEYS}
     * keys each.
     */
    void appendBackwardPair(TaskGraph graph, String task, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                            FloatArray delta, FloatArray lse, FloatArray gradQ, FloatArray gradK, FloatArray gradV, AttentionShape shape,
                            DilatedPair p, int causal, float scale, int first, long places) {
        int n = shape.seqLen(), h = shape.heads(), w = p.segmentLength(), r = p.dilationRate();
        if (tmaFed() && TmaMaps.fits(shape, r, q, k, v, gradOut)) {
            appendTmaBackwardPair(graph, task, q, k, v, gradOut, delta, lse, gradQ, gradK, gradV, shape, shape, 0, p, causal, scale, first, places);
            return;
        }
        graph.task(task, backwardPair(), new KernelContext(), q, k, v, gradOut, delta, lse, gradQ, gradK, gradV, n, h, w, r, causal, scale,
                first, 0, 0, 0);
        graph.withGrid(task, AttentionGrids.pair(shape, p, AttentionTiles.MMA_KV_KEYS, AttentionTiles.MMA_KV_SIZE));
    }

    /**
     * Adds pair {@code p}'s TMA-fed backward ({@link TmaBackward}) as task {@code task}, its maps over the operands of shape
     * {@code maps} ({@link TmaMaps#fits} must hold), its launch over the batch elements of {@code launch} from {@code batch0}
     * on (the same positions and heads; {@code launch}'s batch is the launch's), whose rows alone {@code gradK} and {@code gradV} hold.
     */
    static void appendTmaBackwardPair(TaskGraph graph, String task, BFloat16Array q, BFloat16Array k, BFloat16Array v, BFloat16Array gradOut,
                                      FloatArray delta, FloatArray lse, FloatArray gradQ, FloatArray gradK, FloatArray gradV, AttentionShape maps,
                                      AttentionShape launch, int batch0, DilatedPair p, int causal, float scale, int first, long places) {
        int r = p.dilationRate(), box = TmaBackward.WINDOW;
        int split = KeyTileSplit.selected().tiles(launch, p, causal, first, places);
        graph.task(task, TmaBackward::backwardPairTma, new KernelContext(), TmaMaps.of(q, maps, r, box), TmaMaps.of(k, maps, r, box),
                TmaMaps.of(v, maps, r, box), TmaMaps.of(gradOut, maps, r, box), delta, lse, gradQ, gradK, gradV, launch.seqLen(), launch.heads(),
                p.segmentLength(), r, causal, scale, first, split, batch0);
        graph.withGrid(task, AttentionGrids.pair(launch, p, AttentionTiles.MMA_KV_KEYS, AttentionTiles.MMA_KV_SIZE, split));
    }

    /** The backward's dK/dV kernel with dQ added atomically. */
    Task20<KernelContext, BFloat16Array, BFloat16Array, BFloat16Array, BFloat16Array, FloatArray, FloatArray, FloatArray, FloatArray,
            FloatArray, Integer, Integer, Integer, Integer, Integer, Float, Integer, Integer, Integer, Integer> backwardPair() {
        return this == PIPELINED ? MatrixUnitBackward::backwardPairMmaPipelined : MatrixUnitBackward::backwardPairMma;
    }

    /**
     * The schedule whose kernels the bit-reproducible backward runs: pipelined has its own, every other one (tma included,
     * whose TMA-fed kernel adds dQ atomically) runs standard's.
     */
    MatrixUnitSchedule deterministicBackward() {
        return this == PIPELINED ? PIPELINED : STANDARD;
    }

    /** The bit-reproducible backward's dQ kernel. */
    Task18<KernelContext, BFloat16Array, BFloat16Array, BFloat16Array, BFloat16Array, FloatArray, FloatArray, FloatArray, Integer, Integer,
            Integer, Integer, Integer, Float, Integer, Integer, Integer, Integer> backwardQuery() {
        return deterministicBackward() == PIPELINED ? MatrixUnitBackward::backwardQueryMmaPipelined : MatrixUnitBackward::backwardQueryMma;
    }

    /** The bit-reproducible backward's dK/dV kernel. */
    Task19<KernelContext, BFloat16Array, BFloat16Array, BFloat16Array, BFloat16Array, FloatArray, FloatArray, FloatArray, FloatArray,
            Integer, Integer, Integer, Integer, Integer, Float, Integer, Integer, Integer, Integer> backwardKeyValue() {
        return deterministicBackward() == PIPELINED ? MatrixUnitBackward::backwardKeyValueMmaPipelined : MatrixUnitBackward::backwardKeyValueMma;
    }
}
