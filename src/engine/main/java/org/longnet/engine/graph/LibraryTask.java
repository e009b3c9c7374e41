package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;

import java.util.List;

/**
 * A task that a library does instead of a translated kernel (cuBLAS on CUDA, say). It may pick
 * a different implementation per device; its arrays are resident when it runs.
 */
public interface LibraryTask {
    /** Every array the task reads or writes. */
    List<DeviceArray> arrays();

    /** Runs on the device; returns device nanoseconds when {@code timed}, else -1. */
    long run(Device device, boolean timed);

    /**
     * Whether a run on a device with graphs ({@link org.longnet.engine.device.Device#beginCapture}) may be recorded once and
     * replayed in place of later runs (ExecutionPlan.withCudaGraph): true only where a run, after the first, enqueues device
     * work alone (launches, library calls on the device's stream) whose arguments stay the same, and does nothing on the
     * host that must happen at every run (reads of results, allocations, messages to other processes). False by default.
     */
    default boolean capturable() {
        return false;
    }

    /** Releases what the task keeps between runs (prepared launches); the plan calls it when it closes. */
    default void close() {
    }
}
