package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.Devices;
import org.longnet.engine.device.DispatchClock;
import org.longnet.engine.device.Launch;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Runs task graphs on one device (TornadoVM's TornadoExecutionPlan). Arrays stay on the device
 * between tasks and between executions; {@link #close()} frees what the graphs used, except
 * arrays a graph persisted for another to consume.
 */
public final class ExecutionPlan implements AutoCloseable {
    private final List<ImmutableTaskGraph> graphs;
    private final LaunchSizes sizes = new LaunchSizes();
    private final Set<Class<?>> printed = new HashSet<>();
    private final DeviceRegions regions = new DeviceRegions();
    /** Launches readied on first use and reused by later executions (arguments and sizes of a task never change). */
    private final Map<Step, Device.Prepared> prepared = new java.util.IdentityHashMap<>();
    /** Null until {@link #withDevice} or first use, so a plan given its device never looks up the default. */
    private Device device;
    private boolean profile;
    private boolean printKernel = Boolean.getBoolean("longnet.printKernel");
    private boolean threadInfo;
    /** The sizes of each step's prepared launch, for {@link #withThreadInfo}. */
    private final Map<Step, Launch> launches = new java.util.IdentityHashMap<>();
    /** How many times each graph (by position) has run: a FIRST_EXECUTION copy happens on a graph's first run. */
    private final long[] executions;
    /** Tasks ({@code graph.task}) that run on another device than the plan's; while there are any, a {@link Placement} moves arrays. */
    private final Map<String, Device> taskDevices = new HashMap<>();
    private Placement placement;
    /** Flags for the compiler of each backend ({@code opencl}, {@code cuda}), added to the engine's own options. */
    private final Map<String, String> compilerFlags = new HashMap<>();
    /** What the plan has placed on devices, for {@link #deviceBytes()} and each execution's {@link Profile#allocatedBytes()}. */
    private final DeviceHoldings holdings = new DeviceHoldings();
    private boolean cudaGraph;
    private final CapturedStretches stretches = new CapturedStretches();

    public ExecutionPlan(ImmutableTaskGraph... graphs) {
        if (graphs.length == 0) {
            throw new IllegalArgumentException("an execution plan needs at least one task graph");
        }
        this.graphs = List.of(graphs);
        this.executions = new long[graphs.length];
        for (ImmutableTaskGraph g : graphs) {
            g.grids.forEach((task, grid) -> sizes.grids.put(g.name() + "." + task, grid));
        }
    }

    public ExecutionPlan withDevice(Device device) {
        this.device = device;
        return this;
    }

    public Device device() {
        if (device == null) {
            device = Devices.defaultDevice();
        }
        return device;
    }

    /**
     * Runs the task {@code "graph.task"} on {@code device} instead of the plan's device. Each task's arrays are then
     * copied to its device before it runs, from wherever their newest bytes are (through the host between devices).
     */
    public ExecutionPlan withDevice(String graphDotTask, Device device) {
        if (!graphDotTask.contains(".")) {
            throw new IllegalArgumentException("a task's device is given as 'graph.task', was '" + graphDotTask + "'");
        }
        taskDevices.put(graphDotTask, device);
        return this;
    }

    /**
     * Adds {@code flags} to the options with which devices of {@code backend} ({@code opencl}: the program build;
     * {@code cuda}: NVRTC) compile this plan's kernels; the JVM device compiles nothing at run time and has none.
     */
    public ExecutionPlan withCompilerFlags(String backend, String flags) {
        compilerFlags.put(backend, flags);
        return this;
    }

    /** Times every kernel and copy on the device (adds a synchronization after each). */
    public ExecutionPlan withProfiler(boolean on) {
        this.profile = on;
        return this;
    }

    /**
     * Records the kernels and library calls between copies into CUDA graphs and replays them, one driver call for each run of
     * tasks, in later executions (TornadoVM's withCUDAGraph): see {@link CapturedStretches}. A run is recorded on its second
     * execution and again after its launches turn stale (an array of the device freed). Devices without graphs (jvm, opencl)
     * run as without it; so does a plan with the profiler on (a timed launch cannot be recorded) or with tasks on several devices.
     * The arguments of a recorded launch are those it was prepared with, as they are for every launch of a plan.
     */
    public ExecutionPlan withCudaGraph(boolean on) {
        this.cudaGraph = on;
        return this;
    }

    /** How many times this plan has launched a recorded CUDA graph ({@link #withCudaGraph}); 0 on devices without graphs. */
    public long cudaGraphLaunches() {
        return stretches.launches();
    }

    /** Prints the generated source of each kernel class the first time it runs. */
    public ExecutionPlan withPrintKernel(boolean on) {
        this.printKernel = on;
        return this;
    }

    /**
     * Runs a {@code @Parallel} task whose WorkerGrid asks for a bigger work-group than the device has with the device's
     * default instead, after a warning, rather than refusing it (TornadoVM's behaviour). Its results do not depend on the
     * work-group; a KernelContext task's do, so its oversized group is still refused.
     */
    public ExecutionPlan withOversizedGroupsReplaced(boolean on) {
        sizes.replaceOversizedGroups = on;
        return this;
    }

    /**
     * Runs a KernelContext task that was given no grid as one work-item in a group of one, after a warning, rather than
     * refusing it (TornadoVM's behaviour, which its programs rely on for kernels written for a single thread).
     */
    public ExecutionPlan withContextTasksDefaultingToOneItem(boolean on) {
        sizes.contextTasksDefaultToOneItem = on;
        return this;
    }

    /**
     * Makes {@code view}, an array of graph {@code toGraph}, hold the region of {@code source} (an array of graph
     * {@code fromGraph}) that starts at byte {@code byteOffset}, moved on the device alone (TornadoVM's
     * {@code mapOnDeviceMemoryRegion}): see {@link DeviceRegions}. A copy of {@code view} into the device marked
     * UNDER_DEMAND is then left out.
     */
    public ExecutionPlan withDeviceRegion(DeviceArray view, DeviceArray source, long byteOffset, int fromGraph, int toGraph) {
        for (int g : new int[] {fromGraph, toGraph}) {
            if (g < 0 || g >= graphs.size()) {
                throw new IllegalArgumentException("graph index must be 0 to " + (graphs.size() - 1) + ", was " + g);
            }
        }
        regions.add(new DeviceRegions.Region(view, source, byteOffset, fromGraph, toGraph));
        return this;
    }

    /** Prints each kernel's launch (its device, global and local sizes, work-groups) before it runs: TornadoVM's thread info. */
    public ExecutionPlan withThreadInfo(boolean on) {
        this.threadInfo = on;
        return this;
    }

    /** Launch sizes for the task {@code "graph.task"}. */
    public ExecutionPlan withGrid(String graphDotTask, WorkerGrid grid) {
        if (!graphDotTask.contains(".")) {
            throw new IllegalArgumentException("grid key must be 'graph.task', was '" + graphDotTask + "'");
        }
        sizes.grids.put(graphDotTask, grid);
        return this;
    }

    /**
     * The bytes of device memory that hold the arrays this plan placed on its devices (allocated, copied there or
     * consumed), now: after {@link #close()} only those it persisted for another plan, while the device keeps them.
     */
    public long deviceBytes() {
        return holdings.bytes();
    }

    /** Runs every graph, in order. */
    public ExecutionResult execute() {
        return runGraphs(IntStream.range(0, graphs.size()).toArray());
    }

    /** Runs the graph at {@code index} (its position in the constructor's list) alone. */
    public ExecutionResult executeGraph(int index) {
        if (index < 0 || index >= graphs.size()) {
            throw new IllegalArgumentException("graph index must be 0 to " + (graphs.size() - 1) + ", was " + index);
        }
        return runGraphs(index);
    }

    private ExecutionResult runGraphs(int... indices) {
        Device device = device();
        if (!taskDevices.isEmpty()) {
            if (!regions.isEmpty()) {
                throw new IllegalArgumentException("device regions (mapOnDeviceMemoryRegion) need every task of the plan on one device; "
                        + "some tasks have devices of their own (withDevice of a task)");
            }
            return runPlaced(indices);
        }
        long start = System.nanoTime();
        Profile p = new Profile();
        for (int i : indices) {
            boolean mapped = regions.has(i);
            if (mapped) {
                long ns = regions.before(i, device, profile);
                record(p, new Profile.Event(graphs.get(i).name() + " device regions in", Profile.Kind.COPY_IN, regions.bytes(i), ns));
                for (DeviceArray view : regions.views(i)) {
                    placed(device, view, p);
                }
            }
            ImmutableTaskGraph g = graphs.get(i);
            boolean first = executions[i] == 0;
            if (cudaGraph && !profile) {
                stretches.run(device, g.name(), g.steps, step -> run(g, first, step, p), prepared::get);
            } else {
                for (Step step : g.steps) {
                    run(g, first, step, p);
                }
            }
            if (mapped) {
                long ns = regions.after(i, device, profile);
                record(p, new Profile.Event(graphs.get(i).name() + " device regions out", Profile.Kind.COPY_OUT, regions.bytes(i), ns));
            }
        }
        device.synchronize();
        for (int i : indices) {
            executions[i]++;
        }
        p.hostNanos(System.nanoTime() - start);
        return new ExecutionResult(device, p);
    }

    /** Runs graphs whose tasks are on several devices, moving each task's arrays to its device first. */
    private ExecutionResult runPlaced(int... indices) {
        if (placement == null) {
            placement = new Placement();
        }
        long start = System.nanoTime();
        Profile p = new Profile();
        Set<Device> ran = new LinkedHashSet<>();
        for (int i : indices) {
            ImmutableTaskGraph g = graphs.get(i);
            if (!g.consumed.isEmpty() || !g.persisted.isEmpty()) {
                throw new IllegalArgumentException("graph " + g.name() + " persists or consumes arrays on a device, which needs all of "
                        + "its tasks on one device; it has tasks on others (withDevice of a task)");
            }
            for (Step step : g.steps) {
                switch (step) {
                    case Step.CopyIn in -> {
                        if (in.mode() == DataTransferMode.EVERY_EXECUTION || executions[i] == 0) {
                            in.arrays().forEach(placement::hostWritten);
                        }
                    }
                    case Step.CopyOut out -> {
                        if (out.mode() == DataTransferMode.EVERY_EXECUTION) {
                            for (DeviceArray a : out.arrays()) {
                                long ns = placement.toHost(a, transfers(p));
                                record(p, new Profile.Event(g.name() + " copy out", Profile.Kind.COPY_OUT, a.byteSize(), ns));
                            }
                        }
                    }
                    case Step.Kernel k -> {
                        Device on = taskDevices.getOrDefault(g.name() + "." + k.name(), device);
                        ran.add(on);
                        List<DeviceArray> arrays = Arrays.stream(k.args()).map(DeviceArrayView::of).filter(java.util.Objects::nonNull).toList();
                        for (DeviceArray a : arrays) {
                            long ns = placement.bring(a, on, transfers(p));
                            record(p, new Profile.Event(g.name() + " copy in", Profile.Kind.COPY_IN, a.byteSize(), ns));
                            placed(on, a, p);
                        }
                        Device.Prepared launch = prepared(k, () -> compiled(p, () -> on.prepare(k.kernel(), k.args(),
                                sized(k, sizes.of(on, g.name() + "." + k.name(), k.kernel(), k.args())), compilerFlags.getOrDefault(on.info().backend(), ""))));
                        printLaunch(g.name() + "." + k.name(), on, k);
                        long ns = launch.launch(kernels(p));
                        record(p, new Profile.Event(g.name() + "." + k.name(), Profile.Kind.KERNEL, 0, ns));
                        arrays.forEach(a -> placement.written(a, on));
                    }
                    case Step.Library l -> throw new IllegalArgumentException("graph " + g.name() + " has the library task " + l.name()
                            + ", which runs on the plan's device alone; it has tasks on other devices (withDevice of a task)");
                    case Step.Prebuilt b -> throw new IllegalArgumentException("graph " + g.name() + " has the prebuilt task " + b.name()
                            + ", which runs on the plan's device alone; it has tasks on other devices (withDevice of a task)");
                }
            }
        }
        ran.forEach(Device::synchronize);
        for (int i : indices) {
            executions[i]++;
        }
        p.hostNanos(System.nanoTime() - start);
        Placement moved = placement;
        return new ExecutionResult(device, p, a -> moved.toHost(a, null));
    }

    private void run(ImmutableTaskGraph g, boolean first, Step step, Profile p) {
        switch (step) {
            case Step.CopyIn in -> {
                for (DeviceArray a : in.arrays()) {
                    if (g.consumed.contains(a)) {
                        requireResident(g, a);
                    } else if (in.mode() == DataTransferMode.EVERY_EXECUTION || first && in.mode() == DataTransferMode.FIRST_EXECUTION
                            || !device.isResident(a)) {
                        long ns = device.copyToDevice(a, transfers(p));
                        record(p, new Profile.Event(g.name() + " copy in", Profile.Kind.COPY_IN, a.byteSize(), ns));
                        placed(device, a, p);
                    }
                }
            }
            case Step.CopyOut out -> {
                if (out.mode() == DataTransferMode.EVERY_EXECUTION) {
                    for (DeviceArray a : out.arrays()) {
                        long ns = device.copyToHost(a, transfers(p));
                        record(p, new Profile.Event(g.name() + " copy out", Profile.Kind.COPY_OUT, a.byteSize(), ns));
                    }
                }
            }
            case Step.Kernel k -> {
                Device.Prepared launch = prepared(k, () -> prepare(g, k, p));
                printLaunch(g.name() + "." + k.name(), device, k);
                long ns = launch.launch(kernels(p));
                record(p, new Profile.Event(g.name() + "." + k.name(), Profile.Kind.KERNEL, 0, ns));
            }
            case Step.Library l -> {
                for (DeviceArray a : l.task().arrays()) {
                    device.allocate(a);
                    placed(device, a, p);
                }
                long ns = l.task().run(device, profile);
                record(p, new Profile.Event(g.name() + "." + l.name(), Profile.Kind.LIBRARY, 0, ns));
            }
            case Step.Prebuilt b -> {
                Device.Prepared launch = prepared(b, () -> {
                    if (!device.info().backend().equals(b.kernel().backend())) {
                        throw new IllegalArgumentException("prebuilt task " + g.name() + "." + b.name() + ": " + b.kernel().file() + " runs on "
                                + b.kernel().backend() + " devices, and the plan runs on " + device.info().id());
                    }
                    for (DeviceArray a : b.kernel().arrays()) {
                        device.allocate(a);
                        placed(device, a, p);
                    }
                    return compiled(p, () -> device.prepareSource(b.kernel().file(), b.kernel().source(), b.kernel().entryPoint(),
                            b.kernel().args(), sized(b, sizes.prebuilt(device, g.name() + "." + b.name()))));
                });
                printLaunch(g.name() + "." + b.name(), device, b);
                long ns = launch.launch(kernels(p));
                record(p, new Profile.Event(g.name() + "." + b.name(), Profile.Kind.KERNEL, 0, ns));
            }
        }
    }

    /** The launch of {@code step} readied before, or a new one from {@code make} where there is none or it turned stale. */
    private Device.Prepared prepared(Step step, java.util.function.Supplier<Device.Prepared> make) {
        Device.Prepared launch = prepared.get(step);
        // a kernel that reads static fields takes their values at each launch, so its arguments are set anew every time
        boolean readsFields = step instanceof Step.Kernel k && !k.kernel().staticFields().isEmpty();
        if (launch == null || !launch.valid() || readsFields) {
            if (launch != null) {
                launch.close();
            }
            launch = make.get();
            prepared.put(step, launch);
        }
        return launch;
    }

    private Device.Prepared prepare(ImmutableTaskGraph g, Step.Kernel k, Profile p) {
        for (Object a : k.args()) {
            if (DeviceArrayView.of(a) instanceof DeviceArray array) {
                if (g.consumed.contains(array)) {
                    requireResident(g, array);
                } else {
                    device.allocate(array);
                    placed(device, array, p);
                }
            }
        }
        if (printKernel && printed.add(k.kernel().owner())) {
            System.out.println("// ---- " + k.kernel().owner().getName() + " on " + device.info().id() + " ----");
            System.out.println(device.kernelSource(k.kernel().owner()));
        }
        return compiled(p, () -> device.prepare(k.kernel(), k.args(), sized(k, sizes.of(device, g.name() + "." + k.name(), k.kernel(), k.args())),
                compilerFlags.getOrDefault(device.info().backend(), "")));
    }

    /**
     * Readies a launch with {@code make}; with the profiler on, adds the host time that took, and the device's build within
     * it, to the execution's compile time ({@link Profile#compileNanos()}).
     */
    private Device.Prepared compiled(Profile p, java.util.function.Supplier<Device.Prepared> make) {
        if (!profile) {
            return make.get();
        }
        long start = System.nanoTime();
        Device.Prepared launch = make.get();
        p.compiled(System.nanoTime() - start, launch.installNanos());
        return launch;
    }

    /** With the profiler on, the clock that the execution's copies add their dispatch to (and so are timed); else null, untimed. */
    private DispatchClock transfers(Profile p) {
        return profile ? p.transferDispatch() : null;
    }

    /** With the profiler on, the clock that the execution's launches add their dispatch to (and so are timed); else null, untimed. */
    private DispatchClock kernels(Profile p) {
        return profile ? p.kernelDispatch() : null;
    }

    private Launch sized(Step step, Launch launch) {
        launches.put(step, launch);
        return launch;
    }

    private void printLaunch(String task, Device on, Step step) {
        if (threadInfo) {
            Launch l = launches.get(step);
            long[] groups = IntStream.range(0, l.dims()).mapToLong(l::groups).toArray();
            System.out.println("task " + task + " on " + on.info().id() + " (" + on.info().name() + "): " + l.dims() + " dimension(s), " + l
                    + ", work-groups " + Arrays.toString(groups));
        }
    }

    private void record(Profile p, Profile.Event e) {
        if (profile) {
            p.add(e);
        }
    }

    /** The plan put {@code array} on {@code on}: its bytes there count as this execution's allocation if the plan did not hold it yet. */
    private void placed(Device on, DeviceArray array, Profile p) {
        long bytes = holdings.hold(on, array);
        if (profile) {
            p.allocated(bytes);
        }
    }

    /** A consumed array is the plan's from now on too, but another graph (perhaps of another plan) allocated it. */
    private void requireResident(ImmutableTaskGraph g, DeviceArray a) {
        if (!device.isResident(a)) {
            throw new DeviceException("graph " + g.name() + " consumes an array from " + device.info().id()
                    + " that no graph left there (persistOnDevice it in the graph that produces it, and run that first)");
        }
        holdings.hold(device, a);
    }

    /** Frees the device copies of the graphs' arrays, except persisted ones. */
    @Override
    public void close() {
        if (device == null) {
            return; // never ran: nothing is on any device
        }
        stretches.close();
        prepared.values().forEach(Device.Prepared::close);
        prepared.clear();
        launches.clear();
        if (placement != null) {
            placement.free();
            placement = null;
        }
        Set<DeviceArray> keep = new HashSet<>();
        Set<DeviceArray> used = new LinkedHashSet<>();
        for (ImmutableTaskGraph g : graphs) {
            keep.addAll(g.persisted);
            for (Step s : g.steps) {
                switch (s) {
                    case Step.CopyIn in -> used.addAll(in.arrays());
                    case Step.CopyOut out -> used.addAll(out.arrays());
                    case Step.Kernel k -> Arrays.stream(k.args()).map(DeviceArrayView::of).filter(java.util.Objects::nonNull)
                            .forEach(used::add);
                    case Step.Library l -> {
                        used.addAll(l.task().arrays());
                        l.task().close();
                    }
                    case Step.Prebuilt b -> used.addAll(b.kernel().arrays());
                }
            }
        }
        for (DeviceArray a : used) {
            if (!keep.contains(a)) {
                device.free(a);
            }
        }
        holdings.retainOnly(device, keep);
    }
}
