package org.longnet.bench;

import org.longnet.commandline.Arguments;
import org.longnet.commandline.ChosenDevice;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.examples.Saxpy;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code longnet bench launches}: what launching costs when kernels are tiny. One plan of K saxpy kernels on a few thousand
 * floats, executed R times as it is and as CUDA graphs ({@code ExecutionPlan.withCudaGraph}); the host time of each
 * execution (launches, the final synchronization) is almost all launch cost, which a graph replays in one driver call.
 */
@Command(name = "launches", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Measure launch cost: a plan of K tiny kernels executed R times, with and without CUDA graphs.",
        "",
        "Prints the host time of one execution and of one kernel within it, both ways, and their ratio. On devices",
        "without graphs (jvm, opencl) the graph column says so and the plan runs as it is."},
        footer = {"", "Examples:", "  longnet --device cuda bench launches", "  longnet --device cuda bench launches --kernels 2000 --size 1024"})
final class LaunchesBenchCommand implements Callable<Integer> {
    @Option(names = "--kernels", paramLabel = "K", defaultValue = "500", description = "Kernels in the plan (default: ${DEFAULT-VALUE}).")
    int kernels;

    @Option(names = "--size", paramLabel = "N", defaultValue = "4096", description = "Floats each kernel updates (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--executions", paramLabel = "R", defaultValue = "100",
            description = "Timed executions of each plan, after two untimed (default: ${DEFAULT-VALUE}).")
    int executions;

    /** The mean host nanoseconds of one execution, and how many graph launches the plan made. */
    private record Timing(double nanos, long graphLaunches) {
    }

    @Override
    public Integer call() {
        Arguments.atLeast("--kernels", kernels, 1);
        Arguments.atLeast("--size", size, 1);
        Arguments.atLeast("--executions", executions, 1);
        Device device = ChosenDevice.open();
        System.out.printf("%s: %d saxpy kernels on %d floats, %d executions%n", device.info().id(), kernels, size, executions);
        Timing plain = time(device, false);
        Timing graph = time(device, true);
        System.out.printf("%-22s %16s %16s%n", "", "per execution", "per kernel");
        System.out.printf("%-22s %13.1f us %13.3f us%n", "launches", plain.nanos() / 1e3, plain.nanos() / 1e3 / kernels);
        if (graph.graphLaunches() == 0) {
            System.out.printf("%-22s %s%n", "CUDA graph", "not supported on " + device.info().id());
        } else {
            System.out.printf("%-22s %13.1f us %13.3f us%n", "CUDA graph", graph.nanos() / 1e3, graph.nanos() / 1e3 / kernels);
            System.out.printf("%-22s %15.2fx%n", "launches / graph", plain.nanos() / graph.nanos());
        }
        return 0;
    }

    /**
     * y = 0.001 x + 0, then y += 0.001 x K - 1 times, at every execution, with no copies; the last execution's y is checked
     * against the same sum in double.
     */
    private Timing time(Device device, boolean cudaGraph) {
        FloatArray x = new FloatArray(size), y = new FloatArray(size), zero = new FloatArray(size);
        for (int i = 0; i < size; i++) {
            x.set(i, i % 17 - 8);
        }
        TaskGraph g = new TaskGraph("launches").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, zero);
        for (int k = 0; k < kernels; k++) {
            g.task("k" + k, Saxpy::saxpy, 0.001f, x, k == 0 ? zero : y, y);
        }
        g.transferToHost(DataTransferMode.UNDER_DEMAND, y);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device).withCudaGraph(cudaGraph)) {
            plan.execute(); // allocates and compiles
            plan.execute(); // with graphs: records
            long start = System.nanoTime();
            for (int r = 0; r < executions; r++) {
                plan.execute();
            }
            double nanos = (System.nanoTime() - start) / (double) executions;
            device.copyToHost(y, false);
            check(x, y, kernels, cudaGraph);
            return new Timing(nanos, plan.cudaGraphLaunches());
        } finally {
            x.close();
            y.close();
            zero.close();
        }
    }

    /** y must be {@code updates} times 0.001 x, to fp32's accumulated rounding: a replay that left out kernels shows here. */
    private static void check(FloatArray x, FloatArray y, long updates, boolean cudaGraph) {
        for (int i = 0; i < x.getSize(); i++) {
            double want = updates * 0.001 * x.get(i);
            if (Math.abs(y.get(i) - want) > 1e-3 * Math.abs(want) + 1e-4) {
                throw new IllegalStateException("launches bench" + (cudaGraph ? " with CUDA graphs" : "") + ": element " + i + " is " + y.get(i)
                        + ", expected " + want);
            }
        }
    }
}
