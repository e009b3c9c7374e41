package org.longnet.cli;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code longnet generate}: streams text sampled from a trained model. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Continue a prompt with text sampled byte by byte from a trained model, printed as it comes.",
        "Each byte sees the last --window bytes (default: the length the model was trained on)."},
        footer = {"", "Examples:", "  longnet generate --prompt 'The jury said'",
                "  longnet generate --checkpoint runs/mine --temperature 0 --length 100   # greedy"})
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "The ", description = "Text to continue, sent to the model as "
            + "UTF-8 (default: '${DEFAULT-VALUE}'). Bytes that are not text in the locale's charset are refused, not replaced.")
    String prompt;

    @Option(names = "--length", paramLabel = "N", defaultValue = "300", description = "Bytes to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
            description = "Sampling temperature; 0 picks the likeliest byte (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40",
            description = "Sample among the K likeliest bytes (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--window", paramLabel = "N", description = "Context bytes per prediction (default: the trained sequence length).")
    Integer window;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        byte[] start = promptBytes(prompt);
        ModelConfig config = checkpoint.config();
        Generator.check(length, temperature, topK, config.vocab());
        String windowName = window != null ? "--window" : "the default --window (seq_len in " + checkpoint.stateFile() + ")";
        int context = window != null ? window : checkpoint.settings().seqLen();
        if (context < 2) {
            throw new IllegalArgumentException(windowName + " must be >= 2, was " + context);
        }
        Device device = Devices.defaultDevice();
        checkpoint.memoryCheck(config, device).windows(context, 0, windowName);
        ModelWeights weights = checkpoint.weights();
        try (LongNetModel model = CheckpointOption.model(weights, device)) {
            Generator generator = new Generator(model, context);
            System.out.write(start, 0, start.length);
            generator.generate(start, length, temperature, topK, seed, b -> {
                System.out.write(b);
                System.out.flush();
            });
            System.out.println();
        }
        return 0;
    }

    /**
     * The prompt as UTF-8 bytes. The command line reaches Java decoded in the locale's charset, and bytes that
     * are not text in it arrive as U+FFFD: such a prompt is refused rather than passed on changed.
     */
    static byte[] promptBytes(String prompt) {
        int bad = prompt.indexOf('\uFFFD');
        if (bad >= 0) {
            String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
            throw new IllegalArgumentException("--prompt is not valid text: character " + bad + " arrived as U+FFFD, a byte that is not "
                    + charset + "; give UTF-8 text" + (charset.equalsIgnoreCase("UTF-8") ? ""
                    : " in a UTF-8 locale (LANG=C.UTF-8; this one decodes arguments as " + charset + ")"));
        }
        return prompt.getBytes(StandardCharsets.UTF_8);
    }
}
