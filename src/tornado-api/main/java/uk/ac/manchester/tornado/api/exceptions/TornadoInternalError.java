package uk.ac.manchester.tornado.api.exceptions;

import java.util.ArrayList;
import java.util.List;

/**
 * TornadoVM's error for states a program or runtime should never reach. The static helpers throw it (their
 * {@code RuntimeException} return type lets a caller write {@code throw TornadoInternalError.unimplemented()} where
 * the compiler wants a value). Messages are {@link String#format} patterns with their arguments.
 */
public class TornadoInternalError extends Error {
    private final List<String> context = new ArrayList<>();

    public TornadoInternalError(String message, Object... args) {
        super(args.length == 0 ? message : String.format(message, args));
    }

    public TornadoInternalError(Throwable cause) {
        super(cause);
    }

    public static RuntimeException unimplemented() {
        throw new TornadoInternalError("unimplemented");
    }

    public static RuntimeException unimplemented(String message) {
        throw new TornadoInternalError("unimplemented: " + message);
    }

    public static RuntimeException unimplemented(String message, Object... args) {
        throw new TornadoInternalError("unimplemented: " + message, args);
    }

    public static RuntimeException shouldNotReachHere() {
        throw new TornadoInternalError("should not reach here");
    }

    public static RuntimeException shouldNotReachHere(String message) {
        throw new TornadoInternalError("should not reach here: " + message);
    }

    public static RuntimeException shouldNotReachHere(String message, Object... args) {
        throw new TornadoInternalError("should not reach here: " + message, args);
    }

    public static RuntimeException shouldNotReachHere(Throwable cause) {
        throw new TornadoInternalError(cause);
    }

    /** Throws with {@code message} (formatted with {@code args}) unless {@code condition} holds. */
    public static void guarantee(boolean condition, String message, Object... args) {
        if (!condition) {
            throw new TornadoInternalError("failed guarantee: " + message, args);
        }
    }

    /** Adds a line of context, kept in {@link #getContext()}. */
    public TornadoInternalError addContext(String line) {
        context.add(line);
        return this;
    }

    public TornadoInternalError addContext(String name, Object value) {
        return addContext(name + ": " + value);
    }

    public List<String> getContext() {
        return List.copyOf(context);
    }
}
