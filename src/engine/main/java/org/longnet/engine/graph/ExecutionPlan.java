package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.Devices;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;
import org.longnet.engine.device.ParallelRange;

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
    /** Work-groups of a reducing kernel: enough to fill a large GPU, few enough that the atomic additions stay cheap. */
    private static final long REDUCING_GROUPS = 512, REDUCING_GROUPS_PER_DIMENSION = 16;
    private final List<ImmutableTaskGraph> graphs;
    private final Map<String, WorkerGrid> grids = new HashMap<>();
    private final Set<Class<?>> printed = new HashSet<>();
    /** Launches readied on first use and reused by later executions (arguments and sizes of a task never change). */
    private final Map<Step, Device.Prepared> prepared = new java.util.IdentityHashMap<>();
    /** Null until {@link #withDevice} or first use, so a plan given its device never looks up the default. */
    private Device device;
    private boolean profile;
    private boolean printKernel = Boolean.getBoolean("longnet.printKernel");
    private boolean replaceOversizedGroups;
    /** How many times each graph (by position) has run: a FIRST_EXECUTION copy happens on a graph's first run. */
    private final long[] executions;
    /** Tasks ({@code graph.task}) that run on another device than the plan's; while there are any, a {@link Placement} moves arrays. */
    private final Map<String, Device> taskDevices = new HashMap<>();
    private Placement placement;
    /** Flags for the compiler of each backend ({@code opencl}, {@code cuda}), added to the engine's own options. */
    private final Map<String, String> compilerFlags = new HashMap<>();

    public ExecutionPlan(ImmutableTaskGraph... graphs) {
        if (graphs.length == 0) {
            throw new IllegalArgumentException("an execution plan needs at least one task graph");
        }
        this.graphs = List.of(graphs);
        this.executions = new long[graphs.length];
        for (ImmutableTaskGraph g : graphs) {
            g.grids.forEach((task, grid) -> this.grids.put(g.name() + "." + task, grid));
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
        this.replaceOversizedGroups = on;
        return this;
    }

    /** Launch sizes for the task {@code "graph.task"}. */
    public ExecutionPlan withGrid(String graphDotTask, WorkerGrid grid) {
        if (!graphDotTask.contains(".")) {
            throw new IllegalArgumentException("grid key must be 'graph.task', was '" + graphDotTask + "'");
        }
        grids.put(graphDotTask, grid);
        return this;
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
            return runPlaced(indices);
        }
        long start = System.nanoTime();
        Profile p = new Profile();
        for (int i : indices) {
            for (Step step : graphs.get(i).steps) {
                run(graphs.get(i), executions[i] == 0, step, p);
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
                                long ns = placement.toHost(a, profile);
                                record(p, new Profile.Event(g.name() + " copy out", Profile.Kind.COPY_OUT, a.byteSize(), ns));
                            }
                        }
                    }
                    case Step.Kernel k -> {
                        Device on = taskDevices.getOrDefault(g.name() + "." + k.name(), device);
                        ran.add(on);
                        List<DeviceArray> arrays = Arrays.stream(k.args()).map(DeviceArrayView::of).filter(java.util.Objects::nonNull).toList();
                        for (DeviceArray a : arrays) {
                            long ns = placement.bring(a, on, profile);
                            record(p, new Profile.Event(g.name() + " copy in", Profile.Kind.COPY_IN, a.byteSize(), ns));
                        }
                        long ns = prepared(k, () -> on.prepare(k.kernel(), k.args(), launch(on, g.name() + "." + k.name(), k.kernel(), k.args()),
                                compilerFlags.getOrDefault(on.info().backend(), ""))).launch(profile);
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
        return new ExecutionResult(device, p, a -> moved.toHost(a, false));
    }

    private void run(ImmutableTaskGraph g, boolean first, Step step, Profile p) {
        switch (step) {
            case Step.CopyIn in -> {
                for (DeviceArray a : in.arrays()) {
                    if (g.consumed.contains(a)) {
                        requireResident(g, a);
                    } else if (in.mode() == DataTransferMode.EVERY_EXECUTION || first || !device.isResident(a)) {
                        long ns = device.copyToDevice(a, profile);
                        record(p, new Profile.Event(g.name() + " copy in", Profile.Kind.COPY_IN, a.byteSize(), ns));
                    }
                }
            }
            case Step.CopyOut out -> {
                if (out.mode() == DataTransferMode.EVERY_EXECUTION) {
                    for (DeviceArray a : out.arrays()) {
                        long ns = device.copyToHost(a, profile);
                        record(p, new Profile.Event(g.name() + " copy out", Profile.Kind.COPY_OUT, a.byteSize(), ns));
                    }
                }
            }
            case Step.Kernel k -> {
                long ns = prepared(k, () -> prepare(g, k)).launch(profile);
                record(p, new Profile.Event(g.name() + "." + k.name(), Profile.Kind.KERNEL, 0, ns));
            }
            case Step.Library l -> {
                for (DeviceArray a : l.task().arrays()) {
                    device.allocate(a);
                }
                long ns = l.task().run(device, profile);
                record(p, new Profile.Event(g.name() + "." + l.name(), Profile.Kind.LIBRARY, 0, ns));
            }
            case Step.Prebuilt b -> {
                long ns = prepared(b, () -> {
                    if (!device.info().backend().equals(b.kernel().backend())) {
                        throw new IllegalArgumentException("prebuilt task " + g.name() + "." + b.name() + ": " + b.kernel().file() + " runs on "
                                + b.kernel().backend() + " devices, and the plan runs on " + device.info().id());
                    }
                    b.kernel().arrays().forEach(device::allocate);
                    return device.prepareSource(b.kernel().file(), b.kernel().source(), b.kernel().entryPoint(), b.kernel().args(),
                            prebuiltLaunch(g.name() + "." + b.name()));
                }).launch(profile);
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

    /** A prebuilt kernel's sizes: its task's grid, global and local, or one work-item where it has none. */
    private Launch prebuiltLaunch(String key) {
        WorkerGrid grid = grids.get(key);
        if (grid == null) {
            return new Launch(new long[] {1}, new long[] {1});
        }
        if (grid.global() == null) {
            throw new IllegalArgumentException("prebuilt task " + key + " needs global sizes in its grid, as its kernel's loops are its own");
        }
        long[] global = new long[grid.local().length];
        for (int d = 0; d < global.length; d++) {
            global[d] = roundUp(Math.max(1, grid.global()[d]), grid.local()[d]);
        }
        return checked(device, key, new Launch(global, grid.local()), device.info().maxWorkGroupSize());
    }

    private Device.Prepared prepare(ImmutableTaskGraph g, Step.Kernel k) {
        for (Object a : k.args()) {
            if (DeviceArrayView.of(a) instanceof DeviceArray array) {
                if (g.consumed.contains(array)) {
                    requireResident(g, array);
                } else {
                    device.allocate(array);
                }
            }
        }
        if (printKernel && printed.add(k.kernel().owner())) {
            System.out.println("// ---- " + k.kernel().owner().getName() + " on " + device.info().id() + " ----");
            System.out.println(device.kernelSource(k.kernel().owner()));
        }
        return device.prepare(k.kernel(), k.args(), launch(device, g.name() + "." + k.name(), k.kernel(), k.args()),
                compilerFlags.getOrDefault(device.info().backend(), ""));
    }

    private void record(Profile p, Profile.Event e) {
        if (profile) {
            p.add(e);
        }
    }

    private void requireResident(ImmutableTaskGraph g, DeviceArray a) {
        if (!device.isResident(a)) {
            throw new DeviceException("graph " + g.name() + " consumes an array from " + device.info().id()
                    + " that no graph left there (persistOnDevice it in the graph that produces it, and run that first)");
        }
    }

    /** Global and local sizes of one task, x first, from its loop bounds or its WorkerGrid. */
    private Launch launch(Device device, String key, KernelInfo k, Object[] args) {
        WorkerGrid grid = grids.get(key);
        long max = device.info().maxWorkGroupSize();
        return switch (k.kind()) {
            case SINGLE -> new Launch(new long[] {1}, new long[] {1});
            case PARALLEL -> {
                long[] counts = ParallelRange.counts(k, args);
                int dims = counts.length;
                long[] local = grid == null ? device.defaultLocal(dims) : grid.local();
                if (local.length != dims) {
                    throw new IllegalArgumentException("task " + key + " has " + dims + " parallel loops but its WorkerGrid has "
                            + local.length + " local dimensions");
                }
                if (replaceOversizedGroups && Arrays.stream(local).reduce(1, (a, b) -> a * b) > max) {
                    long[] fallback = device.defaultLocal(dims);
                    System.err.println("warning: task " + key + ": a work-group of " + Arrays.toString(local) + " exceeds the maximum of " + max
                            + " on " + device.info().id() + "; it runs with " + Arrays.toString(fallback) + ", the device's default");
                    local = fallback;
                }
                long[] global = new long[dims];
                for (int d = 0; d < dims; d++) {
                    global[d] = roundUp(Math.max(1, counts[dims - 1 - d]), local[d]);
                    if (k.initialises()) {
                        // Its first work-item sets a @Reduce start value before a barrier of its group: one group.
                        global[d] = local[d];
                    } else if (k.reduces()) {
                        // Each work-item adds its part atomically: fewer work-items, more iterations each, fewer atomics.
                        global[d] = Math.min(global[d], local[d] * (dims == 1 ? REDUCING_GROUPS : REDUCING_GROUPS_PER_DIMENSION));
                    }
                }
                yield checked(device, key, new Launch(global, local), max);
            }
            case CONTEXT -> {
                if (grid == null || grid.global() == null) {
                    throw new IllegalArgumentException("task " + key + " uses a KernelContext: give it global and local sizes "
                            + "with plan.withGrid(\"" + key + "\", WorkerGrid.of(global, local))");
                }
                long[] global = new long[grid.local().length];
                for (int d = 0; d < global.length; d++) {
                    global[d] = roundUp(Math.max(1, grid.global()[d]), grid.local()[d]);
                }
                yield checked(device, key, new Launch(global, grid.local()), max);
            }
        };
    }

    private static Launch checked(Device device, String key, Launch launch, long maxGroup) {
        long items = Arrays.stream(launch.local()).reduce(1, (a, b) -> a * b);
        if (items > maxGroup) {
            throw new IllegalArgumentException("task " + key + ": work-group of " + items + " items " + Arrays.toString(launch.local())
                    + " exceeds the maximum of " + maxGroup + " on " + device.info().id());
        }
        return launch;
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** Frees the device copies of the graphs' arrays, except persisted ones. */
    @Override
    public void close() {
        if (device == null) {
            return; // never ran: nothing is on any device
        }
        prepared.values().forEach(Device.Prepared::close);
        prepared.clear();
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
    }
}
