package org.longnet.cli;

import org.longnet.commandline.Arguments;
import org.longnet.data.ByteDataset;
import org.longnet.data.PassKeyTask;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.PassKeyAccuracy;
import org.longnet.train.TrainSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code longnet eval}: validation loss at several context lengths, like the paper's Table 2. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Measure a trained model's validation loss at several context lengths, as the paper's Table 2 does.",
        "",
        "The loss is measured on the validation part of the model's data (its last 5%%), in bits per byte and as",
        "per-byte perplexity; the paper's Table 2 does so for lengths 2K to 32K. Lengths beyond the trained one show",
        "how the model extrapolates. A model trained with --task passkey is measured on pass-key retrieval instead:",
        "accuracy against the distance from key to question in octaves (d/2, d], --batches fresh sequences per octave,",
        "each with a distance drawn from it, at the trained length or each of --lengths."},
        footer = {"", "Examples:", "  longnet eval", "  longnet eval --checkpoint runs/mine --lengths 128,256,512,1024 --batches 8",
                "  longnet --device cuda eval --checkpoint runs/passkey --batches 50"})
final class EvalCommand implements Callable<Integer> {
    @Mixin
    CheckpointOption checkpoint;

    @Option(names = "--data", paramLabel = "PATH", description = "Text to evaluate on (default: the data the model was trained on).")
    Path data;

    @Option(names = "--lengths", split = ",", paramLabel = "N", description = "Context lengths in bytes (default: half, once, twice "
            + "and four times the trained length).")
    int[] lengths;

    @Option(names = "--batches", paramLabel = "N", defaultValue = "4",
            description = "Windows per length, or pass-key sequences per octave (default: ${DEFAULT-VALUE}).")
    int batches;

    @Override
    public Integer call() throws IOException {
        Arguments.atLeast("--batches", batches, 1);
        ModelConfig config = checkpoint.config();
        TrainSettings trained = checkpoint.settings();
        int n = trained.seqLen();
        PassKeyTask passkey = PassKeyTask.forData(trained.data());
        if (passkey != null) {
            return passKey(config, trained, passkey);
        }
        int[] ls = lengths != null ? lengths : defaultLengths(n);
        for (int length : ls) {
            if (length < 2) {
                throw new IllegalArgumentException("--lengths must all be >= 2, one was " + length);
            }
        }
        Path text = data != null ? data : TrainingText.path(trained.data());
        if (data == null && !java.nio.file.Files.exists(text)) {
            throw new IllegalArgumentException("the text the model was trained on, " + text + ", is missing; give one with --data FILE");
        }
        ByteDataset dataset = ByteDataset.load(text, TrainingText.VALIDATION_FRACTION);
        Device device = Devices.defaultDevice();
        checkpoint.memoryCheck(config, device).windows(Arrays.stream(ls).max().orElse(2),
                dataset.trainBytes() + dataset.validationBytes(), lengths != null ? "--lengths" : "the default --lengths");
        ModelWeights weights = checkpoint.weights();
        System.out.printf("model %s (trained on %d-byte sequences), data %s, device %s%n", checkpoint.folder(), n, text,
                device.info().id());
        System.out.printf("%10s %14s %18s%n", "length", "bits/byte", "perplexity/byte");
        try (LongNetModel model = CheckpointOption.model(weights, device)) {
            for (int length : ls) {
                IntArray inputs = new IntArray(length), targets = new IntArray(length);
                double sum = 0;
                for (int b = 0; b < batches; b++) {
                    dataset.batch(inputs, targets, 1, length, b, trained.seed(), true);
                    sum += model.loss(inputs, targets, 1, length);
                }
                double nats = sum / batches;
                System.out.printf("%10d %14.4f %18.3f%n", length, nats / Math.log(2), Math.exp(nats));
            }
        }
        return 0;
    }

    /** Half, once, twice and four times the trained length; refused where they pass 2^31 - 1. */
    private int[] defaultLengths(int n) throws IOException {
        long[] ls = {Math.max(2, n / 2), n, 2L * n, 4L * n};
        int[] out = new int[ls.length];
        for (int i = 0; i < ls.length; i++) {
            if (ls[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(String.format("the default --lengths (up to 4 x seq_len %,d of %s) pass 2^31 - 1 "
                        + "tokens; give --lengths", n, checkpoint.stateFile()));
            }
            out[i] = (int) ls[i];
        }
        return out;
    }

    private int passKey(ModelConfig config, TrainSettings trained, PassKeyTask task) throws IOException {
        if (data != null) {
            throw new IllegalArgumentException("a pass-key model is measured on fresh pass-key sequences; drop --data " + data);
        }
        int[] ls = lengths != null ? lengths : new int[] {trained.seqLen()};
        for (int length : ls) {
            task.checkWindow(length);
        }
        Device device = Devices.defaultDevice();
        checkpoint.memoryCheck(config, device).windows(Arrays.stream(ls).max().orElse(2), 0,
                lengths != null ? "--lengths" : "the default --lengths (seq_len in " + checkpoint.stateFile() + ")");
        ModelWeights weights = checkpoint.weights();
        System.out.printf("model %s (pass-key task, trained on %,d-token sequences), device %s%n", checkpoint.folder(),
                trained.seqLen(), device.info().id());
        try (LongNetModel model = CheckpointOption.model(weights, device)) {
            for (int length : ls) {
                System.out.printf("sequences of %,d tokens:%n", length);
                PassKeyAccuracy.measure(model, length, PassKeyAccuracy.bins(length), batches, trained.seed() + 1, System.out);
            }
        }
        return 0;
    }
}
