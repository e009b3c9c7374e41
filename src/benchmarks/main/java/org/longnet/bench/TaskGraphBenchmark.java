package org.longnet.bench;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Devices;
import org.longnet.engine.examples.Saxpy;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Host time of one task-graph execution (saxpy, no transfers) per device and size: the small
 * size measures the engine's overhead, the large one the kernel. Run with {@code scripts/jmh}.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TaskGraphBenchmark extends DeviceBenchmark {
    @Param({"256", "4194304"})
    public int size;

    private ExecutionPlan plan;

    @Setup
    public void setUp() {
        FloatArray x = new FloatArray(size), y = new FloatArray(size), out = new FloatArray(size);
        x.fill(1f);
        y.fill(2f);
        TaskGraph g = new TaskGraph("s").transferToDevice(DataTransferMode.FIRST_EXECUTION, x, y)
                .task("saxpy", Saxpy::saxpy, 3f, x, y, out);
        plan = new ExecutionPlan(g.snapshot()).withDevice(Devices.get(device));
        plan.execute();
    }

    @Benchmark
    public void execute() {
        plan.execute();
    }

    @TearDown
    public void tearDown() {
        plan.close();
    }
}
