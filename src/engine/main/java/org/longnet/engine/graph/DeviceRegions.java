package org.longnet.engine.graph;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.device.Device;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Arrays of one graph that stand for a region of another graph's array on the device (TornadoVM's
 * {@code mapOnDeviceMemoryRegion}): the region moves from device memory to device memory, never through the host.
 * Each engine array owns its memory on a device, so a region is not aliased: it is copied on the device into the
 * standing-in array before that array's graph runs, and back into the source after it. While the plan's graphs run
 * one after another, which they do, every read then sees what a shared region would hold.
 */
final class DeviceRegions {
    /** {@code view}, in graph {@code toGraph}, holds {@code source}'s bytes from {@code byteOffset} on; {@code source} is graph {@code fromGraph}'s. */
    record Region(DeviceArray view, DeviceArray source, long byteOffset, int fromGraph, int toGraph) {
    }

    private final Map<Integer, List<Region>> byGraph = new HashMap<>();

    /** Adds {@code r}, replacing an earlier region of the same view; refuses a region that does not lie inside its source. */
    void add(Region r) {
        if (r.byteOffset() < 0 || r.byteOffset() + r.view().byteSize() > r.source().byteSize()) {
            throw new IllegalArgumentException("a device region of " + r.view().byteSize() + " bytes from byte " + r.byteOffset()
                    + " does not lie inside its source array of " + r.source().byteSize() + " bytes");
        }
        if (r.view() == r.source()) {
            throw new IllegalArgumentException("an array cannot stand for a region of itself");
        }
        List<Region> regions = byGraph.computeIfAbsent(r.toGraph(), g -> new ArrayList<>());
        regions.removeIf(old -> old.view() == r.view());
        regions.add(r);
    }

    boolean isEmpty() {
        return byGraph.isEmpty();
    }

    /** Whether graph {@code graph} has standing-in arrays. */
    boolean has(int graph) {
        return byGraph.containsKey(graph);
    }

    /** Graph {@code graph}'s standing-in arrays. */
    List<DeviceArray> views(int graph) {
        return byGraph.getOrDefault(graph, List.of()).stream().map(Region::view).toList();
    }

    /** The bytes graph {@code graph}'s regions move each way. */
    long bytes(int graph) {
        return byGraph.getOrDefault(graph, List.of()).stream().mapToLong(r -> r.view().byteSize()).sum();
    }

    /** Fills graph {@code graph}'s standing-in arrays from their sources' device copies; returns the copies' nanoseconds. */
    long before(int graph, Device device, boolean timed) {
        long ns = 0;
        for (Region r : byGraph.getOrDefault(graph, List.of())) {
            if (!device.isResident(r.source())) {
                throw new IllegalStateException("graph " + graph + " reads a region of an array of graph " + r.fromGraph()
                        + " that is not on " + device.info().id() + " yet: run graph " + r.fromGraph() + " first");
            }
            device.allocate(r.view());
            ns += Math.max(0, device.copyOnDevice(r.source(), r.byteOffset(), r.view(), 0, r.view().byteSize(), timed));
        }
        return ns;
    }

    /** Copies graph {@code graph}'s standing-in arrays back into their sources' regions; returns the copies' nanoseconds. */
    long after(int graph, Device device, boolean timed) {
        long ns = 0;
        for (Region r : byGraph.getOrDefault(graph, List.of())) {
            ns += Math.max(0, device.copyOnDevice(r.view(), 0, r.source(), r.byteOffset(), r.view().byteSize(), timed));
        }
        return ns;
    }
}
