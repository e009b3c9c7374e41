package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;

/** What one {@link ExecutionPlan#execute()} produced: its profile, and on-demand copies back. */
public final class ExecutionResult {
    private final Device device;
    private final Profile profile;

    ExecutionResult(Device device, Profile profile) {
        this.device = device;
        this.profile = profile;
    }

    /** Copies arrays marked {@link DataTransferMode#UNDER_DEMAND} (or any resident array) back to the host now. */
    public ExecutionResult transferToHost(DeviceArray... arrays) {
        for (DeviceArray a : arrays) {
            device.copyToHost(a, false);
        }
        return this;
    }

    /** Per-kernel and per-copy device times; empty unless the plan was built {@code withProfiler(true)}. */
    public Profile profile() {
        return profile;
    }
}
