package org.longnet.engine.device.cuda;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA graphs of one device. Work runs on the legacy NULL stream; a recording runs on one stream of its own, created
 * blocking (flags 0). The legacy stream synchronizes with every blocking stream, so a graph launched there runs after the
 * NULL-stream work queued before it and before the NULL-stream work queued after it, with no events. While a thread records,
 * its launches, device copies and cuBLAS calls go to that stream ({@link #stream()}). Nothing may touch the NULL stream during
 * a recording (the driver invalidates it), which holds while one thread drives the device, as the execution plans do.
 * <p>
 * The capture mode is THREAD_LOCAL: a call of the recording thread that cannot be recorded (cuMemAlloc, a synchronization)
 * fails at once (CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED) and names itself, where RELAXED would run it outside the graph and the
 * replays would silently lack it; unlike GLOBAL, calls of threads that record nothing are not refused.
 */
final class CudaGraphs {
    /** CU_STREAM_CAPTURE_MODE_THREAD_LOCAL. */
    private static final int CAPTURE_MODE_THREAD_LOCAL = 1;
    /** CUDA_ERROR_STREAM_CAPTURE_INVALIDATED: what a recording that ended with no graph reports. */
    private static final int CAPTURE_INVALIDATED = 901;
    /**
     * The cuBLAS workspace of recorded calls, owned here: left to its default, cuBLAS takes a new workspace for each graph it
     * is recorded into. 32 MiB is cuBLAS's recommended workspace on Hopper.
     */
    private static final long WORKSPACE_BYTES = 32L << 20;

    private final CudaDriver cu;
    private final CudaDevice device;
    /** The recording stream and its cuBLAS workspace, made before the first recording; null until then. */
    private CudaStream recordingStream;
    /** The thread that records now, or null. */
    private Thread recorder;

    CudaGraphs(CudaDriver cu, CudaDevice device) {
        this.cu = cu;
        this.device = device;
    }

    /** Where work that the calling thread enqueues now goes: the recording stream while it records, else the NULL stream. */
    CudaStream stream() {
        return recorder == Thread.currentThread() ? recordingStream : CudaStream.NULL;
    }

    boolean recording() {
        return recorder != null;
    }

    /** Starts recording {@code what}; creates the stream and the workspace first, since neither can be made while recording. */
    Device.Capture begin(String what) {
        if (recorder != null) {
            throw new DeviceException("CUDA graph of " + what + ": " + device.info().id() + " records another graph already (thread "
                    + recorder.getName() + "); graphs are recorded one at a time");
        }
        if (recordingStream == null) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment s = a.allocate(ADDRESS);
                MemorySegment w = a.allocate(JAVA_LONG);
                device.timed(false, "cuStreamCreate", () -> {
                    cu.check((int) cu.streamCreate.invokeExact(s, 0), "cuStreamCreate on " + device.info().id());
                    cu.check((int) cu.memAlloc.invokeExact(w, WORKSPACE_BYTES), "cuMemAlloc(" + WORKSPACE_BYTES + " bytes of cuBLAS workspace)");
                });
                recordingStream = new CudaStream(s.get(ADDRESS, 0), w.get(JAVA_LONG, 0), WORKSPACE_BYTES);
            }
        }
        MemorySegment s = recordingStream.handle();
        device.timed(false, "cuStreamBeginCapture", () -> cu.check((int) cu.streamBeginCapture.invokeExact(s, CAPTURE_MODE_THREAD_LOCAL),
                "cuStreamBeginCapture(" + what + ")"));
        recorder = Thread.currentThread();
        long frees = device.frees();
        return new Device.Capture() {
            @Override
            public Device.CapturedGraph end() {
                MemorySegment graph = finish(what, true);
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment exec = a.allocate(ADDRESS);
                    device.timed(false, "cuGraphInstantiateWithFlags", () -> cu.check((int) cu.graphInstantiate.invokeExact(exec, graph, 0L),
                            "cuGraphInstantiateWithFlags(" + what + ")"));
                    return new Recorded(what, exec.get(ADDRESS, 0), frees);
                } finally {
                    device.timed(false, "cuGraphDestroy", () -> cu.check((int) cu.graphDestroy.invokeExact(graph), "cuGraphDestroy(" + what + ")"));
                }
            }

            @Override
            public void abandon() {
                if (recorder == Thread.currentThread()) {
                    finish(what, false);
                }
            }
        };
    }

    /**
     * Ends the recording; returns its graph, or, unless {@code strict}, NULL where the recording broke. A broken recording
     * ends with no graph (or a partial one, destroyed here); strictly, that throws.
     */
    private MemorySegment finish(String what, boolean strict) {
        recorder = null;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment g = a.allocate(ADDRESS);
            MemorySegment s = recordingStream.handle();
            int[] status = new int[1];
            device.timed(false, "cuStreamEndCapture", () -> status[0] = (int) cu.streamEndCapture.invokeExact(s, g));
            MemorySegment graph = g.get(ADDRESS, 0);
            if (status[0] == 0 && !graph.equals(MemorySegment.NULL)) {
                return graph;
            }
            if (!graph.equals(MemorySegment.NULL)) {
                device.timed(false, "cuGraphDestroy", () -> cu.check((int) cu.graphDestroy.invokeExact(graph), "cuGraphDestroy(" + what + ")"));
            }
            if (strict) {
                cu.check(status[0] != 0 ? status[0] : CAPTURE_INVALIDATED, "cuStreamEndCapture(" + what + ")");
            }
            return MemorySegment.NULL;
        }
    }

    /** Destroys the recording stream and frees its workspace; recorded graphs must be closed first. */
    void close() {
        if (recordingStream != null) {
            CudaStream s = recordingStream;
            recordingStream = null;
            device.timed(false, "cuStreamDestroy", () -> {
                cu.check((int) cu.streamDestroy.invokeExact(s.handle()), "cuStreamDestroy on " + device.info().id());
                cu.check((int) cu.memFree.invokeExact(s.workspace()), "cuMemFree(cuBLAS workspace)");
            });
        }
    }

    /** An instantiated graph ({@code CUgraphExec}), launched on the recording stream. */
    private final class Recorded implements Device.CapturedGraph {
        private final String what;
        private MemorySegment exec;
        private final long frees;

        Recorded(String what, MemorySegment exec, long frees) {
            this.what = what;
            this.exec = exec;
            this.frees = frees;
        }

        @Override
        public void launch() {
            if (exec == null) {
                throw new IllegalStateException("CUDA graph of " + what + " was closed");
            }
            MemorySegment e = exec, s = recordingStream.handle();
            cu.launched("the CUDA graph of " + what);
            device.timed(false, "cuGraphLaunch", () -> cu.check((int) cu.graphLaunch.invokeExact(e, s), "cuGraphLaunch(" + what + ")"));
        }

        @Override
        public boolean valid() {
            return exec != null && device.frees() == frees;
        }

        @Override
        public void close() {
            if (exec != null) {
                MemorySegment e = exec;
                exec = null;
                device.timed(false, "cuGraphExecDestroy", () -> cu.check((int) cu.graphExecDestroy.invokeExact(e), "cuGraphExecDestroy(" + what + ")"));
            }
        }
    }
}
