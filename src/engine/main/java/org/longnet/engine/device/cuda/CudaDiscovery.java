package org.longnet.engine.device.cuda;

import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.NativeCall;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** What the driver tells of its GPUs before any is opened: names, memory, compute capability, limits. */
final class CudaDiscovery {
    private CudaDiscovery() {
    }

    /** Every CUDA device of an initialized driver. */
    static List<DeviceInfo> all(CudaDriver cu) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            cu.check((int) cu.deviceGetCount.invokeExact(n), "cuDeviceGetCount");
            MemorySegment version = a.allocate(JAVA_INT);
            cu.check((int) cu.driverGetVersion.invokeExact(version), "cuDriverGetVersion");
            int v = version.get(JAVA_INT, 0);
            List<DeviceInfo> out = new ArrayList<>();
            for (int d = 0; d < n.get(JAVA_INT, 0); d++) {
                MemorySegment name = a.allocate(256);
                cu.check((int) cu.deviceGetName.invokeExact(name, 256, d), "cuDeviceGetName");
                MemorySegment mem = a.allocate(JAVA_LONG);
                cu.check((int) cu.deviceTotalMem.invokeExact(mem, d), "cuDeviceTotalMem");
                String cc = attribute(cu, d, CudaDriver.ATTR_COMPUTE_CAPABILITY_MAJOR) + "." + attribute(cu, d, CudaDriver.ATTR_COMPUTE_CAPABILITY_MINOR);
                out.add(new DeviceInfo("cuda:" + d, "cuda", name.getString(0) + " (sm " + cc + ")",
                        "CUDA driver " + v / 1000 + "." + v % 1000 / 10, mem.get(JAVA_LONG, 0), mem.get(JAVA_LONG, 0),
                        attribute(cu, d, CudaDriver.ATTR_MULTIPROCESSOR_COUNT), attribute(cu, d, CudaDriver.ATTR_MAX_THREADS_PER_BLOCK),
                        attribute(cu, d, CudaDriver.ATTR_MAX_SHARED_MEMORY_PER_BLOCK), true));
            }
            return out;
        } catch (Throwable t) {
            throw NativeCall.failure("CUDA discovery", t);
        }
    }

    static int attribute(CudaDriver cu, int device, int attribute) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            cu.check((int) cu.deviceGetAttribute.invokeExact(v, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
            return v.get(JAVA_INT, 0);
        }
    }
}
