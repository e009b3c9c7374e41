package org.longnet.engine.device;

/**
 * Sums the host time that timed device operations spent dispatching: from the call into the driver that enqueues a copy
 * or a launch to that call's return, as opposed to the device's time for the work itself. A device adds one span per
 * operation it is handed this clock for; operations run without one read no clock.
 */
public final class DispatchClock {
    private long nanos;

    /** Adds one operation's dispatch, in nanoseconds. */
    public void add(long nanos) {
        this.nanos += nanos;
    }

    /** The dispatch time summed so far, in nanoseconds. */
    public long nanos() {
        return nanos;
    }
}
