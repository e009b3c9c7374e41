package org.longnet.engine.examples;

import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;

/** The README's task-graph example, compiled in every build. Run: {@code java ... SaxpyExample [device]}. */
public final class SaxpyExample {
    private SaxpyExample() {
    }

    public static void main(String[] args) {
        Device device = Devices.get(args.length > 0 ? args[0] : "jvm");
        // README:start
        long n = 1_000_000;
        FloatArray x = new FloatArray(n), y = new FloatArray(n), out = new FloatArray(n);
        for (long i = 0; i < n; i++) {
            x.set(i, i);
            y.set(i, 1f);
        }
        TaskGraph graph = new TaskGraph("s0")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, x, y)   // sent once, then kept on the device
                .task("t0", Saxpy::saxpy, 2f, x, y, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot()).withDevice(device).withProfiler(true)) {
            System.out.print(plan.execute().profile());                    // each kernel's and copy's time
        }
        System.out.println(out.get(n - 1));                                 // 2 * 999999 + 1
        // README:end
    }
}
