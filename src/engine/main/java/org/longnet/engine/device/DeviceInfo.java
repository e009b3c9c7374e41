package org.longnet.engine.device;

/**
 * What {@code longnet devices} prints about one device. {@code id} is what {@code --device} takes:
 * {@code jvm}, {@code opencl:P:D} (platform, device) or {@code cuda:D}. {@code gpu} marks devices that
 * {@code --device auto} prefers over the CPU.
 */
public record DeviceInfo(String id, String backend, String name, String driver, long globalMemoryBytes,
                         long maxAllocationBytes, int computeUnits, int maxWorkGroupSize, long localMemoryBytes, boolean gpu) {
}
