package org.longnet.cli;

import org.longnet.commandline.Arguments;
import org.longnet.data.ByteDataset;
import org.longnet.data.PassKeyTask;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelWeights;
import org.longnet.train.PassKeyAccuracy;
import org.longnet.train.TrainSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
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
        ModelWeights weights = checkpoint.weights();
        TrainSettings trained = checkpoint.settings();
        int n = trained.seqLen();
        PassKeyTask passkey = PassKeyTask.forData(trained.data());
        if (passkey != null) {
            return passKey(weights, trained, passkey);
        }
        int[] ls = lengths != null ? lengths : new int[] {Math.max(2, n / 2), n, 2 * n, 4 * n};
        Path text = data != null ? data : TrainingText.path(trained.data());
        ByteDataset dataset = ByteDataset.load(text, TrainingText.VALIDATION_FRACTION);
        Device device = Devices.defaultDevice();
        System.out.printf("model %s (trained on %d-byte sequences), data %s, device %s%n", checkpoint.folder(), n, text,
                device.info().id());
        System.out.printf("%10s %14s %18s%n", "length", "bits/byte", "perplexity/byte");
        try (LongNetModel model = CheckpointOption.model(weights, device)) {
            for (int length : ls) {
                if (length < 2) {
                    throw new IllegalArgumentException("--lengths must all be >= 2, one was " + length);
                }
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

    private int passKey(ModelWeights weights, TrainSettings trained, PassKeyTask task) throws IOException {
        if (data != null) {
            throw new IllegalArgumentException("a pass-key model is measured on fresh pass-key sequences; drop --data " + data);
        }
        Device device = Devices.defaultDevice();
        int[] ls = lengths != null ? lengths : new int[] {trained.seqLen()};
        System.out.printf("model %s (pass-key task, trained on %,d-token sequences), device %s%n", checkpoint.folder(),
                trained.seqLen(), device.info().id());
        try (LongNetModel model = CheckpointOption.model(weights, device)) {
            for (int length : ls) {
                task.checkWindow(length);
                System.out.printf("sequences of %,d tokens:%n", length);
                PassKeyAccuracy.measure(model, length, PassKeyAccuracy.bins(length), batches, trained.seed() + 1, System.out);
            }
        }
        return 0;
    }
}
