package org.longnet.commandline;

import picocli.CommandLine.Option;

/** The {@code --batch} option of the commands that run attention on random input: sequences side by side. */
public final class BatchOption {
    @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "Sequences in the batch (default: ${DEFAULT-VALUE}).")
    public int batch;

    /** The batch, refused below 1 with the option's name and value. */
    public int checked() {
        Arguments.atLeast("--batch", batch, 1);
        return batch;
    }
}
