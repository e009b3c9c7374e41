package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.HalfFloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;
import org.longnet.engine.library.PrecisionKernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dilated attention on given Q, K, V ({@code [B][N][H][D]}; fp32 arrays run the fp32 kernels, bf16
 * arrays the matrix-unit kernels): the tasks of its forward and backward passes, appended to a
 * caller's task graph so data stays on the device. Each task carries its launch sizes
 * ({@link TaskGraph#withGrid}), so the caller's plan needs no configuration.
 * <p>
 * With a {@link SequenceSplit}, Q, K, V are this rank's chunk of the sequence ({@code shape.seqLen()} is
 * the chunk) and the core runs LongNet's distributed algorithm: pairs within a chunk as on one device,
 * pairs across chunks on the keys and values their segment's ranks gather ({@link GlobalPair}). Every
 * rank must append the same tasks in the same order: they include collectives.
 */
public final class DilatedAttentionCore {
    private final AttentionShape shape;
    private final DilatedAttentionConfig config;
    private final float scale;
    /** Prefix of this core's task names, so several cores can share one graph. */
    private final String name;
    /**
     * Whether the matrix-unit backward computes dQ in a kernel of its own (bit-reproducible) rather
     * than adding it atomically inside dK/dV (faster: one product per key tile instead of three).
     */
    private final boolean deterministic;
    /** How the sequence is split across ranks; the whole sequence here on one device. */
    private final SequenceSplit split;
    /** The pairs whose segments span several ranks' chunks, by pair index (made with the forward's tasks). */
    private final Map<Integer, GlobalPair> globals = new LinkedHashMap<>();
    private final GlobalPair.Scratch scratch = new GlobalPair.Scratch();
    /** Biases of zero, for the small-block forward of Q, K, V that hold theirs already. */
    private final FloatArray zeros;
    /** The matrix-unit kernels: the system properties' choices ({@link MatrixUnitSchedule}), the device's ({@link #forDevice}) or a test's. */
    private MatrixUnitSchedule forwardSchedule = MatrixUnitSchedule.selected(MatrixUnitSchedule.FORWARD);
    private MatrixUnitSchedule backwardSchedule = MatrixUnitSchedule.selected(MatrixUnitSchedule.BACKWARD);
    /** The TMA-fed backward's groups the device runs at once, for {@link KeyTileSplit}: 0 until {@link #forDevice}. */
    private long places;

    public DilatedAttentionCore(AttentionShape shape, DilatedAttentionConfig config) {
        this(shape, config, "attn");
    }

    public DilatedAttentionCore(AttentionShape shape, DilatedAttentionConfig config, String name) {
        this(shape, config, name, false);
    }

    /** With {@code deterministic}, the matrix-unit backward gives the same bits on every run (see {@link #deterministic()}). */
    public DilatedAttentionCore(AttentionShape shape, DilatedAttentionConfig config, String name, boolean deterministic) {
        this(shape, config, name, deterministic, SequenceSplit.single(shape.seqLen()));
    }

    /**
     * The core for this rank's chunk of a sequence split across ranks; {@code shape.seqLen()} must be the
     * chunk. Refuses (before any work) pairs the split cannot run ({@link SequenceSplit#check}).
     */
    public DilatedAttentionCore(AttentionShape shape, DilatedAttentionConfig config, String name, boolean deterministic,
                                SequenceSplit split) {
        if (split.chunk() != shape.seqLen()) {
            throw new IllegalArgumentException("attention shape " + shape + " must hold this rank's chunk of " + split.chunk() + " tokens of "
                    + split.length() + " across " + split.ranks() + " ranks");
        }
        split.check(config);
        this.split = split;
        this.shape = shape;
        this.deterministic = deterministic;
        this.config = config;
        this.scale = (float) (1.0 / Math.sqrt(shape.headDim()));
        this.name = name;
        this.zeros = new FloatArray((long) shape.heads() * shape.headDim());
    }

    /**
     * Runs the forward and backward that are fastest on {@code device} from now on, unless {@code -Dlongnet.attention.forward}
     * or {@code -Dlongnet.attention.backward} names others ({@link MatrixUnitSchedule#forwardOn}, {@link MatrixUnitSchedule#backwardOn}):
     * the TMA-fed kernels on Hopper ({@link Device#hopperPipelines}) for a sequence on one device, the standard ones elsewhere.
     * The same results either way (dQ up to the order of its additions).
     */
    public DilatedAttentionCore forDevice(Device device) {
        if (split.ranks() == 1) {
            this.forwardSchedule = MatrixUnitSchedule.forwardOn(device);
            this.backwardSchedule = MatrixUnitSchedule.backwardOn(device);
            this.places = (long) device.info().computeUnits() * TmaBackward.GROUPS_PER_UNIT;
        }
        return this;
    }

    /**
     * The matrix-unit kernels a core on one {@code device} runs ({@link #forDevice}), as the properties name them: "forward F,
     * backward B", F standard, pipelined, tma or tma_wide, B standard, pipelined or tma (TMA-fed kernels for the pairs whose
     * blocks fit their maps, standard ones for the others); {@code deterministic} runs standard's for tma.
     */
    public static String kernelsOn(Device device, boolean deterministic) {
        MatrixUnitSchedule backward = MatrixUnitSchedule.backwardOn(device);
        return "forward " + MatrixUnitSchedule.forwardOn(device).name().toLowerCase(Locale.ROOT) + ", backward "
                + (deterministic ? backward.deterministicBackward() : backward).name().toLowerCase(Locale.ROOT);
    }

    /** Runs the matrix-unit kernels of these schedules from now on, whatever the system properties say (tests run both). */
    DilatedAttentionCore withSchedules(MatrixUnitSchedule forward, MatrixUnitSchedule backward) {
        this.forwardSchedule = forward;
        this.backwardSchedule = backward;
        return this;
    }

    public AttentionShape shape() {
        return shape;
    }

    public DilatedAttentionConfig config() {
        return config;
    }

    public SequenceSplit split() {
        return split;
    }

    /**
     * Elements to allocate for each bf16 Q, K, V and dO that the matrix-unit kernels read: B N H D, and the slack after them
     * that the tensor maps of a pair whose dilation does not divide B N reach ({@link TmaMaps#operandElements}). The core
     * zeroes that slack in its own tasks. Arrays of exactly B N H D elements are taken too: the pairs that would read past
     * them run the standard kernels.
     */
    public static long operandElements(AttentionShape shape, DilatedAttentionConfig config) {
        return TmaMaps.operandElements(shape, config);
    }

    /** {@link #operandElements(AttentionShape, DilatedAttentionConfig)} of this core's shape and pairs. */
    public long operandElements() {
        return operandElements(shape, config);
    }

    /**
     * The arrays the forward leaves for the backward beyond those the caller gives (the keys and values
     * gathered for pairs across ranks), for a caller that keeps its arrays on the device between graphs.
     */
    public List<DeviceArray> buffers() {
        List<DeviceArray> out = new ArrayList<>();
        globals.values().forEach(gp -> out.addAll(gp.arrays()));
        out.addAll(scratch.arrays());
        return out;
    }

    /** The pair's tasks across ranks, made once per pair in pair order (its group is made collectively). */
    private GlobalPair global(int index, boolean bf16) {
        return globals.computeIfAbsent(index, i -> new GlobalPair(config.pairs().get(i), split, shape, bf16));
    }

    /** Makes the global pairs and sizes their scratch, before the first task that uses them. */
    private void prepareGlobals(boolean bf16) {
        List<DilatedPair> pairs = config.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            if (!split.local(pairs.get(i))) {
                global(i, bf16);
            }
        }
        scratch.reserve(List.copyOf(globals.values()));
    }

    /**
     * Whether the matrix-unit backward is bit-reproducible: dQ from its own kernel, which recomputes
     * the scores. Otherwise (the default) the dK/dV kernel adds each key tile's share of dQ atomically,
     * in an order that varies from run to run. The fp32 kernels are reproducible either way.
     */
    public boolean deterministic() {
        return deterministic;
    }

    /** Adds tasks that compute {@code out} and the mixed log-sum-exp {@code lse} from fp32 q, k, v (fp32 kernels). */
    public TaskGraph appendForward(TaskGraph graph, FloatArray q, FloatArray k, FloatArray v, FloatArray out, FloatArray lse) {
        check(q, k, v, out);
        checkRows(lse);
        graph.task(name + "Reset", DilatedAttentionKernels::resetMixture, out, lse);
        prepareGlobals(false);
        List<DilatedPair> pairs = config.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            DilatedPair p = pairs.get(i);
            GlobalPair gp = globals.get(i);
            if (gp == null) {
                graph.task(name + "Pair" + i, DilatedAttentionKernels::forwardPair, new KernelContext(), q, k, v, out, lse,
                        shape.seqLen(), shape.heads(), shape.headDim(), p.segmentLength(), p.dilationRate(), causal(), scale, 0, 0, 0);
                graph.withGrid(name + "Pair" + i, AttentionGrids.pair(shape, p, AttentionTiles.TILE, AttentionTiles.TILE));
            } else {
                gp.appendGather(graph, name + "Pair" + i, k, v, scratch);
                graph.task(name + "Pair" + i, DilatedAttentionKernels::forwardPair, new KernelContext(), q, (FloatArray) gp.keys,
                        (FloatArray) gp.values, out, lse, gp.segment, shape.heads(), shape.headDim(), gp.segment, p.dilationRate(), causal(),
                        scale, gp.segmentRows, split.chunk(), gp.chunkIndex);
                graph.withGrid(name + "Pair" + i, AttentionGrids.global(shape, split, gp, AttentionTiles.TILE, AttentionTiles.TILE, true));
            }
        }
        return graph;
    }

    /**
     * The same from bf16 q, k, v, on matrix units (tensor cores through {@code KernelContext.mmaBf16Warpgroup};
     * fp32 accumulation, softmax and output): half the bytes of fp32 storage, and the kernels round
     * their operands to bf16 anyway. Needs head dimension {@value AttentionTiles#MMA_HEAD_DIM}.
     */
    public TaskGraph appendForward(TaskGraph graph, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out,
                                   FloatArray lse) {
        checkMatrixUnits();
        check(out);
        TmaMaps.checkOperands(shape, config, q, k, v);
        checkRows(lse);
        if (forwardSchedule.tmaFed()) {
            TmaMaps.zeroSlack(graph, name + "SlackQ", shape, q);
            TmaMaps.zeroSlack(graph, name + "SlackK", shape, k);
            TmaMaps.zeroSlack(graph, name + "SlackV", shape, v);
        }
        boolean overwrite = config.firstPairCoversEveryRow();
        if (!overwrite) {
            graph.task(name + "Reset", DilatedAttentionKernels::resetMixture, out, lse);
        }
        prepareGlobals(true);
        List<DilatedPair> pairs = config.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            DilatedPair p = pairs.get(i);
            GlobalPair gp = globals.get(i);
            int first = overwrite && i == 0 ? 1 : 0;
            float scaleLog2 = scale * AttentionTiles.LOG2E;
            if (gp == null) {
                int rows = forwardSchedule.appendForward(graph, name + "Pair" + i, q, k, v, out, lse, shape, p, causal(), scaleLog2, first);
                graph.withGrid(name + "Pair" + i, AttentionGrids.pair(shape, p, rows, rows / AttentionTiles.MMA_ROWS * AttentionTiles.MMA_WARP));
            } else {
                gp.appendGather(graph, name + "Pair" + i, k, v, scratch);
                graph.task(name + "Pair" + i, forwardSchedule.forward(), new KernelContext(), q, (BFloat16Array) gp.keys,
                        (BFloat16Array) gp.values, out, lse, gp.segment, shape.heads(), gp.segment, p.dilationRate(), causal(), scaleLog2,
                        first, gp.segmentRows, split.chunk(), gp.chunkIndex);
                graph.withGrid(name + "Pair" + i, AttentionGrids.global(shape, split, gp, AttentionTiles.FWD_GROUP_ROWS, AttentionTiles.FWD_GROUP_SIZE,
                        true));
            }
        }
        return graph;
    }

    /**
     * The matrix-unit forward for callers that hold fp32 q, k, v (after projections and positions):
     * rounds them into {@code q16}, {@code k16}, {@code v16}, which the backward then takes.
     */
    public TaskGraph appendForward(TaskGraph graph, FloatArray q, FloatArray k, FloatArray v, BFloat16Array q16, BFloat16Array k16,
                                   BFloat16Array v16, FloatArray out, FloatArray lse) {
        check(q, k, v);
        graph.task(name + "QBf16", PrecisionKernels::toBf16, q, q16, shape.elements())
                .task(name + "KBf16", PrecisionKernels::toBf16, k, k16, shape.elements())
                .task(name + "VBf16", PrecisionKernels::toBf16, v, v16, shape.elements());
        return appendForward(graph, q16, k16, v16, out, lse);
    }

    /**
     * Whether the forward may run on {@link SmallBlockAttention}: on one device, every pair's blocks at most
     * {@value SmallBlocks#ROWS} rows and heads at most {@value SmallBlocks#MAX_D} wide.
     */
    public boolean smallBlocks() {
        int n = shape.seqLen();
        return split.ranks() == 1 && shape.headDim() <= SmallBlocks.MAX_D && config.pairs().stream()
                .allMatch(p -> (p.effectiveLength(n) + p.dilationRate() - 1) / p.dilationRate() <= SmallBlocks.ROWS);
    }

    /**
     * Adds the forward on {@link SmallBlockAttention} (see {@link #smallBlocks()}): q, k, v and out all fp32, fp16
     * or bf16 (math in fp32), each read or written once; the first pair overwrites out and lse, so nothing resets them.
     * {@code biases} (Q's, K's, V's, {@code H D} each, or null for none) are added to q, k, v as they are read.
     */
    public TaskGraph appendSmallBlockForward(TaskGraph graph, DeviceArray q, DeviceArray k, DeviceArray v, DeviceArray out,
                                             FloatArray lse, FloatArray[] biases) {
        check(q, k, v, out);
        checkRows(lse);
        FloatArray[] b = biases != null ? biases : new FloatArray[] {zeros, zeros, zeros};
        if (biases == null) {
            graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, zeros);
        }
        for (FloatArray bias : b) {
            if (bias.getSize() != (long) shape.heads() * shape.headDim()) {
                throw new IllegalArgumentException("biases must hold H * D = " + shape.heads() * shape.headDim() + " floats, one holds "
                        + bias.getSize());
            }
        }
        if (!smallBlocks()) {
            throw new IllegalArgumentException("the small-block kernels need one device, heads of at most " + SmallBlocks.MAX_D
                    + " and blocks of at most " + SmallBlocks.ROWS + " rows (segment / dilation); was " + shape + " with " + config);
        }
        if (q.getClass() != k.getClass() || q.getClass() != v.getClass() || q.getClass() != out.getClass()) {
            throw new IllegalArgumentException("small-block attention needs q, k, v and out in one format; were " + q.getClass().getSimpleName()
                    + ", " + k.getClass().getSimpleName() + ", " + v.getClass().getSimpleName() + ", " + out.getClass().getSimpleName());
        }
        int n = shape.seqLen(), h = shape.heads(), d = shape.headDim();
        List<DilatedPair> pairs = config.pairs();
        for (int i = 0; i < pairs.size(); i++) {
            DilatedPair p = pairs.get(i);
            int w = p.segmentLength(), r = p.dilationRate(), first = i == 0 ? 1 : 0;
            String task = name + "Pair" + i;
            switch (q) {
                case FloatArray fq -> graph.task(task, SmallBlockAttention::forwardFloat, new KernelContext(), fq, (FloatArray) k,
                        (FloatArray) v, (FloatArray) out, lse, b[0], b[1], b[2], n, h, d, w, r, causal(), scale, first);
                case HalfFloatArray hq -> graph.task(task, SmallBlockAttentionHalf::forwardHalf, new KernelContext(), hq, (HalfFloatArray) k,
                        (HalfFloatArray) v, (HalfFloatArray) out, lse, b[0], b[1], b[2], n, h, d, w, r, causal(), scale, first);
                case BFloat16Array bq -> graph.task(task, SmallBlockAttentionBf16::forwardBf16, new KernelContext(), bq, (BFloat16Array) k,
                        (BFloat16Array) v, (BFloat16Array) out, lse, b[0], b[1], b[2], n, h, d, w, r, causal(), scale, first);
                default -> throw new IllegalArgumentException("small-block attention takes FloatArray, HalfFloatArray or BFloat16Array, not "
                        + q.getClass().getSimpleName());
            }
            graph.withGrid(task, AttentionGrids.pair(shape, p, SmallBlocks.ROWS, SmallBlocks.GROUP));
        }
        return graph;
    }

    /**
     * Adds tasks that compute dQ, dK, dV from dO, given the forward's {@code out} and {@code lse}
     * (fp32 kernels). {@code delta} is scratch of {@link AttentionShape#rows()} elements.
     */
    public TaskGraph appendBackward(TaskGraph graph, FloatArray q, FloatArray k, FloatArray v, FloatArray out, FloatArray lse,
                                    FloatArray gradOut, FloatArray delta, FloatArray gradQ, FloatArray gradK, FloatArray gradV) {
        check(q, k, v, out, gradOut, gradQ, gradK, gradV);
        checkRows(lse, delta);
        graph.task(name + "Delta", DilatedAttentionKernels::deltas, out, gradOut, delta, shape.headDim());
        graph.task(name + "ZeroGrads", DilatedAttentionKernels::zeroGradients, gradQ, gradK, gradV);
        List<DilatedPair> pairs = config.pairs();
        int n = shape.seqLen(), h = shape.heads(), d = shape.headDim();
        for (int i = 0; i < pairs.size(); i++) {
            DilatedPair p = pairs.get(i);
            GlobalPair gp = globals.get(i);
            if (gp == null) {
                graph.task(name + "GradQ" + i, DilatedAttentionKernels::backwardQuery, new KernelContext(), q, k, v, gradOut, delta,
                        lse, gradQ, n, h, d, p.segmentLength(), p.dilationRate(), causal(), scale, 0, 0, 0);
                graph.task(name + "GradKV" + i, DilatedAttentionKernels::backwardKeyValue, new KernelContext(), q, k, v, gradOut, delta,
                        lse, gradK, gradV, n, h, d, p.segmentLength(), p.dilationRate(), causal(), scale, 0, 0, 0);
                graph.withGrid(name + "GradQ" + i, AttentionGrids.pair(shape, p, AttentionTiles.TILE, AttentionTiles.TILE));
                graph.withGrid(name + "GradKV" + i, AttentionGrids.pair(shape, p, AttentionTiles.TILE, AttentionTiles.TILE));
            } else {
                FloatArray keys = (FloatArray) gp.keys, values = (FloatArray) gp.values;
                int w = gp.segment, rows = gp.segmentRows, l = split.chunk();
                graph.task(name + "ZeroGradK" + i, SequenceParallelKernels::zero, gp.keyGrads)
                        .task(name + "ZeroGradV" + i, SequenceParallelKernels::zero, gp.valueGrads)
                        .task(name + "GradQ" + i, DilatedAttentionKernels::backwardQuery, new KernelContext(), q, keys, values, gradOut, delta,
                                lse, gradQ, w, h, d, w, p.dilationRate(), causal(), scale, rows, l, gp.chunkIndex)
                        .task(name + "GradKV" + i, DilatedAttentionKernels::backwardKeyValue, new KernelContext(), q, keys, values, gradOut,
                                delta, lse, gp.keyGrads, gp.valueGrads, w, h, d, w, p.dilationRate(), causal(), scale, rows, l, gp.chunkIndex);
                graph.withGrid(name + "GradQ" + i, AttentionGrids.global(shape, split, gp, AttentionTiles.TILE, AttentionTiles.TILE, true));
                graph.withGrid(name + "GradKV" + i, AttentionGrids.global(shape, split, gp, AttentionTiles.TILE, AttentionTiles.TILE, false));
                gp.appendReturn(graph, name + "Grad" + i, gradK, gradV, scratch);
            }
        }
        return graph;
    }

    /**
     * The backward on matrix units, from bf16 q, k, v: dO (fp32, for Delta) is rounded into
     * {@code gradOut16} for the products; dQ, dK, dV are fp32.
     */
    public TaskGraph appendBackward(TaskGraph graph, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out,
                                    FloatArray lse, FloatArray gradOut, BFloat16Array gradOut16, FloatArray delta, FloatArray gradQ,
                                    FloatArray gradK, FloatArray gradV) {
        checkMatrixUnits();
        check(out, gradOut, gradQ, gradK, gradV);
        TmaMaps.checkOperands(shape, config, q, k, v, gradOut16);
        checkRows(lse, delta);
        graph.task(name + "DeltaBf16", BackwardStartKernels::deltasAndBf16, new KernelContext(), out, gradOut, gradOut16, delta, gradQ,
                zeroQueryWithDelta());
        graph.withGrid(name + "DeltaBf16", AttentionGrids.rowWarps(shape));
        return appendPairsBackward(graph, q, k, v, lse, gradOut16, delta, gradQ, gradK, gradV);
    }

    /**
     * The backward on matrix units with dO given in bf16: the smallest memory plan. {@code gradQ} may
     * be {@code out} itself: O is read only by the first task (Delta), so dQ can take its place, and
     * the backward then holds 20 bytes per element (bf16 Q, K, V, dO; fp32 O/dQ, dK, dV) instead of 28.
     */
    public TaskGraph appendBackward(TaskGraph graph, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out,
                                    FloatArray lse, BFloat16Array gradOut16, FloatArray delta, FloatArray gradQ, FloatArray gradK,
                                    FloatArray gradV) {
        checkMatrixUnits();
        check(out, gradQ, gradK, gradV);
        TmaMaps.checkOperands(shape, config, q, k, v, gradOut16);
        checkRows(lse, delta);
        graph.task(name + "Delta", BackwardStartKernels::deltasOfBf16, new KernelContext(), out, gradOut16, delta, gradQ,
                zeroQueryWithDelta());
        graph.withGrid(name + "Delta", AttentionGrids.rowWarps(shape));
        return appendPairsBackward(graph, q, k, v, lse, gradOut16, delta, gradQ, gradK, gradV);
    }

    /**
     * The backward on matrix units in the least memory ({@link ChunkedBackward}): dQ over {@code out} (fp32), dK over {@code k}
     * and dV over {@code v} (bf16), through fp32 dK and dV of one chunk of the sequence at a time ({@code gradKChunk} and
     * {@code gradVChunk} of {@link ChunkedBackward#chunkElements}): 12 bytes per element, and 8 more for each chunk a sequence holds.
     */
    public TaskGraph appendBackwardInPlace(TaskGraph graph, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out,
                                           FloatArray lse, BFloat16Array gradOut16, FloatArray delta, FloatArray gradKChunk, FloatArray gradVChunk) {
        checkMatrixUnits();
        check(out);
        checkRows(lse, delta);
        return ChunkedBackward.of(shape, config, deterministic, split.ranks(), gradKChunk, gradVChunk, q, k, v, gradOut16)
                .append(graph, name, q, k, v, out, lse, gradOut16, delta, scale, places);
    }

    /** After Delta: zeroed gradients where the first pair does not write them, then each pair's dQ and dK/dV. */
    private TaskGraph appendPairsBackward(TaskGraph graph, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray lse,
                                          BFloat16Array gradOut16, FloatArray delta, FloatArray gradQ, FloatArray gradK,
                                          FloatArray gradV) {
        if (backwardSchedule.tmaFed() && !deterministic) {
            TmaMaps.zeroSlack(graph, name + "SlackGradOut", shape, gradOut16);
        }
        boolean overwrite = config.firstPairCoversEveryRow();
        if (!overwrite) {
            graph.task(name + "ZeroGrads", DilatedAttentionKernels::zeroGradients, gradQ, gradK, gradV);
        }
        List<DilatedPair> pairs = config.pairs();
        int n = shape.seqLen(), h = shape.heads();
        for (int i = 0; i < pairs.size(); i++) {
            DilatedPair p = pairs.get(i);
            int first = overwrite && i == 0 ? 1 : 0;
            if (globals.containsKey(i)) {
                appendGlobalPairBackward(graph, globals.get(i), "" + i, q, lse, gradOut16, delta, gradQ, gradK, gradV);
                continue;
            }
            if (deterministic) {
                graph.task(name + "GradQ" + i, backwardSchedule.backwardQuery(), new KernelContext(), q, k, v, gradOut16,
                        delta, lse, gradQ, n, h, p.segmentLength(), p.dilationRate(), causal(), scale, first, 0, 0, 0);
                graph.task(name + "GradKV" + i, backwardSchedule.backwardKeyValue(), new KernelContext(), q, k, v, gradOut16,
                        delta, lse, gradK, gradV, n, h, p.segmentLength(), p.dilationRate(), causal(), scale, first, 0, 0, 0);
                graph.withGrid(name + "GradQ" + i, AttentionGrids.pair(shape, p, AttentionTiles.MMA_DQ_ROWS, AttentionTiles.MMA_DQ_SIZE));
                graph.withGrid(name + "GradKV" + i, AttentionGrids.pair(shape, p, AttentionTiles.MMA_KV_KEYS, AttentionTiles.MMA_KV_SIZE));
            } else {
                backwardSchedule.appendBackwardPair(graph, name + "Grad" + i, q, k, v, gradOut16, delta, lse, gradQ, gradK, gradV, shape, p,
                        causal(), scale, first, places);
            }
        }
        return graph;
    }

    /**
     * The matrix-unit backward of a pair across ranks: this rank's queries against the gathered keys, dQ added
     * into the local dQ, the keys' gradients written into the pair's own arrays (first = 1) and returned.
     */
    private void appendGlobalPairBackward(TaskGraph graph, GlobalPair gp, String i, BFloat16Array q, FloatArray lse, BFloat16Array gradOut16,
                                          FloatArray delta, FloatArray gradQ, FloatArray gradK, FloatArray gradV) {
        BFloat16Array keys = (BFloat16Array) gp.keys, values = (BFloat16Array) gp.values;
        int w = gp.segment, r = gp.pair.dilationRate(), rows = gp.segmentRows, l = split.chunk(), h = shape.heads();
        WorkerGrid keyTiles = AttentionGrids.global(shape, split, gp, AttentionTiles.MMA_KV_KEYS, AttentionTiles.MMA_KV_SIZE, false);
        if (deterministic) {
            graph.task(name + "GradQ" + i, backwardSchedule.backwardQuery(), new KernelContext(), q, keys, values, gradOut16, delta,
                    lse, gradQ, w, h, w, r, causal(), scale, 0, rows, l, gp.chunkIndex);
            graph.task(name + "GradKV" + i, backwardSchedule.backwardKeyValue(), new KernelContext(), q, keys, values, gradOut16,
                    delta, lse, gp.keyGrads, gp.valueGrads, w, h, w, r, causal(), scale, 1, rows, l, gp.chunkIndex);
            graph.withGrid(name + "GradQ" + i, AttentionGrids.global(shape, split, gp, AttentionTiles.MMA_DQ_ROWS, AttentionTiles.MMA_DQ_SIZE, true));
            graph.withGrid(name + "GradKV" + i, keyTiles);
        } else {
            graph.task(name + "Grad" + i, backwardSchedule.backwardPair(), new KernelContext(), q, keys, values, gradOut16, delta, lse,
                    gradQ, gp.keyGrads, gp.valueGrads, w, h, w, r, causal(), scale, 1, rows, l, gp.chunkIndex);
            graph.withGrid(name + "Grad" + i, keyTiles);
        }
        gp.appendReturn(graph, name + "Return" + i, gradK, gradV, scratch);
    }

    /** Whether Delta's pass zeroes dQ (1) for the pairs to add to: not in the deterministic plan (its first pair writes dQ) nor after a zeroing pass. */
    private int zeroQueryWithDelta() {
        return !deterministic && config.firstPairCoversEveryRow() ? 1 : 0;
    }

    private int causal() {
        return config.causal() ? 1 : 0;
    }

    private void checkMatrixUnits() {
        AttentionTiles.checkMatrixUnits(shape, config, split.length());
    }

    private void check(DeviceArray... arrays) {
        for (DeviceArray a : arrays) {
            if (a.getSize() != shape.elements()) {
                throw new IllegalArgumentException("attention arrays must hold B*N*H*D = " + shape.elements()
                        + " elements for " + shape + ", one holds " + a.getSize());
            }
        }
    }

    private void checkRows(FloatArray... arrays) {
        for (FloatArray a : arrays) {
            if (a.getSize() != shape.rows()) {
                throw new IllegalArgumentException("log-sum-exp arrays must hold B*N*H = " + shape.rows() + " elements for "
                        + shape + ", one holds " + a.getSize());
            }
        }
    }
}
