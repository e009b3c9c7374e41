package uk.ac.manchester.tornado.api;

import java.util.List;

/** A task graph that no longer changes, ready for a {@link TornadoExecutionPlan}. */
public final class ImmutableTaskGraph {
    private final org.longnet.engine.graph.ImmutableTaskGraph graph;
    private final List<String> taskNames;

    ImmutableTaskGraph(org.longnet.engine.graph.ImmutableTaskGraph graph, List<String> taskNames) {
        this.graph = graph;
        this.taskNames = taskNames;
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
