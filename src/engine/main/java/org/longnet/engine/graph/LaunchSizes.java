package org.longnet.engine.graph;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;
import org.longnet.engine.device.ParallelRange;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The global and local sizes each task of a plan launches with: from its loop bounds and the device's default
 * work-group, or from the WorkerGrid the plan gave it ({@code graph.task}), with TornadoVM's lenient defaults where the
 * plan asks for them.
 */
final class LaunchSizes {
    /** Work-groups of a reducing kernel: enough to fill a large GPU, few enough that the atomic additions stay cheap. */
    private static final long REDUCING_GROUPS = 512, REDUCING_GROUPS_PER_DIMENSION = 16;
    final Map<String, WorkerGrid> grids = new HashMap<>();
    private final Set<String> warnedOneItemTasks = new HashSet<>();
    boolean replaceOversizedGroups;
    boolean contextTasksDefaultToOneItem;

    /** A prebuilt kernel's sizes: its task's grid, global and local, or one work-item where it has none. */
    Launch prebuilt(Device device, String key) {
        WorkerGrid grid = grids.get(key);
        if (grid == null) {
            return new Launch(new long[] {1}, new long[] {1});
        }
        if (grid.global() == null) {
            throw new IllegalArgumentException("prebuilt task " + key + " needs global sizes in its grid, as its kernel's loops are its own");
        }
        return checked(device, key, new Launch(roundedGlobal(grid), grid.local()), device.info().maxWorkGroupSize());
    }

    /** Global and local sizes of one task, x first, from its loop bounds or its WorkerGrid. */
    Launch of(Device device, String key, KernelInfo k, Object[] args) {
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
                if ((grid == null || grid.global() == null) && contextTasksDefaultToOneItem) {
                    if (warnedOneItemTasks.add(key)) {
                        System.err.println("warning: task " + key + " uses a KernelContext and has no grid: it runs as one work-item, as "
                                + "TornadoVM runs it; give it one with plan.withGridScheduler");
                    }
                    yield new Launch(new long[] {1}, new long[] {1});
                }
                if (grid == null || grid.global() == null) {
                    throw new IllegalArgumentException("task " + key + " uses a KernelContext: give it global and local sizes "
                            + "with plan.withGrid(\"" + key + "\", WorkerGrid.of(global, local))");
                }
                yield checked(device, key, new Launch(roundedGlobal(grid), grid.local()), max);
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

    /** A grid's global sizes, each at least one and rounded up to a whole number of its work-groups. */
    private static long[] roundedGlobal(WorkerGrid grid) {
        long[] global = new long[grid.local().length];
        for (int d = 0; d < global.length; d++) {
            global[d] = roundUp(Math.max(1, grid.global()[d]), grid.local()[d]);
        }
        return global;
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
