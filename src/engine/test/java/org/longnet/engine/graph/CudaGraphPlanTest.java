package org.longnet.engine.graph;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.examples.Saxpy;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmShape;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ExecutionPlan.withCudaGraph: a run of kernels and a GEMM between copies, with new inputs at every execution, gives the
 * float64 reference's result at every execution; on cuda it is recorded on the second execution and replayed after, on the
 * other devices nothing is recorded. A freed array makes the recording stale: the run goes on unrecorded, then recorded anew.
 */
@DeviceTest
class CudaGraphPlanTest {
    /** Sizes that are no multiple of any work-group size. */
    private static final int M = 37, K = 29, N = 23;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** x, y (M x K), b (K x N) in; out = 1.5 (2x + y) b, through u = 2x + y, c = u b, out = 0.5c + c. */
    private record Problem(FloatArray x, FloatArray y, FloatArray b, FloatArray u, FloatArray c, FloatArray out, ImmutableTaskGraph graph) {
        static Problem make() {
            return make(null);
        }

        /** With {@code between}, a library task run between the GEMM and the last kernel. */
        static Problem make(LibraryTask between) {
            FloatArray x = new FloatArray((long) M * K), y = new FloatArray((long) M * K), b = new FloatArray((long) K * N);
            FloatArray u = new FloatArray((long) M * K), c = new FloatArray((long) M * N), out = new FloatArray((long) M * N);
            TaskGraph g = new TaskGraph("g").transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y, b)
                    .task("u", Saxpy::saxpy, 2f, x, y, u)
                    .library("mm", Gemm.of(GemmShape.of(M, N, K), u, b, c));
            if (between != null) {
                g.library("host", between);
            }
            ImmutableTaskGraph graph = g.task("out", Saxpy::saxpy, 0.5f, c, c, out)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot();
            return new Problem(x, y, b, u, c, out, graph);
        }

        /** New random inputs (from {@code seed}), a poisoned output, and the float64 reference of what the plan must give. */
        double[] fresh(long seed) {
            fill(x, seed);
            fill(y, seed + 1000);
            fill(b, seed + 2000);
            out.fill(Float.NaN);
            double[] ref = new double[M * N];
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    double s = 0;
                    for (int p = 0; p < K; p++) {
                        s += (2.0 * x.get((long) i * K + p) + y.get((long) i * K + p)) * b.get((long) p * N + j);
                    }
                    ref[i * N + j] = 1.5 * s;
                }
            }
            return ref;
        }

        private static void fill(FloatArray a, long seed) {
            FloatArray r = Check.random(a.getSize(), seed, -1, 1);
            for (long i = 0; i < a.getSize(); i++) {
                a.set(i, r.get(i));
            }
        }
    }

    private static boolean graphs(String device) {
        return device.startsWith("cuda");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void everyExecutionMatchesTheReferenceAndLaterOnesAreReplayed(String id) {
        Device device = TestDevices.open(id);
        float[][] results = new float[2][];
        for (boolean on : new boolean[] {false, true}) {
            Problem pr = Problem.make();
            try (ExecutionPlan plan = new ExecutionPlan(pr.graph()).withDevice(device).withCudaGraph(on)) {
                for (int e = 0; e < 4; e++) {
                    double[] ref = pr.fresh(17 + e);
                    plan.execute();
                    Check.close("execution " + (e + 1) + (on ? " with" : " without") + " CUDA graphs on " + id, ref, pr.out(), 1e-4, 1e-4);
                }
                // executions 2, 3 and 4 launch the graph recorded on the second
                assertEquals(on && graphs(id) ? 3 : 0, plan.cudaGraphLaunches(), "graph launches on " + id);
            }
            results[on ? 1 : 0] = new float[M * N];
            for (int i = 0; i < M * N; i++) {
                results[on ? 1 : 0][i] = pr.out().get(i);
            }
        }
        if (!graphs(id)) { // nothing is recorded: the same launches, the same bits
            assertArrayEquals(results[0], results[1], "with and without the option on " + id);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void aFreedArrayMakesTheGraphStaleAndItIsRecordedAgain(String id) {
        Device device = TestDevices.open(id);
        Problem pr = Problem.make();
        try (ExecutionPlan plan = new ExecutionPlan(pr.graph()).withDevice(device).withCudaGraph(true)) {
            for (int e = 0; e < 6; e++) {
                if (e == 3) { // its buffer (which the recorded graph points to) goes; the next copy-in makes a new one
                    device.free(pr.x());
                }
                double[] ref = pr.fresh(50 + e);
                plan.execute();
                Check.close("execution " + (e + 1) + " on " + id, ref, pr.out(), 1e-4, 1e-4);
            }
            // recorded on execution 2 and launched on 2 and 3; stale on 4, which runs unrecorded; recorded again on 5, launched on 5 and 6
            assertEquals(graphs(id) ? 4 : 0, plan.cudaGraphLaunches(), "graph launches on " + id);
        }
    }

    /**
     * On a device that keeps recorded launches and runs them only when the graph is launched, as CUDA does: every execution
     * still matches the reference, so nothing that had to run was left out of a graph, and a library task that must run on
     * the host each time splits the run in two graphs and runs at every execution.
     */
    @org.junit.jupiter.api.Test
    void recordedLaunchesRunOnlyWhenTheGraphIsLaunched() {
        RecordingDevice device = new RecordingDevice(TestDevices.open("jvm"));
        int[] hostRuns = {0};
        Problem pr = Problem.make(hostTask(false, () -> hostRuns[0]++));
        try (ExecutionPlan plan = new ExecutionPlan(pr.graph()).withDevice(device).withCudaGraph(true)) {
            for (int e = 0; e < 6; e++) {
                if (e == 4) {
                    device.free(pr.x());
                }
                double[] ref = pr.fresh(130 + e);
                plan.execute();
                Check.close("recorded execution " + (e + 1), ref, pr.out(), 1e-4, 1e-4);
            }
            // two runs (u and mm; out) recorded on execution 2 and again on 6, after the free; each launched on 2, 3, 4 and 6
            assertEquals(4, device.recorded, "graphs recorded");
            assertEquals(8, plan.cudaGraphLaunches(), "graph launches");
            assertEquals(6, hostRuns[0], "runs of the host task");
        }
    }

    /** A task that fails while being recorded is named, the recording is abandoned, and the plan runs on. */
    @org.junit.jupiter.api.Test
    void aFailureWhileRecordingNamesTheTaskAndLeavesTheDeviceUsable() {
        RecordingDevice device = new RecordingDevice(TestDevices.open("jvm"));
        int[] runs = {0};
        Problem pr = Problem.make(hostTask(true, () -> {
            if (++runs[0] == 2) {
                throw new IllegalStateException("out of luck");
            }
        }));
        try (ExecutionPlan plan = new ExecutionPlan(pr.graph()).withDevice(device).withCudaGraph(true)) {
            pr.fresh(200);
            plan.execute();
            pr.fresh(201);
            org.longnet.engine.device.DeviceException e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.longnet.engine.device.DeviceException.class, plan::execute);
            assertEquals("CUDA graph of g tasks u to out: recording task host failed: out of luck", e.getMessage());
            assertEquals(1, device.abandoned, "recordings abandoned");
            // the run was ready before the failure: the next execution records it again (the device is not left recording)
            for (int e2 = 0; e2 < 3; e2++) {
                double[] ref = pr.fresh(202 + e2);
                plan.execute();
                Check.close("execution after the failure " + (e2 + 1), ref, pr.out(), 1e-4, 1e-4);
            }
            assertEquals(3, plan.cudaGraphLaunches(), "graph launches after the failure");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void theProfilerKeepsEveryLaunchUnrecorded(String id) {
        Problem pr = Problem.make();
        try (ExecutionPlan plan = new ExecutionPlan(pr.graph()).withDevice(TestDevices.open(id)).withCudaGraph(true).withProfiler(true)) {
            for (int e = 0; e < 3; e++) {
                double[] ref = pr.fresh(90 + e);
                ExecutionResult result = plan.execute();
                Check.close("profiled execution " + (e + 1) + " on " + id, ref, pr.out(), 1e-4, 1e-4);
                assertEquals(2, result.profile().events().stream().filter(ev -> ev.kind() == Profile.Kind.KERNEL).count(),
                        "each kernel timed at execution " + (e + 1));
            }
            assertEquals(0, plan.cudaGraphLaunches(), "graph launches with the profiler on " + id);
        }
    }

    /** A library task on no arrays that runs {@code body} on the host; {@code capturable}: whether it says a graph may record it. */
    private static LibraryTask hostTask(boolean capturable, Runnable body) {
        return new LibraryTask() {
            @Override
            public List<DeviceArray> arrays() {
                return List.of();
            }

            @Override
            public long run(Device on, boolean timed) {
                body.run();
                return -1;
            }

            @Override
            public boolean capturable() {
                return capturable;
            }
        };
    }
}
