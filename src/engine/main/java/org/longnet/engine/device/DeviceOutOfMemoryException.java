package org.longnet.engine.device;

/** An allocation did not fit: says what was asked, what the device has, and what to lower. */
public final class DeviceOutOfMemoryException extends DeviceException {
    public DeviceOutOfMemoryException(String device, long askedBytes, long freeBytes, String detail) {
        super("out of memory on " + device + ": asked for " + mib(askedBytes) + ", " + mib(freeBytes)
                + " free (" + detail + "); use smaller arrays (sequence length, batch) or another device");
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
