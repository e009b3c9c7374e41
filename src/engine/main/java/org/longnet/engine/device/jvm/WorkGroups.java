package org.longnet.engine.device.jvm;

import org.longnet.engine.api.KernelContext;
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
    }

    /** A work-item's context of the class the kernel takes: the engine's, or a subclass with a (GroupMemory) constructor. */
    private KernelContext newContext(Group group) {
        if (contextType == KernelContext.class) {
            return new Context(group);
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
        long groupsX = g[0] / l[0], groupsY = g[1] / l[1], groupsZ = g[2] / l[2];
        long groups = groupsX * groupsY * groupsZ;
        int workers = (int) Math.min(groups, threads);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            long first = groups * w / workers;
            long last = groups * (w + 1) / workers;
            done.add(pool.submit(() -> {
                for (long group = first; group < last; group++) {
                    try {
                        runGroup(g, l, (int) (group % groupsX), (int) (group / groupsX % groupsY), (int) (group / (groupsX * groupsY)));
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

    private void runGroup(long[] g, long[] l, int gx, int gy, int gz) throws Throwable {
        int items = (int) (l[0] * l[1] * l[2]);
        Group group = new Group(kernel.usesBarrier() ? items : 1);
        if (!kernel.usesBarrier()) {
            KernelContext ctx = newContext(group);
            for (int i = 0; i < items; i++) {
                place(ctx, g, l, gx, gy, gz, i);
                invoke(ctx);
            }
            return;
        }
        KernelContext[] contexts = new KernelContext[items];
        for (int i = 0; i < items; i++) {
            contexts[i] = newContext(group);
            place(contexts[i], g, l, gx, gy, gz, i);
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
                    group.barrier.reset();
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

    /** Barrier and local arrays of one work-group. */
    private static final class Group implements KernelContext.GroupMemory {
        final CyclicBarrier barrier;
        private final List<Object> arrays = new ArrayList<>();

        Group(int parties) {
            barrier = new CyclicBarrier(parties);
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

    private static final class Context extends KernelContext {
        Context(Group group) {
            super(group);
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
