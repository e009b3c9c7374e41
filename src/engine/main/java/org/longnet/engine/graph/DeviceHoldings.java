package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The arrays a plan has placed on devices (allocated, copied there, or consumed from another graph), by device. Their
 * size is asked of each device when read, so an array that something else freed since (a device reset) counts no more.
 */
final class DeviceHoldings {
    private final Map<Device, Set<DeviceArray>> held = new IdentityHashMap<>();

    /** Records that the plan placed {@code array} on {@code device}; returns the device bytes it holds there, or 0 if it held them already. */
    long hold(Device device, DeviceArray array) {
        boolean added = held.computeIfAbsent(device, d -> Collections.newSetFromMap(new IdentityHashMap<>())).add(array);
        return added ? device.residentBytes(array) : 0;
    }

    /** Forgets every placement except those of {@code kept} on {@code device} (arrays left there for another plan). */
    void retainOnly(Device device, Set<DeviceArray> kept) {
        held.entrySet().removeIf(e -> e.getKey() != device);
        Set<DeviceArray> onDevice = held.get(device);
        if (onDevice != null) {
            onDevice.retainAll(kept);
        }
    }

    /** The device bytes that hold the placed arrays now. */
    long bytes() {
        long total = 0;
        for (Map.Entry<Device, Set<DeviceArray>> e : held.entrySet()) {
            for (DeviceArray a : e.getValue()) {
                total += e.getKey().residentBytes(a);
            }
        }
        return total;
    }
}
