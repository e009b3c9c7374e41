package org.longnet.attention;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.collective.CollectiveTask;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.TaskGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * One pair whose segments span the chunks of several ranks (LongNet's distributed algorithm): the
 * forward gathers the segment's selected keys and values from its ranks ({@link #appendGather}), the
 * attention kernels take this rank's queries against them, and the backward returns the keys'
 * gradients to their ranks and adds them in ({@link #appendReturn}). The layouts and the
 * kernels that move rows are {@link SequenceParallelKernels}'.
 */
final class GlobalPair {
    final DilatedPair pair;
    /** The pair's segment length W (a multiple of the chunk) and its rows per head at most, M = ceil(W / r). */
    final int segment, segmentRows;
    /** This rank's chunk within its segment. */
    final int chunkIndex;
    private final Communicator group;
    private final int chunk, heads, headDim, batch;
    /** Per rank of the group: the first of its rows, and how many (its block spans every head's rows in its chunk). */
    private final int[] begin, rows;
    private final IntArray table;
    /** Gathered keys and values, kept from the forward for the backward. */
    final DeviceArray keys, values;
    /** Gradients of the gathered keys and values. */
    final FloatArray keyGrads, valueGrads;

    GlobalPair(DilatedPair pair, SequenceSplit split, AttentionShape local, boolean bf16) {
        this.pair = pair;
        this.segment = pair.effectiveLength(split.length());
        this.chunk = split.chunk();
        this.heads = local.heads();
        this.headDim = local.headDim();
        this.batch = local.batch();
        int r = pair.dilationRate();
        this.segmentRows = (segment + r - 1) / r;
        this.group = split.segmentGroup(segment);
        this.chunkIndex = group.rank();
        int ranks = segment / chunk;
        begin = new int[ranks];
        rows = new int[ranks];
        table = new IntArray(3L * ranks);
        int blockRows = 0;
        for (int e = 0; e < ranks; e++) {
            int first = Integer.MAX_VALUE, end = 0;
            for (int j = 0; j < Math.min(heads, r); j++) {
                int headRows = AttentionBlocks.rowsInBlock(segment, segment, r, 0, j);
                int from = AttentionBlocks.queryBegin(j, r, headRows, chunk, e);
                int to = AttentionBlocks.queryEnd(j, r, headRows, chunk, e);
                if (to > from) {
                    first = Math.min(first, from);
                    end = Math.max(end, to);
                }
            }
            begin[e] = first == Integer.MAX_VALUE ? 0 : first;
            rows[e] = Math.max(0, end - begin[e]);
            table.set(3L * e, begin[e]);
            table.set(3L * e + 1, rows[e]);
            table.set(3L * e + 2, blockRows);
            blockRows += batch * rows[e];
        }
        long gathered = (long) batch * segmentRows * heads * headDim;
        keys = bf16 ? new BFloat16Array(gathered) : new FloatArray(gathered);
        values = bf16 ? new BFloat16Array(gathered) : new FloatArray(gathered);
        keyGrads = new FloatArray(gathered);
        valueGrads = new FloatArray(gathered);
    }

    /** Elements of rank e's block. */
    private long blockElements(int e) {
        return (long) batch * rows[e] * heads * headDim;
    }

    private long[] counts() {
        long[] c = new long[rows.length];
        for (int e = 0; e < c.length; e++) {
            c[e] = blockElements(e);
        }
        return c;
    }

    private long allBlocks() {
        long total = 0;
        for (int e = 0; e < rows.length; e++) {
            total += blockElements(e);
        }
        return total;
    }

    /**
     * Adds the forward's gather: this rank's block of K and of V, the all-gather over the segment's ranks, and the
     * gathered keys and values in {@link #keys} and {@link #values}. {@code scratch} gives the transient blocks.
     */
    void appendGather(TaskGraph g, String name, DeviceArray k, DeviceArray v, Scratch scratch) {
        g.transferToDevice(DataTransferMode.FIRST_EXECUTION, table);
        DeviceArray[] dense = {k, v};
        DeviceArray[] out = {keys, values};
        String[] which = {"K", "V"};
        int r = pair.dilationRate(), me = chunkIndex;
        for (int i = 0; i < 2; i++) {
            DeviceArray own = scratch.own(dense[i]);
            DeviceArray all = scratch.all(dense[i]);
            if (dense[i] instanceof BFloat16Array d16) {
                g.task(name + "Send" + which[i], SequenceParallelKernels::gatherRowsBf16, d16, (BFloat16Array) own, batch, chunk, heads, headDim, r,
                        segment, me, begin[me], rows[me]);
                g.library(name + "Gather" + which[i], CollectiveTask.allGather(group, own, all, counts()));
                g.task(name + "Arrange" + which[i], SequenceParallelKernels::arrangeRowsBf16, (BFloat16Array) all, (BFloat16Array) out[i],
                        table, chunk, heads, headDim, r, segment, segmentRows);
            } else {
                g.task(name + "Send" + which[i], SequenceParallelKernels::gatherRows, (FloatArray) dense[i], (FloatArray) own, batch, chunk, heads,
                        headDim, r, segment, me, begin[me], rows[me]);
                g.library(name + "Gather" + which[i], CollectiveTask.allGather(group, own, all, counts()));
                g.task(name + "Arrange" + which[i], SequenceParallelKernels::arrangeRows, (FloatArray) all, (FloatArray) out[i], table, chunk,
                        heads, headDim, r, segment, segmentRows);
            }
        }
    }

    /**
     * Adds the backward's return of {@link #keyGrads} and {@link #valueGrads}: into every rank's block, the
     * reduce-scatter over the segment's ranks (each receives the sum of its block over the ranks whose queries
     * saw its keys), and this rank's block added into its dense dK and dV.
     */
    void appendReturn(TaskGraph g, String name, FloatArray gradK, FloatArray gradV, Scratch scratch) {
        g.transferToDevice(DataTransferMode.FIRST_EXECUTION, table);
        FloatArray[] grads = {keyGrads, valueGrads};
        FloatArray[] dense = {gradK, gradV};
        String[] which = {"K", "V"};
        int r = pair.dilationRate(), me = chunkIndex;
        for (int i = 0; i < 2; i++) {
            FloatArray all = (FloatArray) scratch.all(gradK);
            FloatArray own = (FloatArray) scratch.own(gradK);
            g.task(name + "ZeroBlocks" + which[i], SequenceParallelKernels::zero, all);
            g.task(name + "Scatter" + which[i], SequenceParallelKernels::scatterRows, grads[i], all, table, chunk, heads, headDim, r, segment,
                    segmentRows);
            g.library(name + "Return" + which[i], CollectiveTask.reduceScatter(group, all, own, counts()));
            g.task(name + "Add" + which[i], SequenceParallelKernels::addRows, own, dense[i], batch, chunk, heads, headDim, r, segment, me, begin[me],
                    rows[me]);
        }
    }

    /** The arrays this pair keeps between forward and backward. */
    List<DeviceArray> arrays() {
        return List.of(table, keys, values, keyGrads, valueGrads);
    }

    /**
     * Blocks in flight, shared by the global pairs of one attention core (their tasks run one after the other):
     * one array per element type and role, as large as the largest pair needs.
     */
    static final class Scratch {
        private final List<DeviceArray> arrays = new ArrayList<>();
        /** Elements of the largest own block and of the largest set of a group's blocks. */
        private final long[] sizes = new long[2];
        private DeviceArray ownFp32, allFp32, ownBf16, allBf16;

        /** Sizes the scratch for these pairs (call before the tasks that use it are added). */
        void reserve(List<GlobalPair> pairs) {
            for (GlobalPair p : pairs) {
                sizes[0] = Math.max(sizes[0], p.blockElements(p.chunkIndex));
                sizes[1] = Math.max(sizes[1], p.allBlocks());
            }
        }

        /** The block this rank sends, of {@code like}'s element type. */
        DeviceArray own(DeviceArray like) {
            if (like instanceof BFloat16Array) {
                return ownBf16 = ownBf16 != null ? ownBf16 : keep(new BFloat16Array(Math.max(1, sizes[0])));
            }
            return ownFp32 = ownFp32 != null ? ownFp32 : keep(new FloatArray(Math.max(1, sizes[0])));
        }

        /** The blocks of every rank of a group, of {@code like}'s element type. */
        DeviceArray all(DeviceArray like) {
            if (like instanceof BFloat16Array) {
                return allBf16 = allBf16 != null ? allBf16 : keep(new BFloat16Array(Math.max(1, sizes[1])));
            }
            return allFp32 = allFp32 != null ? allFp32 : keep(new FloatArray(Math.max(1, sizes[1])));
        }

        private DeviceArray keep(DeviceArray a) {
            arrays.add(a);
            return a;
        }

        List<DeviceArray> arrays() {
            return arrays;
        }
    }
}
