package org.longnet.engine.device.cuda;

import org.longnet.engine.device.DeviceSensors;
import org.longnet.engine.device.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The card's sensors through NVML ({@code libnvidia-ml.so.1}, which comes with the NVIDIA driver),
 * found by PCI bus id, since CUDA and NVML may number the GPUs differently.
 */
final class Nvml implements DeviceSensors {
    private static final int CLOCK_SM = 1;

    private final MethodHandle clockInfo, maxClockInfo, powerUsage, powerLimit, reasons;
    private final MemorySegment device;

    private Nvml(NativeLibrary lib, MemorySegment device) {
        this.device = device;
        clockInfo = lib.statusFunction("nvmlDeviceGetClockInfo", ADDRESS, JAVA_INT, ADDRESS);
        maxClockInfo = lib.statusFunction("nvmlDeviceGetMaxClockInfo", ADDRESS, JAVA_INT, ADDRESS);
        powerUsage = lib.statusFunction("nvmlDeviceGetPowerUsage", ADDRESS, ADDRESS);
        powerLimit = lib.statusFunction("nvmlDeviceGetEnforcedPowerLimit", ADDRESS, ADDRESS);
        // Renamed from "throttle" to "event" reasons in newer drivers, which keep the old name too.
        MethodHandle r;
        try {
            r = lib.statusFunction("nvmlDeviceGetCurrentClocksEventReasons", ADDRESS, ADDRESS);
        } catch (UnsatisfiedLinkError e) {
            r = lib.statusFunction("nvmlDeviceGetCurrentClocksThrottleReasons", ADDRESS, ADDRESS);
        }
        reasons = r;
    }

    /** The sensors of the GPU at {@code pciBusId}, or empty when NVML is missing or does not know it (with why on stderr). */
    static Optional<DeviceSensors> open(String pciBusId) {
        try {
            NativeLibrary lib = NativeLibrary.open(List.of("libnvidia-ml.so.1", "libnvidia-ml.so"));
            check((int) lib.statusFunction("nvmlInit_v2").invokeExact(), "nvmlInit_v2");
            try (Arena a = Arena.ofConfined()) {
                MemorySegment handle = a.allocate(ADDRESS);
                check((int) lib.statusFunction("nvmlDeviceGetHandleByPciBusId_v2", ADDRESS, ADDRESS).invokeExact(a.allocateFrom(pciBusId), handle),
                        "nvmlDeviceGetHandleByPciBusId_v2(" + pciBusId + ")");
                return Optional.of(new Nvml(lib, handle.get(ADDRESS, 0)));
            }
        } catch (Throwable t) {
            System.err.println("no clock and power readings for the GPU at " + pciBusId + ": " + t.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Reading read() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sm = a.allocate(JAVA_INT), max = a.allocate(JAVA_INT), mw = a.allocate(JAVA_INT), limit = a.allocate(JAVA_INT);
            MemorySegment why = a.allocate(JAVA_LONG);
            check((int) clockInfo.invokeExact(device, CLOCK_SM, sm), "nvmlDeviceGetClockInfo");
            check((int) maxClockInfo.invokeExact(device, CLOCK_SM, max), "nvmlDeviceGetMaxClockInfo");
            check((int) powerUsage.invokeExact(device, mw), "nvmlDeviceGetPowerUsage");
            check((int) powerLimit.invokeExact(device, limit), "nvmlDeviceGetEnforcedPowerLimit");
            check((int) reasons.invokeExact(device, why), "nvmlDeviceGetCurrentClocksEventReasons");
            return new Reading(sm.get(JAVA_INT, 0), max.get(JAVA_INT, 0), Integer.toUnsignedLong(mw.get(JAVA_INT, 0)) / 1e3,
                    Integer.toUnsignedLong(limit.get(JAVA_INT, 0)) / 1e3, why.get(JAVA_LONG, 0));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("NVML call failed", t);
        }
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException(what + " failed: NVML error " + status);
        }
    }
}
