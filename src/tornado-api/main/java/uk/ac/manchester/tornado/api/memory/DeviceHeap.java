package uk.ac.manchester.tornado.api.memory;

import uk.ac.manchester.tornado.api.common.TornadoDevice;

import java.util.Locale;

/**
 * TornadoVM's sizes of device memory: the heap its programs may fill ({@code -Dtornado.device.memory}, else the device's
 * global memory), and sizes as TornadoVM writes them, a whole number and {@code B}, {@code KB}, {@code MB}, {@code GB} or
 * {@code TB} (powers of 1024).
 */
public final class DeviceHeap {
    /** TornadoVM's property for the device heap. */
    public static final String PROPERTY = "tornado.device.memory";

    private DeviceHeap() {
    }

    /** The bytes of the heap of {@code device}. */
    public static long size(TornadoDevice device) {
        String setting = System.getProperty(PROPERTY);
        return setting == null ? device.getMaxGlobalMemory() : parse("-D" + PROPERTY, setting);
    }

    /** The bytes of a size such as {@code "512MB"}; {@code what} names the setting in the error. */
    public static long parse(String what, String size) {
        String s = size == null ? "" : size.strip().toUpperCase(Locale.ROOT);
        int unitAt = 0;
        while (unitAt < s.length() && Character.isDigit(s.charAt(unitAt))) {
            unitAt++;
        }
        long scale = switch (s.substring(unitAt).strip()) {
            case "B", "" -> 1L;
            case "KB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            case "TB" -> 1L << 40;
            default -> -1L;
        };
        if (unitAt == 0 || unitAt > 18 || scale < 0) {
            throw new IllegalArgumentException(what + " must be a whole number and a unit (B, KB, MB, GB, TB), like 512MB; was '" + size + "'");
        }
        return Math.multiplyExact(Long.parseLong(s.substring(0, unitAt)), scale);
    }
}
