package uk.ac.manchester.tornado.api;

import org.longnet.engine.graph.ExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

import java.util.List;

/**
 * TornadoVM's execution plan, on the engine's {@link ExecutionPlan}: runs task graphs on one device, keeping arrays
 * there between executions, every graph in order or the one {@link #withGraph(int)} selects. Settings take effect at
 * the next {@link #execute()}. The launcher's
 * {@code --enableProfiler console|silent} and {@code --printKernel} set the properties {@code tornado.profiler} and
 * {@code longnet.printKernel}, which every plan starts from.
 */
public class TornadoExecutionPlan implements AutoCloseable {
    private final List<ImmutableTaskGraph> graphs;
    private ExecutionPlan plan;
    private TornadoDevice device;
    private GridScheduler grids;
    private ProfilerMode profiler = profilerProperty();
    private boolean printKernel = Boolean.getBoolean("longnet.printKernel");
    private TornadoExecutionResult last;
    /** The graph that {@link #execute()} runs alone, or {@link #ALL_GRAPHS}. */
    private int selectedGraph = ALL_GRAPHS;
    private static final int ALL_GRAPHS = -1;

    public TornadoExecutionPlan(ImmutableTaskGraph... immutableTaskGraphs) {
        if (immutableTaskGraphs.length == 0) {
            throw new IllegalArgumentException("an execution plan needs at least one task graph");
        }
        this.graphs = List.of(immutableTaskGraphs);
    }

    /** Device {@code deviceIndex} of backend {@code backendIndex} ({@code scripts/tornado --devices} lists them). */
    public static TornadoDevice getDevice(int backendIndex, int deviceIndex) {
        return TornadoRuntimeProvider.getTornadoRuntime().getBackend(backendIndex).getDevice(deviceIndex);
    }

    /** Every backend and device of the runtime, to search. */
    public static TornadoDeviceMap getTornadoDeviceMap() {
        return new TornadoDeviceMap();
    }

    public TornadoExecutionResult execute() {
        ExecutionPlan engine = plan();
        last = new TornadoExecutionResult(selectedGraph == ALL_GRAPHS ? engine.execute() : engine.executeGraph(selectedGraph),
                profiler != null);
        if (profiler == ProfilerMode.CONSOLE) {
            System.out.print(last.getProfilerResult().getProfileLog());
        }
        return last;
    }

    /** The device every graph of the plan runs on. */
    public TornadoExecutionPlan withDevice(TornadoDevice device) {
        this.device = device;
        return rebuild();
    }

    /** The device the plan runs on (the same for every graph here). */
    public TornadoDevice getDevice(int immutableTaskGraphIndex) {
        if (immutableTaskGraphIndex < 0 || immutableTaskGraphIndex >= graphs.size()) {
            throw new IllegalArgumentException("graph index must be 0 to " + (graphs.size() - 1) + ", was " + immutableTaskGraphIndex);
        }
        return device != null ? device : TornadoRuntimeProvider.getTornadoRuntime().getDefaultDevice();
    }

    /**
     * Launch sizes for the tasks the grid names ({@code graph.task}), shared by all graphs of the plan. As in TornadoVM,
     * a grid that names no task of any graph of the plan is refused with a {@link TornadoRuntimeException}.
     */
    public TornadoExecutionPlan withGridScheduler(GridScheduler gridScheduler) {
        List<String> tasks = graphs.stream().flatMap(g -> g.qualifiedTaskNames().stream()).toList();
        if (gridScheduler.keySet().stream().noneMatch(tasks::contains)) {
            throw new TornadoRuntimeException("the GridScheduler names " + gridScheduler.keySet() + ", none of them a task of this plan "
                    + tasks + " (a grid is named graph.task)");
        }
        this.grids = gridScheduler;
        return rebuild();
    }

    /** Launch sizes are the engine's own again. */
    public TornadoExecutionPlan withDefaultScheduler() {
        this.grids = null;
        return rebuild();
    }

    public TornadoExecutionPlan withProfiler(ProfilerMode profilerMode) {
        this.profiler = profilerMode;
        return rebuild();
    }

    public TornadoExecutionPlan withoutProfiler() {
        this.profiler = null;
        return rebuild();
    }

    public TornadoExecutionPlan withPrintKernel() {
        this.printKernel = true;
        return rebuild();
    }

    public TornadoExecutionPlan withoutPrintKernel() {
        this.printKernel = false;
        return rebuild();
    }

    /** Kernels are compiled when they first run on a device (and cached on disk): nothing to do ahead. */
    public TornadoExecutionPlan withPreCompilation() {
        return this;
    }

    /** Runs the plan {@code iterations} times now, so later executions find kernels compiled and arrays in place. */
    public TornadoExecutionPlan withWarmUpIterations(int iterations) {
        for (int i = 0; i < iterations; i++) {
            execute();
        }
        return this;
    }

    /** Runs the plan repeatedly for about {@code milliseconds}. */
    public TornadoExecutionPlan withWarmUpTime(long milliseconds) {
        long end = System.nanoTime() + milliseconds * 1_000_000;
        do {
            execute();
        } while (System.nanoTime() < end);
        return this;
    }

    /** Accepted for TornadoVM's programs; the engine runs each task on the launching thread's schedule. */
    public TornadoExecutionPlan withThreadInfo() {
        return this;
    }

    public TornadoExecutionPlan withoutThreadInfo() {
        return this;
    }

    /**
     * Later executions run only graph {@code graphIndex} (its position in the constructor's list). Each graph keeps
     * its own count of executions, so its {@code FIRST_EXECUTION} copies happen on its own first run.
     */
    public TornadoExecutionPlan withGraph(int graphIndex) {
        if (graphIndex < 0 || graphIndex >= graphs.size()) {
            throw new IllegalArgumentException("graph index must be 0 to " + (graphs.size() - 1) + ", was " + graphIndex);
        }
        selectedGraph = graphIndex;
        return this;
    }

    /** Later executions run every graph of the plan, in order (undoes {@link #withGraph(int)}). */
    public TornadoExecutionPlan withAllGraphs() {
        selectedGraph = ALL_GRAPHS;
        return this;
    }

    /**
     * TornadoVM overlaps a plan's independent copies and kernels on several CUDA streams (on its PTX and CUDA
     * backends; on OpenCL this does nothing). The engine's devices run a plan's operations in order on one queue,
     * which gives the same results: this changes nothing here either.
     */
    public TornadoExecutionPlan withIntraPlanConcurrency() {
        return this;
    }

    public TornadoExecutionPlan withoutIntraPlanConcurrency() {
        return this;
    }

    /**
     * TornadoVM stages large uploads through pinned buffers (on its PTX and CUDA backends; on OpenCL this does
     * nothing). The engine copies each array in one transfer, which gives the same results: this changes nothing here.
     */
    public TornadoExecutionPlan withStagedTransfers() {
        return this;
    }

    public TornadoExecutionPlan withoutStagedTransfers() {
        return this;
    }

    /**
     * TornadoVM captures the plan's copies and kernels in a CUDA graph on devices that support one, and on others
     * falls back to running the tasks without (in Java). No engine device captures graphs, so the plan runs as it
     * would without this call, on its device: the same results.
     */
    public TornadoExecutionPlan withCUDAGraph() {
        return this;
    }

    /** Frees what the plan keeps on the device; the next execution copies its inputs again. */
    public TornadoExecutionPlan freeDeviceMemory() {
        return rebuild();
    }

    public TornadoExecutionPlan resetDevice() {
        return rebuild();
    }

    public TornadoExecutionPlan clearProfiles() {
        last = null;
        return this;
    }

    /** The result of the last execution (the index of a graph is accepted; one result covers the plan). */
    public TornadoExecutionResult getPlanResult(int index) {
        return last;
    }

    @Override
    public void close() throws TornadoExecutionPlanException {
        try {
            if (plan != null) {
                plan.close();
                plan = null;
            }
        } catch (RuntimeException e) {
            throw new TornadoExecutionPlanException("closing the plan failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TornadoExecutionPlan of " + graphs.stream().map(ImmutableTaskGraph::getTaskGraphName).toList() + " on "
                + getDevice(0).getId();
    }

    /** The engine's plan with the current settings, made on first use after a change. */
    private ExecutionPlan plan() {
        if (plan == null) {
            plan = new ExecutionPlan(graphs.stream().map(ImmutableTaskGraph::engineGraph).toArray(org.longnet.engine.graph.ImmutableTaskGraph[]::new))
                    .withDevice(getDevice(0).engineDevice()).withProfiler(profiler != null).withPrintKernel(printKernel);
            if (grids != null) {
                for (String key : grids.keySet()) {
                    if (!(grids.get(key) instanceof AbstractWorkerGrid grid)) {
                        throw new IllegalArgumentException("the grid of " + key + " must be a WorkerGrid1D, 2D or 3D");
                    }
                    plan.withGrid(key, grid.toEngine());
                }
            }
        }
        return plan;
    }

    /** Closes the engine's plan (freeing its device arrays) so that the next execution makes one with the new settings. */
    private TornadoExecutionPlan rebuild() {
        if (plan != null) {
            plan.close();
            plan = null;
        }
        return this;
    }

    private static ProfilerMode profilerProperty() {
        String value = System.getProperty("tornado.profiler", "false");
        return switch (value.toLowerCase()) {
            case "false" -> null;
            case "silent" -> ProfilerMode.SILENT;
            case "true", "console" -> ProfilerMode.CONSOLE;
            default -> throw new IllegalArgumentException("tornado.profiler must be false, silent or console, was " + value);
        };
    }
}
