package uk.ac.manchester.tornado.api.common;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.Devices;
import uk.ac.manchester.tornado.api.TornadoDeviceContext;
import uk.ac.manchester.tornado.api.TornadoTargetDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.memory.DeviceHeap;
import uk.ac.manchester.tornado.api.memory.TornadoMemoryProvider;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One device, as TornadoVM describes it: an engine device ({@code jvm}, {@code opencl:P:D}, {@code cuda:D}), opened
 * when a plan first runs on it. TornadoVM's memory and event methods belong to its runtime and are not here.
 */
public final class TornadoDevice {
    /** Resets of each device (by id), for every TornadoDevice object of it. */
    private static final Map<String, Long> CLEANINGS = new ConcurrentHashMap<>();
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
     * Resets the device, as TornadoVM's does: frees every array any plan left there (if the device was opened). A plan
     * that ran on it before cannot run again (TornadoVM's TornadoFailureException); plans made afterwards run as usual.
     * The engine's own plans on the device (not TornadoVM's) lose what they kept there too: call it only between runs.
     */
    public void clean() {
        CLEANINGS.merge(info.id(), 1L, Long::sum);
        Devices.ifOpen(info.id()).ifPresent(Device::freeAll);
    }

    /** How many times {@link #clean()} reset this device: a plan that ran on it at another count finds its arrays gone. */
    public long timesCleaned() {
        return CLEANINGS.getOrDefault(info.id(), 0L);
    }

    /** The runtime's view of the device: its heap ({@link DeviceHeap}), name and indices. */
    public TornadoDeviceContext getDeviceContext() {
        TornadoDevice device = this;
        return new TornadoDeviceContext() {
            @Override
            public TornadoMemoryProvider getMemoryManager() {
                return () -> DeviceHeap.size(device);
            }

            @Override
            public String getDeviceName() {
                return device.getDeviceName();
            }

            /** The last number of the engine's id ({@code opencl:P:D}, {@code cuda:D}); the JVM is device 0 of its backend. */
            @Override
            public int getDeviceIndex() {
                String id = device.getId();
                return id.contains(":") ? Integer.parseInt(id.substring(id.lastIndexOf(':') + 1)) : 0;
            }

            @Override
            public int getDriverIndex() {
                return backendIndex;
            }
        };
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
