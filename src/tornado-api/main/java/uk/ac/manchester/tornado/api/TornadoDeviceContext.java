package uk.ac.manchester.tornado.api;

import uk.ac.manchester.tornado.api.memory.TornadoMemoryProvider;

/** The runtime's view of one device, as TornadoVM's programs ask for it: its memory, its name and indices. */
public interface TornadoDeviceContext {
    TornadoMemoryProvider getMemoryManager();

    String getDeviceName();

    int getDeviceIndex();

    int getDriverIndex();
}
