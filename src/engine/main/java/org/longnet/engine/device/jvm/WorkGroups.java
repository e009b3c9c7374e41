package org.longnet.engine.device.jvm;

import org.longnet.engine.api.Clusters;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.device.ClusterShape;
import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs a {@link KernelContext} kernel on the JVM the way a device would: work-groups spread over
 * the cores; inside a group, a kernel with barriers gets one virtual thread per work-item (so
 * {@code localBarrier} really waits), and a kernel without barriers runs its items in order.
 * A kernel with thread-block clusters ({@link Clusters}) runs the groups of a cluster together: each
 * group has its own local arrays, and every barrier waits for all work-items of the cluster (the
 * cluster contract makes a group's barrier and the cluster's the same).
 */
final class WorkGroups {
    private final KernelInfo kernel;
    private final MethodHandle handle;
    private final Object[] args;
    private final Launch launch;
    /** {@code KernelContext.resetAllocations}, protected, on contexts of any subclass (the engine's, or another API's). */
    private static final MethodHandle RESET_ALLOCATIONS;

    static {
        try {
            RESET_ALLOCATIONS = MethodHandles.privateLookupIn(KernelContext.class, MethodHandles.lookup())
                    .findVirtual(KernelContext.class, "resetAllocations", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int contextIndex;
    private final Class<? extends KernelContext> contextType;
    /** Work-groups per cluster along x; 1 for a kernel without clusters. */
    private final int cluster;

    WorkGroups(KernelInfo kernel, MethodHandle handle, Object[] args, Launch launch) {
        if (launch == null) {
            throw new DeviceException("kernel " + kernel.qualifiedName() + " uses a KernelContext: give its task a WorkerGrid");
        }
        this.kernel = kernel;
        this.handle = handle;
        this.args = args;
        this.launch = launch;
        Class<?>[] types = kernel.method().getParameterTypes();
        int index = 0;
        while (!KernelContext.class.isAssignableFrom(types[index])) {
            index++;
        }
        this.contextIndex = index;
        this.contextType = types[index].asSubclass(KernelContext.class);
        this.cluster = Math.max(1, ClusterShape.checked(kernel, launch));
    }

    /** A work-item's context of the class the kernel takes: the engine's, or a subclass with a (GroupMemory) constructor. */
    private KernelContext newContext(Group group, int rank) {
        if (contextType == KernelContext.class) {
            return new Context(group, rank, cluster);
        }
        try {
            var constructor = contextType.getDeclaredConstructor(KernelContext.GroupMemory.class);
            constructor.setAccessible(true);
            return constructor.newInstance(group);
        } catch (ReflectiveOperationException e) {
            throw new DeviceException("kernel " + kernel.qualifiedName() + " takes a " + contextType.getName()
                    + ", which needs a constructor taking a KernelContext.GroupMemory for the jvm device: " + e, e);
        }
    }

    void run(ExecutorService pool, int threads) throws Throwable {
        long[] g = pad(launch.global());
        long[] l = pad(launch.local());
        long clustersX = g[0] / l[0] / cluster, groupsY = g[1] / l[1], groupsZ = g[2] / l[2];
        long groups = clustersX * groupsY * groupsZ; // clusters, each a unit of work
        int workers = (int) Math.min(groups, threads);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            long first = groups * w / workers;
            long last = groups * (w + 1) / workers;
            done.add(pool.submit(() -> {
                for (long group = first; group < last; group++) {
                    try {
                        runCluster(g, l, (int) (group % clustersX), (int) (group / clustersX % groupsY), (int) (group / (clustersX * groupsY)));
                    } catch (Error | Exception e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                }
                return null;
            }));
        }
        JvmDevice.await(done);
    }

    private static long[] pad(long[] sizes) {
        long[] out = {1, 1, 1};
        System.arraycopy(sizes, 0, out, 0, sizes.length);
        return out;
    }

    /** Runs cluster (cx, gy, gz): its groups along x are cx * cluster and the next {@code cluster - 1}. */
    private void runCluster(long[] g, long[] l, int cx, int gy, int gz) throws Throwable {
        int perGroup = (int) (l[0] * l[1] * l[2]), items = perGroup * cluster;
        CyclicBarrier barrier = new CyclicBarrier(kernel.usesBarrier() ? items : 1);
        Group[] groups = new Group[cluster];
        for (int rank = 0; rank < cluster; rank++) {
            groups[rank] = new Group(barrier, groups);
        }
        if (!kernel.usesBarrier()) {
            for (int rank = 0; rank < cluster; rank++) {
                KernelContext ctx = newContext(groups[rank], rank);
                for (int i = 0; i < perGroup; i++) {
                    place(ctx, g, l, cx * cluster + rank, gy, gz, i);
                    invoke(ctx);
                }
            }
            return;
        }
        KernelContext[] contexts = new KernelContext[items];
        for (int i = 0; i < items; i++) {
            contexts[i] = newContext(groups[i / perGroup], i / perGroup);
            place(contexts[i], g, l, cx * cluster + i / perGroup, gy, gz, i % perGroup);
        }
        if (GroupScheduler.usesContinuations()) {
            Runnable[] work = new Runnable[items];
            for (int i = 0; i < items; i++) {
                KernelContext ctx = contexts[i];
                work[i] = () -> invokeUnchecked(ctx);
            }
            GroupScheduler.run(work);
            return;
        }
        Thread[] workItems = new Thread[items];
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < items; i++) {
            KernelContext ctx = contexts[i];
            workItems[i] = Thread.ofVirtual().unstarted(() -> {
                try {
                    invoke(ctx);
                } catch (Throwable t) {
                    synchronized (failure) {
                        failure[0] = failure[0] == null ? t : failure[0];
                    }
                    barrier.reset();
                }
            });
        }
        for (Thread t : workItems) {
            t.start();
        }
        for (Thread t : workItems) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private void invokeUnchecked(KernelContext ctx) {
        try {
            invoke(ctx);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void invoke(KernelContext ctx) throws Throwable {
        Object[] a = args.clone();
        a[contextIndex] = ctx;
        RESET_ALLOCATIONS.invokeExact(ctx);
        handle.invokeExact(a);
    }

    /** Barrier (its cluster's) and local arrays of one work-group, and the groups of its cluster. */
    private static final class Group implements KernelContext.GroupMemory {
        final CyclicBarrier barrier;
        private final List<Object> arrays = new ArrayList<>();
        private final Group[] cluster;

        Group(CyclicBarrier barrier, Group[] cluster) {
            this.barrier = barrier;
            this.cluster = cluster;
        }

        /** Group {@code rank}'s array of the allocation that gave this group {@code own}. */
        Object peerArray(Object own, int rank) {
            return cluster[rank].allocated(ordinalOf(own), rank);
        }

        private synchronized int ordinalOf(Object own) {
            for (int ordinal = 0; ordinal < arrays.size(); ordinal++) {
                if (arrays.get(ordinal) == own) {
                    return ordinal;
                }
            }
            throw new IllegalArgumentException("Clusters: the array given is none of this work-group's local arrays");
        }

        private synchronized Object allocated(int ordinal, int rank) {
            if (ordinal >= arrays.size()) {
                throw new IllegalStateException("Clusters: group " + rank + " of the cluster has not allocated that local array yet: "
                        + "reach its memory only after a Clusters.barrier");
            }
            return arrays.get(ordinal);
        }

        @Override
        public void await() {
            if (barrier.getParties() == 1) {
                return; // a group without barriers runs its items in order: nothing to wait for
            }
            if (GroupScheduler.usesContinuations()) {
                GroupScheduler.barrier();
                return;
            }
            try {
                barrier.await();
            } catch (InterruptedException | BrokenBarrierException e) {
                throw new DeviceException("a work-item of the group failed while others waited at a barrier", e);
            }
        }

        @Override
        public synchronized Object localArray(int ordinal, Supplier<Object> create) {
            while (arrays.size() <= ordinal) {
                arrays.add(create.get());
            }
            return arrays.get(ordinal);
        }
    }

    private static final class Context extends KernelContext implements Clusters.Member {
        private final Group group;
        private final int rank, size;

        Context(Group group, int rank, int size) {
            super(group);
            this.group = group;
            this.rank = rank;
            this.size = size;
        }

        @Override
        public int clusterRank() {
            return rank;
        }

        @Override
        public int clusterSize() {
            return size;
        }

        @Override
        public void clusterBarrier() {
            group.await();
        }

        @Override
        public Object peerLocalArray(Object own, int peer) {
            return group.peerArray(own, peer);
        }
    }

    /** Sets the ids and sizes of work-item {@code item} of group (gx, gy, gz). */
    private static void place(KernelContext ctx, long[] g, long[] l, int gx, int gy, int gz, int item) {
        ctx.localIdx = (int) (item % l[0]);
        ctx.localIdy = (int) (item / l[0] % l[1]);
        ctx.localIdz = (int) (item / (l[0] * l[1]));
        ctx.groupIdx = gx;
        ctx.groupIdy = gy;
        ctx.groupIdz = gz;
        ctx.globalIdx = (int) (gx * l[0] + ctx.localIdx);
        ctx.globalIdy = (int) (gy * l[1] + ctx.localIdy);
        ctx.globalIdz = (int) (gz * l[2] + ctx.localIdz);
        ctx.globalGroupSizeX = (int) g[0];
        ctx.globalGroupSizeY = (int) g[1];
        ctx.globalGroupSizeZ = (int) g[2];
        ctx.localGroupSizeX = (int) l[0];
        ctx.localGroupSizeY = (int) l[1];
        ctx.localGroupSizeZ = (int) l[2];
    }
}
