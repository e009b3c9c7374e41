package org.longnet.engine.device.cuda;

import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.NativeLibrary;

import java.lang.foreign.Arena;
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
    static final int CUDA_ERROR_OUT_OF_MEMORY = 2, CUDA_ERROR_NOT_READY = 600;

    final MethodHandle init, driverGetVersion, deviceGetCount, deviceGet, deviceGetName, deviceTotalMem, deviceGetAttribute,
            primaryCtxRetain, ctxSetCurrent, ctxSynchronize, moduleLoadData, moduleGetFunction, funcSetAttribute, launchKernel, memAlloc,
            memFree, memcpyHtoD, memcpyDtoH, memGetInfo, eventCreate, eventRecord, eventSynchronize, eventElapsedTime,
            getErrorName, memcpyDtoD, moduleUnload, deviceGetPciBusId, streamQuery, memHostRegister, memHostUnregister, launchKernelEx, tensorMapEncodeTiled;
    /** Streams and graphs, for recording a plan's launches once and replaying them (CudaGraphs). */
    final MethodHandle streamCreate, streamDestroy, streamBeginCapture, streamEndCapture, graphInstantiate, graphLaunch, graphExecDestroy,
            graphDestroy, memcpyDtoDAsync;

    /** The last launches of this process, named when a kernel's fault surfaces in a later call. */
    private final LaunchTrail trail = new LaunchTrail(4);

    CudaDriver() {
        NativeLibrary lib = NativeLibrary.open(List.of("libcuda.so.1", "libcuda.so"));
        init = lib.statusFunction("cuInit", JAVA_INT);
        driverGetVersion = lib.statusFunction("cuDriverGetVersion", ADDRESS);
        deviceGetCount = lib.statusFunction("cuDeviceGetCount", ADDRESS);
        deviceGet = lib.statusFunction("cuDeviceGet", ADDRESS, JAVA_INT);
        deviceGetName = lib.statusFunction("cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
        deviceTotalMem = lib.statusFunction("cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
        deviceGetAttribute = lib.statusFunction("cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        primaryCtxRetain = lib.statusFunction("cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
        ctxSetCurrent = lib.statusFunction("cuCtxSetCurrent", ADDRESS);
        ctxSynchronize = lib.statusFunction("cuCtxSynchronize");
        streamQuery = lib.statusFunction("cuStreamQuery", ADDRESS);
        moduleLoadData = lib.statusFunction("cuModuleLoadData", ADDRESS, ADDRESS);
        moduleGetFunction = lib.statusFunction("cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
        launchKernel = lib.statusFunction("cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        // (config, function, kernelParams, extra): a launch with attributes, such as a cluster shape (ClusterLaunch)
        launchKernelEx = lib.statusFunction("cuLaunchKernelEx", ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        memAlloc = lib.statusFunction("cuMemAlloc_v2", ADDRESS, JAVA_LONG);
        memFree = lib.statusFunction("cuMemFree_v2", JAVA_LONG);
        memcpyHtoD = lib.statusFunction("cuMemcpyHtoD_v2", JAVA_LONG, ADDRESS, JAVA_LONG);
        memcpyDtoH = lib.statusFunction("cuMemcpyDtoH_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
        memGetInfo = lib.statusFunction("cuMemGetInfo_v2", ADDRESS, ADDRESS);
        eventCreate = lib.statusFunction("cuEventCreate", ADDRESS, JAVA_INT);
        eventRecord = lib.statusFunction("cuEventRecord", ADDRESS, ADDRESS);
        eventSynchronize = lib.statusFunction("cuEventSynchronize", ADDRESS);
        eventElapsedTime = lib.statusFunction("cuEventElapsedTime", ADDRESS, ADDRESS, ADDRESS);
        getErrorName = lib.statusFunction("cuGetErrorName", JAVA_INT, ADDRESS);
        memcpyDtoD = lib.statusFunction("cuMemcpyDtoD_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG);
        moduleUnload = lib.statusFunction("cuModuleUnload", ADDRESS);
        funcSetAttribute = lib.statusFunction("cuFuncSetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        deviceGetPciBusId = lib.statusFunction("cuDeviceGetPCIBusId", ADDRESS, JAVA_INT, JAVA_INT);
        memHostRegister = lib.statusFunction("cuMemHostRegister_v2", ADDRESS, JAVA_LONG, JAVA_INT);
        memHostUnregister = lib.statusFunction("cuMemHostUnregister", ADDRESS);
        // (map, data type, rank, global address, dims, byte strides, box dims, element strides, interleave, swizzle, L2 promotion, OOB fill)
        tensorMapEncodeTiled = lib.statusFunction("cuTensorMapEncodeTiled", ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        streamCreate = lib.statusFunction("cuStreamCreate", ADDRESS, JAVA_INT);
        streamDestroy = lib.statusFunction("cuStreamDestroy_v2", ADDRESS);
        // (stream, CUstreamCaptureMode); cuda.h's cuStreamBeginCapture is this _v2 symbol
        streamBeginCapture = lib.statusFunction("cuStreamBeginCapture_v2", ADDRESS, JAVA_INT);
        streamEndCapture = lib.statusFunction("cuStreamEndCapture", ADDRESS, ADDRESS);
        // (CUgraphExec *, CUgraph, unsigned long long flags); cuda.h's cuGraphInstantiate is this symbol since CUDA 12
        graphInstantiate = lib.statusFunction("cuGraphInstantiateWithFlags", ADDRESS, ADDRESS, JAVA_LONG);
        graphLaunch = lib.statusFunction("cuGraphLaunch", ADDRESS, ADDRESS);
        graphExecDestroy = lib.statusFunction("cuGraphExecDestroy", ADDRESS);
        graphDestroy = lib.statusFunction("cuGraphDestroy", ADDRESS);
        memcpyDtoDAsync = lib.statusFunction("cuMemcpyDtoDAsync_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
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

    /** Notes a launch, named as its failure would be, so that a later fault's message can point at it. */
    void launched(String what) {
        trail.add(what);
    }

    void check(int status, String what) {
        if (status != 0) {
            throw new DeviceException(what + " failed: " + errorName(status) + " (" + status + ")" + LaunchTrail.afterFault(status,
                    trail.newestFirst()));
        }
    }
}
