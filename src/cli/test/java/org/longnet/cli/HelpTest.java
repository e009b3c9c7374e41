package org.longnet.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's --help reads whole: the summary in its parent's command list is one full sentence
 * on one line, every option says what it does in full sentences, and picocli formats every text
 * (a bare '%' would be printed raw, with a warning).
 */
class HelpTest {
    @Test
    void everySummaryIsOneFullSentenceOnOneLine() {
        List<String> problems = new ArrayList<>();
        for (CommandLine command : commands()) {
            String usage = usageOf(command);
            for (CommandLine sub : command.getSubcommands().values()) {
                String name = sub.getCommandName(), summary = summaryOf(sub.getCommandSpec());
                if (!summary.endsWith(".") || summary.substring(0, summary.length() - 1).contains(". ")) {
                    problems.add(path(sub) + ": summary is not one sentence ending in a full stop: '" + summary + "'");
                }
                if (usage.lines().noneMatch(l -> l.trim().startsWith(name + " ") && l.endsWith(summary))) {
                    problems.add(path(sub) + ": summary does not fit on its line of '" + path(command) + " --help':\n" + usage);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyOptionDescriptionEndsInAFullStop() {
        List<String> problems = new ArrayList<>();
        for (CommandLine command : commands()) {
            List<ArgSpec> args = new ArrayList<>(command.getCommandSpec().options());
            args.addAll(command.getCommandSpec().positionalParameters());
            for (ArgSpec arg : args) {
                String text = String.join(" ", arg.description()).strip();
                if (text.isEmpty() || !text.endsWith(".")) {
                    problems.add(path(command) + " " + arg.paramLabel() + " " + String.join(",", names(arg)) + ": '" + text + "'");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyHelpFormatsWithoutWarningsAndTeachesWithExamples() {
        for (CommandLine command : commands()) {
            PrintStream stderr = System.err;
            ByteArrayOutputStream warnings = new ByteArrayOutputStream();
            System.setErr(new PrintStream(warnings, true));
            String usage;
            try {
                usage = usageOf(command);
            } finally {
                System.setErr(stderr);
            }
            assertEquals("", warnings.toString(), path(command) + " --help");
            if (!(command.getCommand() instanceof CommandLine.HelpCommand)) {
                assertTrue(usage.contains("\nExamples:\n  longnet "), path(command) + " --help shows no examples:\n" + usage);
            }
        }
    }

    /** The longnet command and all its subcommands, depth first. */
    private static List<CommandLine> commands() {
        List<CommandLine> all = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(LongNet.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.removeFirst();
            all.add(c);
            todo.addAll(c.getSubcommands().values());
        }
        return all;
    }

    /** What the parent's command list shows: the first header line, else the first description line, as picocli formats it. */
    private static String summaryOf(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String first = header.length > 0 ? header[0] : spec.usageMessage().description()[0];
        return String.format(first).strip();
    }

    private static String usageOf(CommandLine command) {
        return command.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static String path(CommandLine command) {
        return command.getParent() == null ? command.getCommandName() : path(command.getParent()) + " " + command.getCommandName();
    }

    private static String[] names(ArgSpec arg) {
        return arg instanceof CommandLine.Model.OptionSpec o ? o.names() : new String[] {arg.paramLabel()};
    }
}
