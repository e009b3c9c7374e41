package org.longnet.engine.collective;

import java.util.concurrent.TimeUnit;

/**
 * How long one collective may wait for its peers before the job is ended:
 * {@code -Dlongnet.collectiveTimeout=SECONDS} or {@code $LONGNET_COLLECTIVE_TIMEOUT}, default
 * {@value #DEFAULT_SECONDS} s: long enough for the largest gradient all-reduce, short enough that a
 * stuck job frees its machines.
 */
public final class CollectiveTimeout {
    static final long DEFAULT_SECONDS = 300;
    private static final long NANOS = read();

    private CollectiveTimeout() {
    }

    public static long nanos() {
        return NANOS;
    }

    public static long seconds() {
        return TimeUnit.NANOSECONDS.toSeconds(NANOS);
    }

    private static long read() {
        String configured = System.getProperty("longnet.collectiveTimeout", System.getenv("LONGNET_COLLECTIVE_TIMEOUT"));
        long seconds = DEFAULT_SECONDS;
        if (configured != null && !configured.isBlank()) {
            try {
                seconds = Long.parseLong(configured.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("LONGNET_COLLECTIVE_TIMEOUT (longnet.collectiveTimeout) must be a whole number of"
                        + " seconds, was '" + configured + "'");
            }
            if (seconds < 1) {
                throw new IllegalArgumentException("LONGNET_COLLECTIVE_TIMEOUT must be >= 1 second, was " + seconds);
            }
        }
        return TimeUnit.SECONDS.toNanos(seconds);
    }
}
