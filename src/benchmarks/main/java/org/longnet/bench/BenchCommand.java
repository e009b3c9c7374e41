package org.longnet.bench;

import picocli.CommandLine.Command;

/** {@code longnet bench ...}: measurements recorded in benchmarks/RESULTS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks. Each writes a table to the terminal, a CSV and a PNG chart.",
        subcommands = {EngineBenchCommand.class, AttentionBenchCommand.class})
public final class BenchCommand {
}
