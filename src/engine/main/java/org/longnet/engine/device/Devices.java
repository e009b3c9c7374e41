package org.longnet.engine.device;

import org.longnet.engine.device.cuda.CudaDevice;
import org.longnet.engine.device.jvm.JvmDevice;
import org.longnet.engine.device.opencl.OpenClDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and opens devices. A backend that cannot load (no driver, no GPU) is listed as
 * unavailable with its reason; it never stops the others from being found. Opened devices are
 * shared, so every task graph on one device sees the same resident buffers.
 */
public final class Devices {
    /** One backend's discovery result: its devices, or why it has none. */
    public record Backend(String name, List<DeviceInfo> devices, String unavailableReason) {
        public boolean available() {
            return unavailableReason == null;
        }
    }

    private static final Map<String, Device> OPEN = new ConcurrentHashMap<>();
    /** What {@code auto} resolved to: discovery probes every driver, so it runs once per process. */
    private static volatile String auto;

    private Devices() {
    }

    public static List<Backend> discover() {
        List<Backend> out = new ArrayList<>();
        out.add(new Backend("jvm", List.of(jvm().info()), null));
        out.add(probe("opencl", OpenClDevice::discover));
        out.add(probe("cuda", CudaDevice::discover));
        return out;
    }

    private static Backend probe(String name, java.util.function.Supplier<List<DeviceInfo>> discover) {
        try {
            List<DeviceInfo> devices = discover.get();
            return devices.isEmpty() ? new Backend(name, devices, "the driver loads but reports no devices")
                    : new Backend(name, devices, null);
        } catch (UnsatisfiedLinkError | DeviceException e) {
            return new Backend(name, List.of(), e.getMessage());
        }
    }

    /**
     * The default device as configured: {@code -Dlongnet.device}, else {@code $LONGNET_DEVICE},
     * else {@code auto}. {@link #resolve} turns {@code auto} into a device id.
     */
    public static String defaultId() {
        String id = System.getProperty("longnet.device", System.getenv("LONGNET_DEVICE"));
        return id == null || id.isBlank() ? "auto" : id.trim();
    }

    /** {@code auto} becomes the fastest device present ({@link #fastest}); any other id is itself. */
    public static String resolve(String id) {
        if (!id.equals("auto")) {
            return id;
        }
        String resolved = auto;
        if (resolved == null) {
            auto = resolved = fastest(discover());
        }
        return resolved;
    }

    /**
     * What {@code auto} picks among the devices found: the first CUDA GPU, else the first OpenCL GPU,
     * else the first other OpenCL device (a CPU, as PoCL offers: its compiled, vectorised kernels train
     * several times faster than the {@code jvm} backend's Java on the same cores), else {@code jvm},
     * which is always present.
     */
    public static String fastest(List<Backend> found) {
        List<DeviceInfo> cuda = devicesOf(found, "cuda"), opencl = devicesOf(found, "opencl");
        for (List<DeviceInfo> gpus : List.of(cuda, opencl)) {
            for (DeviceInfo d : gpus) {
                if (d.gpu()) {
                    return d.id();
                }
            }
        }
        return opencl.isEmpty() ? "jvm" : opencl.getFirst().id();
    }

    private static List<DeviceInfo> devicesOf(List<Backend> found, String backend) {
        return found.stream().filter(b -> b.name().equals(backend) && b.available()).flatMap(b -> b.devices().stream()).toList();
    }

    public static Device defaultDevice() {
        return get(resolve(defaultId()));
    }

    public static Device jvm() {
        return OPEN.computeIfAbsent("jvm", k -> new JvmDevice());
    }

    /** Opens {@code jvm}, {@code opencl}, {@code opencl:P:D}, {@code cuda} or {@code cuda:D}. */
    public static Device get(String id) {
        String resolved = resolve(id);
        String canonical = switch (resolved) {
            case "opencl" -> "opencl:0:0";
            case "cuda" -> "cuda:0";
            default -> resolved;
        };
        Device open = OPEN.get(canonical);
        if (open != null) {
            return open;
        }
        synchronized (OPEN) {
            return OPEN.computeIfAbsent(canonical, Devices::open);
        }
    }

    private static Device open(String id) {
        String[] parts = id.split(":");
        try {
            switch (parts[0]) {
                case "jvm" -> {
                    if (parts.length == 1) {
                        return new JvmDevice();
                    }
                }
                case "opencl" -> {
                    if (parts.length == 3) {
                        return OpenClDevice.open(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                    }
                }
                case "cuda" -> {
                    if (parts.length == 2) {
                        return CudaDevice.open(Integer.parseInt(parts[1]));
                    }
                }
                default -> {
                }
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted forms
        } catch (UnsatisfiedLinkError e) {
            throw new DeviceException("device " + id + " is unavailable: " + e.getMessage());
        }
        throw new IllegalArgumentException("--device " + id + " is not a device id; use jvm, opencl, opencl:P:D, cuda or cuda:D"
                + " ('longnet devices' lists them)");
    }
}
