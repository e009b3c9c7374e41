package org.longnet.engine.device;

/** A device or driver call failed; the message names the kernel or buffer, the call and the error. */
public class DeviceException extends RuntimeException {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
