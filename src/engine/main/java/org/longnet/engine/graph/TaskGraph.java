package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.graph.Tasks.Task1;
import org.longnet.engine.graph.Tasks.Task2;
import org.longnet.engine.graph.Tasks.Task3;
import org.longnet.engine.graph.Tasks.Task4;
import org.longnet.engine.graph.Tasks.Task5;
import org.longnet.engine.graph.Tasks.Task6;
import org.longnet.engine.graph.Tasks.Task7;
import org.longnet.engine.graph.Tasks.Task8;
import org.longnet.engine.graph.Tasks.Task9;
import org.longnet.engine.graph.Tasks.Task10;
import org.longnet.engine.graph.Tasks.Task11;
import org.longnet.engine.graph.Tasks.Task12;
import org.longnet.engine.graph.Tasks.Task13;
import org.longnet.engine.graph.Tasks.Task14;
import org.longnet.engine.graph.Tasks.Task15;
import org.longnet.engine.graph.Tasks.Task16;
import org.longnet.engine.graph.Tasks.Task17;
import org.longnet.engine.graph.Tasks.Task18;
import org.longnet.engine.graph.Tasks.Task19;
import org.longnet.engine.graph.Tasks.Task20;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ordered list of transfers and tasks (TornadoVM's TaskGraph). Build it, take a
 * {@link #snapshot()}, and run the snapshot with an {@link ExecutionPlan} on a device.
 * <pre>{@code
 * TaskGraph g = new TaskGraph("s0")
 *     .transferToDevice(DataTransferMode.FIRST_EXECUTION, x, y)
 *     .task("t0", Saxpy::saxpy, 2f, x, y)
 *     .transferToHost(DataTransferMode.EVERY_EXECUTION, y);
 * }</pre>
 */
public final class TaskGraph {
    private final String name;
    private final List<Step> steps = new ArrayList<>();
    private final Set<DeviceArray> persisted = new LinkedHashSet<>();
    private final Set<DeviceArray> consumed = new LinkedHashSet<>();
    private final Map<String, WorkerGrid> grids = new HashMap<>();

    public TaskGraph(String name) {
        if (name == null || name.isBlank() || name.contains(".")) {
            throw new IllegalArgumentException("task graph name must be non-empty without '.', was '" + name + "'");
        }
        this.name = name;
    }

    public String name() {
        return name;
    }

    /**
     * Copies {@code arrays} to the device: at every execution, at the first, or UNDER_DEMAND, only while the device has
     * no copy of them (an array the plan fills on the device, {@link ExecutionPlan#withDeviceRegion}, is not copied).
     */
    public TaskGraph transferToDevice(DataTransferMode mode, DeviceArray... arrays) {
        steps.add(new Step.CopyIn(mode, List.of(arrays)));
        return this;
    }

    public TaskGraph transferToHost(DataTransferMode mode, DeviceArray... arrays) {
        if (mode == DataTransferMode.FIRST_EXECUTION) {
            throw new IllegalArgumentException("transferToHost takes EVERY_EXECUTION or UNDER_DEMAND");
        }
        steps.add(new Step.CopyOut(mode, List.of(arrays)));
        return this;
    }

    /** Keeps these arrays on the device when a plan closes, for another graph to {@link #consumeFromDevice} them. */
    public TaskGraph persistOnDevice(DeviceArray... arrays) {
        persisted.addAll(List.of(arrays));
        return this;
    }

    /** These arrays were left on the device by another graph: use that copy, never copy them in. */
    public TaskGraph consumeFromDevice(DeviceArray... arrays) {
        consumed.addAll(List.of(arrays));
        return this;
    }

    /** A task whose kernel was written by hand for the device (OpenCL C, PTX) rather than translated from Java. */
    public TaskGraph prebuilt(String taskName, PrebuiltKernel kernel) {
        steps.add(new Step.Prebuilt(checkName(taskName), kernel));
        return this;
    }

    /** A library task (for example GEMM) in place of a kernel. */
    public TaskGraph library(String taskName, LibraryTask task) {
        steps.add(new Step.Library(checkName(taskName), task));
        return this;
    }

    // CHECKSTYLE.OFF: LineLength (one line per arity: the overloads read as a table)
    public <A> TaskGraph task(String n, Task1<A> k, A a) { return add(n, k, a); }
    public <A, B> TaskGraph task(String n, Task2<A, B> k, A a, B b) { return add(n, k, a, b); }
    public <A, B, C> TaskGraph task(String n, Task3<A, B, C> k, A a, B b, C c) { return add(n, k, a, b, c); }
    public <A, B, C, D> TaskGraph task(String n, Task4<A, B, C, D> k, A a, B b, C c, D d) { return add(n, k, a, b, c, d); }
    public <A, B, C, D, E> TaskGraph task(String n, Task5<A, B, C, D, E> k, A a, B b, C c, D d, E e) { return add(n, k, a, b, c, d, e); }
    public <A, B, C, D, E, F> TaskGraph task(String n, Task6<A, B, C, D, E, F> k, A a, B b, C c, D d, E e, F f) { return add(n, k, a, b, c, d, e, f); }
    public <A, B, C, D, E, F, G> TaskGraph task(String n, Task7<A, B, C, D, E, F, G> k, A a, B b, C c, D d, E e, F f, G g) { return add(n, k, a, b, c, d, e, f, g); }
    public <A, B, C, D, E, F, G, H> TaskGraph task(String n, Task8<A, B, C, D, E, F, G, H> k, A a, B b, C c, D d, E e, F f, G g, H h) { return add(n, k, a, b, c, d, e, f, g, h); }
    public <A, B, C, D, E, F, G, H, I> TaskGraph task(String n, Task9<A, B, C, D, E, F, G, H, I> k, A a, B b, C c, D d, E e, F f, G g, H h, I i) { return add(n, k, a, b, c, d, e, f, g, h, i); }
    public <A, B, C, D, E, F, G, H, I, J> TaskGraph task(String n, Task10<A, B, C, D, E, F, G, H, I, J> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j) { return add(n, k, a, b, c, d, e, f, g, h, i, j); }
    public <A, B, C, D, E, F, G, H, I, J, K> TaskGraph task(String n, Task11<A, B, C, D, E, F, G, H, I, J, K> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk); }
    public <A, B, C, D, E, F, G, H, I, J, K, L> TaskGraph task(String n, Task12<A, B, C, D, E, F, G, H, I, J, K, L> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk, L l) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk, l); }
    public <A, B, C, D, E, F, G, H, I, J, K, L, M> TaskGraph task(String n, Task13<A, B, C, D, E, F, G, H, I, J, K, L, M> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk, L l, M m) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk, l, m); }
    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N> TaskGraph task(String n, Task14<A, B, C, D, E, F, G, H, I, J, K, L, M, N> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk, L l, M m, N nn) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk, l, m, nn); }
    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P> TaskGraph task(String n, Task16<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk, L l, M m, N nn, O o, P p) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk, l, m, nn, o, p); }

    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O> TaskGraph task(String n, Task15<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk, L l, M m, N nn, O o) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk, l, m, nn, o); }
    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q> TaskGraph task(String n, Task17<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk, L l, M m, N nn, O o, P p, Q q) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk, l, m, nn, o, p, q); }
    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R> TaskGraph task(String n, Task18<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk, L l, M m, N nn, O o, P p, Q q, R r) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk, l, m, nn, o, p, q, r); }
    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S> TaskGraph task(String n, Task19<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk, L l, M m, N nn, O o, P p, Q q, R r, S s) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk, l, m, nn, o, p, q, r, s); }
    public <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T> TaskGraph task(String n, Task20<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T> k, A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K kk, L l, M m, N nn, O o, P p, Q q, R r, S s, T t) { return add(n, k, a, b, c, d, e, f, g, h, i, j, kk, l, m, nn, o, p, q, r, s, t); }
    // CHECKSTYLE.ON: LineLength

    /**
     * A task from any serializable reference to a static kernel method, with its arguments: the entry for APIs layered
     * on this one (TornadoVM's), whose method-reference types are their own. Arguments are checked when the task runs.
     */
    public TaskGraph taskOf(String taskName, Serializable reference, Object... args) {
        return add(taskName, reference, args);
    }

    private TaskGraph add(String taskName, Serializable reference, Object... args) {
        KernelInfo kernel = resolve(reference);
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                throw new IllegalArgumentException("task " + taskName + ": argument " + (i + 1) + " of "
                        + kernel.qualifiedName() + " is null");
            }
        }
        steps.add(new Step.Kernel(checkName(taskName), kernel, args.clone()));
        return this;
    }

    private String checkName(String taskName) {
        if (taskName == null || taskName.isBlank() || taskName.contains(".")) {
            throw new IllegalArgumentException("task name must be non-empty without '.', was '" + taskName + "'");
        }
        for (Step s : steps) {
            if (s instanceof Step.Kernel k && k.name().equals(taskName) || s instanceof Step.Library l && l.name().equals(taskName)
                    || s instanceof Step.Prebuilt p && p.name().equals(taskName)) {
                throw new IllegalArgumentException("task graph " + name + " already has a task named " + taskName);
            }
        }
        return taskName;
    }

    /** Which static method a method reference names: serializable lambdas say so through writeReplace. */
    static KernelInfo resolve(Serializable reference) {
        try {
            Method writeReplace = reference.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            SerializedLambda lambda = (SerializedLambda) writeReplace.invoke(reference);
            if (lambda.getImplMethodKind() != java.lang.invoke.MethodHandleInfo.REF_invokeStatic
                    || lambda.getImplMethodName().startsWith("lambda$")) {
                throw new IllegalArgumentException("a task must be a method reference to a static @Kernel method, like "
                        + "Saxpy::saxpy, not a lambda");
            }
            Class<?> owner = Class.forName(lambda.getImplClass().replace('/', '.'), true, reference.getClass().getClassLoader());
            return KernelInfo.of(owner, lambda.getImplMethodName(), lambda.getImplMethodSignature());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot tell which method " + reference + " refers to: " + e, e);
        }
    }

    /**
     * Launch sizes of the task {@code taskName} (one using a KernelContext needs them), given where
     * the task is added, by the code that knows its shape; {@link ExecutionPlan#withGrid} overrides.
     */
    public TaskGraph withGrid(String taskName, WorkerGrid grid) {
        grids.put(taskName, grid);
        return this;
    }

    /** A frozen copy: later changes to this builder do not affect it. */
    public ImmutableTaskGraph snapshot() {
        return new ImmutableTaskGraph(name, List.copyOf(steps), Set.copyOf(persisted), Set.copyOf(consumed), Map.copyOf(grids));
    }

    @Override
    public String toString() {
        return "TaskGraph " + name + " " + Arrays.toString(steps.toArray());
    }
}
