package uk.ac.manchester.tornado.api;

import org.longnet.engine.graph.Profile;

/**
 * The profile of one execution, in nanoseconds and bytes, from the engine's {@link Profile}: kernel and copy
 * times measured on the device. Compilation happens on the first run of a kernel on a device and is cached; its
 * time is part of the total, not reported apart (the compile times read 0).
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

    public long getCompileTime() {
        return 0;
    }

    public long getTornadoCompilerTime() {
        return 0;
    }

    public long getDriverInstallTime() {
        return 0;
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

    public long getDataTransferDispatchTime() {
        return 0;
    }

    public long getKernelDispatchTime() {
        return 0;
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
