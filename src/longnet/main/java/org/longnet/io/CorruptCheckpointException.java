package org.longnet.io;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that cannot be what it claims to be; the message says which file and why. */
public final class CorruptCheckpointException extends IOException {
    public CorruptCheckpointException(Path file, String why) {
        super("checkpoint " + file + " is not a valid safetensors file: " + why);
    }

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
