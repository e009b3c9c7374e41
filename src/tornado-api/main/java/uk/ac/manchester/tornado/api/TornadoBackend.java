package uk.ac.manchester.tornado.api;

import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;

import java.util.List;

/** One backend of the runtime (the engine's {@code opencl}, {@code cuda} or {@code jvm}) and its devices. */
public interface TornadoBackend {
    TornadoDevice getDefaultDevice();

    void setDefaultDevice(int index);

    int getNumDevices();

    TornadoDevice getDevice(int index);

    List<TornadoDevice> getAllDevices();

    TornadoDeviceType getTypeDefaultDevice();

    String getName();

    int getNumPlatforms();

    TornadoVMBackendType getBackendType();
}
