package org.longnet.engine.collective;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;

import java.lang.foreign.MemorySegment;

/**
 * The group of one: what a program runs with when no launcher started it with peers. Every
 * collective is its one-rank case (a gather copies the block, a sum leaves it as it is), so code
 * written for several ranks runs unchanged, and nothing is sent.
 */
public final class SingleRank implements Communicator {
    private final Traffic traffic = new Traffic();

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public int size() {
        return 1;
    }

    @Override
    public int[] jobRanks() {
        return new int[] {0};
    }

    @Override
    public void allGather(Device device, DeviceArray send, DeviceArray recv, long[] counts) {
        copy(device, send, recv, counts, "allGather");
    }

    @Override
    public void reduceScatter(Device device, FloatArray send, FloatArray recv, long[] counts) {
        copy(device, send, recv, counts, "reduceScatter");
    }

    private static void copy(Device device, DeviceArray from, DeviceArray to, long[] counts, String call) {
        if (counts.length != 1 || counts[0] < 0 || counts[0] > from.getSize() || counts[0] > to.getSize()) {
            throw new IllegalArgumentException(call + " on a single rank needs one block size within both arrays, got "
                    + java.util.Arrays.toString(counts) + " for arrays of " + from.getSize() + " and " + to.getSize());
        }
        if (from == to) {
            return;
        }
        if (device.isResident(from)) {
            device.copyToHost(from, false);
        }
        MemorySegment.copy(from.segment(), 0, to.segment(), 0, counts[0] * from.elementBytes());
        if (!device.isResident(to)) {
            device.allocate(to);
        }
        device.copyToDevice(to, false);
    }

    @Override
    public void allReduce(Device device, FloatArray buffer) {
    }

    @Override
    public void allReduce(double[] values) {
    }

    @Override
    public void broadcast(Device device, DeviceArray buffer, int root) {
        if (root != 0) {
            throw new IllegalArgumentException("broadcast root must be 0 in a group of one, was " + root);
        }
    }

    @Override
    public void barrier() {
    }

    @Override
    public Communicator split(int color, int key) {
        return color < 0 ? null : this;
    }

    @Override
    public Traffic traffic() {
        return traffic;
    }

    @Override
    public void close() {
    }
}
