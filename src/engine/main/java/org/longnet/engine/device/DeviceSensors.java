package org.longnet.engine.device;

/**
 * What a GPU says of its own state while it works: its SM clock, its board power and why it runs
 * under its top clock. A benchmark reads it alongside its timings, because a card at its power limit
 * (the H200 reaches 700 W within half a second of dense attention) runs its kernels 2-5% slower than
 * the same kernels on a cool, idle card, and a table of times means little without that.
 */
public interface DeviceSensors {
    Reading read();

    /**
     * One reading: the SM clock and the highest it may run at (MHz), the board power and its limit
     * (W), and the bit set of reasons the clock is held down (NVML's clock event reasons).
     */
    record Reading(int smMhz, int maxSmMhz, double watts, double limitWatts, long reasons) {
        /** NVML's reasons for a power limit: the software power cap (0x4) and the hardware power brake (0x80). */
        static final long POWER_CAPPED = 0x4L | 0x80L;

        public boolean powerCapped() {
            return (reasons & POWER_CAPPED) != 0;
        }
    }
}
