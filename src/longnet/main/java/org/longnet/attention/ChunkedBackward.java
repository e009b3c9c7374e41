package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Parallel;
import org.longnet.engine.graph.TaskGraph;

import java.util.List;

/**
 * The matrix-unit backward in the least memory ({@link DilatedAttentionCore#appendBackwardInPlace}): dQ over O (fp32), dK over
 * K and dV over V (bf16), so that beside Q, K, V, dO (bf16) and O (fp32) it needs only fp32 dK and dV for one chunk of the
 * sequence at a time. Why that is exact: every pair's segments tile the sequence, and a chunk whose length C is a multiple of
 * every pair's segment (as the sequence has it, capped at N) holds whole segments of every pair, so no block reaches across
 * chunks and a chunk's K and V are read only by its own blocks. Seen as batch elements of C positions, the chunks are the same
 * rows, blocks and maps' columns as the sequence's ({@link TmaMaps}); each pair's TMA-fed backward ({@link TmaBackward}, on
 * every device) runs one chunk a launch, adding dQ into O's rows and writing the chunk's dK and dV, which are then rounded
 * over its K and V. The gradients are those of the standard plan, dK and dV rounded to bf16 once at the end.
 */
public final class ChunkedBackward {
    private final DilatedAttentionConfig config;
    /** The operands as batch elements of one chunk each, and one such chunk: a launch's shape. */
    private final AttentionShape chunks, chunk;
    private final FloatArray gradK, gradV;

    private ChunkedBackward(DilatedAttentionConfig config, AttentionShape chunks, AttentionShape chunk, FloatArray gradK, FloatArray gradV) {
        this.config = config;
        this.chunks = chunks;
        this.chunk = chunk;
        this.gradK = gradK;
        this.gradV = gradV;
    }

    /**
     * The chunks of {@code gradK}'s size (fp32 dK of one chunk, {@link #chunkElements}; {@code gradV} the same), refused with one
     * line for a bit-reproducible core or one of several ranks (dQ is added atomically on one device), where that size is no chunk
     * of {@code shape} that holds whole segments of every pair, or where the operands ({@link DilatedAttentionCore#operandElements})
     * do not hold the pairs' maps.
     */
    static ChunkedBackward of(AttentionShape shape, DilatedAttentionConfig config, boolean deterministic, int ranks, FloatArray gradK,
                              FloatArray gradV, BFloat16Array... operands) {
        if (deterministic || ranks > 1) {
            throw new IllegalArgumentException("the in-place backward adds dQ atomically on one device; this core is "
                    + (deterministic ? "bit-reproducible" : "one of " + ranks + " ranks"));
        }
        TmaMaps.checkOperands(shape, config, operands);
        long row = (long) shape.heads() * shape.headDim();
        long elements = gradK.getSize();
        int n = shape.seqLen();
        int unit = segmentMultiple(shape, config);
        long length = elements / row;
        if (elements % row != 0 || length == 0 || n % length != 0 || length % unit != 0 || gradV.getSize() != elements) {
            throw new IllegalArgumentException("the in-place backward's chunk gradients must each hold C*H*D elements (H*D = " + row
                    + ") for a chunk of C positions that divides N = " + n + " and is a multiple of " + unit
                    + " (every pair's segment), the same for dK and dV; they hold " + elements + " and " + gradV.getSize());
        }
        AttentionShape chunks = new AttentionShape((int) ((long) shape.batch() * n / length), (int) length, shape.heads(), shape.headDim());
        for (DilatedPair p : config.pairs()) {
            if (!TmaMaps.fits(chunks, p.dilationRate(), operands)) {
                throw new IllegalArgumentException("the in-place backward reads every pair through tensor maps, but pair " + p
                        + " cannot be read so with operands of " + operands[0].getSize() + " elements for " + shape
                        + " (they must hold DilatedAttentionCore.operandElements, and B*N stay under 2^31)");
            }
        }
        return new ChunkedBackward(config, chunks, new AttentionShape(1, (int) length, shape.heads(), shape.headDim()), gradK, gradV);
    }

    /**
     * Elements of fp32 dK (and of dV) for the smallest chunk that holds whole segments of every pair, divides N and leaves at
     * most {@code parts} chunks a sequence: N / parts positions or a few more, so the chunks' gradients take 8 / parts bytes per
     * element of Q. N itself (one chunk, 8 bytes) where no shorter chunk qualifies.
     */
    public static long chunkElements(AttentionShape shape, DilatedAttentionConfig config, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("the in-place backward needs at least 1 chunk a sequence, not " + parts);
        }
        int n = shape.seqLen(), unit = segmentMultiple(shape, config);
        long length = n;
        for (long c = unit; c < n; c += unit) {
            if (n % c == 0 && c * parts >= n) {
                length = c;
                break;
            }
        }
        return length * shape.heads() * shape.headDim();
    }

    /** The least common multiple of the pairs' segments as the sequence has them (each capped at N): a chunk's length unit. */
    private static int segmentMultiple(AttentionShape shape, DilatedAttentionConfig config) {
        long unit = 1;
        for (DilatedPair p : config.pairs()) {
            long w = p.effectiveLength(shape.seqLen());
            unit = unit / gcd(unit, w) * w;
            if (unit >= shape.seqLen()) {
                return shape.seqLen();
            }
        }
        return (int) unit;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Delta, which also zeroes dQ in O's place where the first pair writes dK and dV ({@link DilatedAttentionConfig#firstPairCoversEveryRow};
     * else a pass of its own does), then each chunk's pairs and its dK and dV over its K and V. Task names from {@code name}.
     */
    TaskGraph append(TaskGraph graph, String name, BFloat16Array q, BFloat16Array k, BFloat16Array v, FloatArray out, FloatArray lse,
                     BFloat16Array gradOut16, FloatArray delta, float scale, long places) {
        boolean overwrite = config.firstPairCoversEveryRow();
        FloatArray gradQ = out;
        graph.task(name + "Delta", BackwardStartKernels::deltasOfBf16, new KernelContext(), out, gradOut16, delta, gradQ, overwrite ? 1 : 0);
        graph.withGrid(name + "Delta", AttentionGrids.rowWarps(chunks));
        TmaMaps.zeroSlack(graph, name + "SlackGradOut", chunks, gradOut16);
        if (!overwrite) {
            graph.task(name + "ZeroGradQ", SequenceParallelKernels::zero, gradQ);
        }
        List<DilatedPair> pairs = config.pairs();
        int causal = config.causal() ? 1 : 0;
        for (int c = 0; c < chunks.batch(); c++) {
            String at = name + "Chunk" + c;
            if (!overwrite) {
                graph.task(at + "ZeroGradK", SequenceParallelKernels::zero, gradK).task(at + "ZeroGradV", SequenceParallelKernels::zero, gradV);
            }
            for (int i = 0; i < pairs.size(); i++) {
                MatrixUnitSchedule.appendTmaBackwardPair(graph, at + "Grad" + i, q, k, v, gradOut16, delta, lse, gradQ, gradK, gradV, chunks, chunk, c,
                        pairs.get(i), causal, scale, overwrite && i == 0 ? 1 : 0, places);
            }
            graph.task(at + "Round", ChunkedBackward::roundInto, gradK, gradV, k, v, (long) c * gradK.getSize());
        }
        return graph;
    }

    /**
     * k[at + i] = gradK[i] and v[at + i] = gradV[i], rounded to bf16: a chunk's dK and dV over its K and V. Each work-item takes
     * four elements of each (a chunk holds whole rows of 64): its eight loads are all issued before its four paired stores, so
     * that enough bytes are in flight for the device's bandwidth.
     */
    @Kernel
    public static void roundInto(FloatArray gradK, FloatArray gradV, BFloat16Array k, BFloat16Array v, long at) {
        for (@Parallel long i = 0; i < gradK.getSize() / 4; i++) {
            long e = 4 * i;
            float k0 = gradK.get(e), k1 = gradK.get(e + 1), k2 = gradK.get(e + 2), k3 = gradK.get(e + 3);
            float v0 = gradV.get(e), v1 = gradV.get(e + 1), v2 = gradV.get(e + 2), v3 = gradV.get(e + 3);
            k.setPair(at + e, k0, k1);
            k.setPair(at + e + 2, k2, k3);
            v.setPair(at + e, v0, v1);
            v.setPair(at + e + 2, v2, v3);
        }
    }
}
