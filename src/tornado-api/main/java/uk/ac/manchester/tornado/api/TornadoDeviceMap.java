package uk.ac.manchester.tornado.api;

import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** The runtime's backends and their devices, to search without going through the runtime. */
public class TornadoDeviceMap {
    private final List<TornadoBackend> backends;

    public TornadoDeviceMap() {
        TornadoRuntime runtime = TornadoRuntimeProvider.getTornadoRuntime();
        backends = IntStream.range(0, runtime.getNumBackends()).mapToObj(runtime::getBackend).toList();
    }

    public int getNumBackends() {
        return backends.size();
    }

    public List<TornadoBackend> getAllBackends() {
        return backends;
    }

    public List<TornadoBackend> getBackendsWithPredicate(Predicate<? super TornadoBackend> predicate) {
        return backends.stream().filter(predicate).toList();
    }

    /** The backends with at least one device that {@code predicate} accepts. */
    public List<TornadoBackend> getBackendsWithDevicePredicate(Predicate<? super TornadoDevice> predicate) {
        return getBackendsWithPredicate(backend -> backend.getAllDevices().stream().anyMatch(predicate));
    }

    /** The devices of every backend whose name contains {@code deviceName}, ignoring case. */
    public Stream<TornadoDevice> getDevicesByName(String deviceName) {
        String wanted = deviceName.toLowerCase();
        return devices(device -> device.getPhysicalDevice().getDeviceName().toLowerCase().contains(wanted));
    }

    public Stream<TornadoDevice> getDevicesByType(TornadoDeviceType deviceType) {
        return devices(device -> device.getDeviceType() == deviceType);
    }

    private Stream<TornadoDevice> devices(Predicate<TornadoDevice> predicate) {
        return backends.stream().flatMap(backend -> backend.getAllDevices().stream()).filter(predicate);
    }
}
