package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.LibraryTask;
import uk.ac.manchester.tornado.api.exceptions.TornadoBailoutRuntimeException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * TornadoVM's bailout: a task whose method the translator could not make a kernel of (it said why at build time) runs as that
 * Java method, sequentially, on the host, with the task's arguments, where {@code tornado.recover.bailout} is true (the default,
 * as TornadoVM's); where it is false, running the task throws {@link TornadoBailoutRuntimeException} with the translator's reason,
 * as TornadoVM's test runner expects. Its @Parallel loops then run in order, which is what the Java method means.
 * <p>
 * The device's copies are the newest when a task runs: the arrays come to the host first, and go back to the device after, so
 * that later tasks and copies to the host see what the method wrote. A task that takes a {@code KernelContext} has no sequential
 * meaning (its code depends on the grid it runs in), so it always throws.
 */
final class BailoutTask implements LibraryTask {
    private static final String OPTION = "tornado.recover.bailout";
    private final String task;
    private final Method method;
    private final Object[] args;
    private final String reason;
    private boolean warned;

    BailoutTask(String task, Method method, Object[] args, String reason) {
        this.task = task;
        this.method = method;
        this.args = args.clone();
        this.reason = reason;
    }

    @Override
    public List<DeviceArray> arrays() {
        return Arrays.stream(args).map(DeviceArrayView::of).filter(Objects::nonNull).distinct().toList();
    }

    @Override
    public long run(Device device, boolean timed) {
        if (Arrays.stream(method.getParameterTypes()).anyMatch(org.longnet.engine.api.KernelContext.class::isAssignableFrom)) {
            throw new TornadoBailoutRuntimeException("task " + task + " has no kernel (" + reason + "), and it takes a KernelContext, so it "
                    + "cannot run as sequential Java either: its code depends on the work-items of a grid");
        }
        if (!Boolean.parseBoolean(System.getProperty(OPTION, "true"))) {
            throw new TornadoBailoutRuntimeException("task " + task + " has no kernel: " + reason + " (-D" + OPTION + "=false: no sequential run)");
        }
        if (!warned) {
            warned = true;
            System.err.println("warning: task " + task + " runs as sequential Java on the host (TornadoVM's bailout): " + reason);
        }
        long start = System.nanoTime();
        List<DeviceArray> arrays = arrays();
        arrays.forEach(a -> device.copyToHost(a, false));
        try {
            method.invoke(null, args);
        } catch (InvocationTargetException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error error -> throw error;
                default -> {
                }
            }
            throw new IllegalStateException("task " + task + " threw " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("task " + task + ": cannot call " + method + ": " + e.getMessage(), e);
        }
        arrays.forEach(a -> device.copyToDevice(a, false));
        return timed ? System.nanoTime() - start : -1;
    }
}
