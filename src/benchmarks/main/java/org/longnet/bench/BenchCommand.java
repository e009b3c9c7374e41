package org.longnet.bench;

import picocli.CommandLine.Command;

/** {@code longnet bench ...}: measurements recorded in benchmarks/RESULTS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = {
        "Measure the engine or the attention kernels on the chosen device, with a table, a CSV and a PNG chart.",
        "",
        "Each run writes files of its own to --out (default: benchmarks/out), named after the benchmark, the device,",
        "the options that change what is measured and the time, and prints where they went."},
        footer = {"", "Examples:", "  longnet bench engine", "  longnet --device cuda bench attention --matrix-units",
                "  longnet --device cuda bench launches", "  longnet bench attention --help"},
        subcommands = {EngineBenchCommand.class, AttentionBenchCommand.class, LaunchesBenchCommand.class})
public final class BenchCommand {
}
