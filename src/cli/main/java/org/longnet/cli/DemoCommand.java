package org.longnet.cli;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.commandline.Arguments;
import org.longnet.commandline.ChosenDevice;
import org.longnet.engine.device.Device;
import org.longnet.engine.examples.Saxpy;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.ExecutionResult;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.SplittableRandom;

/** {@code longnet demo}: the README's kernels in one task graph, checked against plain Java. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
        "Run a small task graph on the chosen device and check its result against plain Java.",
        "",
        "The graph is the README's kernels: saxpy (out = a * x + y), then a work-group reduction of |out|. Each execution's",
        "time is printed, then the last one's profile: every kernel's and copy's time on the device."},
        footer = {"", "Examples:", "  longnet demo", "  longnet --device opencl demo --size 10000000 --runs 20",
                "  longnet --device cuda --print-kernel demo      # also shows the generated CUDA C"})
final class DemoCommand implements Runnable {
    @Option(names = "--size", paramLabel = "N", defaultValue = "1000000", description = "Elements per array (default: ${DEFAULT-VALUE}).")
    long size;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Executions of the graph (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public void run() {
        if (size < 1 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--size must be in 1.." + Integer.MAX_VALUE + ", was " + size);
        }
        Arguments.atLeast("--runs", runs, 1);
        Device device = ChosenDevice.open();
        FloatArray x = new FloatArray(size), y = new FloatArray(size), out = new FloatArray(size);
        SplittableRandom random = new SplittableRandom(42);
        for (long i = 0; i < size; i++) {
            x.set(i, (float) random.nextDouble(-1, 1));
            y.set(i, (float) random.nextDouble(-1, 1));
        }
        int group = 128;
        long groups = (size + group - 1) / group;
        FloatArray sums = new FloatArray(groups);
        float a = 2.5f;
        double expected = 0;
        for (long i = 0; i < size; i++) {
            expected += Math.abs(a * x.get(i) + y.get(i));
        }
        TaskGraph graph = new TaskGraph("demo")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, x, y)
                .task("saxpy", Saxpy::saxpy, a, x, y, out)
                .task("absSum", Saxpy::groupAbsSum, new KernelContext(), out, sums)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sums);
        try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot()).withDevice(device).withProfiler(true)
                .withGrid("demo.absSum", WorkerGrid.of(size, group))) {
            ExecutionResult last = null;
            for (int r = 0; r < runs; r++) {
                last = plan.execute();
                System.out.printf("run %d/%d: %.2f ms%n", r + 1, runs, last.profile().hostNanos() / 1e6);
            }
            double total = 0;
            for (long g = 0; g < groups; g++) {
                total += sums.get(g);
            }
            double error = Math.abs(total - expected) / expected;
            System.out.println();
            System.out.print(last.profile());
            System.out.printf("%nsum |2.5 x + y| over %d elements: %.6e (plain Java: %.6e, relative difference %.1e) %s%n",
                    size, total, expected, error, error < 1e-4 ? "OK" : "MISMATCH");
            if (error >= 1e-4) {
                throw new IllegalStateException("the device result does not match plain Java");
            }
        }
    }
}
