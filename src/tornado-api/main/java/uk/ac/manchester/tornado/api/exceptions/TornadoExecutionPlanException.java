package uk.ac.manchester.tornado.api.exceptions;

/** A plan that could not be closed cleanly. */
public class TornadoExecutionPlanException extends Exception {
    public TornadoExecutionPlanException(String reason) {
        super(reason);
    }

    public TornadoExecutionPlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
