package org.longnet.engine.device.jvm;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.ClusterShape;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.DispatchClock;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;
import org.longnet.engine.device.ParallelRange;
import org.longnet.engine.device.SystemMemory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The CPU as a device: kernels run as the Java they were written in, split across all cores.
 * Arrays need no copies here, so transfers cost nothing and buffers are the host arrays.
 */
public final class JvmDevice implements Device {
    /** Below this many iterations a @Parallel loop runs on the calling thread. */
    private static final long INLINE_ITERATIONS = 512;
    private final int threads = Runtime.getRuntime().availableProcessors();
    private final ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "longnet-jvm-worker");
        t.setDaemon(true);
        return t;
    });
    private final Map<java.lang.reflect.Method, MethodHandle> kernels = new ConcurrentHashMap<>();
    private final DeviceInfo info = describe();

    /** The CPU as {@code longnet devices} lists it: every core, the machine's memory, no limit on one allocation. */
    static DeviceInfo describe() {
        int threads = Runtime.getRuntime().availableProcessors();
        return new DeviceInfo("jvm", "jvm", "Java " + Runtime.version() + " on " + threads + " threads",
                System.getProperty("java.vm.name"), SystemMemory.total(), Long.MAX_VALUE, threads, 1024,
                Runtime.getRuntime().maxMemory(), false);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public boolean isResident(DeviceArray array) {
        return true;
    }

    /** Kernels here work on the host's array itself: its bytes are the copy. */
    @Override
    public long residentBytes(DeviceArray array) {
        return array.byteSize();
    }

    @Override
    public void allocate(DeviceArray array) {
    }

    @Override
    public long copyToDevice(DeviceArray array, boolean timed) {
        return copyToDevice(array, timed ? new DispatchClock() : null);
    }

    @Override
    public long copyToHost(DeviceArray array, boolean timed) {
        return copyToHost(array, timed ? new DispatchClock() : null);
    }

    @Override
    public long copyToDevice(DeviceArray array, DispatchClock dispatch) {
        return nothingMoved(dispatch);
    }

    @Override
    public long copyToHost(DeviceArray array, DispatchClock dispatch) {
        return nothingMoved(dispatch);
    }

    /**
     * A copy here moves nothing, the kernels working on the host's arrays, and this device is the host: timed (with a clock),
     * its device time is the time the copy took, read from the host's clock around it as other devices read theirs around their
     * copies (two clock reads apart, as nothing moves), and its dispatch is that same time; untimed, -1, without a clock read.
     */
    private static long nothingMoved(DispatchClock dispatch) {
        if (dispatch == null) {
            return -1;
        }
        long start = System.nanoTime();
        long took = System.nanoTime() - start;
        dispatch.add(took);
        return took;
    }

    @Override
    public void free(DeviceArray array) {
    }

    @Override
    public Prepared prepare(KernelInfo kernel, Object[] args, Launch launch) {
        if (launch != null) {
            ClusterShape.checked(kernel, launch); // refused here, before the launch, as on every device
        }
        return new Prepared() {
            @Override
            public long launch(boolean timed) {
                return execute(kernel, args, launch, timed);
            }

            /** The launch is the call that runs the kernel here, so its dispatch is the kernel's whole host time. */
            @Override
            public long launch(DispatchClock dispatch) {
                long ns = execute(kernel, args, launch, dispatch != null);
                if (dispatch != null) {
                    dispatch.add(ns);
                }
                return ns;
            }

            @Override
            public boolean valid() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    private long execute(KernelInfo kernel, Object[] args, Launch launch, boolean timed) {
        long start = timed ? System.nanoTime() : 0;
        try {
            switch (kernel.kind()) {
                case PARALLEL -> runParallel(kernel, args);
                case CONTEXT -> new WorkGroups(kernel, handle(kernel), args, launch).run(pool, threads);
                case SINGLE -> handle(kernel).invokeExact(args);
            }
        } catch (DeviceException e) {
            throw e;
        } catch (Throwable t) {
            throw new DeviceException("kernel " + kernel.qualifiedName() + " failed on jvm: " + t, t);
        }
        return timed ? System.nanoTime() - start : -1;
    }

    /**
     * Splits the outermost parallel loop into a few slices per core, so uneven slices even out;
     * a short range runs on the calling thread, where handing it to the pool would cost more.
     */
    private void runParallel(KernelInfo kernel, Object[] args) throws Throwable {
        if (kernel.initialises()) {
            ParallelRange.start(kernel, args);
        }
        long count = ParallelRange.counts(kernel, args)[0];
        int slices = (int) Math.min(count, threads * 4L);
        if (slices <= 1 || count < INLINE_ITERATIONS) {
            ParallelRange.runSlice(kernel, withSlice(args, 0, count));
            return;
        }
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            long lo = count * s / slices;
            long hi = count * (s + 1) / slices;
            Object[] sliceArgs = withSlice(args, lo, hi);
            done.add(pool.submit(() -> {
                try {
                    ParallelRange.runSlice(kernel, sliceArgs);
                } catch (Error | Exception e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                return null;
            }));
        }
        await(done);
    }

    static void await(List<Future<?>> done) throws Throwable {
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw e.getCause();
            }
        }
    }

    private static Object[] withSlice(Object[] args, long lo, long hi) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 2);
        out[args.length] = lo;
        out[args.length + 1] = hi;
        return out;
    }

    private MethodHandle handle(KernelInfo kernel) {
        return kernels.computeIfAbsent(kernel.method(), m -> {
            try {
                MethodHandle h = MethodHandles.lookup().unreflect(m);
                return h.asSpreader(Object[].class, m.getParameterCount()).asType(MethodType.methodType(void.class, Object[].class));
            } catch (IllegalAccessException e) {
                throw new DeviceException("kernel " + kernel.qualifiedName() + " is not accessible: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public long copyOnDevice(DeviceArray src, long srcOffset, DeviceArray dst, long dstOffset, long bytes, boolean timed) {
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long lo = bytes * t / threads, hi = bytes * (t + 1) / threads;
            done.add(pool.submit(() -> java.lang.foreign.MemorySegment.copy(src.segment(), srcOffset + lo, dst.segment(), dstOffset + lo, hi - lo)));
        }
        try {
            await(done);
        } catch (Throwable e) {
            throw new DeviceException("copy on jvm failed: " + e, e);
        }
        return timed ? System.nanoTime() - start : -1;
    }

    /** The JVM runs the kernel's bytecode: there is nothing to build. */
    @Override
    public long timeBuild(Class<?> owner, boolean diskCache) {
        return 0;
    }

    @Override
    public void synchronize() {
    }

    /** The host memory new arrays can still get: the jvm device's arrays are host arrays. */
    @Override
    public long freeMemory() {
        return SystemMemory.available();
    }

    @Override
    public String kernelSource(Class<?> owner) {
        return "// the jvm device runs the Java source of " + owner.getName() + " itself\n";
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
