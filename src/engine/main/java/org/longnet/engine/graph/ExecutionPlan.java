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
    private final Map<Step.Kernel, Device.Prepared> prepared = new java.util.IdentityHashMap<>();
    /** Null until {@link #withDevice} or first use, so a plan given its device never looks up the default. */
    private Device device;
    private boolean profile;
    private boolean printKernel = Boolean.getBoolean("longnet.printKernel");
    /** How many times each graph (by position) has run: a FIRST_EXECUTION copy happens on a graph's first run. */
    private final long[] executions;

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
                Device.Prepared launch = prepared.get(k);
                if (launch == null || !launch.valid()) {
                    if (launch != null) {
                        launch.close();
                    }
                    launch = prepare(g, k);
                    prepared.put(k, launch);
                }
                long ns = launch.launch(profile);
                record(p, new Profile.Event(g.name() + "." + k.name(), Profile.Kind.KERNEL, 0, ns));
            }
            case Step.Library l -> {
                for (DeviceArray a : l.task().arrays()) {
                    device.allocate(a);
                }
                long ns = l.task().run(device, profile);
                record(p, new Profile.Event(g.name() + "." + l.name(), Profile.Kind.LIBRARY, 0, ns));
            }
        }
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
        return device.prepare(k.kernel(), k.args(), launch(g.name() + "." + k.name(), k.kernel(), k.args()));
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
    private Launch launch(String key, KernelInfo k, Object[] args) {
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
                yield checked(key, new Launch(global, local), max);
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
                yield checked(key, new Launch(global, grid.local()), max);
            }
        };
    }

    private Launch checked(String key, Launch launch, long maxGroup) {
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
