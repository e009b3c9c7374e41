package uk.ac.manchester.tornado.api.exceptions;

/**
 * TornadoVM's printing from kernels. In a kernel the translator turns a call into the device's C {@code printf}, with a
 * string-literal format and int, long, float, double, char or boolean arguments (docs/tornadovm.md lists the
 * conversions); on the host, and on the {@code jvm} device, this body prints with Java's formatting.
 */
public final class Debug {
    private Debug() {
    }

    public static void printf(String format, Object... args) {
        System.out.printf(format, args);
    }
}
