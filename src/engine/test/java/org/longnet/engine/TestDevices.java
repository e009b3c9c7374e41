package org.longnet.engine;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;

import java.util.Arrays;
import java.util.List;

/**
 * The devices every conformance test runs on: {@code -Dlongnet.test.devices=jvm,opencl} by
 * default (what CI has). A listed device that cannot be opened fails the test that asked for it;
 * nothing is skipped.
 */
public final class TestDevices {
    private TestDevices() {
    }

    public static List<String> ids() {
        return Arrays.stream(System.getProperty("longnet.test.devices", "jvm,opencl").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public static Device open(String id) {
        return Devices.get(id);
    }

    /** Runs {@code graph} once on device {@code id} (the graph copies its outputs back itself). */
    public static void run(String id, TaskGraph graph) {
        try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot()).withDevice(open(id))) {
            plan.execute();
        }
    }
}
