package org.longnet.engine.collective;

import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes a rank sent to and received from its peers, per kind of call. A rank's own block never
 * counts: an all-gather over g ranks receives the other g - 1 blocks. These are the numbers the
 * sequence-parallel volume formula predicts, and the planner's input.
 */
public final class Traffic {
    private final Map<String, long[]> byCall = new TreeMap<>();

    /** Counts one call's bytes (the communicators do; a communicator built on another counts into the other's). */
    public synchronized void add(String call, long sent, long received) {
        long[] c = byCall.computeIfAbsent(call, k -> new long[3]);
        c[0] += sent;
        c[1] += received;
        c[2]++;
    }

    public synchronized long sent() {
        return byCall.values().stream().mapToLong(c -> c[0]).sum();
    }

    public synchronized long received() {
        return byCall.values().stream().mapToLong(c -> c[1]).sum();
    }

    /** Bytes received by calls of one kind ("allGather", "reduceScatter", "allReduce", "broadcast"). */
    public synchronized long received(String call) {
        long[] c = byCall.get(call);
        return c == null ? 0 : c[1];
    }

    public synchronized long sent(String call) {
        long[] c = byCall.get(call);
        return c == null ? 0 : c[0];
    }

    /** Forgets what was counted (between the phases a benchmark measures apart). */
    public synchronized void reset() {
        byCall.clear();
    }

    @Override
    public synchronized String toString() {
        StringBuilder s = new StringBuilder();
        byCall.forEach((call, c) -> s.append(s.isEmpty() ? "" : ", ").append(call).append(' ').append(c[2]).append("x sent ")
                .append(c[0]).append(" B received ").append(c[1]).append(" B"));
        return s.isEmpty() ? "no traffic" : s.toString();
    }
}
