package org.longnet.engine.device.cuda;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.JavaArrays;
import org.longnet.engine.device.ClusterShape;
import org.longnet.engine.device.DeviceException;
import org.longnet.engine.device.DeviceInfo;
import org.longnet.engine.device.DeviceSensors;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One NVIDIA GPU through the driver API: the primary context, the default stream, NVRTC-built
 * modules. Its buffers are device pointers ({@code CUdeviceptr}). A timed operation's dispatch is the host time of its
 * driver call: the enqueue alone for a launch, the whole copy for cuMemcpyHtoD and cuMemcpyDtoH, which return when done.
 */
public final class CudaDevice extends DriverDevice<Long> {
    private static CudaDriver cu;
    private static Nvrtc nvrtc;

    private final MemorySegment context;
    private final String arch;
    /** Functions of prebuilt kernels (PTX, CUDA C), by their source and entry point. */
    private final Map<Map.Entry<String, String>, MemorySegment> ptxFunctions = new HashMap<>();
    /** Loaded modules and their functions, by kernel class (or kernel) and the flags added to NVRTC's options. */
    private final Map<Map.Entry<Class<?>, String>, MemorySegment> modules = new HashMap<>();
    private final Map<Map.Entry<KernelInfo, String>, MemorySegment> functions = new HashMap<>();
    /** Arrays whose host pages {@link #pinHost} locked. */
    private final Set<DeviceArray> pinned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final KernelCache cache = KernelCache.fromSettings();
    private final ThreadLocal<Boolean> bound = ThreadLocal.withInitial(() -> false);
    /** Shared memory a block may use without asking (cuFuncSetAttribute) for more. */
    private static final int STATIC_LOCAL_LIMIT = 48 * 1024;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment startEvent, endEvent;
    private final int ordinal;
    /** NVML's view of this GPU, opened on first use (null until then). */
    private Optional<DeviceSensors> sensors;
    private final CudaGraphs graphs;

    private CudaDevice(int ordinal, DeviceInfo info) {
        super(info, "cu");
        this.ordinal = ordinal;
        this.graphs = new CudaGraphs(cu, this);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ctx = a.allocate(ADDRESS);
            cu.check((int) cu.primaryCtxRetain.invokeExact(ctx, ordinal), "cuDevicePrimaryCtxRetain(" + ordinal + ")");
            context = ctx.get(ADDRESS, 0);
            bind();
            arch = CudaArch.of(attribute(ordinal, CudaDriver.ATTR_COMPUTE_CAPABILITY_MAJOR),
                    attribute(ordinal, CudaDriver.ATTR_COMPUTE_CAPABILITY_MINOR));
            MemorySegment e = a.allocate(ADDRESS);
            cu.check((int) cu.eventCreate.invokeExact(e, 0), "cuEventCreate");
            startEvent = e.get(ADDRESS, 0);
            cu.check((int) cu.eventCreate.invokeExact(e, 0), "cuEventCreate");
            endEvent = e.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw NativeCall.failure("cannot open cuda:" + ordinal, t);
        }
    }

    private static synchronized void load() {
        if (cu == null) {
            CudaDriver driver = new CudaDriver();
            try {
                driver.check((int) driver.init.invokeExact(0), "cuInit");
            } catch (Throwable t) {
                throw NativeCall.failure("cuInit", t);
            }
            cu = driver;
        }
    }

    /** Every CUDA device; throws if the driver library is missing or cuInit fails (e.g. no GPU). */
    public static List<DeviceInfo> discover() {
        load();
        return CudaDiscovery.all(cu);
    }

    public static CudaDevice open(int ordinal) {
        List<DeviceInfo> all = discover();
        if (ordinal < 0 || ordinal >= all.size()) {
            throw new IllegalArgumentException("--device cuda:" + ordinal + ": there are " + all.size() + " CUDA devices");
        }
        return new CudaDevice(ordinal, all.get(ordinal));
    }

    private static int attribute(int device, int attribute) throws Throwable {
        return CudaDiscovery.attribute(cu, device, attribute);
    }

    /** The driver's current context is per thread; make ours current on this one. */
    private void bind() throws Throwable {
        if (!bound.get()) {
            cu.check((int) cu.ctxSetCurrent.invokeExact(context), "cuCtxSetCurrent");
            bound.set(true);
        }
    }

    /** Whether everything queued on the default stream has finished (cuStreamQuery), without waiting for it. */
    public synchronized boolean finished() {
        try {
            bind();
            int status = (int) cu.streamQuery.invokeExact(MemorySegment.NULL);
            if (status == CudaDriver.CUDA_ERROR_NOT_READY) {
                return false;
            }
            cu.check(status, "cuStreamQuery on " + info.id());
            return true;
        } catch (Throwable t) {
            throw NativeCall.failure("cuStreamQuery on " + info.id(), t);
        }
    }

    /** The device pointer of a resident array, for library calls such as cuBLAS. */
    public synchronized long pointer(DeviceArray array) {
        return buffer(array, () -> "array is not on " + info.id() + " (transfer it to the device first)");
    }

    @Override
    protected Long createBuffer(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            bind();
            MemorySegment p = a.allocate(JAVA_LONG);
            int status = (int) cu.memAlloc.invokeExact(p, bytes);
            if (status == CudaDriver.CUDA_ERROR_OUT_OF_MEMORY) {
                throw outOfMemory(bytes, "cuMemAlloc");
            }
            cu.check(status, "cuMemAlloc(" + bytes + " bytes) on " + info.id());
            return p.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw NativeCall.failure("cuMemAlloc", t);
        }
    }

    @Override
    protected void releaseBuffer(Long p) {
        try {
            bind();
            cu.check((int) cu.memFree.invokeExact(p.longValue()), "cuMemFree");
        } catch (Throwable t) {
            throw NativeCall.failure("cuMemFree", t);
        }
    }

    @Override
    public synchronized long copyToDevice(DeviceArray array, DispatchClock dispatch) {
        long p = allocated(array);
        JavaArrays.copyIn(array);
        return timed(dispatch, "cuMemcpyHtoD", () -> cu.check((int) cu.memcpyHtoD.invokeExact(p,
                array.segment(), Math.max(1, array.byteSize())), "cuMemcpyHtoD(" + array.byteSize() + " bytes) on " + info.id()));
    }

    @Override
    public synchronized long copyToHost(DeviceArray array, DispatchClock dispatch) {
        long p = pointer(array);
        long ns = timed(dispatch, "cuMemcpyDtoH", () -> cu.check((int) cu.memcpyDtoH.invokeExact(array.segment(), p,
                Math.max(1, array.byteSize())), "cuMemcpyDtoH(" + array.byteSize() + " bytes) on " + info.id()));
        JavaArrays.copyOut(array);
        return ns;
    }

    /** Page-locks the array's host pages (cuMemHostRegister), so copies run by DMA at the bus's rate without a staging copy. */
    @Override
    public synchronized boolean pinHost(DeviceArray array) {
        if (pinned.contains(array)) {
            return true;
        }
        try {
            bind();
            cu.check((int) cu.memHostRegister.invokeExact(array.segment(), Math.max(1, array.byteSize()), 0),
                    "cuMemHostRegister(" + array.byteSize() + " bytes) on " + info.id());
        } catch (Throwable t) {
            throw NativeCall.failure("cuMemHostRegister", t);
        }
        pinned.add(array);
        return true;
    }

    @Override
    public synchronized void unpinHost(DeviceArray array) {
        if (pinned.remove(array)) {
            try {
                bind();
                cu.check((int) cu.memHostUnregister.invokeExact(array.segment()), "cuMemHostUnregister on " + info.id());
            } catch (Throwable t) {
                throw NativeCall.failure("cuMemHostUnregister", t);
            }
        }
    }

    @Override
    public long freeMemory() {
        try (Arena a = Arena.ofConfined()) {
            bind();
            MemorySegment free = a.allocate(JAVA_LONG), total = a.allocate(JAVA_LONG);
            cu.check((int) cu.memGetInfo.invokeExact(free, total), "cuMemGetInfo");
            return free.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw NativeCall.failure("cuMemGetInfo", t);
        }
    }

    /** The CUDA C of every kernel writes its matrix products as tensor-core instructions (mma.sync; wgmma on sm_90a). */
    @Override
    public boolean matrixUnits() {
        return true;
    }

    /** On sm_90a, the target with wgmma (the portable sm_90, forced by a property, issues its products synchronously). */
    @Override
    public boolean hopperPipelines() {
        return arch.equals(CudaArch.HOPPER_TARGET);
    }

    @Override
    public synchronized Optional<DeviceSensors> sensors() {
        if (sensors == null) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment id = a.allocate(64);
                cu.check((int) cu.deviceGetPciBusId.invokeExact(id, 64, ordinal), "cuDeviceGetPCIBusId");
                sensors = Nvml.open(id.getString(0));
            } catch (Throwable t) { // the sensors only inform a benchmark: without them it runs on, as without NVML
                System.err.println("no clock and power readings for cuda:" + ordinal + ": " + t.getMessage());
                sensors = Optional.empty();
            }
        }
        return sensors;
    }

    /** A driver or library call made on this device's context. */
    public interface Call {
        void run() throws Throwable;
    }

    /** Runs {@code call} on the default stream, bracketed by events when timed; returns nanoseconds or -1. */
    public long timed(boolean timed, String what, Call call) {
        return timed(timed ? new DispatchClock() : null, what, call);
    }

    /** As {@link #timed(boolean, String, Call)}, timed when {@code dispatch} is given, which gets the host time of the call. */
    private synchronized long timed(DispatchClock dispatch, String what, Call call) {
        boolean timed = dispatch != null;
        if (timed && graphs.recording()) {
            throw new DeviceException(what + ": a timed operation cannot be recorded into a CUDA graph (run the plan without the profiler)");
        }
        try {
            bind();
            if (timed) {
                cu.check((int) cu.eventRecord.invokeExact(startEvent, MemorySegment.NULL), "cuEventRecord");
            }
            long start = timed ? System.nanoTime() : 0;
            call.run();
            if (!timed) {
                return -1;
            }
            dispatch.add(System.nanoTime() - start);
            cu.check((int) cu.eventRecord.invokeExact(endEvent, MemorySegment.NULL), "cuEventRecord");
            cu.check((int) cu.eventSynchronize.invokeExact(endEvent), what);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment ms = a.allocate(JAVA_FLOAT);
                cu.check((int) cu.eventElapsedTime.invokeExact(ms, startEvent, endEvent), "cuEventElapsedTime");
                return (long) (ms.get(JAVA_FLOAT, 0) * 1e6);
            }
        } catch (Throwable t) {
            throw NativeCall.failure(what, t);
        }
    }

    @Override
    public synchronized Prepared prepare(KernelInfo k, Object[] args, Launch launch) {
        return prepare(k, args, launch, "");
    }

    @Override
    public synchronized Prepared prepare(KernelInfo k, Object[] args, Launch launch, String compilerFlags) {
        long install = built(modules, Map.entry(k.owner(), compilerFlags.strip()), m -> build(m.getKey(), m.getValue())).nanos();
        MemorySegment function = function(k, compilerFlags.strip());
        long[] grid = CudaGrid.of(k, launch);
        int localBytes = Math.toIntExact(k.localBytes() + KernelArguments.sizedLocalBytes(k, args, launch.local()));
        if (localBytes > STATIC_LOCAL_LIMIT && !k.sizedLocals().isEmpty()) { // function() asked for the constant-size part alone
            try {
                cu.check((int) cu.funcSetAttribute.invokeExact(function, CudaDriver.FUNC_MAX_DYNAMIC_SHARED_BYTES, localBytes),
                        "cuFuncSetAttribute(" + k.qualifiedName() + ", " + localBytes + " bytes of shared memory)");
            } catch (Throwable t) {
                throw NativeCall.failure("cuFuncSetAttribute", t);
            }
        }
        // parameter-sized local arrays are dynamic shared memory here (the launch's bytes), not parameters
        return launchable(k.qualifiedName(), function, grid, launch, localBytes,
                KernelArguments.of(k, args, launch.local()).stream().filter(c -> !(c instanceof KernelArguments.Local)).toList(),
                ClusterShape.checked(k, launch),
                install);
    }

    /** A launch of {@code function} with {@code args} (no local memory among them) packed once; clusters of blocks need cuLaunchKernelEx. */
    private Prepared launchable(String what, MemorySegment function, long[] grid, Launch launch, int localBytes, List<KernelArguments.Arg> args, int cluster,
                                long install) {
        Arena arena = Arena.ofShared();
        MemorySegment params, clustered;
        long[] block = {1, 1, 1};
        System.arraycopy(launch.local(), 0, block, 0, launch.dims());
        try {
            params = parameters(arena, what, args);
            clustered = cluster > 1 ? ClusterLaunch.config(arena, what, arch, grid, block, localBytes, cluster) : null;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        return new PreparedLaunch(install) {
            @Override
            public long launch(DispatchClock dispatch) {
                MemorySegment stream = graphs.stream().handle();
                cu.launched(what);
                return timed(dispatch, what, () -> cu.check(clustered != null
                        ? (int) cu.launchKernelEx.invokeExact(ClusterLaunch.on(clustered, stream), function, params, MemorySegment.NULL)
                        : (int) cu.launchKernel.invokeExact(function, (int) grid[0], (int) grid[1], (int) grid[2], (int) block[0], (int) block[1],
                        (int) block[2], localBytes, stream, params, MemorySegment.NULL),
                        (clustered != null ? "cuLaunchKernelEx(clusters of " + cluster + ", " : "cuLaunchKernel(") + what + ", " + launch + ")"));
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }

    /** The kernelParams array of cuLaunchKernel: one pointer to each argument's value. */
    private MemorySegment parameters(Arena a, String what, List<KernelArguments.Arg> args) {
        MemorySegment params = a.allocate(ADDRESS, Math.max(1, args.size()));
        for (int i = 0; i < args.size(); i++) {
            MemorySegment value = switch (args.get(i)) {
                case KernelArguments.Pointer p -> a.allocateFrom(JAVA_LONG, buffer(p.array(), () -> "kernel " + what
                        + ": an array argument is not on " + info.id() + " (transfer it to the device first)"));
                case KernelArguments.Value v -> v.allocate(a);
                case KernelArguments.Tensor t -> CudaTensorMaps.encode(cu, a, t.map(), buffer(t.map().deviceArray(), () -> "kernel " + what
                        + ": a tensor map's array is not on " + info.id() + " (transfer it to the device first)"), arch, "kernel " + what);
                case KernelArguments.Local l -> throw new IllegalStateException("local memory is no CUDA parameter");
            };
            params.setAtIndex(ADDRESS, i, value);
        }
        return params;
    }

    /** Loads {@code source} (PTX, or CUDA C by NVRTC for a {@code .cu} name) once and readies its kernel {@code entryPoint}. */
    @Override
    public synchronized Prepared prepareSource(String name, String source, String entryPoint, Object[] args, Launch launch) {
        Built<MemorySegment> function = built(ptxFunctions, Map.entry(source, entryPoint), key -> {
            try (Arena a = Arena.ofConfined()) {
                bind();
                MemorySegment module = a.allocate(ADDRESS);
                if (name.endsWith(".cu")) {
                    module.set(ADDRESS, 0, loadModule(name, source, List.of(), true));
                } else {
                    cu.check((int) cu.moduleLoadData.invokeExact(module, arena.allocateFrom(source)), "cuModuleLoadData(" + name + ")");
                }
                MemorySegment f = a.allocate(ADDRESS);
                cu.check((int) cu.moduleGetFunction.invokeExact(f, module.get(ADDRESS, 0), a.allocateFrom(entryPoint)),
                        "cuModuleGetFunction(" + name + ":" + entryPoint + ")");
                return f.get(ADDRESS, 0);
            } catch (Throwable t) {
                throw NativeCall.failure("loading " + name, t);
            }
        });
        long[] grid = {launch.groups(0), launch.dims() > 1 ? launch.groups(1) : 1, launch.dims() > 2 ? launch.groups(2) : 1};
        return launchable(name + ":" + entryPoint, function.program(), grid, launch, 0, KernelArguments.prebuilt(args), 0, function.nanos());
    }

    @Override
    public synchronized long copyOnDevice(DeviceArray src, long srcOffset, DeviceArray dst, long dstOffset, long bytes, boolean timed) {
        long from = allocated(src) + srcOffset;
        long to = allocated(dst) + dstOffset;
        CudaStream stream = graphs.stream(); // a recorded copy must be enqueued on the recording stream, so asynchronously
        return timed(timed, "cuMemcpyDtoD", () -> cu.check(stream.isNull() ? (int) cu.memcpyDtoD.invokeExact(to, from, bytes)
                : (int) cu.memcpyDtoDAsync.invokeExact(to, from, bytes, stream.handle()), "cuMemcpyDtoD on " + info.id()));
    }

    @Override
    public synchronized long timeBuild(Class<?> owner, boolean diskCache) {
        long start = System.nanoTime();
        MemorySegment module = loadModule(owner.getSimpleName() + ".cu", kernelSource(owner), List.of(), diskCache);
        long ns = System.nanoTime() - start;
        try {
            cu.check((int) cu.moduleUnload.invokeExact(module), "cuModuleUnload");
        } catch (Throwable t) {
            throw NativeCall.failure("cuModuleUnload", t);
        }
        return ns;
    }

    private MemorySegment function(KernelInfo k, String flags) {
        return functions.computeIfAbsent(Map.entry(k, flags), key -> {
            MemorySegment module = modules.computeIfAbsent(Map.entry(k.owner(), flags), m -> build(m.getKey(), m.getValue()));
            try (Arena a = Arena.ofConfined()) {
                MemorySegment f = a.allocate(ADDRESS);
                cu.check((int) cu.moduleGetFunction.invokeExact(f, module, a.allocateFrom(k.cName())),
                        "cuModuleGetFunction(" + k.qualifiedName() + ")");
                MemorySegment function = f.get(ADDRESS, 0);
                if (k.localBytes() > STATIC_LOCAL_LIMIT) { // beyond 48 KB a block must ask for its local memory
                    cu.check((int) cu.funcSetAttribute.invokeExact(function, CudaDriver.FUNC_MAX_DYNAMIC_SHARED_BYTES, k.localBytes()),
                            "cuFuncSetAttribute(" + k.qualifiedName() + ", " + k.localBytes() + " bytes of shared memory)");
                }
                return function;
            } catch (Throwable t) {
                throw NativeCall.failure("cuModuleGetFunction", t);
            }
        });
    }

    private MemorySegment build(Class<?> owner, String flags) {
        return loadModule(owner.getSimpleName() + ".cu", kernelSource(owner), flags.isEmpty() ? List.of() : List.of(flags.split("\\s+")), true);
    }

    /** Compiles CUDA C with NVRTC (or takes the cached cubin), with {@code flags} after the engine's options, and loads it as a module. */
    public synchronized MemorySegment loadModule(String name, String source, List<String> flags, boolean diskCache) {
        try {
            bind();
            if (nvrtc == null) {
                nvrtc = new Nvrtc();
            }
            List<String> options = new java.util.ArrayList<>(List.of("--gpu-architecture=" + arch, "-std=c++17"));
            options.addAll(flags);
            String key = KernelCache.key(source, info.name(), info.driver(), nvrtc.version(), options.toString());
            byte[] cubin = diskCache ? cache.get(key, "cubin").orElse(null) : null;
            if (cubin == null) {
                cubin = nvrtc.compile(name, source, options);
                cache.put(key, "cubin", cubin);
            }
            MemorySegment image = arena.allocateFrom(ValueLayout.JAVA_BYTE, cubin);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment module = a.allocate(ADDRESS);
                cu.check((int) cu.moduleLoadData.invokeExact(module, image), "cuModuleLoadData(" + name + ")");
                return module.get(ADDRESS, 0);
            }
        } catch (Throwable t) {
            throw NativeCall.failure("building " + name, t);
        }
    }

    /** Records on a blocking stream of its own, so replays are ordered with the NULL stream's work: see {@link CudaGraphs}. */
    @Override
    public synchronized Optional<Capture> beginCapture(String what) {
        return Optional.of(graphs.begin(what));
    }

    /** The stream that the calling thread's work goes to now, for library calls (cuBLAS): the NULL stream unless it records a graph. */
    public synchronized CudaStream stream() {
        return graphs.stream();
    }

    @Override
    public synchronized void close() {
        super.close();
        graphs.close();
    }

    @Override
    public void synchronize() {
        try {
            bind();
            cu.check((int) cu.ctxSynchronize.invokeExact(), "cuCtxSynchronize on " + info.id());
        } catch (Throwable t) {
            throw NativeCall.failure("cuCtxSynchronize", t);
        }
    }
}
