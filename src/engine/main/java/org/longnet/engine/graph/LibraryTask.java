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

    /** Releases what the task keeps between runs (prepared launches); the plan calls it when it closes. */
    default void close() {
    }
}
