package org.longnet.engine.device;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and opens devices, through the {@link DeviceBackend}s registered with {@link ServiceLoader}.
 * A backend that cannot load (no driver, no GPU, or a provider that fails to instantiate) is
 * listed as unavailable with its reason; it never stops the others from being found. Opened
 * devices are shared, so every task graph on one device sees the same resident buffers.
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

    /** The registered backends in the order of their service file, loaded once. */
    private static final class Registered {
        static final List<DeviceBackend> BACKENDS = load();

        private static List<DeviceBackend> load() {
            List<DeviceBackend> out = new ArrayList<>();
            Iterator<DeviceBackend> providers = ServiceLoader.load(DeviceBackend.class, Devices.class.getClassLoader()).iterator();
            while (true) {
                try {
                    if (!providers.hasNext()) {
                        return List.copyOf(out);
                    }
                    out.add(providers.next());
                } catch (ServiceConfigurationError e) { // the iterator goes on to the next provider after an error
                    out.add(new Unloaded(e.getMessage()));
                }
            }
        }
    }

    /** A provider that could not be made: its name is unknown, its devices none, its reason the loader's error. */
    private record Unloaded(String reason) implements DeviceBackend {
        @Override
        public Ids ids() {
            return new Ids("?", List.of(), "?");
        }

        @Override
        public List<DeviceInfo> discover() {
            throw new DeviceException(reason);
        }

        @Override
        public Optional<Device> open(List<String> fields) {
            return Optional.empty();
        }
    }

    public static List<Backend> discover() {
        List<Backend> out = new ArrayList<>();
        for (DeviceBackend backend : Registered.BACKENDS) {
            out.add(probe(backend));
        }
        return out;
    }

    private static Backend probe(DeviceBackend backend) {
        String name = backend.ids().name();
        try {
            List<DeviceInfo> devices = backend.discover();
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
        return get("jvm");
    }

    /** The device of canonical id {@code id} ({@code jvm}, {@code opencl:0:0}, {@code cuda:0}) if something opened it, without opening it. */
    public static Optional<Device> ifOpen(String id) {
        return Optional.ofNullable(OPEN.get(id));
    }

    /** Opens a device by any id form of a registered backend: {@code jvm}, {@code opencl}, {@code opencl:P:D}, {@code cuda} or {@code cuda:D}. */
    public static Device get(String id) {
        String resolved = resolve(id);
        String canonical = Registered.BACKENDS.stream().map(DeviceBackend::ids).filter(ids -> ids.name().equals(resolved))
                .findFirst().map(DeviceBackend.Ids::defaultId).orElse(resolved);
        Device open = OPEN.get(canonical);
        if (open != null) {
            return open;
        }
        synchronized (OPEN) {
            return OPEN.computeIfAbsent(canonical, Devices::open);
        }
    }

    private static Device open(String id) {
        List<String> fields = List.of(id.split(":"));
        try {
            for (DeviceBackend backend : Registered.BACKENDS) {
                if (!fields.isEmpty() && backend.ids().name().equals(fields.getFirst())) {
                    Optional<Device> device = backend.open(fields.subList(1, fields.size()));
                    if (device.isPresent()) {
                        return device.get();
                    }
                }
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted forms
        } catch (UnsatisfiedLinkError e) {
            throw new DeviceException("device " + id + " is unavailable: " + e.getMessage());
        }
        throw new IllegalArgumentException("--device " + id + " is not a device id; use " + idForms()
                + " ('longnet devices' lists them)");
    }

    /** Every registered backend's id forms, as a message lists them: "jvm, opencl, opencl:P:D, cuda or cuda:D". */
    private static String idForms() {
        List<String> forms = Registered.BACKENDS.stream().flatMap(b -> b.ids().forms().stream()).toList();
        return forms.size() <= 1 ? String.join("", forms)
                : String.join(", ", forms.subList(0, forms.size() - 1)) + " or " + forms.getLast();
    }
}
