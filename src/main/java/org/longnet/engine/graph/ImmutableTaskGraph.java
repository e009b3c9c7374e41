package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;

import java.util.List;
import java.util.Set;

/** A task graph that can no longer change, ready for an {@link ExecutionPlan}. */
public final class ImmutableTaskGraph {
    private final String name;
    final List<Step> steps;
    final Set<DeviceArray> persisted;
    final Set<DeviceArray> consumed;

    ImmutableTaskGraph(String name, List<Step> steps, Set<DeviceArray> persisted, Set<DeviceArray> consumed) {
        this.name = name;
        this.steps = steps;
        this.persisted = persisted;
        this.consumed = consumed;
    }

    public String name() {
        return name;
    }
}
