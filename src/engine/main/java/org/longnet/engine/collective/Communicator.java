package org.longnet.engine.collective;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;

/**
 * A group of ranks (processes, or GPUs) that exchange device arrays: the collectives a
 * sequence-parallel model needs. Every rank of the group must make the same calls in the same
 * order with matching sizes; each call returns when this rank's part is done and its output is
 * resident on {@code device}. Sizes are in elements of the arrays given.
 * <p>
 * Implementations: {@link SingleRank} (one process, no communication), {@link MpiCommunicator}
 * (Open MPI between processes and hosts, host staging on every device) and {@code NcclCommunicator}
 * (NCCL between NVIDIA GPUs, on the device's stream). A failed call throws a
 * {@link CollectiveException} that names the call, this rank and the group; a peer that dies ends
 * the job instead of leaving it waiting ({@link Watchdog}).
 */
public interface Communicator extends AutoCloseable {
    /** This rank, 0 .. size - 1. */
    int rank();

    /** Ranks in the group. */
    int size();

    /** The ranks of the whole job that form this group, in group order (for messages). */
    int[] jobRanks();

    /**
     * Concatenates every rank's first {@code counts[rank()]} elements of {@code send} into
     * {@code recv}, in rank order: rank i's block starts at {@code counts[0] + ... + counts[i - 1]}.
     * Blocks may differ in size (a variable-size all-gather).
     */
    void allGather(Device device, DeviceArray send, DeviceArray recv, long[] counts);

    /**
     * The adjoint of {@link #allGather}: {@code send} holds one block per rank ({@code counts[i]}
     * elements each, in rank order); every rank receives into {@code recv} the sum over ranks of its
     * own block.
     */
    void reduceScatter(Device device, FloatArray send, FloatArray recv, long[] counts);

    /** Sums {@code buffer} over the ranks, in place; every rank ends with the same bits. */
    void allReduce(Device device, FloatArray buffer);

    /** Sums host values over the ranks, in place (losses, token counts, norms). */
    void allReduce(double[] values);

    /** Copies {@code root}'s {@code buffer} to every rank. */
    void broadcast(Device device, DeviceArray buffer, int root);

    /** Returns once every rank has called it. */
    void barrier();

    /**
     * The sub-group of the ranks that pass the same {@code color} (ordered by {@code key}), or null
     * for a rank that passes a negative color. Collective: every rank of this group calls it. Make
     * sub-groups once and keep them; each costs the job a round of messages.
     */
    Communicator split(int color, int key);

    /** Bytes this rank has sent and received so far, in every group split from the same job. */
    Traffic traffic();

    /** Frees the group (not the job's own group, which lives until the process ends). */
    @Override
    void close();

    /** The group in one phrase for messages: "rank 2 of 4 (job ranks 4-7)". */
    default String describe() {
        int[] ranks = jobRanks();
        String span = ranks.length == 0 ? "" : ranks.length == 1 ? " (job rank " + ranks[0] + ")"
                : " (job ranks " + ranks[0] + (ranks.length == ranks[ranks.length - 1] - ranks[0] + 1 ? "-" : ",..,") + ranks[ranks.length - 1] + ")";
        return "rank " + rank() + " of " + size() + span;
    }
}
