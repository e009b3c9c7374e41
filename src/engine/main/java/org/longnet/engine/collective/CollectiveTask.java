package org.longnet.engine.collective;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.LibraryTask;

import java.util.List;

/**
 * A collective as a step of a task graph, between the kernels that make its input and use its
 * output: {@code graph.library("gatherK", CollectiveTask.allGather(group, send, recv, counts))}.
 * Every rank's graph must hold the same collectives in the same order. Timed runs report the
 * wall time of the call, which includes waiting for the slowest peer.
 */
public final class CollectiveTask implements LibraryTask {
    private final List<DeviceArray> arrays;
    private final Call call;

    @FunctionalInterface
    private interface Call {
        void run(Device device);
    }

    private CollectiveTask(List<DeviceArray> arrays, Call call) {
        this.arrays = arrays;
        this.call = call;
    }

    /** {@link Communicator#allGather}. */
    public static CollectiveTask allGather(Communicator group, DeviceArray send, DeviceArray recv, long[] counts) {
        long[] fixed = counts.clone();
        return new CollectiveTask(List.of(send, recv), device -> group.allGather(device, send, recv, fixed));
    }

    /** {@link Communicator#reduceScatter}. */
    public static CollectiveTask reduceScatter(Communicator group, FloatArray send, FloatArray recv, long[] counts) {
        long[] fixed = counts.clone();
        return new CollectiveTask(List.of(send, recv), device -> group.reduceScatter(device, send, recv, fixed));
    }

    /** {@link Communicator#allReduce(Device, FloatArray)}. */
    public static CollectiveTask allReduce(Communicator group, FloatArray buffer) {
        return new CollectiveTask(List.of(buffer), device -> group.allReduce(device, buffer));
    }

    @Override
    public List<DeviceArray> arrays() {
        return arrays;
    }

    @Override
    public long run(Device device, boolean timed) {
        long start = System.nanoTime();
        call.run(device);
        return timed ? System.nanoTime() - start : -1;
    }
}
