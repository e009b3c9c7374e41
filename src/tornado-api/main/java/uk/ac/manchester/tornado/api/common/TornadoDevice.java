package uk.ac.manchester.tornado.api.common;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.Devices;
import uk.ac.manchester.tornado.api.TornadoTargetDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;

/**
 * One device, as TornadoVM describes it: an engine device ({@code jvm}, {@code opencl:P:D}, {@code cuda:D}), opened
 * when a plan first runs on it. TornadoVM's memory and event methods belong to its runtime and are not here.
 */
public final class TornadoDevice {
    private final DeviceInfo info;
    private final int backendIndex;

    public TornadoDevice(DeviceInfo info, int backendIndex) {
        this.info = info;
        this.backendIndex = backendIndex;
    }

    /** The engine device, shared with every plan on it. */
    public Device engineDevice() {
        return Devices.get(info.id());
    }

    /** The engine's id: {@code jvm}, {@code opencl:0:0}, {@code cuda:0}. */
    public String getId() {
        return info.id();
    }

    public String getDeviceName() {
        return info.name();
    }

    public String getDescription() {
        return info.name() + " (" + info.id() + ", " + info.driver() + ")";
    }

    public String getPlatformName() {
        return info.driver();
    }

    public TornadoDeviceType getDeviceType() {
        return info.gpu() ? TornadoDeviceType.GPU : TornadoDeviceType.CPU;
    }

    public long getMaxAllocMemory() {
        return info.maxAllocationBytes();
    }

    public long getMaxGlobalMemory() {
        return info.globalMemoryBytes();
    }

    public long getDeviceLocalMemorySize() {
        return info.localMemoryBytes();
    }

    public long[] getDeviceMaxWorkgroupDimensions() {
        return getPhysicalDevice().getDeviceMaxWorkItemSizes();
    }

    /** The device itself, with what it reports (name, memory sizes, compute units, work-group limits). */
    public TornadoTargetDevice getPhysicalDevice() {
        return new PhysicalDevice(info);
    }

    public int getMaxThreadsPerBlock() {
        return info.maxWorkGroupSize();
    }

    public int getBackendIndex() {
        return backendIndex;
    }

    public TornadoVMBackendType getTornadoVMBackend() {
        return TornadoVMBackendType.ofEngine(info.backend());
    }

    /**
     * Releases what earlier runs left on the device. Here each plan frees its own buffers when it is closed, so
     * nothing is left: this does nothing, and TornadoVM's unit tests may call it before each test.
     */
    public void clean() {
    }

    /** Whether the device runs SPIR-V: never here (the engine's backends are jvm, OpenCL C and CUDA C). */
    public boolean isSPIRVSupported() {
        return false;
    }

    @Override
    public String toString() {
        return getDescription();
    }
}
