package org.longnet.engine.device;

/**
 * One way to turn what a native call threw into a device error. Downcall handles declare
 * {@code Throwable}; our own errors (already clear) pass through, Java errors are rethrown, and
 * anything else is wrapped with what was being done.
 */
public final class NativeCall {
    private NativeCall() {
    }

    public static RuntimeException failure(String what, Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof DeviceException || t instanceof IllegalArgumentException) {
            return (RuntimeException) t;
        }
        return new DeviceException(what + ": " + t, t);
    }
}
