package org.longnet.engine.graph;

import org.longnet.engine.device.DispatchClock;

import java.util.ArrayList;
import java.util.List;

/**
 * Device time of each kernel and copy of one execution, and the host time of the whole; with them, the host time the
 * execution spent readying kernel launches (its compile time, the device's program builds among it) and dispatching its
 * launches and copies.
 */
public final class Profile {
    public enum Kind { KERNEL, COPY_IN, COPY_OUT, LIBRARY }

    public record Event(String name, Kind kind, long bytes, long deviceNanos) {
    }

    private final List<Event> events = new ArrayList<>();
    private long hostNanos;
    private long allocatedBytes;
    private long compileNanos;
    private long installNanos;
    private final DispatchClock kernelDispatch = new DispatchClock();
    private final DispatchClock transferDispatch = new DispatchClock();

    void add(Event e) {
        events.add(e);
    }

    void hostNanos(long nanos) {
        hostNanos = nanos;
    }

    void allocated(long bytes) {
        allocatedBytes += bytes;
    }

    /** A launch was readied in {@code nanos}, {@code install} of them in the device's compiler and loader. */
    void compiled(long nanos, long install) {
        compileNanos += nanos;
        installNanos += install;
    }

    DispatchClock kernelDispatch() {
        return kernelDispatch;
    }

    DispatchClock transferDispatch() {
        return transferDispatch;
    }

    /**
     * The host time this execution spent making its kernels runnable, in nanoseconds: for each launch it readied, the
     * kernel's launch sizes (which load its translated JVM launcher the first time), the device's program (built, read from
     * the kernel cache, or found built before) and the kernel object with its arguments. The translator turned the kernels into
     * OpenCL C and CUDA C when their Java sources were compiled, so no translation happens here. A plan readies each launch on its first execution;
     * a later one readies none, and reports 0, unless freed device memory made its launches stale, or a kernel reads static
     * fields (its arguments are set anew at each launch).
     */
    public long compileNanos() {
        return compileNanos;
    }

    /**
     * The part of {@link #compileNanos()} spent building the device's programs ({@code Device.Prepared#installNanos}): the
     * translated source read, then OpenCL's program creation and build (from the source, or from the kernel cache's binary),
     * or NVRTC and the module load on cuda. 0 when the device had the programs built before, and on the JVM device, which
     * builds nothing.
     */
    public long installNanos() {
        return installNanos;
    }

    /**
     * The host time spent in the driver calls that enqueue this execution's kernels, summed, in nanoseconds: the enqueue
     * alone on opencl and cuda, where a launch returns before the kernel runs; the kernel's whole host time on the JVM
     * device, where the call runs it. Library tasks are not counted.
     */
    public long kernelDispatchNanos() {
        return kernelDispatch.nanos();
    }

    /**
     * The host time spent in the driver calls that copy this execution's arrays between host and device, summed, in
     * nanoseconds. The engine's copies block, so on opencl and cuda this is each copy as the host waited for it; on the
     * JVM device, which moves nothing, the calls alone. Moves inside the device (device regions) are not counted.
     */
    public long transferDispatchNanos() {
        return transferDispatch.nanos();
    }

    /** The device memory the execution allocated for arrays its plan did not hold on the device before, in bytes. */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public long hostNanos() {
        return hostNanos;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(String.format("%-32s %-9s %12s %12s %10s%n", "name", "kind", "device us", "bytes", "GB/s"));
        for (Event e : events) {
            String rate = e.bytes > 0 && e.deviceNanos > 0 ? String.format("%.2f", e.bytes / (double) e.deviceNanos) : "";
            out.append(String.format("%-32s %-9s %12.1f %12s %10s%n", e.name, e.kind.name().toLowerCase(),
                    e.deviceNanos / 1e3, e.bytes > 0 ? Long.toString(e.bytes) : "", rate));
        }
        out.append(String.format("host time of the execution: %.1f us%n", hostNanos / 1e3));
        out.append(String.format("readying launches: %.1f us, %.1f us of them building programs%n", compileNanos / 1e3, installNanos / 1e3));
        return out.append(String.format("dispatch (host): kernels %.1f us, copies %.1f us%n", kernelDispatchNanos() / 1e3,
                transferDispatchNanos() / 1e3)).toString();
    }
}
