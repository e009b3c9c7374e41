package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;

import java.util.function.Consumer;

/** What one {@link ExecutionPlan#execute()} produced: its profile, and on-demand copies back. */
public final class ExecutionResult {
    private final Profile profile;
    /** Copies one array's newest bytes to the host: from the plan's device, or from wherever a plan of several devices left them. */
    private final Consumer<DeviceArray> toHost;

    ExecutionResult(Device device, Profile profile) {
        this(device, profile, a -> device.copyToHost(a, false));
    }

    ExecutionResult(Device device, Profile profile, Consumer<DeviceArray> toHost) {
        this.profile = profile;
        this.toHost = toHost;
    }

    /** Copies arrays marked {@link DataTransferMode#UNDER_DEMAND} (or any resident array) back to the host now. */
    public ExecutionResult transferToHost(DeviceArray... arrays) {
        for (DeviceArray a : arrays) {
            toHost.accept(a);
        }
        return this;
    }

    /** Per-kernel and per-copy device times; empty unless the plan was built {@code withProfiler(true)}. */
    public Profile profile() {
        return profile;
    }
}
