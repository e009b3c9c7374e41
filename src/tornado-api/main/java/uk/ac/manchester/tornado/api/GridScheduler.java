package uk.ac.manchester.tornado.api;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link WorkerGrid} of each task, by {@code "graph.task"}, for {@link TornadoExecutionPlan#withGridScheduler}. */
public class GridScheduler {
    private final Map<String, WorkerGrid> grids = new ConcurrentHashMap<>();

    public GridScheduler() {
    }

    public GridScheduler(String taskName, WorkerGrid workerGrid) {
        addWorkerGrid(taskName, workerGrid);
    }

    public void addWorkerGrid(String taskName, WorkerGrid workerGrid) {
        if (taskName == null || !taskName.contains(".")) {
            throw new IllegalArgumentException("a grid is named 'graph.task', was '" + taskName + "'");
        }
        grids.put(taskName, workerGrid);
    }

    public WorkerGrid get(String taskName) {
        return grids.get(taskName);
    }

    public boolean contains(String taskGraphName, String taskName) {
        return grids.containsKey(taskGraphName + "." + taskName);
    }

    public Set<String> keySet() {
        return grids.keySet();
    }

    @Override
    public String toString() {
        return "GridScheduler " + grids;
    }
}
