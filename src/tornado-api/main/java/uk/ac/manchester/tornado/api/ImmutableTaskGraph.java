package uk.ac.manchester.tornado.api;

/** A task graph that no longer changes, ready for a {@link TornadoExecutionPlan}. */
public final class ImmutableTaskGraph {
    private final org.longnet.engine.graph.ImmutableTaskGraph graph;

    ImmutableTaskGraph(org.longnet.engine.graph.ImmutableTaskGraph graph) {
        this.graph = graph;
    }

    org.longnet.engine.graph.ImmutableTaskGraph engineGraph() {
        return graph;
    }

    public String getTaskGraphName() {
        return graph.name();
    }
}
