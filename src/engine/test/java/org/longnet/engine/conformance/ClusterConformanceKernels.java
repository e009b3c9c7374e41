package org.longnet.engine.conformance;

import org.longnet.engine.api.Clusters;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.Kernel;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.Warpgroups;

/**
 * The conformance kernels of thread-block clusters (distributed shared memory across the groups of a cluster) and of
 * warp specialization (a producer warpgroup feeding two consumer warpgroups through a ring of local stages, with the
 * registers moved from the producer to the consumers). ClusterConformanceTest checks them against plain Java.
 */
final class ClusterConformanceKernels {
    /** Work-items of a cluster kernel's group; clusters of {@link #CLUSTER} groups. */
    static final int GROUP = 64, CLUSTER = 4;
    /** The producer/consumer kernel: three warpgroups, ring stages of one element per consumer, steps per group. */
    static final int SPECIALIZED_GROUP = 384, STAGE = 256, STEPS = 5;
    /** The cluster pipeline: pairs of groups of a producer and a consumer warpgroup; each group loads HALF of a shared tile. */
    static final int PAIR = 2, HALF = 128;

    private ClusterConformanceKernels() {
    }

    /**
     * Each group holds its slice of x in a local tile; after a cluster barrier each element takes its neighbours, the
     * ones at a group's edges from the neighbouring groups' tiles (zero at the cluster's edges): y[i] = x[i-1] + 2 x[i] + x[i+1].
     * Each group's sum goes into the tile of the cluster's first group (a remote store), whose first work-item adds them
     * into {@code sums[cluster]}. {@code ids} records the remapped ids: group, local id, group size, rank, cluster.
     */
    @Kernel(clusterSize = CLUSTER)
    static void stencilAndSum(KernelContext ctx, FloatArray x, FloatArray y, FloatArray sums, IntArray ids, int n) {
        float[] tile = ctx.allocateFloatLocalArray(GROUP);
        float[] partial = ctx.allocateFloatLocalArray(GROUP);
        float[] gathered = ctx.allocateFloatLocalArray(CLUSTER);
        int i = ctx.globalIdx, l = ctx.localIdx, rank = Clusters.rank(ctx), size = Clusters.size(ctx);
        float own = i < n ? x.get(i) : 0f;
        tile[l] = own;
        partial[l] = own;
        Clusters.barrier(ctx);
        float left = l > 0 ? tile[l - 1] : rank > 0 ? Clusters.load(ctx, tile, rank - 1, GROUP - 1) : 0f;
        float right = l < GROUP - 1 ? tile[l + 1] : rank < size - 1 ? Clusters.load(ctx, tile, rank + 1, 0) : 0f;
        if (i < n) {
            y.set(i, left + 2f * own + right);
        }
        for (int half = GROUP / 2; half > 0; half /= 2) {
            if (l < half) {
                partial[l] += partial[l + half];
            }
            ctx.localBarrier();
        }
        if (l == 0) {
            Clusters.store(ctx, gathered, 0, rank, partial[0]);
        }
        Clusters.barrier(ctx);
        if (rank == 0 && l == 0) {
            float sum = 0f;
            for (int r = 0; r < size; r++) {
                sum += gathered[r];
            }
            sums.set(Clusters.id(ctx), sum);
        }
        if (i < n) {
            ids.set(5L * i, ctx.groupIdx);
            ids.set(5L * i + 1, l);
            ids.set(5L * i + 2, ctx.localGroupSizeX);
            ids.set(5L * i + 3, rank);
            ids.set(5L * i + 4, Clusters.id(ctx) * 100 + size);
        }
        Clusters.barrier(ctx); // no group may end while a peer could still read its tile
    }

    /**
     * Warp specialization: warpgroup 0 produces (copies x into a ring of two stages), warpgroups 1 and 2 consume (each
     * element of a stage with its neighbour in the stage: z[i] = 3 s[j] - s[(j + 1) % STAGE]), one step behind; a group
     * handles STEPS stages. The producer gives up registers and the consumers take them, which changes no result.
     */
    @Kernel(groupSize = SPECIALIZED_GROUP, minGroupsPerUnit = 1)
    static void producerConsumer(KernelContext ctx, FloatArray x, FloatArray z, IntArray roles, int n) {
        float[] ring = ctx.allocateFloatLocalArray(2 * STAGE);
        int warpgroup = Warpgroups.index(ctx), t = Warpgroups.thread(ctx);
        if (warpgroup == 0) {
            Warpgroups.decreaseRegisters(ctx, 40);
        } else {
            Warpgroups.increaseRegisters(ctx, 232);
        }
        long base = (long) ctx.groupIdx * STEPS * STAGE;
        for (int step = 0; step <= STEPS; step++) {
            if (warpgroup == 0 && step < STEPS) {
                for (int k = t; k < STAGE; k += Warpgroups.SIZE) {
                    long i = base + (long) step * STAGE + k;
                    ring[step % 2 * STAGE + k] = i < n ? x.get(i) : 0f;
                }
            }
            if (warpgroup > 0 && step > 0) {
                int j = (warpgroup - 1) * Warpgroups.SIZE + t, at = (step - 1) % 2 * STAGE;
                long i = base + (long) (step - 1) * STAGE + j;
                if (i < n) {
                    z.set(i, 3f * ring[at + j] - ring[at + (j + 1) % STAGE]);
                }
            }
            ctx.localBarrier();
        }
        if (ctx.globalIdx < roles.getSize()) {
            roles.set(ctx.globalIdx, warpgroup * 1000 + t);
        }
    }

    /**
     * Clusters and warp specialization together, as kernels that share tiles across a cluster do: each step, the producer
     * warpgroup of each of the two groups loads its half of the cluster's tile of x into a ring of two stages; after a
     * cluster barrier each consumer reads both halves, its own and its peer's, through distributed shared memory:
     * y[((cluster * STEPS + step) * 2 + rank) * HALF + t] = (rank + 1) (tile[t] + 2 tile[HALF + t]).
     */
    @Kernel(clusterSize = PAIR, groupSize = 2 * HALF, minGroupsPerUnit = 1)
    static void clusterPipeline(KernelContext ctx, FloatArray x, FloatArray y, int n) {
        float[] ring = ctx.allocateFloatLocalArray(2 * HALF);
        int warpgroup = Warpgroups.index(ctx), t = Warpgroups.thread(ctx), rank = Clusters.rank(ctx), cluster = Clusters.id(ctx);
        if (warpgroup == 0) {
            Warpgroups.decreaseRegisters(ctx, 40);
        } else {
            Warpgroups.increaseRegisters(ctx, 240);
        }
        for (int step = 0; step <= STEPS; step++) {
            if (warpgroup == 0 && step < STEPS) {
                long i = ((long) cluster * STEPS + step) * PAIR * HALF + (long) rank * HALF + t;
                ring[step % 2 * HALF + t] = i < n ? x.get(i) : 0f;
            }
            if (warpgroup == 1 && step > 0) {
                int at = (step - 1) % 2 * HALF + t;
                float first = Clusters.load(ctx, ring, 0, at), second = Clusters.load(ctx, ring, 1, at);
                y.set((((long) cluster * STEPS + step - 1) * PAIR + rank) * HALF + t, (rank + 1) * (first + 2f * second));
            }
            Clusters.barrier(ctx);
        }
    }
}
