package uk.ac.manchester.tornado.api.common;

import org.longnet.engine.device.DeviceInfo;
import uk.ac.manchester.tornado.api.TornadoTargetDevice;

/**
 * What the engine knows of a device ({@link DeviceInfo}), as TornadoVM's {@link TornadoTargetDevice}. The engine does
 * not record a clock frequency or a constant-buffer size: those two say so rather than invent a number.
 */
record PhysicalDevice(DeviceInfo info) implements TornadoTargetDevice {
    @Override
    public String getDeviceName() {
        return info.name();
    }

    @Override
    public long getDeviceGlobalMemorySize() {
        return info.globalMemoryBytes();
    }

    @Override
    public long getDeviceLocalMemorySize() {
        return info.localMemoryBytes();
    }

    @Override
    public int getDeviceMaxComputeUnits() {
        return info.computeUnits();
    }

    /** The engine records one work-group limit, which bounds each dimension too. */
    @Override
    public long[] getDeviceMaxWorkItemSizes() {
        return new long[] {info.maxWorkGroupSize(), info.maxWorkGroupSize(), info.maxWorkGroupSize()};
    }

    @Override
    public long[] getDeviceMaxWorkGroupSize() {
        return new long[] {info.maxWorkGroupSize()};
    }

    @Override
    public int getMaxThreadsPerBlock() {
        return info.maxWorkGroupSize();
    }

    @Override
    public int getDeviceMaxClockFrequency() {
        throw unknown("clock frequency");
    }

    @Override
    public long getDeviceMaxConstantBufferSize() {
        throw unknown("constant buffer size");
    }

    @Override
    public long getDeviceMaxAllocationSize() {
        return info.maxAllocationBytes();
    }

    @Override
    public String getDeviceInfo() {
        return info.name() + " (" + info.id() + ", " + info.driver() + ")";
    }

    private UnsupportedOperationException unknown(String what) {
        return new UnsupportedOperationException("the engine does not record the " + what + " of " + info.id());
    }
}
