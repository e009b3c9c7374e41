package uk.ac.manchester.tornado.api;

/**
 * The physical device behind a {@link uk.ac.manchester.tornado.api.common.TornadoDevice} and what it reports about
 * itself, as TornadoVM's {@code TornadoDevice.getPhysicalDevice()} gives it.
 */
public interface TornadoTargetDevice {
    String getDeviceName();

    long getDeviceGlobalMemorySize();

    long getDeviceLocalMemorySize();

    int getDeviceMaxComputeUnits();

    long[] getDeviceMaxWorkItemSizes();

    long[] getDeviceMaxWorkGroupSize();

    int getMaxThreadsPerBlock();

    int getDeviceMaxClockFrequency();

    long getDeviceMaxConstantBufferSize();

    long getDeviceMaxAllocationSize();

    String getDeviceInfo();
}
