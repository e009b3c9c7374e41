package org.longnet.engine.conformance;

import org.longnet.engine.TestDevices;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;

import static org.longnet.engine.Check.random;

/** How the conformance tests run a kernel: a one-task graph, run once, outputs copied back; and their bf16 inputs. */
final class ConformanceRuns {
    private ConformanceRuns() {
    }

    /** A graph that copies {@code inputs} to the device before its tasks. */
    static TaskGraph graph(DeviceArray... inputs) {
        TaskGraph graph = new TaskGraph("g");
        return inputs.length == 0 ? graph : graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, inputs);
    }

    /** Runs the graph once on device {@code id}, then copies {@code outputs} back. */
    static void run(String id, TaskGraph graph, DeviceArray... outputs) {
        run(TestDevices.open(id), graph.transferToHost(DataTransferMode.EVERY_EXECUTION, outputs));
    }

    static void run(Device device, TaskGraph graph) {
        try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot()).withDevice(device)) {
            plan.execute();
        }
    }

    static BFloat16Array randomBf16(long n, long seed) {
        return toBf16(random(n, seed, -2, 2));
    }

    static BFloat16Array toBf16(FloatArray values) {
        BFloat16Array out = new BFloat16Array(values.getSize());
        for (long i = 0; i < values.getSize(); i++) {
            out.set(i, values.get(i));
        }
        return out;
    }

    static float bf16(float x) {
        return BFloat16Array.toFloat(BFloat16Array.fromFloat(x));
    }
}
