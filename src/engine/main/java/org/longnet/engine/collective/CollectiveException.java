package org.longnet.engine.collective;

/** A collective call that failed: the message names the call, the rank and its group. */
public final class CollectiveException extends RuntimeException {
    public CollectiveException(String message) {
        super(message);
    }

    public CollectiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
