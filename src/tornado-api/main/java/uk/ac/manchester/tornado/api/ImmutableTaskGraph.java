package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.DeviceArray;

import java.util.List;

/** A task graph that no longer changes, ready for a {@link TornadoExecutionPlan}. */
public final class ImmutableTaskGraph {
    private final org.longnet.engine.graph.ImmutableTaskGraph graph;
    private final List<String> taskNames;
    /** Every array its tasks and transfers use: what the device holds for it. */
    private final List<DeviceArray> arrays;

    ImmutableTaskGraph(org.longnet.engine.graph.ImmutableTaskGraph graph, List<String> taskNames, List<DeviceArray> arrays) {
        this.graph = graph;
        this.taskNames = taskNames;
        this.arrays = arrays;
    }

    List<DeviceArray> arrays() {
        return arrays;
    }

    /** The names its tasks have in a {@link GridScheduler}: {@code graph.task}. */
    List<String> qualifiedTaskNames() {
        return taskNames.stream().map(task -> graph.name() + "." + task).toList();
    }

    org.longnet.engine.graph.ImmutableTaskGraph engineGraph() {
        return graph;
    }

    public String getTaskGraphName() {
        return graph.name();
    }
}
