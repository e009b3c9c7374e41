package org.longnet.engine.device;

import org.longnet.engine.api.DeviceArray;

/**
 * A place where kernels run. Each device keeps its own copy of the arrays it has seen, keyed by
 * the array itself, so any task graph on the same device finds data that another left there.
 * Operations return the device-measured time in nanoseconds when {@code timed} is set, else -1.
 */
public interface Device extends AutoCloseable {
    DeviceInfo info();

    /** Whether the array has a copy on this device. */
    boolean isResident(DeviceArray array);

    /** Makes room for the array on the device (no copy). */
    void allocate(DeviceArray array);

    long copyToDevice(DeviceArray array, boolean timed);

    long copyToHost(DeviceArray array, boolean timed);

    /** Frees the device copy, if there is one. */
    void free(DeviceArray array);

    /**
     * Runs one kernel with the task's Java arguments (arrays must be resident).
     * {@code launch} is null for the JVM's own choice of slicing.
     */
    long run(KernelInfo kernel, Object[] args, Launch launch, boolean timed);

    /** The work-group size used when a task sets none, per dimension count. */
    default long[] defaultLocal(int dims) {
        int max = info().maxWorkGroupSize();
        return switch (dims) {
            case 0, 1 -> new long[] {Math.min(256, max)};
            case 2 -> new long[] {Math.min(32, max), Math.max(1, Math.min(8, max / 32))};
            default -> new long[] {Math.min(32, max), Math.max(1, Math.min(4, max / 32)), Math.max(1, Math.min(2, max / 128))};
        };
    }

    /** The driver's own device-to-device copy of {@code src} into {@code dst}: the copy peak a kernel is measured against. */
    long copyOnDevice(DeviceArray src, DeviceArray dst, boolean timed);

    /**
     * The cheapest launch this device's driver offers, arguments prepared in advance: each run
     * launches once and waits. It is the baseline the task graph's own overhead is measured against.
     */
    Runnable rawLauncher(KernelInfo kernel, Object[] args, Launch launch);

    /** Builds a kernel class from source (or from the disk cache when {@code diskCache}); returns nanoseconds. */
    long timeBuild(Class<?> owner, boolean diskCache);

    /** Waits for all queued work. */
    void synchronize();

    /** Device memory free now, in bytes. */
    long freeMemory();

    /** The generated source this device compiles, for {@code --print-kernel}. */
    String kernelSource(Class<?> owner);

    @Override
    void close();
}
