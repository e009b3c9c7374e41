package org.longnet.engine.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's memory: what exists and what a new allocation can still get without the kernel's
 * out-of-memory killer stepping in. Sizes are checked against {@link #available()} before anything
 * large is allocated, because host arrays are mapped lazily and a size too large would otherwise only
 * fail when its pages are touched, by killing the process.
 */
public final class SystemMemory {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private SystemMemory() {
    }

    /** Physical memory of the machine, or of the container where one limits it. */
    public static long total() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : Runtime.getRuntime().maxMemory();
    }

    /**
     * Memory available to new allocations now: Linux's {@code MemAvailable} (free memory plus the page cache
     * that can be dropped), capped by the container's free memory where a container limit is lower than the
     * machine's memory; elsewhere the free memory the JVM reports.
     */
    public static long available() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long free = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getFreeMemorySize() : Runtime.getRuntime().freeMemory();
        long memAvailable = meminfo("MemAvailable:"), memTotal = meminfo("MemTotal:");
        if (memAvailable < 0) {
            return free;
        }
        boolean containerLimit = memTotal > 0 && total() < memTotal;
        return containerLimit ? Math.min(memAvailable, free) : memAvailable;
    }

    /** A field of /proc/meminfo in bytes, or -1 where there is none. */
    private static long meminfo(String field) {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith(field)) {
                    String[] words = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(words[0]) * (words.length > 1 && words[1].equals("kB") ? 1024 : 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1; // not Linux, or /proc is not mounted
        }
        return -1;
    }
}
