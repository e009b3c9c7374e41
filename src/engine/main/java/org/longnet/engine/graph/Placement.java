package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.DispatchClock;

import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where the newest copies of a plan's arrays are when its tasks run on several devices: the host's, and those of the
 * devices that hold the same bytes. A task's arrays are brought to its device before it runs (from the host, or through
 * the host from a device that has the newest copy), and after it its device alone is taken to hold the newest copy, as
 * any of them may have been written. The JVM device computes in the host's memory, so its copy is the host's.
 */
final class Placement {
    private static final class State {
        boolean host = true;
        final Set<Device> devices = new LinkedHashSet<>();
    }

    private final Map<DeviceArray, State> states = new IdentityHashMap<>();
    /** Every device that got a copy of an array, to free them when the plan closes. */
    private final Set<Device> touched = new LinkedHashSet<>();

    /** The host's copy is the newest: a copy to the device was asked for, which here waits until a task needs it. */
    void hostWritten(DeviceArray array) {
        State s = state(array);
        s.host = true;
        s.devices.clear();
    }

    /**
     * Makes {@code device}'s copy of {@code array} the newest one, copying it there if it is not; returns the copy's ns, timed
     * with {@code dispatch} (see {@link Device#copyToDevice(DeviceArray, DispatchClock)}), else -1 or 0.
     */
    long bring(DeviceArray array, Device device, DispatchClock dispatch) {
        State s = state(array);
        long ns = toHost(array, s, dispatch);
        if (sharesHost(device) || s.devices.contains(device)) {
            return ns;
        }
        touched.add(device);
        long in = device.copyToDevice(array, dispatch);
        s.devices.add(device);
        return ns + Math.max(0, in);
    }

    /** After a task on {@code device} ran with {@code array}: that device alone holds its newest bytes. */
    void written(DeviceArray array, Device device) {
        State s = state(array);
        s.devices.clear();
        s.host = sharesHost(device);
        if (!s.host) {
            s.devices.add(device);
        }
    }

    /** Copies the newest bytes of {@code array} to the host, if the host does not have them; returns the copy's ns. */
    long toHost(DeviceArray array, DispatchClock dispatch) {
        return toHost(array, state(array), dispatch);
    }

    private long toHost(DeviceArray array, State s, DispatchClock dispatch) {
        if (s.host) {
            return 0;
        }
        long ns = s.devices.iterator().next().copyToHost(array, dispatch);
        s.host = true;
        return Math.max(0, ns);
    }

    /** Frees every device copy this placement made. */
    void free() {
        for (DeviceArray a : states.keySet()) {
            for (Device d : touched) {
                d.free(a);
            }
        }
        states.clear();
    }

    private State state(DeviceArray array) {
        return states.computeIfAbsent(array, a -> new State());
    }

    private static boolean sharesHost(Device device) {
        return device.info().backend().equals("jvm");
    }
}
