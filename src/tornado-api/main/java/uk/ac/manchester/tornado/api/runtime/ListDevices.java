package uk.ac.manchester.tornado.api.runtime;

import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.common.TornadoDevice;

/**
 * {@code scripts/tornado --devices}: each backend and its devices as TornadoVM numbers them ({@code backend:device},
 * what {@code TornadoExecutionPlan.getDevice(b, d)} takes), with the engine's id of each.
 */
public final class ListDevices {
    private ListDevices() {
    }

    public static void main(String[] args) {
        TornadoRuntime runtime = TornadoRuntimeProvider.getTornadoRuntime();
        System.out.println("Number of Tornado drivers: " + runtime.getNumBackends());
        TornadoDevice chosen = runtime.getDefaultDevice();
        for (int b = 0; b < runtime.getNumBackends(); b++) {
            TornadoBackend backend = runtime.getBackend(b);
            System.out.println("Driver: " + backend.getName());
            System.out.println("  Total number of " + backend.getName() + " devices  : " + backend.getNumDevices());
            for (int d = 0; d < backend.getNumDevices(); d++) {
                TornadoDevice device = backend.getDevice(d);
                System.out.println("  Tornado device=" + b + ":" + d + (device.getId().equals(chosen.getId()) ? "  (DEFAULT)" : "")
                        + "  engine id " + device.getId());
                System.out.println("\t" + backend.getBackendType() + " -- " + device.getDeviceName());
                System.out.printf("\t\tGlobal Memory Size: %.1f GB%n", device.getMaxGlobalMemory() / 1e9);
                System.out.printf("\t\tLocal Memory Size: %.1f KB%n", device.getDeviceLocalMemorySize() / 1e3);
                System.out.println("\t\tMax WorkGroup Size: " + device.getMaxThreadsPerBlock());
                System.out.println("\t\tDevice type: " + device.getDeviceType());
            }
        }
    }
}
