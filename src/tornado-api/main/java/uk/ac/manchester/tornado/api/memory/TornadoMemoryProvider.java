package uk.ac.manchester.tornado.api.memory;

/** What a device offers TornadoVM's programs to hold their arrays. */
public interface TornadoMemoryProvider {
    /** The bytes of the device heap: {@code -Dtornado.device.memory} (like {@code 1GB}), else all the device's global memory. */
    long getHeapSize();
}
