package org.longnet.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that could not be written, and why: "cannot write runs/tiny/loss.csv: no space left on device". */
public final class WriteFailedException extends IOException {
    private final Path target;
    private final String reason;

    public WriteFailedException(Path target, String reason, Throwable cause) {
        super("cannot write " + target + ": " + reason, cause);
        this.target = target;
        this.reason = reason;
    }

    /** The file that was being written (its final name, not the temporary one). */
    public Path target() {
        return target;
    }

    public String reason() {
        return reason;
    }
}
