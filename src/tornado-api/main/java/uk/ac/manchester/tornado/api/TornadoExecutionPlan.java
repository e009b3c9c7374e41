package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.device.DeviceOutOfMemoryException;
import org.longnet.engine.graph.ExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.exceptions.TornadoFailureException;
import uk.ac.manchester.tornado.api.exceptions.TornadoOutOfMemoryException;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.memory.DeviceHeap;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TornadoVM's execution plan, on the engine's {@link ExecutionPlan}: runs task graphs on one device (single tasks on
 * others where {@link #withDevice(String, TornadoDevice)} puts them), keeping arrays there between executions, every
 * graph in order or the one {@link #withGraph(int)} selects. Settings take effect at
 * the next {@link #execute()}. The launcher's
 * {@code --enableProfiler console|silent} and {@code --printKernel} set the properties {@code tornado.profiler} and
 * {@code longnet.printKernel}, which every plan starts from.
 */
public class TornadoExecutionPlan implements AutoCloseable {
    /** The runtime's default device when this class was loaded (TornadoVM's constant). */
    public static final TornadoDevice DEFAULT_DEVICE = TornadoRuntimeProvider.getTornadoRuntime().getDefaultDevice();
    private final List<ImmutableTaskGraph> graphs;
    /** Devices of single tasks ({@code graph.task}), in place of the plan's. */
    private final Map<String, TornadoDevice> taskDevices = new LinkedHashMap<>();
    private final Map<TornadoVMBackendType, String> compilerFlags = new EnumMap<>(TornadoVMBackendType.class);
    /** The plan's memory limit in bytes (withMemoryLimit), or negative for none. */
    private long memoryLimit = -1;
    /** The batch size withBatch gave, or null. */
    private String batch;
    /** How many times each device the engine plan runs on had been reset when the plan was made: a reset since loses its arrays. */
    private final Map<TornadoDevice, Long> cleaningsAtStart = new LinkedHashMap<>();
    private ExecutionPlan plan;
    private TornadoDevice device;
    private GridScheduler grids;
    /** Device regions (mapOnDeviceMemoryRegion), given again to each engine plan made. */
    private final List<java.util.function.Consumer<ExecutionPlan>> regions = new java.util.ArrayList<>();
    private ProfilerMode profiler = profilerProperty();
    private boolean printKernel = Boolean.getBoolean("longnet.printKernel");
    private boolean threadInfo, cudaGraph;
    /** The result of every {@link #execute()}, in order ({@link #getPlanResult(int)}). */
    private final List<TornadoExecutionResult> results = new ArrayList<>();
    private final PlanTrace trace = new PlanTrace();
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

    /**
     * Runs the plan's graphs (or the one {@link #withGraph(int)} selected). Refused before anything runs: after a reset of
     * a device it ran on ({@link TornadoDevice#clean()}, TornadoVM's TornadoFailureException), and where its arrays exceed
     * the device heap, the plan's memory limit, or what a batch allows ({@link PlanMemory}).
     */
    public TornadoExecutionResult execute() {
        TornadoExecutionResult result = run();
        results.add(result);
        return result;
    }

    /** One execution, not kept among the plan's results (warm-ups run this). */
    private TornadoExecutionResult run() {
        checkNoReset();
        List<DeviceArray> arrays = (selectedGraph == ALL_GRAPHS ? graphs : List.of(graphs.get(selectedGraph))).stream()
                .flatMap(g -> g.arrays().stream()).toList();
        PlanMemory.check(getDevice(0), arrays, memoryLimit, batch);
        ExecutionPlan engine = plan();
        TornadoExecutionResult result;
        try {
            result = new TornadoExecutionResult(selectedGraph == ALL_GRAPHS ? engine.execute() : engine.executeGraph(selectedGraph),
                    profiler != null, trace.toString());
        } catch (DeviceOutOfMemoryException e) {
            throw new TornadoOutOfMemoryException(e.getMessage(), e);
        }
        if (profiler == ProfilerMode.CONSOLE) {
            System.out.print(result.getProfilerResult().getProfileLog());
        }
        return result;
    }

    /** The device every graph of the plan runs on. */
    public TornadoExecutionPlan withDevice(TornadoDevice device) {
        this.device = device;
        trace.add("withDevice(" + device.getId() + " " + device.getDeviceName() + ")");
        return rebuild();
    }

    /**
     * Runs the task {@code taskName} ({@code graph.task}) on {@code device}, the plan's other tasks staying on the plan's
     * device. A task's arrays are copied to its device before it runs, from wherever the newest bytes are (a device with
     * its own memory, or the host; between two devices through the host).
     */
    public TornadoExecutionPlan withDevice(String taskName, TornadoDevice device) {
        List<String> tasks = graphs.stream().flatMap(g -> g.qualifiedTaskNames().stream()).toList();
        if (!tasks.contains(taskName)) {
            throw new TornadoRuntimeException("withDevice names the task " + taskName + ", which is not one of this plan's " + tasks
                    + " (a task is named graph.task)");
        }
        taskDevices.put(taskName, device);
        trace.add("withDevice(" + taskName + ", " + device.getId() + " " + device.getDeviceName() + ")");
        return rebuild();
    }

    /**
     * TornadoVM runs the tasks placed on different devices ({@link #withDevice(String, TornadoDevice)}) at the same time, in
     * threads. Here they run one after another, in the graph's order, which gives the same results: a task that reads
     * another's output must come after it in the graph either way.
     */
    public TornadoExecutionPlan withConcurrentDevices() {
        return traced("withConcurrentDevices");
    }

    public TornadoExecutionPlan withoutConcurrentDevices() {
        return traced("withoutConcurrentDevices");
    }

    /**
     * Adds {@code compilerFlags} to the options with which devices of {@code backend} compile the plan's kernels: the OpenCL
     * program build ({@code OPENCL}), NVRTC ({@code CUDA}). Kernels are built again with the new flags at the next
     * execution. Flags of a backend this engine has not (PTX, SPIR-V, Metal) reach no device, as in TornadoVM, where they
     * apply to that backend alone; the JVM device compiles nothing at run time.
     */
    public TornadoExecutionPlan withCompilerFlags(TornadoVMBackendType backend, String compilerFlags) {
        this.compilerFlags.put(backend, compilerFlags == null ? "" : compilerFlags);
        trace.add("withCompilerFlags(" + backend + ", \"" + this.compilerFlags.get(backend) + "\")");
        return rebuild();
    }

    /**
     * Limits the device memory the plan's arrays may take ({@code "512MB"}, {@code "1GB"}): an execution whose arrays take
     * more is refused with TornadoVM's TornadoMemoryException.
     */
    public TornadoExecutionPlan withMemoryLimit(String memoryLimit) {
        this.memoryLimit = DeviceHeap.parse("withMemoryLimit", memoryLimit);
        return traced("withMemoryLimit(" + memoryLimit + ")");
    }

    public TornadoExecutionPlan withoutMemoryLimit() {
        this.memoryLimit = -1;
        return traced("withoutMemoryLimit");
    }

    /**
     * TornadoVM's batches ({@code "100MB"}): every array of the plan must have the same length and element size (else
     * TornadoBailoutRuntimeException), so that a batch is the same range of each. The plan then runs as a whole where its
     * arrays fit the device ({@link PlanMemory#check}), which gives what TornadoVM's batches give.
     */
    public TornadoExecutionPlan withBatch(String batchSize) {
        DeviceHeap.parse("withBatch", batchSize);
        this.batch = batchSize;
        return traced("withBatch(" + batchSize + ")");
    }

    /**
     * Makes {@code destArray}, in graph {@code toGraphIndex}, hold the region of {@code srcArray} (of graph
     * {@code fromGraphIndex}) that starts at element {@code offset}, moved on the device without passing through the
     * host. TornadoVM aliases the two device buffers; the engine's arrays own their memory, so the region is copied on
     * the device into {@code destArray} before its graph runs and back after it, which reads the same while the graphs
     * run one after another ({@code ExecutionPlan.withDeviceRegion}).
     */
    public void mapOnDeviceMemoryRegion(Object destArray, Object srcArray, long offset, int fromGraphIndex, int toGraphIndex) {
        DeviceArray view = DeviceArrayView.of(destArray), source = DeviceArrayView.of(srcArray);
        if (view == null || source == null) {
            throw new TornadoRuntimeException("mapOnDeviceMemoryRegion takes TornadoVM's arrays (FloatArray, IntArray, ...), was "
                    + (view == null ? destArray : srcArray).getClass().getSimpleName());
        }
        if (view.elementBytes() != source.elementBytes()) {
            throw new TornadoRuntimeException("mapOnDeviceMemoryRegion: the arrays' elements differ in size (" + view.elementBytes() + " and "
                    + source.elementBytes() + " bytes)");
        }
        java.util.function.Consumer<ExecutionPlan> region = p -> p.withDeviceRegion(view, source, offset * source.elementBytes(), fromGraphIndex,
                toGraphIndex);
        if (plan != null) {
            region.accept(plan); // a rebuild would free the source's device copy, which the region is read from
        }
        regions.add(region);
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
        trace.add("withGridScheduler(" + gridScheduler + ")");
        return rebuild();
    }

    /** Launch sizes are the engine's own again. */
    public TornadoExecutionPlan withDefaultScheduler() {
        this.grids = null;
        trace.add("withDefaultScheduler");
        return rebuild();
    }

    public TornadoExecutionPlan withProfiler(ProfilerMode profilerMode) {
        this.profiler = profilerMode;
        trace.add("withProfiler(" + profilerMode + ")");
        return rebuild();
    }

    public TornadoExecutionPlan withoutProfiler() {
        this.profiler = null;
        trace.add("withoutProfiler");
        return rebuild();
    }

    public TornadoExecutionPlan withPrintKernel() {
        this.printKernel = true;
        trace.add("withPrintKernel");
        return rebuild();
    }

    public TornadoExecutionPlan withoutPrintKernel() {
        this.printKernel = false;
        trace.add("withoutPrintKernel");
        return rebuild();
    }

    /** Kernels are compiled when they first run on a device (and cached on disk): nothing to do ahead. */
    public TornadoExecutionPlan withPreCompilation() {
        return traced("withPreCompilation");
    }

    /**
     * Runs the plan {@code iterations} times now, so later executions find kernels compiled and arrays in place. Warm-up
     * executions are not among the plan's results ({@link #getPlanResult(int)}).
     */
    public TornadoExecutionPlan withWarmUpIterations(int iterations) {
        trace.add("withWarmUpIterations(" + iterations + ")");
        for (int i = 0; i < iterations; i++) {
            run();
        }
        return this;
    }

    /** Runs the plan repeatedly for about {@code milliseconds}, as {@link #withWarmUpIterations(int)} does. */
    public TornadoExecutionPlan withWarmUpTime(long milliseconds) {
        trace.add("withWarmUpTime(" + milliseconds + ")");
        long end = System.nanoTime() + milliseconds * 1_000_000;
        do {
            run();
        } while (System.nanoTime() < end);
        return this;
    }

    /** Prints each kernel's launch before it runs: its task, device, dimensions, global and local sizes, and work-groups. */
    public TornadoExecutionPlan withThreadInfo() {
        threadInfo = true;
        if (plan != null) {
            plan.withThreadInfo(true);
        }
        return traced("withThreadInfo");
    }

    public TornadoExecutionPlan withoutThreadInfo() {
        threadInfo = false;
        if (plan != null) {
            plan.withThreadInfo(false);
        }
        return traced("withoutThreadInfo");
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
        return traced("withGraph(" + graphIndex + ")");
    }

    /** Later executions run every graph of the plan, in order (undoes {@link #withGraph(int)}). */
    public TornadoExecutionPlan withAllGraphs() {
        selectedGraph = ALL_GRAPHS;
        return traced("withAllGraphs");
    }

    /**
     * TornadoVM overlaps a plan's independent copies and kernels on several CUDA streams (on its PTX and CUDA
     * backends; on OpenCL this does nothing). The engine's devices run a plan's operations in order on one queue,
     * which gives the same results: this changes nothing here either.
     */
    public TornadoExecutionPlan withIntraPlanConcurrency() {
        return traced("withIntraPlanConcurrency");
    }

    public TornadoExecutionPlan withoutIntraPlanConcurrency() {
        return traced("withoutIntraPlanConcurrency");
    }

    /**
     * TornadoVM stages large uploads through pinned buffers (on its PTX and CUDA backends; on OpenCL this does
     * nothing). The engine copies each array in one transfer, which gives the same results: this changes nothing here.
     */
    public TornadoExecutionPlan withStagedTransfers() {
        return traced("withStagedTransfers");
    }

    public TornadoExecutionPlan withoutStagedTransfers() {
        return traced("withoutStagedTransfers");
    }

    /**
     * Records the kernels and library calls between copies in CUDA graphs on cuda devices, replayed in one driver call each
     * from the second execution on (the engine's {@code ExecutionPlan.withCudaGraph}); copies run as before. Elsewhere
     * (jvm, opencl), and with the profiler on, the tasks run as they would without this call: the same results.
     */
    public TornadoExecutionPlan withCUDAGraph() {
        cudaGraph = true;
        if (plan != null) {
            plan.withCudaGraph(true);
        }
        return traced("withCUDAGraph");
    }

    /**
     * Frees what the plan keeps on the device (its {@link #getCurrentDeviceMemoryUsage()} is 0 after); the next execution
     * allocates and copies its inputs again. Arrays persisted for another plan stay on the device for it.
     */
    public TornadoExecutionPlan freeDeviceMemory() {
        trace.add("freeDeviceMemory");
        return rebuild();
    }

    public TornadoExecutionPlan resetDevice() {
        trace.add("resetDevice");
        return rebuild();
    }

    /** Each result keeps the profile of its own execution, and later executions start new ones: nothing to clear. */
    public TornadoExecutionPlan clearProfiles() {
        return traced("clearProfiles");
    }

    /**
     * The result of execution {@code index} of this plan: 0 for the first {@link #execute()}, counting every execution
     * since the plan was made (warm-ups not included). An index that no execution has reached is refused.
     */
    public TornadoExecutionResult getPlanResult(int index) {
        if (index < 0 || index >= results.size()) {
            throw new TornadoRuntimeException("getPlanResult(" + index + "): the plan has " + results.size() + " execution result(s), so the index "
                    + (results.isEmpty() ? "names none (execute the plan first)" : "must be 0 to " + (results.size() - 1)));
        }
        return results.get(index);
    }

    /**
     * The bytes of device memory that hold the plan's arrays now, as the devices' buffers measure them: 0 before the
     * first execution and after {@link #freeDeviceMemory()} or a setting that makes the engine's plan again. On the
     * {@code jvm} device kernels work on the host's arrays, so there each array the plan placed counts its own bytes.
     */
    public long getCurrentDeviceMemoryUsage() {
        return plan == null ? 0 : plan.deviceBytes();
    }

    /**
     * The settings this plan was given, one per line in the order given, after a line {@code Root} for the plan as made:
     * {@code Root\n -> withDevice(...)\n -> withProfiler(SILENT)}. Every setting returns this plan, so the trace is the
     * same whichever reference to it a program asks.
     */
    public String getTraceExecutionPlan() {
        return trace.toString();
    }

    /** Prints {@link #getTraceExecutionPlan()}. */
    public void printTraceExecutionPlan() {
        System.out.println(getTraceExecutionPlan());
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

    /** A plan that ran on a device reset since cannot run again: its arrays there are gone (TornadoVM's rule). */
    private void checkNoReset() {
        for (Map.Entry<TornadoDevice, Long> ran : cleaningsAtStart.entrySet()) {
            if (plan != null && ran.getKey().timesCleaned() != ran.getValue()) {
                rebuild();
                throw new TornadoFailureException("device " + ran.getKey().getId() + " was reset (TornadoDevice.clean) after this plan ran on "
                        + "it, which freed the plan's arrays there; make a new plan to run again");
            }
        }
    }

    /** The engine's plan with the current settings, made on first use after a change. */
    private ExecutionPlan plan() {
        if (plan == null) {
            plan = new ExecutionPlan(graphs.stream().map(ImmutableTaskGraph::engineGraph).toArray(org.longnet.engine.graph.ImmutableTaskGraph[]::new))
                    .withDevice(getDevice(0).engineDevice()).withProfiler(profiler != null).withPrintKernel(printKernel)
                    .withOversizedGroupsReplaced(true).withContextTasksDefaultingToOneItem(true)
                    .withThreadInfo(threadInfo).withCudaGraph(cudaGraph);
            cleaningsAtStart.clear();
            cleaningsAtStart.put(getDevice(0), getDevice(0).timesCleaned());
            taskDevices.forEach((task, device) -> {
                plan.withDevice(task, device.engineDevice());
                cleaningsAtStart.put(device, device.timesCleaned());
            });
            compilerFlags.forEach((backend, flags) -> {
                switch (backend) {
                    case OPENCL -> plan.withCompilerFlags("opencl", flags);
                    case CUDA -> plan.withCompilerFlags("cuda", flags);
                    default -> {
                        // PTX, SPIR-V and Metal are TornadoVM backends this engine has not: no device reads their flags
                    }
                }
            });
            regions.forEach(r -> r.accept(plan));
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

    private TornadoExecutionPlan traced(String call) {
        trace.add(call);
        return this;
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
