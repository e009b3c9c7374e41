package org.longnet.engine.device.opencl;

import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.NativeLibrary;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The OpenCL 1.2 entry points we call, bound once from {@code libOpenCL.so.1} (the ICD loader). */
final class OpenCl {
    static final int CL_PLATFORM_VERSION = 0x0901, CL_PLATFORM_NAME = 0x0902;
    static final int CL_DEVICE_TYPE = 0x1000, CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002, CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004,
            CL_DEVICE_MAX_MEM_ALLOC_SIZE = 0x1010, CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F, CL_DEVICE_LOCAL_MEM_SIZE = 0x1023,
            CL_DEVICE_NAME = 0x102B, CL_DRIVER_VERSION = 0x102D;
    static final long CL_DEVICE_TYPE_GPU = 4, CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL, CL_QUEUE_PROFILING_ENABLE = 2, CL_MEM_READ_WRITE = 1;
    static final int CL_PROGRAM_BINARY_SIZES = 0x1165, CL_PROGRAM_BINARIES = 0x1166, CL_PROGRAM_BUILD_LOG = 0x1183;
    static final int CL_PROFILING_COMMAND_START = 0x1282, CL_PROFILING_COMMAND_END = 0x1283;
    /** What clGetDeviceIDs and (through the ICD loader) clGetPlatformIDs answer where there is nothing to list. */
    static final int CL_DEVICE_NOT_FOUND = -1, CL_PLATFORM_NOT_FOUND_KHR = -1001;

    private static final Map<Integer, String> ERRORS = Map.ofEntries(
            Map.entry(-1, "CL_DEVICE_NOT_FOUND"), Map.entry(-2, "CL_DEVICE_NOT_AVAILABLE"),
            Map.entry(-3, "CL_COMPILER_NOT_AVAILABLE"), Map.entry(-4, "CL_MEM_OBJECT_ALLOCATION_FAILURE"),
            Map.entry(-5, "CL_OUT_OF_RESOURCES"), Map.entry(-6, "CL_OUT_OF_HOST_MEMORY"),
            Map.entry(-7, "CL_PROFILING_INFO_NOT_AVAILABLE"), Map.entry(-11, "CL_BUILD_PROGRAM_FAILURE"),
            Map.entry(-30, "CL_INVALID_VALUE"), Map.entry(-33, "CL_INVALID_DEVICE"), Map.entry(-34, "CL_INVALID_CONTEXT"),
            Map.entry(-36, "CL_INVALID_COMMAND_QUEUE"), Map.entry(-38, "CL_INVALID_MEM_OBJECT"),
            Map.entry(-42, "CL_INVALID_BINARY"), Map.entry(-44, "CL_INVALID_PROGRAM"),
            Map.entry(-45, "CL_INVALID_PROGRAM_EXECUTABLE"), Map.entry(-46, "CL_INVALID_KERNEL_NAME"),
            Map.entry(-48, "CL_INVALID_KERNEL"), Map.entry(-49, "CL_INVALID_ARG_INDEX"),
            Map.entry(-50, "CL_INVALID_ARG_VALUE"), Map.entry(-51, "CL_INVALID_ARG_SIZE"),
            Map.entry(-52, "CL_INVALID_KERNEL_ARGS"), Map.entry(-53, "CL_INVALID_WORK_DIMENSION"),
            Map.entry(-54, "CL_INVALID_WORK_GROUP_SIZE"), Map.entry(-55, "CL_INVALID_WORK_ITEM_SIZE"),
            Map.entry(-61, "CL_INVALID_BUFFER_SIZE"), Map.entry(-63, "CL_INVALID_GLOBAL_WORK_SIZE"),
            Map.entry(-1001, "CL_PLATFORM_NOT_FOUND_KHR"));

    final NativeLibrary lib;
    final MethodHandle getPlatformIDs, getPlatformInfo, getDeviceIDs, getDeviceInfo, createContext, createCommandQueue,
            createBuffer, enqueueWriteBuffer, enqueueReadBuffer, createProgramWithSource, createProgramWithBinary,
            buildProgram, getProgramBuildInfo, getProgramInfo, createKernel, setKernelArg, enqueueNDRangeKernel,
            finish, waitForEvents, getEventProfilingInfo, releaseEvent, releaseMemObject, enqueueCopyBuffer, releaseProgram, releaseKernel;

    OpenCl() {
        lib = NativeLibrary.open(List.of("libOpenCL.so.1", "libOpenCL.so"));
        getPlatformIDs = lib.statusFunction("clGetPlatformIDs", JAVA_INT, ADDRESS, ADDRESS);
        getPlatformInfo = lib.statusFunction("clGetPlatformInfo", ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        getDeviceIDs = lib.statusFunction("clGetDeviceIDs", ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        getDeviceInfo = lib.statusFunction("clGetDeviceInfo", ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        createContext = p("clCreateContext", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        createCommandQueue = p("clCreateCommandQueue", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
        createBuffer = p("clCreateBuffer", ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
        enqueueWriteBuffer = lib.statusFunction("clEnqueueWriteBuffer", ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        enqueueReadBuffer = lib.statusFunction("clEnqueueReadBuffer", ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        createProgramWithSource = p("clCreateProgramWithSource", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        createProgramWithBinary = p("clCreateProgramWithBinary", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        buildProgram = lib.statusFunction("clBuildProgram", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        getProgramBuildInfo = lib.statusFunction("clGetProgramBuildInfo", ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        getProgramInfo = lib.statusFunction("clGetProgramInfo", ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        createKernel = p("clCreateKernel", ADDRESS, ADDRESS, ADDRESS);
        setKernelArg = lib.statusFunction("clSetKernelArg", ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
        enqueueNDRangeKernel = lib.statusFunction("clEnqueueNDRangeKernel", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        finish = lib.statusFunction("clFinish", ADDRESS);
        waitForEvents = lib.statusFunction("clWaitForEvents", JAVA_INT, ADDRESS);
        getEventProfilingInfo = lib.statusFunction("clGetEventProfilingInfo", ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        releaseEvent = lib.statusFunction("clReleaseEvent", ADDRESS);
        releaseMemObject = lib.statusFunction("clReleaseMemObject", ADDRESS);
        enqueueCopyBuffer = lib.statusFunction("clEnqueueCopyBuffer", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        releaseProgram = lib.statusFunction("clReleaseProgram", ADDRESS);
        releaseKernel = lib.statusFunction("clReleaseKernel", ADDRESS);
    }


    /** A function returning a handle (and its status through the last argument). */
    private MethodHandle p(String name, java.lang.foreign.MemoryLayout... args) {
        return lib.function(name, FunctionDescriptor.of(ADDRESS, args));
    }

    static String errorName(int code) {
        return ERRORS.getOrDefault(code, "error " + code);
    }

    /** Throws unless {@code status} is CL_SUCCESS, naming what was being done. */
    static void check(int status, String what) {
        if (status != 0) {
            throw new DeviceException(what + " failed: " + errorName(status) + " (" + status + ")");
        }
    }

    static MemorySegment checked(MemorySegment handle, MemorySegment status, String what) {
        check(status.get(JAVA_INT, 0), what);
        return handle;
    }
}
