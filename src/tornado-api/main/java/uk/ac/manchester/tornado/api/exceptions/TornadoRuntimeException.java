package uk.ac.manchester.tornado.api.exceptions;

/** A failure at run time that TornadoVM reports as its own. */
public class TornadoRuntimeException extends RuntimeException {
    public TornadoRuntimeException(String message) {
        super(message);
    }

    public TornadoRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
