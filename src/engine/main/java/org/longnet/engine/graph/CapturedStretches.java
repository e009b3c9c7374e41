package org.longnet.engine.graph;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.DeviceException;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The CUDA graphs of an execution plan ({@link ExecutionPlan#withCudaGraph}). A graph's steps fall into stretches: maximal
 * runs of steps that can be recorded (kernels, prebuilt kernels, library tasks that say so) between copies and steps that
 * cannot be. A stretch runs as it is on its first execution, which allocates, compiles and sizes what it needs outside any
 * recording; on the next it is recorded once (nothing runs while recording) and its graph launched; later executions
 * launch that graph alone, in one driver call, while its launches stay what was recorded.
 * <p>
 * Not recorded: a kernel that reads static fields (its arguments are read anew at each launch), and library tasks that
 * run host code at every run (collectives, host callbacks: {@link LibraryTask#capturable()}). Copies run as they always do,
 * outside graphs. On devices without graphs ({@link Device#beginCapture} empty) every step runs as it comes.
 */
final class CapturedStretches implements AutoCloseable {
    /** Stretches by their first step. */
    private final Map<Step, Stretch> stretches = new IdentityHashMap<>();
    private long launches;

    /** One stretch's state: its steps' launches when recorded, and its graph. */
    private static final class Stretch {
        /** The device's free count after the stretch last ran unrecorded; -1 before it ran. */
        long freesAfterRun = -1;
        Device.CapturedGraph graph;
        Device.Prepared[] recorded;
    }

    /** How many times a recorded graph has been launched. */
    long launches() {
        return launches;
    }

    /**
     * Runs {@code steps} of graph {@code graph} on {@code device}: copies and unrecordable steps through {@code run}, each
     * stretch as its graph where it has a valid one. {@code prepared} gives a step's current launch (null before its first).
     */
    void run(Device device, String graph, List<Step> steps, Consumer<Step> run, Function<Step, Device.Prepared> prepared) {
        int i = 0;
        while (i < steps.size()) {
            int end = i;
            while (end < steps.size() && recordable(steps.get(end))) {
                end++;
            }
            if (end == i) {
                run.accept(steps.get(i++));
                continue;
            }
            List<Step> stretch = steps.subList(i, end);
            runStretch(device, graph + " tasks " + name(stretch.getFirst()) + " to " + name(stretch.getLast()),
                    stretch, stretches.computeIfAbsent(stretch.getFirst(), s -> new Stretch()), run, prepared);
            i = end;
        }
    }

    private void runStretch(Device device, String what, List<Step> steps, Stretch s, Consumer<Step> run, Function<Step, Device.Prepared> prepared) {
        Device.Prepared[] now = steps.stream().map(prepared).toArray(Device.Prepared[]::new);
        if (s.graph != null && !(s.graph.valid() && same(now, s.recorded))) {
            s.graph.close();
            s.graph = null;
            s.freesAfterRun = -1; // a step's launch changed: run it as it is once more before recording again
        }
        if (s.graph == null && s.freesAfterRun == device.frees() && ready(now)) {
            s.graph = record(device, what, steps, run).orElse(null);
            s.recorded = now;
        }
        if (s.graph != null) {
            s.graph.launch();
            launches++;
            return;
        }
        steps.forEach(run);
        s.freesAfterRun = device.frees();
    }

    /** The stretch recorded into a graph, or empty where the device has no graphs. Nothing of it runs until the graph is launched. */
    private static Optional<Device.CapturedGraph> record(Device device, String what, List<Step> steps, Consumer<Step> run) {
        Optional<Device.Capture> capture = device.beginCapture(what);
        if (capture.isEmpty()) {
            return Optional.empty();
        }
        for (Step step : steps) {
            try {
                run.accept(step);
            } catch (RuntimeException e) {
                try {
                    capture.get().abandon();
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
                throw new DeviceException("CUDA graph of " + what + ": recording task " + name(step) + " failed: " + e.getMessage(), e);
            }
        }
        return Optional.of(capture.get().end());
    }

    /** Whether every kernel of the stretch has a launch that is still good (so recording it readies nothing). */
    private static boolean ready(Device.Prepared[] launches) {
        for (Device.Prepared p : launches) {
            if (p != null && !p.valid()) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Device.Prepared[] now, Device.Prepared[] recorded) {
        for (int i = 0; i < now.length; i++) {
            if (now[i] != recorded[i] || now[i] != null && !now[i].valid()) {
                return false;
            }
        }
        return true;
    }

    static boolean recordable(Step step) {
        return switch (step) {
            case Step.Kernel k -> k.kernel().staticFields().isEmpty();
            case Step.Prebuilt b -> true;
            case Step.Library l -> l.task().capturable();
            case Step.CopyIn in -> false;
            case Step.CopyOut out -> false;
        };
    }

    private static String name(Step step) {
        return switch (step) {
            case Step.Kernel k -> k.name();
            case Step.Prebuilt b -> b.name();
            case Step.Library l -> l.name();
            case Step.CopyIn in -> "copy in";
            case Step.CopyOut out -> "copy out";
        };
    }

    /** Frees the graphs; their stretches are recorded again if the plan runs on. */
    @Override
    public void close() {
        for (Stretch s : stretches.values()) {
            if (s.graph != null) {
                s.graph.close();
            }
        }
        stretches.clear();
    }
}
