package org.longnet.bench;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceSensors;
import org.longnet.engine.device.DeviceSensors.Reading;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a device's sensors every {@value #PERIOD_MS} ms on a daemon thread, from {@link #start} to
 * {@link #stop}: the clock and power the card ran at while a benchmark timed it. A reading that fails
 * ends the sampling with a warning and keeps what was read: the sensors never stop a benchmark.
 */
public final class SensorSampler {
    static final long PERIOD_MS = 50;

    /**
     * The readings of one timed stretch: how many, the mean and lowest SM clock against the top one
     * (MHz), the mean board power (W) and the share of readings at the power limit (0 to 1).
     */
    public record Summary(int samples, double meanSmMhz, int minSmMhz, int topSmMhz, double meanWatts, double cappedShare) {
        public String describe() {
            return String.format("SM %.0f MHz (min %d of %d), %.0f W, at the power limit in %.0f%% of %d readings", meanSmMhz, minSmMhz,
                    topSmMhz, meanWatts, 100 * cappedShare, samples);
        }
    }

    private final DeviceSensors sensors;
    private final List<Reading> readings = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private SensorSampler(DeviceSensors sensors) {
        this.sensors = sensors;
        readings.add(sensors.read());
        thread = Thread.ofPlatform().daemon().name("sensor-sampler").start(this::sample);
    }

    /** Starts sampling the device's sensors; empty where it has none (jvm, opencl, or no NVML) or they cannot be read. */
    public static Optional<SensorSampler> start(Device device) {
        return device.sensors().flatMap(SensorSampler::start);
    }

    static Optional<SensorSampler> start(DeviceSensors sensors) {
        try {
            return Optional.of(new SensorSampler(sensors));
        } catch (RuntimeException e) {
            System.err.println("no clock and power readings: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void sample() {
        while (running) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (!addReading()) {
                return;
            }
        }
    }

    /** Adds one reading; false, with a warning, if the sensors failed (sampling then ends). */
    private boolean addReading() {
        try {
            Reading r = sensors.read();
            synchronized (readings) {
                readings.add(r);
            }
            return true;
        } catch (RuntimeException e) {
            running = false;
            System.err.println("clock and power readings stopped: " + e.getMessage());
            return false;
        }
    }

    /** Stops sampling (with one last reading, if the sensors still answer) and sums up what was read. */
    public Summary stop() {
        boolean answering = running;
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (answering) {
            addReading();
        }
        synchronized (readings) {
            return summarize(readings);
        }
    }

    static Summary summarize(List<Reading> readings) {
        if (readings.isEmpty()) {
            throw new IllegalArgumentException("no readings to sum up");
        }
        double mhz = 0, watts = 0;
        int min = Integer.MAX_VALUE, top = 0, capped = 0;
        for (Reading r : readings) {
            mhz += r.smMhz();
            watts += r.watts();
            min = Math.min(min, r.smMhz());
            top = Math.max(top, r.maxSmMhz());
            capped += r.powerCapped() ? 1 : 0;
        }
        int n = readings.size();
        return new Summary(n, mhz / n, min, top, watts / n, (double) capped / n);
    }
}
