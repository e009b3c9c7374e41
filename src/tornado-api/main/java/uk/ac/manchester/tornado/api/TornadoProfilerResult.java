package uk.ac.manchester.tornado.api;

import org.longnet.engine.graph.Profile;

/**
 * The profile of one execution, in nanoseconds and bytes, from the engine's {@link Profile}: kernel and copy times
 * measured on the device, the host time spent making kernels runnable (compile time) and dispatching launches and copies.
 * Every value is 0 for an execution that ran without the profiler.
 */
public class TornadoProfilerResult {
    private final Profile profile;
    private final boolean profiled;
    private final String trace;

    TornadoProfilerResult(Profile profile, boolean profiled, String trace) {
        this.profile = profile;
        this.profiled = profiled;
        this.trace = trace;
    }

    /** Host time of the whole execution. */
    public long getTotalTime() {
        return profiled ? profile.hostNanos() : 0;
    }

    /**
     * The host time this execution spent making its kernels runnable ({@link Profile#compileNanos()}): the translation to
     * OpenCL C and CUDA C happened when the program was compiled, so this is the rest, on the plan's first execution (as in
     * TornadoVM, a later one that finds its kernels ready reports 0): each kernel's launch sizes and JVM launcher, the
     * device's program (built, loaded from the kernel cache, or found built before), the kernel object and its arguments.
     * It is {@link #getTornadoCompilerTime()} plus {@link #getDriverInstallTime()}.
     */
    public long getCompileTime() {
        return profiled ? profile.compileNanos() : 0;
    }

    /**
     * The part of {@link #getCompileTime()} outside the device's compiler and loader: what the engine does to ready each
     * launch (TornadoVM's JIT compilation, done here ahead of time, leaves this part).
     */
    public long getTornadoCompilerTime() {
        return getCompileTime() - getDriverInstallTime();
    }

    /**
     * The part of {@link #getCompileTime()} spent in the device's compiler and loader ({@link Profile#installNanos()}): OpenCL's
     * program build, NVRTC and the module load on cuda; 0 where the device had the programs built before, and on jvm.
     */
    public long getDriverInstallTime() {
        return profiled ? profile.installNanos() : 0;
    }

    /** Device time of the copies both ways. */
    public long getDataTransfersTime() {
        return getDeviceWriteTime() + getDeviceReadTime();
    }

    /** Device time of the copies to the device. */
    public long getDeviceWriteTime() {
        return nanos(Profile.Kind.COPY_IN);
    }

    /** Device time of the copies to the host. */
    public long getDeviceReadTime() {
        return nanos(Profile.Kind.COPY_OUT);
    }

    /**
     * The host time spent in the driver calls that copy arrays between host and device ({@link Profile#transferDispatchNanos()}):
     * the engine's copies block, so on opencl and cuda each counts whole, as the host waited for it; on jvm the calls alone.
     * TornadoVM's OpenCL backend measures instead the wait between a command's enqueue and its start on the device.
     */
    public long getDataTransferDispatchTime() {
        return profiled ? profile.transferDispatchNanos() : 0;
    }

    /**
     * The host time spent in the driver calls that enqueue kernels ({@link Profile#kernelDispatchNanos()}): the enqueue alone
     * on opencl and cuda; on jvm, where the call runs the kernel, its whole host time.
     */
    public long getKernelDispatchTime() {
        return profiled ? profile.kernelDispatchNanos() : 0;
    }

    /** Device time of the kernels and library tasks. */
    public long getDeviceKernelTime() {
        return nanos(Profile.Kind.KERNEL) + nanos(Profile.Kind.LIBRARY);
    }

    public long getTotalBytesCopyIn() {
        return bytes(Profile.Kind.COPY_IN);
    }

    public long getTotalBytesCopyOut() {
        return bytes(Profile.Kind.COPY_OUT);
    }

    public long getTotalBytesTransferred() {
        return getTotalBytesCopyIn() + getTotalBytesCopyOut();
    }

    /**
     * The device memory this execution allocated, in bytes: the buffers made for arrays the plan did not hold on the device
     * yet (all of them on a first execution; none on a later one that finds them there; again after
     * {@code freeDeviceMemory}). Consumed arrays were allocated by the graph that persisted them.
     */
    public long getTotalDeviceMemoryUsage() {
        return profiled ? profile.allocatedBytes() : 0;
    }

    /** The plan's settings when this execution ran ({@link TornadoExecutionPlan#getTraceExecutionPlan()}). */
    public String getTraceExecutionPlan() {
        return trace;
    }

    /** Each kernel's and copy's time, as a table. */
    public String getProfileLog() {
        return profile.toString();
    }

    public void dumpProfiles() {
        System.out.print(getProfileLog());
    }

    private long nanos(Profile.Kind kind) {
        return profile.events().stream().filter(e -> e.kind() == kind).mapToLong(e -> Math.max(0, e.deviceNanos())).sum();
    }

    private long bytes(Profile.Kind kind) {
        return profile.events().stream().filter(e -> e.kind() == kind).mapToLong(Profile.Event::bytes).sum();
    }
}
