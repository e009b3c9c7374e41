package org.longnet.engine.graph;

import java.util.ArrayList;
import java.util.List;

/** Device time of each kernel and copy of one execution, and the host time of the whole. */
public final class Profile {
    public enum Kind { KERNEL, COPY_IN, COPY_OUT, LIBRARY }

    public record Event(String name, Kind kind, long bytes, long deviceNanos) {
    }

    private final List<Event> events = new ArrayList<>();
    private long hostNanos;
    private long allocatedBytes;

    void add(Event e) {
        events.add(e);
    }

    void hostNanos(long nanos) {
        hostNanos = nanos;
    }

    void allocated(long bytes) {
        allocatedBytes += bytes;
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
        return out.append(String.format("host time of the execution: %.1f us%n", hostNanos / 1e3)).toString();
    }
}
