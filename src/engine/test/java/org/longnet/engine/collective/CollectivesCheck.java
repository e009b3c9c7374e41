package org.longnet.engine.collective;

import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.engine.device.cuda.CudaDevice;
import org.longnet.engine.device.cuda.NcclCommunicator;

import java.util.Arrays;

/**
 * One rank of {@link CollectivesTest}: runs every collective of the job's communicator on the device
 * named by the first argument, with blocks of different sizes per rank, and checks each result
 * exactly against what every rank's inputs imply. Prints "rank R ok" or fails with the first
 * difference (a non-zero exit, which ends the job). A second argument {@code nccl} runs them through NCCL
 * (a CUDA device, one rank per GPU) instead of MPI.
 */
public final class CollectivesCheck {
    private CollectivesCheck() {
    }

    public static void main(String[] args) {
        Device device = Devices.get(args[0]);
        Communicator job = args.length > 1 && args[1].equals("nccl")
                ? NcclCommunicator.create((CudaDevice) device, Communicators.job()) : Communicators.job();
        int rank = job.rank(), size = job.size();
        long[] counts = new long[size];
        for (int i = 0; i < size; i++) {
            counts[i] = 3L * i + 1 + (i % 2) * 5; // unequal blocks
        }
        long total = Arrays.stream(counts).sum();

        FloatArray mine = resident(device, new FloatArray(counts[rank]));
        for (long e = 0; e < counts[rank]; e++) {
            mine.set(e, value(rank, e));
        }
        device.copyToDevice(mine, false);
        FloatArray all = resident(device, new FloatArray(total));
        job.allGather(device, mine, all, counts);
        device.copyToHost(all, false);
        long at = 0;
        for (int i = 0; i < size; i++) {
            for (long e = 0; e < counts[i]; e++, at++) {
                expect(all.get(at) == value(i, e), "allGather", at, all.get(at), value(i, e));
            }
        }
        long othersBytes = (total - counts[rank]) * Float.BYTES;
        expect(job.traffic().received("allGather") == othersBytes, "allGather traffic", 0, job.traffic().received("allGather"), othersBytes);

        BFloat16Array half = resident(device, new BFloat16Array(counts[rank]));
        for (long e = 0; e < counts[rank]; e++) {
            half.set(e, rank + e);
        }
        device.copyToDevice(half, false);
        BFloat16Array halves = resident(device, new BFloat16Array(total));
        job.allGather(device, half, halves, counts);
        device.copyToHost(halves, false);
        at = 0;
        for (int i = 0; i < size; i++) {
            for (long e = 0; e < counts[i]; e++, at++) {
                expect(halves.get(at) == i + e, "allGather bf16", at, halves.get(at), i + e);
            }
        }

        // reduce-scatter: every rank sends value(sender, e) * (block + 1) for block b's element e; rank b gets the sum over senders.
        FloatArray blocks = resident(device, new FloatArray(total));
        at = 0;
        for (int b = 0; b < size; b++) {
            for (long e = 0; e < counts[b]; e++, at++) {
                blocks.set(at, (b + 1) * value(rank, e));
            }
        }
        device.copyToDevice(blocks, false);
        FloatArray summed = resident(device, new FloatArray(counts[rank]));
        job.reduceScatter(device, blocks, summed, counts);
        device.copyToHost(summed, false);
        for (long e = 0; e < counts[rank]; e++) {
            double expected = 0;
            for (int sender = 0; sender < size; sender++) {
                expected += (rank + 1) * value(sender, e);
            }
            expect(Math.abs(summed.get(e) - expected) <= 1e-5 * Math.abs(expected), "reduceScatter", e, summed.get(e), expected);
        }

        FloatArray vector = resident(device, new FloatArray(1000));
        for (long e = 0; e < 1000; e++) {
            vector.set(e, value(rank, e) / 7f);
        }
        device.copyToDevice(vector, false);
        job.allReduce(device, vector);
        device.copyToHost(vector, false);
        double[] checksum = {0};
        for (long e = 0; e < 1000; e++) {
            double expected = 0;
            for (int sender = 0; sender < size; sender++) {
                expected += value(sender, e) / 7f;
            }
            expect(Math.abs(vector.get(e) - expected) <= 1e-5 * Math.max(1, Math.abs(expected)), "allReduce", e, vector.get(e), expected);
            checksum[0] += Float.floatToRawIntBits(vector.get(e)) % 1000;
        }
        // Every rank must hold the same bits: the rank-0 checksum is broadcast and compared.
        double[] mineSum = {checksum[0], rank == 0 ? checksum[0] : 0};
        job.allReduce(mineSum);
        expect(mineSum[0] == size * checksum[0], "allReduce bits equal on every rank", 0, mineSum[0], size * checksum[0]);

        FloatArray shared = resident(device, new FloatArray(17));
        for (long e = 0; e < 17; e++) {
            shared.set(e, rank == size - 1 ? e * 3f : -1f);
        }
        device.copyToDevice(shared, false);
        job.broadcast(device, shared, size - 1);
        device.copyToHost(shared, false);
        for (long e = 0; e < 17; e++) {
            expect(shared.get(e) == e * 3f, "broadcast", e, shared.get(e), e * 3f);
        }

        // Sub-groups: even and odd ranks; each gathers its members' job ranks.
        Communicator half1 = job.split(rank % 2, rank);
        expect(half1.size() == (size + 1 - rank % 2) / 2, "split size", 0, half1.size(), (size + 1 - rank % 2) / 2);
        int[] members = half1.jobRanks();
        for (int i = 0; i < members.length; i++) {
            expect(members[i] == 2 * i + rank % 2, "split members", i, members[i], 2 * i + rank % 2);
        }
        FloatArray one = resident(device, new FloatArray(1));
        one.set(0, rank);
        device.copyToDevice(one, false);
        FloatArray gathered = resident(device, new FloatArray(half1.size()));
        long[] ones = new long[half1.size()];
        Arrays.fill(ones, 1);
        half1.allGather(device, one, gathered, ones);
        device.copyToHost(gathered, false);
        for (int i = 0; i < members.length; i++) {
            expect(gathered.get(i) == members[i], "allGather in a sub-group", i, gathered.get(i), members[i]);
        }
        half1.close();
        expect(job.split(-1, rank) == null, "split with a negative color", 0, 1, 0);
        job.barrier();
        System.out.println("rank " + rank + " ok");
    }

    private static float value(int rank, long e) {
        return rank * 1000f + e + 0.25f;
    }

    private static <T extends DeviceArray> T resident(Device device, T array) {
        device.allocate(array);
        return array;
    }

    private static void expect(boolean ok, String what, long at, double got, double expected) {
        if (!ok) {
            System.err.println("rank " + Communicators.job().rank() + ": " + what + " at " + at + ": got " + got + ", expected " + expected);
            System.exit(1);
        }
    }
}
