package org.longnet.cli;

import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.Devices;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code longnet devices}: every backend, its devices, and which one is the default and why. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = {
        "List the devices of every backend and say which one commands use by default, and why.",
        "",
        "Each device is shown with its id (what --device takes), memory, compute units and largest work-group.",
        "A backend that cannot load is listed with the reason, so you know what to install. The default, 'auto', is the",
        "fastest kind of device present: a CUDA GPU, else an OpenCL GPU, else an OpenCL device on the CPU (PoCL, whose",
        "compiled kernels run several times faster than jvm's Java), else jvm. --device or LONGNET_DEVICE choose another."},
        footer = {"", "Examples:", "  longnet devices", "  longnet --device jvm devices          # the table, with jvm as the default"})
final class DevicesCommand implements Runnable {
    @Override
    public void run() {
        String chosen = Devices.defaultId();
        String resolved = Devices.resolve(chosen);
        List<Devices.Backend> backends = Devices.discover();
        String canonical = canonical(resolved);
        DeviceInfo picked = null;
        System.out.printf("%-3s %-12s %-8s %-46s %10s %10s %6s %6s%n", "", "id", "backend", "name", "memory", "max alloc", "units", "max wg");
        for (Devices.Backend b : backends) {
            if (!b.available()) {
                System.out.printf("    %-12s %-8s unavailable: %s%n", b.name(), b.name(), b.unavailableReason());
                continue;
            }
            for (DeviceInfo d : b.devices()) {
                picked = d.id().equals(canonical) ? d : picked;
                System.out.printf("%-3s %-12s %-8s %-46s %10s %10s %6d %6d%n", d == picked ? "*" : "", d.id(), d.backend(),
                        clip(d.name(), 46), gib(d.globalMemoryBytes()), d.maxAllocationBytes() == Long.MAX_VALUE ? "-" : gib(d.maxAllocationBytes()),
                        d.computeUnits(), d.maxWorkGroupSize());
            }
        }
        System.out.println();
        if (picked == null) {
            throw new IllegalArgumentException("--device " + chosen + " is not one of the devices above; use auto, jvm, opencl, "
                    + "opencl:P:D, cuda or cuda:D as listed");
        }
        System.out.println("* default device: " + resolved + ", " + (chosen.equals("auto") ? "picked by 'auto': " + whyAuto(picked)
                : "set by --device, LONGNET_DEVICE or tornado-config/defaults.properties ('auto' would pick " + Devices.fastest(backends) + ")"));
        System.out.println("  choose another with --device ID or LONGNET_DEVICE=ID");
    }

    /** Why {@code auto} picked {@code device}, in the words of its order: CUDA GPU, OpenCL GPU, OpenCL CPU, jvm. */
    static String whyAuto(DeviceInfo device) {
        return switch (device.backend()) {
            case "cuda" -> "a CUDA GPU comes first";
            case "opencl" -> device.gpu() ? "there is no CUDA GPU, and an OpenCL GPU comes next"
                    : "there is no GPU, and an OpenCL device on the CPU runs compiled kernels several times faster than jvm";
            default -> "there is no GPU and no OpenCL device, so kernels run as Java on the CPU; an OpenCL driver for the CPU "
                    + "(PoCL: apt-get install pocl-opencl-icd) would run them several times faster";
        };
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
