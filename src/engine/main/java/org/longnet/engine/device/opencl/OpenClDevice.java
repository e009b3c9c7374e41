package org.longnet.engine.device.opencl;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.JavaArrays;
import org.longnet.engine.device.ClusterShape;
import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.DispatchClock;
import org.longnet.engine.device.DriverDevice;
import org.longnet.engine.device.KernelArguments;
import org.longnet.engine.device.KernelCache;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;
import org.longnet.engine.device.NativeCall;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One OpenCL device: a context, an in-order profiling queue, buffers ({@code cl_mem}) and compiled
 * programs. OpenCL does not say how much memory is free, so the free memory is the device's global
 * memory less what this device allocated.
 */
public final class OpenClDevice extends DriverDevice<MemorySegment> {
    private static OpenCl cl;

    private final MemorySegment device, context, queue;
    /** Built programs, by kernel class and the compiler flags added to the engine's own options. */
    private final Map<Map.Entry<Class<?>, String>, MemorySegment> programs = new HashMap<>();
    /** Built programs of prebuilt kernels, by their source. */
    private final Map<String, MemorySegment> sourcePrograms = new HashMap<>();
    private final KernelCache cache = KernelCache.fromSettings();

    private OpenClDevice(DeviceInfo info, MemorySegment device) {
        super(info, "cl");
        this.device = device;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(JAVA_INT);
            MemorySegment list = a.allocate(ADDRESS);
            list.set(ADDRESS, 0, device);
            context = OpenCl.checked((MemorySegment) cl.createContext.invokeExact(MemorySegment.NULL, 1, list,
                    MemorySegment.NULL, MemorySegment.NULL, status), status, "clCreateContext on " + info.id());
            queue = OpenCl.checked((MemorySegment) cl.createCommandQueue.invokeExact(context, device,
                    OpenCl.CL_QUEUE_PROFILING_ENABLE, status), status, "clCreateCommandQueue on " + info.id());
        } catch (Throwable t) {
            throw NativeCall.failure("cannot open " + info.id(), t);
        }
    }

    /** Every OpenCL device of every platform, in platform order; throws if the ICD loader is missing. */
    public static synchronized List<DeviceInfo> discover() {
        if (cl == null) {
            cl = new OpenCl();
        }
        List<DeviceInfo> out = new ArrayList<>();
        List<MemorySegment> platforms = platforms();
        for (int p = 0; p < platforms.size(); p++) {
            List<MemorySegment> devices = devices(platforms.get(p));
            for (int d = 0; d < devices.size(); d++) {
                out.add(describe("opencl:" + p + ":" + d, platforms.get(p), devices.get(d)));
            }
        }
        return out;
    }

    public static synchronized OpenClDevice open(int platform, int index) {
        List<DeviceInfo> all = discover();
        List<MemorySegment> platforms = platforms();
        if (platform < 0 || platform >= platforms.size()) {
            throw new IllegalArgumentException("--device opencl:" + platform + ":" + index + ": there are "
                    + platforms.size() + " OpenCL platforms (0.." + (platforms.size() - 1) + ")");
        }
        List<MemorySegment> devices = devices(platforms.get(platform));
        if (index < 0 || index >= devices.size()) {
            throw new IllegalArgumentException("--device opencl:" + platform + ":" + index + ": platform " + platform
                    + " has " + devices.size() + " devices");
        }
        String id = "opencl:" + platform + ":" + index;
        DeviceInfo info = all.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
        SignalChaining.warnIfUnchained(info);
        return new OpenClDevice(info, devices.get(index));
    }

    private static List<MemorySegment> platforms() {
        return ids("clGetPlatformIDs", OpenCl.CL_PLATFORM_NOT_FOUND_KHR,
                (capacity, ids, count) -> (int) cl.getPlatformIDs.invokeExact(capacity, ids, count));
    }

    private static List<MemorySegment> devices(MemorySegment platform) {
        return ids("clGetDeviceIDs", OpenCl.CL_DEVICE_NOT_FOUND,
                (capacity, ids, count) -> (int) cl.getDeviceIDs.invokeExact(platform, OpenCl.CL_DEVICE_TYPE_ALL, capacity, ids, count));
    }

    /** A clGet*IDs call: up to {@code capacity} ids into {@code ids}, their number into {@code count}. */
    private interface IdsCall {
        int call(int capacity, MemorySegment ids, MemorySegment count) throws Throwable;
    }

    /**
     * The ids a clGet*IDs call lists, asked for twice: their number, then the ids. None where the
     * first call answers {@code noneFound} or lists none.
     */
    private static List<MemorySegment> ids(String name, int noneFound, IdsCall call) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(JAVA_INT);
            int status = call.call(0, MemorySegment.NULL, n);
            if (status == noneFound || status == 0 && n.get(JAVA_INT, 0) == 0) {
                return List.of();
            }
            OpenCl.check(status, name);
            MemorySegment ids = a.allocate(ADDRESS, n.get(JAVA_INT, 0));
            OpenCl.check(call.call(n.get(JAVA_INT, 0), ids, MemorySegment.NULL), name);
            List<MemorySegment> out = new ArrayList<>();
            for (int i = 0; i < n.get(JAVA_INT, 0); i++) {
                out.add(ids.getAtIndex(ADDRESS, i));
            }
            return out;
        } catch (Throwable t) {
            throw NativeCall.failure(name, t);
        }
    }

    private static DeviceInfo describe(String id, MemorySegment platform, MemorySegment device) {
        String platformName = platformString(platform, OpenCl.CL_PLATFORM_NAME);
        return new DeviceInfo(id, "opencl", deviceString(device, OpenCl.CL_DEVICE_NAME) + " (" + platformName + ")",
                platformString(platform, OpenCl.CL_PLATFORM_VERSION) + " / driver " + deviceString(device, OpenCl.CL_DRIVER_VERSION),
                deviceNumber(device, OpenCl.CL_DEVICE_GLOBAL_MEM_SIZE, 8), deviceNumber(device, OpenCl.CL_DEVICE_MAX_MEM_ALLOC_SIZE, 8),
                (int) deviceNumber(device, OpenCl.CL_DEVICE_MAX_COMPUTE_UNITS, 4), (int) deviceNumber(device, OpenCl.CL_DEVICE_MAX_WORK_GROUP_SIZE, 8),
                deviceNumber(device, OpenCl.CL_DEVICE_LOCAL_MEM_SIZE, 8),
                (deviceNumber(device, OpenCl.CL_DEVICE_TYPE, 8) & OpenCl.CL_DEVICE_TYPE_GPU) != 0);
    }

    private static String platformString(MemorySegment platform, int param) {
        return infoString((size, value, ret) -> (int) cl.getPlatformInfo.invokeExact(platform, param, size, value, ret));
    }

    private static String deviceString(MemorySegment device, int param) {
        return infoString((size, value, ret) -> (int) cl.getDeviceInfo.invokeExact(device, param, size, value, ret));
    }

    /** A numeric device property: cl_uint ({@code bytes} 4) or cl_ulong/size_t (8). */
    private static long deviceNumber(MemorySegment device, int param, int bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            OpenCl.check((int) cl.getDeviceInfo.invokeExact(device, param, (long) bytes, v, MemorySegment.NULL), "clGetDeviceInfo");
            return bytes == 4 ? v.get(JAVA_INT, 0) : v.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw NativeCall.failure("clGetDeviceInfo", t);
        }
    }

    private interface InfoCall {
        int call(long size, MemorySegment value, MemorySegment sizeReturned) throws Throwable;
    }

    private static String infoString(InfoCall call) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            OpenCl.check(call.call(0, MemorySegment.NULL, size), "clGet*Info");
            MemorySegment value = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
            OpenCl.check(call.call(value.byteSize(), value, MemorySegment.NULL), "clGet*Info");
            return value.getString(0).trim();
        } catch (Throwable t) {
            throw NativeCall.failure("clGet*Info", t);
        }
    }

    // ---------------------------------------------------------------- memory

    @Override
    protected MemorySegment createBuffer(long bytes) {
        if (bytes > info.maxAllocationBytes() || allocatedBytes() + bytes > info.globalMemoryBytes()) {
            throw outOfMemory(bytes, "largest single buffer " + info.maxAllocationBytes() / 1048576 + " MiB");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(JAVA_INT);
            MemorySegment mem = (MemorySegment) cl.createBuffer.invokeExact(context, OpenCl.CL_MEM_READ_WRITE, bytes,
                    MemorySegment.NULL, status);
            int code = status.get(JAVA_INT, 0);
            if (code == -4 || code == -61 || code == -5) {
                throw outOfMemory(bytes, "clCreateBuffer: " + OpenCl.errorName(code));
            }
            OpenCl.check(code, "clCreateBuffer(" + bytes + " bytes) on " + info.id());
            return mem;
        } catch (Throwable t) {
            throw NativeCall.failure("clCreateBuffer", t);
        }
    }

    @Override
    protected void releaseBuffer(MemorySegment mem) {
        try {
            OpenCl.check((int) cl.releaseMemObject.invokeExact(mem), "clReleaseMemObject");
        } catch (Throwable t) {
            throw NativeCall.failure("clReleaseMemObject", t);
        }
    }

    @Override
    public synchronized long copyToDevice(DeviceArray array, DispatchClock dispatch) {
        JavaArrays.copyIn(array);
        return copy(cl.enqueueWriteBuffer, "clEnqueueWriteBuffer", allocated(array), array, dispatch);
    }

    @Override
    public synchronized long copyToHost(DeviceArray array, DispatchClock dispatch) {
        MemorySegment mem = buffer(array, () -> "copy to host of an array that was never on " + info.id());
        long ns = copy(cl.enqueueReadBuffer, "clEnqueueReadBuffer", mem, array, dispatch);
        JavaArrays.copyOut(array);
        return ns;
    }

    /**
     * One buffer copy, timed when {@code dispatch} is given, which gets the host time of the enqueue call: the copies here
     * block, so that is the whole copy as the host waits for it.
     */
    private long copy(java.lang.invoke.MethodHandle op, String name, MemorySegment mem, DeviceArray array, DispatchClock dispatch) {
        boolean timed = dispatch != null;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment event = timed ? a.allocate(ADDRESS) : MemorySegment.NULL;
            long start = timed ? System.nanoTime() : 0;
            int status = (int) op.invokeExact(queue, mem, 1, 0L, Math.max(1, array.byteSize()),
                    array.segment(), 0, MemorySegment.NULL, event);
            if (timed) {
                dispatch.add(System.nanoTime() - start);
            }
            OpenCl.check(status, name + "(" + array.byteSize() + " bytes) on " + info.id());
            return timed ? elapsed(event.get(ADDRESS, 0), name) : -1;
        } catch (Throwable t) {
            throw NativeCall.failure(name, t);
        }
    }

    @Override
    public long freeMemory() {
        return info.globalMemoryBytes() - allocatedBytes();
    }

    // ---------------------------------------------------------------- kernels

    /** Each prepared launch gets its own cl_kernel, so its arguments are set once and stay set. */
    @Override
    public synchronized Prepared prepare(KernelInfo k, Object[] args, Launch launch) {
        return prepare(k, args, launch, "");
    }

    @Override
    public synchronized Prepared prepare(KernelInfo k, Object[] args, Launch launch, String compilerFlags) {
        Built<MemorySegment> program = built(programs, Map.entry(k.owner(), compilerFlags.strip()),
                key -> build(key.getKey().getSimpleName() + ".cl", kernelSource(key.getKey()), key.getValue(), true));
        Launch run = ClusterShape.merged(k, launch, info.maxWorkGroupSize()); // a cluster of groups runs as one group here
        return launchable(program.program(), k.cName(), k.qualifiedName(), KernelArguments.of(k, args, run.local()), run, program.nanos());
    }

    /** Builds {@code source} (OpenCL C) once per text, without the engine's options, and readies its kernel {@code entryPoint}. */
    @Override
    public synchronized Prepared prepareSource(String name, String source, String entryPoint, Object[] args, Launch launch) {
        Built<MemorySegment> program = built(sourcePrograms, source, text -> build(name, text, null, true));
        return launchable(program.program(), entryPoint, name + ":" + entryPoint, KernelArguments.prebuilt(args), launch, program.nanos());
    }

    /** A launch of kernel {@code cName} of {@code program}; {@code install}: the nanoseconds its program's build took now. */
    private Prepared launchable(MemorySegment program, String cName, String what, List<KernelArguments.Arg> args, Launch launch, long install) {
        Arena arena = Arena.ofShared();
        MemorySegment kernel;
        try {
            MemorySegment status = arena.allocate(JAVA_INT);
            kernel = OpenCl.checked((MemorySegment) cl.createKernel.invokeExact(program, arena.allocateFrom(cName), status),
                    status, "clCreateKernel(" + what + ")");
            setArguments(arena, what, kernel, args);
        } catch (DeviceException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new DeviceException("kernel " + what + ": " + t, t);
        }
        MemorySegment global = arena.allocate(JAVA_LONG, launch.dims());
        MemorySegment local = arena.allocate(JAVA_LONG, launch.dims());
        for (int d = 0; d < launch.dims(); d++) {
            global.setAtIndex(JAVA_LONG, d, launch.global()[d]);
            local.setAtIndex(JAVA_LONG, d, launch.local()[d]);
        }
        MemorySegment event = arena.allocate(ADDRESS);
        return new PreparedLaunch(install) {
            @Override
            public long launch(DispatchClock dispatch) {
                boolean timed = dispatch != null;
                synchronized (OpenClDevice.this) {
                    try {
                        MemorySegment eventOrNull = timed ? event : MemorySegment.NULL;
                        long start = timed ? System.nanoTime() : 0;
                        int status = (int) cl.enqueueNDRangeKernel.invokeExact(queue, kernel, launch.dims(), MemorySegment.NULL,
                                global, local, 0, MemorySegment.NULL, eventOrNull);
                        if (timed) {
                            dispatch.add(System.nanoTime() - start);
                        }
                        OpenCl.check(status, "clEnqueueNDRangeKernel(" + what + ", " + launch + ") on " + info.id());
                        return timed ? elapsed(event.get(ADDRESS, 0), what) : -1;
                    } catch (Throwable t) {
                        throw NativeCall.failure("kernel " + what, t);
                    }
                }
            }

            @Override
            public void close() {
                try {
                    OpenCl.check((int) cl.releaseKernel.invokeExact(kernel), "clReleaseKernel");
                } catch (Throwable t) {
                    throw NativeCall.failure("clReleaseKernel", t);
                } finally {
                    arena.close();
                }
            }
        };
    }

    private void setArguments(Arena a, String what, MemorySegment kernel, List<KernelArguments.Arg> args) throws Throwable {
        int index = 0;
        for (KernelArguments.Arg arg : KernelArguments.portable(args)) {
            MemorySegment value;
            switch (arg) {
                case KernelArguments.Pointer p -> {
                    int at = index;
                    MemorySegment mem = buffer(p.array(), () -> "kernel " + what + ": argument " + at
                            + " is not on " + info.id() + " (transfer it to the device first)");
                    value = a.allocate(ADDRESS);
                    value.set(ADDRESS, 0, mem);
                }
                case KernelArguments.Value v -> value = v.allocate(a);
                case KernelArguments.Tensor t -> throw new IllegalStateException("KernelArguments.portable passes a tensor map's parts");
                case KernelArguments.Local l -> {
                    OpenCl.check((int) cl.setKernelArg.invokeExact(kernel, index, l.bytes(), MemorySegment.NULL),
                            "clSetKernelArg(" + what + ", " + index + ", " + l.bytes() + " bytes of local memory)");
                    index++;
                    continue;
                }
            }
            OpenCl.check((int) cl.setKernelArg.invokeExact(kernel, index, value.byteSize(), value),
                    "clSetKernelArg(" + what + ", " + index + ")");
            index++;
        }
    }

    @Override
    public synchronized long copyOnDevice(DeviceArray src, long srcOffset, DeviceArray dst, long dstOffset, long bytes, boolean timed) {
        MemorySegment from = allocated(src);
        MemorySegment to = allocated(dst);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment event = timed ? a.allocate(ADDRESS) : MemorySegment.NULL;
            OpenCl.check((int) cl.enqueueCopyBuffer.invokeExact(queue, from, to, srcOffset, dstOffset,
                    bytes, 0, MemorySegment.NULL, event), "clEnqueueCopyBuffer on " + info.id());
            return timed ? elapsed(event.get(ADDRESS, 0), "clEnqueueCopyBuffer") : -1;
        } catch (Throwable t) {
            throw NativeCall.failure("clEnqueueCopyBuffer", t);
        }
    }

    @Override
    public synchronized long timeBuild(Class<?> owner, boolean diskCache) {
        long start = System.nanoTime();
        MemorySegment program = build(owner.getSimpleName() + ".cl", kernelSource(owner), "", diskCache);
        long ns = System.nanoTime() - start;
        try {
            OpenCl.check((int) cl.releaseProgram.invokeExact(program), "clReleaseProgram");
        } catch (Throwable t) {
            throw NativeCall.failure("clReleaseProgram", t);
        }
        return ns;
    }

    private long elapsed(MemorySegment event, String what) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment list = a.allocate(ADDRESS);
            list.set(ADDRESS, 0, event);
            OpenCl.check((int) cl.waitForEvents.invokeExact(1, list), "clWaitForEvents(" + what + ")");
            MemorySegment start = a.allocate(JAVA_LONG), end = a.allocate(JAVA_LONG);
            OpenCl.check((int) cl.getEventProfilingInfo.invokeExact(event, OpenCl.CL_PROFILING_COMMAND_START, 8L, start, MemorySegment.NULL),
                    "clGetEventProfilingInfo");
            OpenCl.check((int) cl.getEventProfilingInfo.invokeExact(event, OpenCl.CL_PROFILING_COMMAND_END, 8L, end, MemorySegment.NULL),
                    "clGetEventProfilingInfo");
            OpenCl.check((int) cl.releaseEvent.invokeExact(event), "clReleaseEvent");
            return end.get(JAVA_LONG, 0) - start.get(JAVA_LONG, 0);
        }
    }

    /**
     * Builds OpenCL C with the engine's options and {@code flags} (a prebuilt kernel's source, {@code flags} null, with
     * none), from the disk cache's binary when it has one.
     */
    private MemorySegment build(String name, String source, String flags, boolean diskCache) {
        String options = flags == null ? "" : flags.isEmpty() ? "-cl-mad-enable" : "-cl-mad-enable " + flags;
        String key = KernelCache.key(source, info.name(), info.driver(), options);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment status = a.allocate(JAVA_INT);
            MemorySegment devices = a.allocate(ADDRESS);
            devices.set(ADDRESS, 0, device);
            byte[] binary = diskCache ? cache.get(key, "clbin").orElse(null) : null;
            MemorySegment program;
            if (binary != null) {
                MemorySegment lengths = a.allocateFrom(JAVA_LONG, binary.length);
                MemorySegment pointers = a.allocate(ADDRESS);
                pointers.set(ADDRESS, 0, a.allocateFrom(ValueLayout.JAVA_BYTE, binary));
                program = (MemorySegment) cl.createProgramWithBinary.invokeExact(context, 1, devices, lengths, pointers,
                        MemorySegment.NULL, status);
                if (status.get(JAVA_INT, 0) != 0) {
                    binary = null; // a stale or foreign binary: fall back to the source
                }
            } else {
                program = MemorySegment.NULL;
            }
            if (binary == null) {
                MemorySegment strings = a.allocate(ADDRESS);
                strings.set(ADDRESS, 0, a.allocateFrom(source));
                program = OpenCl.checked((MemorySegment) cl.createProgramWithSource.invokeExact(context, 1, strings,
                        MemorySegment.NULL, status), status, "clCreateProgramWithSource(" + name + ")");
            }
            int built = (int) cl.buildProgram.invokeExact(program, 1, devices, a.allocateFrom(options), MemorySegment.NULL, MemorySegment.NULL);
            if (built != 0) {
                throw new DeviceException("clBuildProgram(" + name + ", options '" + options + "') on " + info.id() + " failed: "
                        + OpenCl.errorName(built) + "\n--- build log ---\n" + buildLog(program) + "\n--- source ---\n" + source);
            }
            if (binary == null) {
                cache.put(key, "clbin", programBinary(program));
            }
            return program;
        } catch (Throwable t) {
            throw NativeCall.failure("building " + name, t);
        }
    }

    private String buildLog(MemorySegment program) {
        return infoString((size, value, ret) -> (int) cl.getProgramBuildInfo.invokeExact(program, device, OpenCl.CL_PROGRAM_BUILD_LOG, size, value, ret));
    }

    private static byte[] programBinary(MemorySegment program) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            OpenCl.check((int) cl.getProgramInfo.invokeExact(program, OpenCl.CL_PROGRAM_BINARY_SIZES, 8L, size, MemorySegment.NULL), "clGetProgramInfo");
            MemorySegment bytes = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
            MemorySegment pointers = a.allocate(ADDRESS);
            pointers.set(ADDRESS, 0, bytes);
            OpenCl.check((int) cl.getProgramInfo.invokeExact(program, OpenCl.CL_PROGRAM_BINARIES, 8L, pointers, MemorySegment.NULL), "clGetProgramInfo");
            return bytes.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public void synchronize() {
        try {
            OpenCl.check((int) cl.finish.invokeExact(queue), "clFinish on " + info.id());
        } catch (Throwable t) {
            throw NativeCall.failure("clFinish", t);
        }
    }
}
