package uk.ac.manchester.tornado.api.runtime;

import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.Devices;
import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.exceptions.TornadoBackendNotFound;
import uk.ac.manchester.tornado.api.exceptions.TornadoDeviceNotFound;

import java.util.ArrayList;
import java.util.List;

/**
 * The runtime over the engine's devices. Backends are the engine's that found devices, fastest first as the
 * engine's {@code auto} ranks them (cuda, opencl, jvm), so backend 0, device 0 is the default device, as in TornadoVM.
 */
final class EngineRuntime implements TornadoRuntime {
    private final List<Backend> backends = new ArrayList<>();
    private int defaultBackend;

    EngineRuntime() {
        List<Devices.Backend> found = new ArrayList<>(Devices.discover().stream().filter(Devices.Backend::available).toList());
        found.sort(java.util.Comparator.comparingInt(b -> switch (b.name()) {
            case "cuda" -> 0;
            case "opencl" -> 1;
            default -> 2;
        }));
        for (Devices.Backend b : found) {
            backends.add(new Backend(b, backends.size()));
        }
        String preferred = Devices.resolve(Devices.defaultId());
        for (int i = 0; i < backends.size(); i++) {
            for (int d = 0; d < backends.get(i).devices.size(); d++) {
                if (backends.get(i).devices.get(d).getId().equals(preferred)) {
                    defaultBackend = i;
                    backends.get(i).setDefaultDevice(d);
                }
            }
        }
    }

    @Override
    public TornadoBackend getBackend(int index) {
        if (index < 0 || index >= backends.size()) {
            throw new TornadoBackendNotFound("backend index must be 0 to " + (backends.size() - 1) + ", was " + index
                    + " (scripts/tornado --devices lists them)");
        }
        return backends.get(index);
    }

    @Override
    public void setDefaultBackend(int index) {
        getBackend(index);
        defaultBackend = index;
    }

    @Override
    public TornadoVMBackendType getBackendType(int index) {
        return getBackend(index).getBackendType();
    }

    @Override
    public int getNumBackends() {
        return backends.size();
    }

    @Override
    public TornadoDevice getDefaultDevice() {
        return backends.get(defaultBackend).getDefaultDevice();
    }

    @Override
    public boolean isProfilerEnabled() {
        return !System.getProperty("tornado.profiler", "false").equals("false");
    }

    private static final class Backend implements TornadoBackend {
        private final Devices.Backend backend;
        private final List<TornadoDevice> devices = new ArrayList<>();
        private int defaultDevice;

        Backend(Devices.Backend backend, int index) {
            this.backend = backend;
            for (DeviceInfo info : backend.devices()) {
                devices.add(new TornadoDevice(info, index));
            }
        }

        @Override
        public TornadoDevice getDefaultDevice() {
            return devices.get(defaultDevice);
        }

        @Override
        public void setDefaultDevice(int index) {
            getDevice(index);
            defaultDevice = index;
        }

        @Override
        public int getNumDevices() {
            return devices.size();
        }

        @Override
        public TornadoDevice getDevice(int index) {
            if (index < 0 || index >= devices.size()) {
                throw new TornadoDeviceNotFound("device index of backend " + backend.name() + " must be 0 to " + (devices.size() - 1)
                        + ", was " + index);
            }
            return devices.get(index);
        }

        @Override
        public List<TornadoDevice> getAllDevices() {
            return List.copyOf(devices);
        }

        @Override
        public TornadoDeviceType getTypeDefaultDevice() {
            return getDefaultDevice().getDeviceType();
        }

        @Override
        public String getName() {
            return TornadoVMBackendType.ofEngine(backend.name()).getName();
        }

        @Override
        public int getNumPlatforms() {
            return (int) devices.stream().map(TornadoDevice::getPlatformName).distinct().count();
        }

        @Override
        public TornadoVMBackendType getBackendType() {
            return TornadoVMBackendType.ofEngine(backend.name());
        }
    }
}
