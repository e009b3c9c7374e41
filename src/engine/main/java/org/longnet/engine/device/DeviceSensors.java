package org.longnet.engine.device;

/**
 * What a GPU says of its own state while it works: its SM clock, its board power and why it runs
 * under its top clock. A benchmark reads it alongside its timings, because a card held at its power
 * limit lowers its clock and runs the same kernels slower than a cool, idle card does: a time means
 * little without the clock it was taken at.
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
