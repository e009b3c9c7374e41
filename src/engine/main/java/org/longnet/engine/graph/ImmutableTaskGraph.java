package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A task graph that can no longer change, ready for an {@link ExecutionPlan}. */
public final class ImmutableTaskGraph {
    private final String name;
    final List<Step> steps;
    final Set<DeviceArray> persisted;
    final Set<DeviceArray> consumed;
    /** Launch sizes given while building, by task name. */
    final Map<String, WorkerGrid> grids;

    ImmutableTaskGraph(String name, List<Step> steps, Set<DeviceArray> persisted, Set<DeviceArray> consumed,
                       Map<String, WorkerGrid> grids) {
        this.name = name;
        this.steps = steps;
        this.persisted = persisted;
        this.consumed = consumed;
        this.grids = grids;
    }

    public String name() {
        return name;
    }
}
