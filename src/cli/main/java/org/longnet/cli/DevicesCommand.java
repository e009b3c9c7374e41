package org.longnet.cli;

import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.Devices;
import picocli.CommandLine.Command;

/** {@code longnet devices}: every backend, its devices, and which one is the default. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = {"List every device with its backend, memory, compute units and largest work-group.",
        "A backend that cannot load is listed with the reason, so you know what to install."})
final class DevicesCommand implements Runnable {
    @Override
    public void run() {
        String chosen = Devices.defaultId();
        String resolved = Devices.resolve(chosen);
        java.util.List<Devices.Backend> backends = Devices.discover();
        System.out.printf("%-3s %-12s %-8s %-46s %10s %10s %6s %6s%n", "", "id", "backend", "name", "memory", "max alloc", "units", "max wg");
        for (Devices.Backend b : backends) {
            if (!b.available()) {
                System.out.printf("    %-12s %-8s unavailable: %s%n", b.name(), b.name(), b.unavailableReason());
                continue;
            }
            for (DeviceInfo d : b.devices()) {
                System.out.printf("%-3s %-12s %-8s %-46s %10s %10s %6d %6d%n", d.id().equals(canonical(resolved)) ? "*" : "", d.id(), d.backend(),
                        clip(d.name(), 46), gib(d.globalMemoryBytes()), d.maxAllocationBytes() == Long.MAX_VALUE ? "-" : gib(d.maxAllocationBytes()),
                        d.computeUnits(), d.maxWorkGroupSize());
            }
        }
        System.out.println();
        String canonical = canonical(resolved);
        boolean known = backends.stream().flatMap(b -> b.devices().stream()).anyMatch(d -> d.id().equals(canonical));
        if (!known) {
            throw new IllegalArgumentException("--device " + chosen + " is not one of the devices above; use jvm, opencl, "
                    + "opencl:P:D, cuda or cuda:D as listed");
        }
        System.out.println("* default device: " + resolved + (chosen.equals(resolved) ? "" : " (from '" + chosen + "')")
                + "; choose another with --device ID or LONGNET_DEVICE=ID");
    }

    private static String canonical(String id) {
        return id.equals("opencl") ? "opencl:0:0" : id.equals("cuda") ? "cuda:0" : id;
    }

    private static String gib(long bytes) {
        return String.format("%.1f GiB", bytes / (double) (1L << 30));
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
