package org.longnet.tornado.libraries;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.device.Device;
import org.longnet.tornado.library.LibraryProvider;
import uk.ac.manchester.tornado.api.common.Access;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;

import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A library whose functions run in plain Java on the host, whatever the device. The device holds the arrays' newest data,
 * and the host's copies must stay as they are until the graph copies them back (TornadoVM's rule, which programs rely
 * on when they compare with their own inputs): so the function works on scratch copies ({@link Scratch}) of the call's
 * arrays, filled from the device, and those it writes go back to the device's copies of the arrays after; the tasks
 * after it and the graph's copies to the host see the result as they would a kernel's. A library may run some calls on
 * the device instead ({@link #onDevice}).
 */
public abstract class HostLibrary implements LibraryProvider {
    private final String library;
    private final Map<String, Consumer<Call>> functions;

    protected HostLibrary(String library, Map<String, Consumer<Call>> functions) {
        this.library = library;
        this.functions = Map.copyOf(functions);
    }

    @Override
    public String library() {
        return library;
    }

    @Override
    public long run(LibraryTaskDescriptor descriptor, Device device, boolean timed) {
        Consumer<Call> function = functions.get(descriptor.getFunctionName());
        if (function == null) {
            throw new TornadoRuntimeException("library " + library + " has no function " + descriptor.getFunctionName() + "; it has "
                    + new java.util.TreeSet<>(functions.keySet()));
        }
        Call call = new Call(descriptor);
        OptionalLong there = onDevice(call, device, timed);
        if (there.isPresent()) {
            return there.getAsLong();
        }
        long start = System.nanoTime();
        Object[] params = descriptor.getParameters();
        Access[] access = descriptor.getAccess();
        Object[] copies = params.clone();
        for (int i = 0; i < params.length; i++) {
            DeviceArray array = DeviceArrayView.of(params[i]);
            if (array != null) {
                copies[i] = Scratch.like(call.name() + " parameter " + (i + 1), params[i]);
                DeviceArray copy = DeviceArrayView.of(copies[i]);
                device.allocate(copy);
                device.copyOnDevice(array, copy, false);
                device.copyToHost(copy, false);
            }
        }
        try {
            function.accept(call.with(copies));
            for (int i = 0; i < params.length; i++) {
                DeviceArray array = DeviceArrayView.of(params[i]);
                if (array != null && i < access.length && (access[i] == Access.WRITE_ONLY || access[i] == Access.READ_WRITE)) {
                    DeviceArray copy = DeviceArrayView.of(copies[i]);
                    device.copyToDevice(copy, false);
                    device.copyOnDevice(copy, array, false);
                }
            }
        } finally {
            for (int i = 0; i < params.length; i++) {
                if (copies[i] != params[i]) {
                    DeviceArray copy = DeviceArrayView.of(copies[i]);
                    device.free(copy);
                    copy.close();
                }
            }
        }
        return timed ? System.nanoTime() - start : -1;
    }

    /**
     * Runs the call on the device itself where this library can (its arrays are there), returning the nanoseconds as
     * {@link #run} does; empty where the host runs it.
     */
    protected OptionalLong onDevice(Call call, Device device, boolean timed) {
        return OptionalLong.empty();
    }
}
