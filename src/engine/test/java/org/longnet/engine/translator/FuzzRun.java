package org.longnet.engine.translator;

import org.longnet.engine.TestDevices;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.graph.WorkerGrid;
import org.longnet.engine.translator.FuzzKernel.Role;
import org.longnet.engine.translator.FuzzKernel.Shape;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs compiled fuzz kernels (a class made by {@link FuzzClass}, compiled by {@link FuzzBatch} in this JVM or
 * loaded from a batch saved earlier, {@link FuzzSaved}) and compares them: the kernel's own Java (a direct call) is
 * the reference for {@code @Parallel} and single work-item kernels, the {@code jvm} device for work-group kernels,
 * and every test device's outputs must agree with it. Nothing here needs javac (java.compiler and jdk.compiler are
 * not in the GPU machine's runtime), so the saved batches can run there.
 */
final class FuzzRun {
    /** How long one device (or the reference) may take for a batch before its kernels are taken to loop forever. */
    private static final long TIMEOUT_SECONDS = Long.getLong("longnet.fuzz.timeout", 300);

    /** A kernel that failed, by seed, and how. */
    record Failure(long seed, String message) {
    }

    /**
     * A batch that did not finish: a kernel loops forever on a device (or in Java). Nothing more can run there
     * (the device is still busy with it), so this ends the fuzz run, naming the seeds to replay one by one.
     */
    static final class Endless extends RuntimeException {
        Endless(String where, List<FuzzKernel> kernels) {
            super("the kernels of seeds " + kernels.stream().map(FuzzKernel::seed).toList() + " did not finish on " + where + " in "
                    + TIMEOUT_SECONDS + " s (-Dlongnet.fuzz.timeout): one loops forever; replay each with -Dlongnet.fuzz.seed=SEED");
        }
    }

    private FuzzRun() {
    }

    static List<Failure> compare(List<FuzzKernel> kernels, Class<?> cls, Path out, List<String> deviceIds) throws ReflectiveOperationException {
        Map<FuzzKernel, List<DeviceArray>> inputs = new IdentityHashMap<>();
        kernels.forEach(k -> inputs.put(k, k.inputs()));
        Map<FuzzKernel, Object[]> reference = new IdentityHashMap<>();
        List<Failure> failures = new ArrayList<>();
        List<FuzzKernel> contextKernels = new ArrayList<>();
        for (FuzzKernel k : kernels) {
            if (k.shape() == Shape.CONTEXT) {
                contextKernels.add(k);
                continue;
            }
            Object[] args = k.arguments(inputs.get(k));
            Method kernel = method(cls, k.name());
            try {
                finish("the JVM (the kernel's own Java)", List.of(k), () -> kernel.invoke(null, args));
                reference.put(k, args);
            } catch (InvocationTargetException e) {
                failures.add(new Failure(k.seed(), "the kernel's own Java threw (a fuzzer bug: generated kernels are defined for every input): "
                        + trace(e.getCause())));
            }
        }
        reference.putAll(runOn(Devices.get("jvm"), cls, contextKernels, inputs));
        for (String id : deviceIds) {
            List<FuzzKernel> checked = kernels.stream().filter(reference::containsKey).toList();
            Map<FuzzKernel, Object[]> got = runOn(TestDevices.open(id), cls, checked, inputs);
            for (FuzzKernel k : checked) {
                List<String> diffs = FuzzComparison.differences(k, got.get(k), reference.get(k));
                if (!diffs.isEmpty()) {
                    failures.add(new Failure(k.seed(), "differs on " + id + " from "
                            + (k.shape() == Shape.CONTEXT ? "the jvm device" : "the kernel's own Java") + ":\n" + String.join("\n", diffs)
                            + generated(out, cls, id, k)));
                }
            }
        }
        return failures;
    }

    /** Runs the kernels as the tasks of one graph on the device: every input and poisoned output copied in, every output back. */
    private static Map<FuzzKernel, Object[]> runOn(Device device, Class<?> cls, List<FuzzKernel> kernels, Map<FuzzKernel, List<DeviceArray>> inputs)
            throws ReflectiveOperationException {
        Map<FuzzKernel, Object[]> args = new IdentityHashMap<>();
        if (kernels.isEmpty()) {
            return args;
        }
        TaskGraph g = new TaskGraph("fuzz");
        List<DeviceArray> in = new ArrayList<>(), outs = new ArrayList<>();
        for (FuzzKernel k : kernels) {
            Object[] a = k.arguments(inputs.get(k));
            args.put(k, a);
            for (int p = 0; p < a.length; p++) {
                if (a[p] instanceof DeviceArray array) {
                    in.add(array);
                    if (k.params().get(p).role() == Role.OUTPUT) {
                        outs.add(array);
                    }
                }
            }
        }
        g.transferToDevice(DataTransferMode.EVERY_EXECUTION, in.stream().distinct().toArray(DeviceArray[]::new));
        for (FuzzKernel k : kernels) {
            g = (TaskGraph) cls.getMethod("add" + k.name(), TaskGraph.class, Object[].class).invoke(null, g, args.get(k));
            if (k.local() != null) {
                g.withGrid(k.name(), k.shape() == Shape.CONTEXT ? WorkerGrid.of(k.n(), k.local()[0]) : WorkerGrid.local(k.local()));
            }
        }
        g.transferToHost(DataTransferMode.EVERY_EXECUTION, outs.toArray(DeviceArray[]::new));
        TaskGraph graph = g;
        finish(device.info().id(), kernels, () -> {
            try (ExecutionPlan plan = new ExecutionPlan(graph.snapshot()).withDevice(device)) {
                return plan.execute();
            }
        });
        return args;
    }

    /** The work's result, run on a thread of its own that may be left behind if it does not end in time. */
    private static <T> T finish(String where, List<FuzzKernel> kernels, Callable<T> work) throws ReflectiveOperationException {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz " + where);
            t.setDaemon(true);
            return t;
        });
        try {
            return thread.submit(work).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new Endless(where, kernels);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case ReflectiveOperationException r -> throw r;
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default -> throw new IllegalStateException(e.getCause());
            }
        } finally {
            thread.shutdown();
        }
    }

    private static Method method(Class<?> cls, String name) {
        for (Method m : cls.getMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalStateException("no method " + name + " in " + cls.getName());
    }

    /** The device's generated C of the kernel and its helpers, for the report. */
    private static String generated(Path out, Class<?> cls, String deviceId, FuzzKernel k) {
        String ext = deviceId.startsWith("opencl") ? "cl" : deviceId.startsWith("cuda") ? "cu" : null;
        if (ext == null) {
            return "";
        }
        try {
            String file = Files.readString(out.resolve("fuzz/" + cls.getSimpleName() + "." + ext));
            StringBuilder mine = new StringBuilder("\n" + ext + " of " + k.name() + " (" + out.resolve("fuzz") + "):\n");
            for (String function : file.split("\n}\n")) {
                String header = function.substring(function.lastIndexOf("\n\n") + 1).strip();
                if (header.contains(" " + k.name() + "(") || header.contains(" " + k.name() + "h") || header.contains(" " + k.name() + "l(")) {
                    mine.append(header).append("\n}\n");
                }
            }
            return mine.toString();
        } catch (IOException e) {
            return "\n(no generated " + ext + ": " + e + ")";
        }
    }

    /** The throwable's stack trace, cut short: a device compiler's message holds the whole generated file. */
    static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString().length() <= 6000 ? w.toString() : w.toString().substring(0, 6000) + "\n...";
    }
}
