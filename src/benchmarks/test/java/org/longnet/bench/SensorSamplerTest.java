package org.longnet.bench;

import org.longnet.engine.DeviceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.TestDevices;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceSensors;
import org.longnet.engine.device.DeviceSensors.Reading;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clock and power readings a benchmark prints: their sums, the sampling thread, and each device's sensors. */
@DeviceTest
class SensorSamplerTest {
    @Test
    void summaryAveragesClockAndPowerAndCountsReadingsAtThePowerLimit() {
        List<Reading> readings = List.of(new Reading(1980, 1980, 300.5, 700, 0), new Reading(1830, 1980, 699.5, 700, 0x4),
                new Reading(1650, 1980, 700, 700, 0x4 | 0x1), new Reading(1900, 1980, 640, 700, 0x80));
        SensorSampler.Summary s = SensorSampler.summarize(readings);
        assertEquals(4, s.samples());
        assertEquals((1980 + 1830 + 1650 + 1900) / 4.0, s.meanSmMhz(), 1e-9);
        assertEquals(1650, s.minSmMhz());
        assertEquals(1980, s.topSmMhz());
        assertEquals((300.5 + 699.5 + 700 + 640) / 4, s.meanWatts(), 1e-9);
        assertEquals(0.75, s.cappedShare(), 1e-12, "0x4 (software power cap) and 0x80 (power brake) count, 0x1 (idle) alone does not");
        assertTrue(s.describe().contains("1840 MHz (min 1650 of 1980)"), s.describe());
    }

    @Test
    void samplerReadsUntilStoppedAndSumsWhatItRead() throws InterruptedException {
        AtomicInteger reads = new AtomicInteger();
        DeviceSensors fake = () -> {
            int i = reads.getAndIncrement();
            return new Reading(1000 + i % 2 * 1000, 2000, 100, 700, i % 2 == 0 ? 0x4 : 0);
        };
        SensorSampler sampler = SensorSampler.start(fake).orElseThrow();
        Thread.sleep(20 * SensorSampler.PERIOD_MS);
        SensorSampler.Summary s = sampler.stop();
        int afterStop = reads.get();
        Thread.sleep(4 * SensorSampler.PERIOD_MS);
        assertEquals(afterStop, reads.get(), "no reading after stop");
        assertEquals(afterStop, s.samples(), "every reading is in the summary");
        assertTrue(s.samples() >= 5, "one reading at start, one at stop, and one per period between: " + s.samples());
        assertEquals(1000, s.minSmMhz());
        assertEquals(2000, s.topSmMhz());
    }

    @Test
    void sensorsThatFailEndTheSamplingButNotTheBenchmark() throws InterruptedException {
        AtomicInteger reads = new AtomicInteger();
        DeviceSensors failing = () -> {
            if (reads.incrementAndGet() > 3) {
                throw new IllegalStateException("NVML error 999");
            }
            return new Reading(1900, 1980, 650, 700, 0x4);
        };
        SensorSampler sampler = SensorSampler.start(failing).orElseThrow();
        Thread.sleep(10 * SensorSampler.PERIOD_MS);
        SensorSampler.Summary s = sampler.stop();
        assertEquals(3, s.samples(), "the readings before the failure");
        assertEquals(4, reads.get(), "no reading after the one that failed");
        assertEquals(1900, s.meanSmMhz(), 1e-9);
        DeviceSensors dead = () -> {
            throw new IllegalStateException("NVML error 999");
        };
        assertTrue(SensorSampler.start(dead).isEmpty(), "sensors that cannot be read at all: no sampler");
    }

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** CUDA devices read their clock and power through NVML; the others have no sensors, and say so with an empty answer. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void cudaDevicesReadPlausibleClocksAndTheOthersNone(String id) {
        Device device = TestDevices.open(id);
        Optional<DeviceSensors> sensors = device.sensors();
        assertEquals(id.startsWith("cuda"), sensors.isPresent(), "sensors on " + id);
        sensors.ifPresent(s -> {
            Reading r = s.read();
            assertTrue(r.maxSmMhz() >= 500 && r.maxSmMhz() <= 5000, "top SM clock " + r.maxSmMhz());
            assertTrue(r.smMhz() > 0 && r.smMhz() <= r.maxSmMhz(), "SM clock " + r.smMhz() + " of " + r.maxSmMhz());
            assertTrue(r.watts() > 0 && r.watts() <= 1.2 * r.limitWatts(), "power " + r.watts() + " W of " + r.limitWatts());
            assertTrue(r.limitWatts() >= 50 && r.limitWatts() <= 2000, "power limit " + r.limitWatts());
        });
    }
}
