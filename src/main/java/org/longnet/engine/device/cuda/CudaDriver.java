package org.longnet.engine.device.cuda;

import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The CUDA driver API entry points we call, bound once from {@code libcuda.so.1}. */
final class CudaDriver {
    static final int ATTR_MAX_THREADS_PER_BLOCK = 1, ATTR_MAX_SHARED_MEMORY_PER_BLOCK = 8, ATTR_MULTIPROCESSOR_COUNT = 16,
            ATTR_COMPUTE_CAPABILITY_MAJOR = 75, ATTR_COMPUTE_CAPABILITY_MINOR = 76;
    /** CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES: how much dynamic shared memory a kernel may be launched with. */
    static final int FUNC_MAX_DYNAMIC_SHARED_BYTES = 8;
    static final int CUDA_ERROR_OUT_OF_MEMORY = 2;

    final MethodHandle init, driverGetVersion, deviceGetCount, deviceGet, deviceGetName, deviceTotalMem, deviceGetAttribute,
            primaryCtxRetain, ctxSetCurrent, ctxSynchronize, moduleLoadData, moduleGetFunction, funcSetAttribute, launchKernel, memAlloc,
            memFree, memcpyHtoD, memcpyDtoH, memGetInfo, eventCreate, eventRecord, eventSynchronize, eventElapsedTime,
            getErrorName, memcpyDtoD, moduleUnload, deviceGetPciBusId;

    CudaDriver() {
        NativeLibrary lib = NativeLibrary.open(List.of("libcuda.so.1", "libcuda.so"));
        init = f(lib, "cuInit", JAVA_INT);
        driverGetVersion = f(lib, "cuDriverGetVersion", ADDRESS);
        deviceGetCount = f(lib, "cuDeviceGetCount", ADDRESS);
        deviceGet = f(lib, "cuDeviceGet", ADDRESS, JAVA_INT);
        deviceGetName = f(lib, "cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
        deviceTotalMem = f(lib, "cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
        deviceGetAttribute = f(lib, "cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        primaryCtxRetain = f(lib, "cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
        ctxSetCurrent = f(lib, "cuCtxSetCurrent", ADDRESS);
        ctxSynchronize = f(lib, "cuCtxSynchronize");
        moduleLoadData = f(lib, "cuModuleLoadData", ADDRESS, ADDRESS);
        moduleGetFunction = f(lib, "cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
        launchKernel = f(lib, "cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        memAlloc = f(lib, "cuMemAlloc_v2", ADDRESS, JAVA_LONG);
        memFree = f(lib, "cuMemFree_v2", JAVA_LONG);
        memcpyHtoD = f(lib, "cuMemcpyHtoD_v2", JAVA_LONG, ADDRESS, JAVA_LONG);
        memcpyDtoH = f(lib, "cuMemcpyDtoH_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
        memGetInfo = f(lib, "cuMemGetInfo_v2", ADDRESS, ADDRESS);
        eventCreate = f(lib, "cuEventCreate", ADDRESS, JAVA_INT);
        eventRecord = f(lib, "cuEventRecord", ADDRESS, ADDRESS);
        eventSynchronize = f(lib, "cuEventSynchronize", ADDRESS);
        eventElapsedTime = f(lib, "cuEventElapsedTime", ADDRESS, ADDRESS, ADDRESS);
        getErrorName = f(lib, "cuGetErrorName", JAVA_INT, ADDRESS);
        memcpyDtoD = f(lib, "cuMemcpyDtoD_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG);
        moduleUnload = f(lib, "cuModuleUnload", ADDRESS);
        funcSetAttribute = f(lib, "cuFuncSetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        deviceGetPciBusId = f(lib, "cuDeviceGetPCIBusId", ADDRESS, JAVA_INT, JAVA_INT);
    }

    private static MethodHandle f(NativeLibrary lib, String name, MemoryLayout... args) {
        return lib.function(name, FunctionDescriptor.of(JAVA_INT, args));
    }

    String errorName(int code) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment name = a.allocate(ADDRESS);
            if ((int) getErrorName.invokeExact(code, name) == 0) {
                return name.get(ADDRESS, 0).reinterpret(256).getString(0);
            }
        } catch (Throwable ignored) {
            // fall through to the number
        }
        return "CUDA error " + code;
    }

    void check(int status, String what) {
        if (status != 0) {
            throw new DeviceException(what + " failed: " + errorName(status) + " (" + status + ")");
        }
    }
}
