package org.longnet.engine.device;

import org.longnet.engine.api.DeviceArray;

import java.util.Optional;

/**
 * A place where kernels run. Each device keeps its own copy of the arrays it has seen, keyed by
 * the array itself, so any task graph on the same device finds data that another left there.
 * Operations return the device-measured time in nanoseconds when {@code timed} is set, else -1.
 */
public interface Device extends AutoCloseable {
    DeviceInfo info();

    /** Whether the array has a copy on this device. */
    boolean isResident(DeviceArray array);

    /**
     * The bytes of this device's memory that hold {@code array}'s copy now, 0 where it has none: what its buffer took when
     * it was made. The JVM device computes in the host's memory, so there the array's own bytes are its copy.
     */
    long residentBytes(DeviceArray array);

    /** Makes room for the array on the device (no copy). */
    void allocate(DeviceArray array);

    long copyToDevice(DeviceArray array, boolean timed);

    long copyToHost(DeviceArray array, boolean timed);

    /**
     * As {@link #copyToDevice(DeviceArray, boolean)}, timed when {@code dispatch} is given, which also gets the host time of
     * the driver call that enqueues the copy (its dispatch); with {@code null}, untimed and without a clock read. A device
     * that cannot tell its enqueue from the copy adds nothing.
     */
    default long copyToDevice(DeviceArray array, DispatchClock dispatch) {
        return copyToDevice(array, dispatch != null);
    }

    /** As {@link #copyToHost(DeviceArray, boolean)}, with the dispatch of {@link #copyToDevice(DeviceArray, DispatchClock)}. */
    default long copyToHost(DeviceArray array, DispatchClock dispatch) {
        return copyToHost(array, dispatch != null);
    }

    /**
     * Page-locks the array's host memory, where the device can copy from locked pages directly (cuda): copies then run
     * at the bus's rate instead of through the driver's staging buffer. Returns whether it did; elsewhere nothing
     * changes and copies work as before. {@link #unpinHost} must undo it before the array is closed.
     */
    default boolean pinHost(DeviceArray array) {
        return false;
    }

    /** Undoes {@link #pinHost}; nothing if the array is not pinned. */
    default void unpinHost(DeviceArray array) {
    }

    /** Frees the device copy, if there is one. */
    void free(DeviceArray array);

    /**
     * Frees the device copy of every array, whichever plan made it (TornadoVM's device reset); launches prepared before
     * turn stale. The device stays open. Nothing where the device computes in the host's memory (the JVM's).
     */
    default void freeAll() {
    }

    /**
     * Readies one kernel launch with fixed arguments (arrays must be resident): argument block,
     * kernel object and sizes are built once, so each {@link Prepared#launch} is a bare driver call.
     */
    Prepared prepare(KernelInfo kernel, Object[] args, Launch launch);

    /**
     * As {@link #prepare(KernelInfo, Object[], Launch)}, with {@code compilerFlags} added to the options of the device's
     * compiler (OpenCL's program build, NVRTC), space-separated; a kernel class is built once per set of flags. A
     * device that compiles nothing at run time (the JVM's) has no compiler to give them to and ignores them.
     */
    default Prepared prepare(KernelInfo kernel, Object[] args, Launch launch, String compilerFlags) {
        return prepare(kernel, args, launch);
    }

    /**
     * Readies a launch of kernel {@code entryPoint} of a program written by hand for this device ({@code source}: OpenCL C
     * on opencl, PTX on cuda; {@code name} says where it came from), with {@code args} in the kernel's order as
     * {@link KernelArguments#prebuilt} passes them. A device that compiles no such program (the JVM's) refuses.
     */
    default Prepared prepareSource(String name, String source, String entryPoint, Object[] args, Launch launch) {
        throw new DeviceException("prebuilt kernel " + name + ": " + info().id() + " runs no kernel programs (OpenCL C runs on opencl "
                + "devices, PTX on cuda devices); run the plan on one of those");
    }

    /** Runs one kernel once; returns device nanoseconds when {@code timed}, else -1. */
    default long run(KernelInfo kernel, Object[] args, Launch launch, boolean timed) {
        try (Prepared p = prepare(kernel, args, launch)) {
            return p.launch(timed);
        }
    }

    /** A launch ready to go; stale once any buffer of this device has been freed since it was made. */
    interface Prepared extends AutoCloseable {
        /** Enqueues the kernel; with {@code timed}, waits and returns device nanoseconds, else -1. */
        long launch(boolean timed);

        /**
         * As {@link #launch(boolean)}, timed when {@code dispatch} is given, which also gets the host time of the driver call
         * that enqueues the kernel (its dispatch); with {@code null}, untimed and without a clock read. A device that cannot
         * tell its enqueue from the kernel adds nothing.
         */
        default long launch(DispatchClock dispatch) {
            return launch(dispatch != null);
        }

        /**
         * The host nanoseconds that readying this launch spent building the kernel's program: reading its translated source,
         * then OpenCL's program creation and build (from the source or the disk cache's binary), or NVRTC and the module load
         * on cuda. 0 where the device had it built before, and on devices that build nothing at run time (the JVM's).
         */
        default long installNanos() {
            return 0;
        }

        boolean valid();

        @Override
        void close();
    }

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
    default long copyOnDevice(DeviceArray src, DeviceArray dst, boolean timed) {
        return copyOnDevice(src, 0, dst, 0, Math.min(src.byteSize(), dst.byteSize()), timed);
    }

    /**
     * Copies {@code bytes} of {@code src}'s device copy from byte {@code srcOffset} into {@code dst}'s from byte
     * {@code dstOffset}, on the device. Both must have copies here; the ranges must lie inside both arrays.
     */
    long copyOnDevice(DeviceArray src, long srcOffset, DeviceArray dst, long dstOffset, long bytes, boolean timed);

    /** Builds a kernel class from source (or from the disk cache when {@code diskCache}); returns nanoseconds. */
    long timeBuild(Class<?> owner, boolean diskCache);

    /**
     * Whether the matrix products of {@code KernelContext} ({@code mmaBf16} and its kin) run on matrix
     * units (a GPU's tensor cores) at several times the fp32 rate. Elsewhere they are loops with the
     * same result and no such speed, so code that has both a matrix-unit and an fp32 path picks by this.
     */
    default boolean matrixUnits() {
        return false;
    }

    /**
     * Whether the device is a Hopper GPU (CUDA sm_90a), where {@link org.longnet.engine.api.Tma} copies run on the tensor
     * memory accelerator while the group computes and {@link org.longnet.engine.api.WarpgroupMma} products are asynchronous
     * wgmma: the pairing the TMA-fed kernels are built and measured for. Elsewhere the same kernels give the same results
     * (group copies, products at issue) without that overlap, and later GPUs, with the copy engine but without wgmma, are not
     * yet measured; so code that has a TMA-fed and another kernel picks by this.
     */
    default boolean hopperPipelines() {
        return false;
    }

    /** The clock and power readings of a GPU, where its driver gives them (cuda, through NVML); empty elsewhere. */
    default Optional<DeviceSensors> sensors() {
        return Optional.empty();
    }

    /**
     * Starts recording the launches, device-to-device copies and library calls that this thread makes on this device into a
     * graph that {@link Capture#end()} turns into one replayable launch (a CUDA graph). Nothing recorded runs until the graph
     * is launched. Empty on devices without graphs (jvm, opencl), where work is simply run as it comes; {@code what} names the
     * work in error messages. A timed operation cannot be recorded: a timed launch while recording throws.
     */
    default Optional<Capture> beginCapture(String what) {
        return Optional.empty();
    }

    /**
     * A count that grows whenever a buffer of this device is freed: a launch or graph made before it may point to dead memory.
     * 0 on devices whose buffers are the host's own arrays (the JVM's).
     */
    default long frees() {
        return 0;
    }

    /** A recording begun by {@link #beginCapture}. */
    interface Capture {
        /** Ends the recording and readies its graph; throws, with no recording left open, where the recording broke. */
        CapturedGraph end();

        /** Ends a recording that a failure interrupted and discards it; the device runs work as before. */
        void abandon();
    }

    /** A recorded graph: each {@link #launch()} enqueues all of its work in one call, after the work queued before. */
    interface CapturedGraph extends AutoCloseable {
        void launch();

        /** False once any buffer of the device has been freed since the recording: it may point to dead memory. */
        boolean valid();

        @Override
        void close();
    }

    /** Waits for all queued work. */
    void synchronize();

    /** Device memory free now, in bytes. */
    long freeMemory();

    /** The generated source this device compiles, for {@code --print-kernel}. */
    String kernelSource(Class<?> owner);

    @Override
    void close();
}
