package org.longnet.tornado;

import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/** The TornadoVM devices that the tests of this module and of the modules on top of it (tornado-libraries) run on. */
public final class TornadoTestDevices {
    private TornadoTestDevices() {
    }

    /** The TornadoVM device whose engine id is {@code id} or starts with {@code id:} (opencl is opencl:0:0). */
    public static TornadoDevice device(String id) {
        var runtime = TornadoRuntimeProvider.getTornadoRuntime();
        for (int b = 0; b < runtime.getNumBackends(); b++) {
            for (var d : runtime.getBackend(b).getAllDevices()) {
                if (d.getId().equals(id) || d.getId().startsWith(id + ":")) {
                    return d;
                }
            }
        }
        throw new AssertionError("no device " + id + " among the runtime's backends");
    }
}
