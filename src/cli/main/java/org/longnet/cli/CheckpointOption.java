package org.longnet.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --checkpoint} option that commands using a trained model share. */
final class CheckpointOption {
    @Option(names = "--checkpoint", paramLabel = "DIR", defaultValue = "runs/tiny",
            description = "A training output folder (its newest checkpoint) or a checkpoint folder (default: ${DEFAULT-VALUE}).")
    Path path;
}
