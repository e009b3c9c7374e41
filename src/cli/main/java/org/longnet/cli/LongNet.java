package org.longnet.cli;

import org.longnet.engine.device.DeviceException;
import org.longnet.bench.BenchCommand;
import org.longnet.bench.plan.PlanCommand;
import org.longnet.io.FileErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The {@code longnet} command line: the engine's devices and demo, the LongNet model's training and use, benchmarks. */
@Command(name = "longnet", mixinStandardHelpOptions = true, version = "longnet 0.1.0",
        description = {
                "LongNet on the JVM: plain-Java kernels compiled for the CPU (jvm), any OpenCL device and NVIDIA GPUs (cuda).",
                "",
                "Start with 'longnet devices' to see what this machine offers and which device commands use, 'longnet demo'",
                "to run a kernel graph, then 'longnet train' to train a small LongNet language model on English text.",
                "'longnet help COMMAND' (or 'longnet COMMAND --help') explains a command, with examples."},
        subcommands = {DevicesCommand.class, DemoCommand.class, TrainCommand.class, GenerateCommand.class, EvalCommand.class, AttentionCommand.class,
                BenchCommand.class, PlanCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Defaults come from tornado-config/defaults.properties; LONGNET_DEVICE overrides the default device.",
                "", "Examples:", "  longnet devices", "  longnet --device opencl demo", "  longnet train --steps 100",
                "  longnet generate --prompt 'The jury said'", "  longnet --device cuda:0 bench engine"})
public final class LongNet {
    @Spec
    CommandSpec spec;

    @Option(names = "--device", scope = CommandLine.ScopeType.INHERIT, paramLabel = "ID",
            description = "Where kernels run: auto, jvm, opencl, opencl:P:D, cuda or cuda:D (default: ${DEFAULT-VALUE}). 'auto' "
                    + "picks the fastest present: a CUDA GPU, else an OpenCL GPU, else an OpenCL device on the CPU (PoCL), else jvm.",
            defaultValue = "${sys:longnet.device:-auto}")
    public void device(String id) {
        if (id.isBlank()) {
            throw new RefusedValue(spec.commandLine(), "--device '" + id + "' names no device; use auto, jvm, opencl, "
                    + "opencl:P:D, cuda or cuda:D ('longnet devices' lists them)");
        }
        System.setProperty("longnet.device", id);
    }

    @Option(names = "--print-kernel", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the generated OpenCL C or CUDA C of each kernel class when it is first compiled.")
    public void printKernel(boolean on) {
        if (on) {
            System.setProperty("longnet.printKernel", "true");
        }
    }

    public static void main(String[] args) {
        loadDefaults();
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with its error handling: bad input prints one clear line and exits 2, I/O and device
     * failures print one line (a file's error with its reason) and exit 1.
     */
    public static CommandLine commandLine() {
        // descriptions are written as lines of up to ~115 characters; a narrower width would fold each of them in two
        CommandLine cli = new CommandLine(new LongNet()).setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(120);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof DeviceException
                    || e instanceof IOException || e instanceof UncheckedIOException) {
                String message = switch (e) {
                    case IOException io -> FileErrors.describe(io);
                    case UncheckedIOException io -> FileErrors.describe(io.getCause());
                    default -> e.getMessage();
                };
                line.getErr().println(prefix() + message);
                return e instanceof IllegalArgumentException ? 2 : 1;
            }
            throw e;
        });
        // one line, not the whole usage text: the help says the rest
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            String help = command.getCommandSpec().qualifiedName() + " --help";
            String line = e.getMessage().lines().findFirst().orElse("");
            command.getErr().println(prefix() + line + (e instanceof RefusedValue ? "" : " ('" + help + "' lists the options)"));
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cli;
    }

    /** A value an option's setter refuses, with a message that says what is allowed and where to look. */
    private static final class RefusedValue extends CommandLine.ParameterException {
        RefusedValue(CommandLine line, String message) {
            super(line, message);
        }
    }

    /** "longnet: ", or under mpirun "longnet (rank 3): ", saying which rank failed. */
    private static String prefix() {
        String rank = System.getenv("OMPI_COMM_WORLD_RANK");
        return "longnet" + (rank == null ? "" : " (rank " + rank + ")") + ": ";
    }

    /** Reads tornado-config/defaults.properties (path in -Dlongnet.config) into system properties not already set. */
    static void loadDefaults() {
        String config = System.getProperty("longnet.config");
        if (config == null || !Files.isRegularFile(Path.of(config))) {
            return;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(config))) {
            p.load(in);
        } catch (IOException e) {
            System.err.println("longnet: cannot read " + config + ": " + e.getMessage());
            return;
        }
        for (String key : p.stringPropertyNames()) {
            String env = System.getenv("LONGNET_" + key.toUpperCase().replace('.', '_'));
            if (System.getProperty("longnet." + key) == null) {
                System.setProperty("longnet." + key, env != null ? env : p.getProperty(key));
            }
        }
    }
}
