package org.longnet.cli;

import org.longnet.commandline.Arguments;
import org.longnet.data.ByteDataset;
import org.longnet.data.PassKeyTask;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.ContextLoss;
import org.longnet.train.PassKeyAccuracy;
import org.longnet.train.ProgressLine;
import org.longnet.train.TrainSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code longnet eval}: validation loss at several context lengths, like the paper's Table 2. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Measure trained models' validation loss at several context lengths, as the paper's Table 2 does.",
        "",
        "The loss is measured on the validation part of the model's data (its last 5%%), in bits per byte and as",
        "per-byte perplexity; the paper's Table 2 does so for lengths 2K to 32K. Every length reads the same bytes:",
        "--batches stretches of the longest length, each cut into windows of the length, so a longer length differs",
        "only in the context each byte has. A length beyond the trained one is read blockwise by default, as the paper",
        "reads such lengths (blockwise causal attention): through windows of the trained length that start half a window",
        "apart, each byte scored where it has half a window to a whole one of context. --beyond-trained full reads it in",
        "whole windows of the length instead, which shows how the model extrapolates. Several --checkpoint folders (say",
        "the models trained at 8K and at 32K) go into one table. The results are written as eval.csv and eval.png (bits",
        "per byte against length, one line per model).",
        "",
        "A model trained with --task passkey is measured on pass-key retrieval instead: accuracy against the distance",
        "from key to question in octaves (d/2, d], --batches fresh sequences per octave, each with a distance drawn from",
        "it, at the trained length or each of --lengths; written as passkey-eval.csv and passkey-eval.png. The octaves",
        "before the last two are near retrievals that a trained model gets right almost always: --near-batches N tests",
        "fewer sequences there and spends the time on the two longest, where the accuracy is decided.",
        "",
        "A runtime without java.desktop (the one packed for the GPU machine) writes only the CSVs: --replot CSV draws",
        "the chart beside one elsewhere."},
        footer = {"", "Examples:", "  longnet eval", "  longnet eval --checkpoint runs/mine --lengths 128,256,512,1024 --batches 8",
                "  longnet --device cuda eval --checkpoint runs/base-8k --checkpoint runs/base-32k --lengths 2048,8192,32768,131072 "
                        + "--out runs/context",
                "  longnet --device cuda eval --checkpoint runs/passkey --lengths 131072,262144 --batches 100 --near-batches 25",
                "  longnet eval --replot runs/context/eval.csv"})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", paramLabel = "DIR", defaultValue = "runs/tiny", description = "A training output folder (its newest "
            + "checkpoint) or a checkpoint folder; give it more than once to put several models in one table (default: ${DEFAULT-VALUE}).")
    List<Path> checkpoints;

    @Option(names = "--data", paramLabel = "PATH", description = "Text to evaluate on: a file, or brown or gutenberg (default: the data "
            + "each model was trained on).")
    Path data;

    @Option(names = "--lengths", split = ",", paramLabel = "N", description = "Context lengths in bytes (default: half, once, twice "
            + "and four times the trained length; for a pass-key model, the trained length).")
    int[] lengths;

    @Option(names = "--batches", paramLabel = "N", defaultValue = "4",
            description = "Stretches of held-out text of the longest length (each length reads the same ones), or pass-key "
                    + "sequences per octave (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--beyond-trained", paramLabel = "READING", defaultValue = "blockwise", description = "How a length beyond a "
            + "model's trained length is read: blockwise (windows of the trained length, half a window apart: the paper's way) or full "
            + "(whole windows of the length: extrapolation). Default: ${DEFAULT-VALUE}.")
    String beyondTrained;

    @Option(names = "--near-batches", paramLabel = "N", description = "Pass-key sequences per octave for every octave but the "
            + "last two of each length (default: --batches).")
    Integer nearBatches;

    @Option(names = "--out", paramLabel = "DIR", description = "Where eval.csv, eval.png and the passkey-eval files go (default: the "
            + "first --checkpoint folder).")
    Path out;

    @Option(names = "--replot", paramLabel = "CSV", description = "Measure nothing: draw the chart of an earlier eval.csv or "
            + "passkey-eval.csv beside it.")
    Path replot;

    private final List<EvalFiles.TextRow> textRows = new ArrayList<>();
    private final List<EvalFiles.PassKeyRow> passKeyRows = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (replot != null) {
            if (!Files.isRegularFile(replot)) {
                throw new IllegalArgumentException("--replot " + replot + " is not a file");
            }
            System.out.println("wrote " + EvalFiles.draw(replot));
            return 0;
        }
        Arguments.atLeast("--batches", batches, 1);
        ContextLoss.Reading reading = reading();
        if (nearBatches != null) {
            Arguments.atLeast("--near-batches", nearBatches, 1);
        }
        if (lengths != null) {
            for (int length : lengths) {
                if (length < 2) {
                    throw new IllegalArgumentException("--lengths must all be >= 2, one was " + length);
                }
            }
        }
        for (Path path : checkpoints) {
            CheckpointOption checkpoint = CheckpointOption.of(path);
            if (PassKeyTask.forData(checkpoint.settings().data()) != null) {
                passKey(checkpoint);
            } else {
                text(checkpoint, reading);
            }
        }
        Path dir = out != null ? out : checkpoints.getFirst();
        if (!textRows.isEmpty()) {
            if (checkpoints.size() > 1) {
                printTable();
            }
            report(EvalFiles.writeText(dir, textRows));
        }
        if (!passKeyRows.isEmpty()) {
            report(EvalFiles.writePassKey(dir, passKeyRows));
        }
        return 0;
    }

    private ContextLoss.Reading reading() {
        return switch (beyondTrained) {
            case "blockwise" -> ContextLoss.Reading.BLOCKWISE;
            case "full" -> ContextLoss.Reading.FULL;
            default -> throw new IllegalArgumentException("--beyond-trained " + beyondTrained + " is not a way to read lengths beyond the "
                    + "trained one; use blockwise or full");
        };
    }

    private void text(CheckpointOption checkpoint, ContextLoss.Reading reading) throws IOException {
        ModelConfig config = checkpoint.config();
        TrainSettings trained = checkpoint.settings();
        int n = trained.seqLen();
        int[] ls = lengths != null ? lengths : defaultLengths(checkpoint, n);
        Path text = data != null ? TrainingText.path(TrainingText.dataName(data)) : TrainingText.path(trained.data());
        if (data == null && !Files.exists(text)) {
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
        // Every length reads the same held-out text: `spans` stretches of the longest length, each cut into windows of
        // the length and run as one batch, so the lengths differ in the context each byte has and in nothing else.
        int longest = Arrays.stream(ls).max().orElse(2);
        long fit = (dataset.validationBytes() - 1) / longest;
        if (fit < 1) {
            throw new IllegalArgumentException(String.format("the longest of --lengths, %,d, needs %,d held-out bytes and %s has %,d",
                    longest, longest + 1L, text, dataset.validationBytes()));
        }
        int spans = (int) Math.min(batches, fit);
        if (spans < batches) {
            System.out.printf("the held-out text holds %d stretches of %,d bytes; measuring those, not --batches %d%n", spans, longest, batches);
        }
        ProgressLine progress = new ProgressLine(System.out);
        long total = (long) ls.length * spans, done = 0;
        try (LongNetModel model = CheckpointOption.model(weights, device)) {
            for (int length : ls) {
                ContextLoss loss = new ContextLoss(model, dataset, length, longest, n, reading);
                double sum = 0;
                for (int b = 0; b < spans; b++) {
                    // a stretch of 128K bytes takes minutes on a CPU: say which one runs
                    progress.show(done, total, String.format("  length %,d: stretch %d of %d (%d windows), elapsed %s", length, b + 1,
                            spans, loss.windowsPerStretch(), progress.elapsed()), longest >= 16384);
                    sum += loss.stretch((long) b * longest);
                    done++;
                }
                double nats = sum / spans;
                progress.note(String.format("%10d %14.4f %18.3f%s", length, nats / Math.log(2), Math.exp(nats),
                        loss.blockwise() ? String.format("   blockwise: windows of %,d, half a window apart", n) : ""));
                textRows.add(new EvalFiles.TextRow(checkpoint.folder().toString(), n, length, nats / Math.log(2), Math.exp(nats),
                        spans * (longest / length), loss.blockwise() ? "blockwise" : "full"));
            }
        }
        progress.end();
    }

    /** Half, once, twice and four times the trained length; refused where they pass 2^31 - 1. */
    private static int[] defaultLengths(CheckpointOption checkpoint, int n) throws IOException {
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

    private void passKey(CheckpointOption checkpoint) throws IOException {
        if (data != null) {
            throw new IllegalArgumentException("a pass-key model (" + checkpoint.folder() + ") is measured on fresh pass-key sequences; "
                    + "drop --data " + data);
        }
        ModelConfig config = checkpoint.config();
        TrainSettings trained = checkpoint.settings();
        int[] ls = lengths != null ? lengths : new int[] {trained.seqLen()};
        for (int length : ls) {
            PassKeyTask.checkTestLength(length);
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
                for (PassKeyAccuracy.Point p : PassKeyAccuracy.measure(model, length, PassKeyAccuracy.bins(length),
                        PassKeyAccuracy.trials(batches, nearBatches == null ? batches : nearBatches),
                        trained.seed() + 1, System.out)) {
                    passKeyRows.add(new EvalFiles.PassKeyRow(checkpoint.folder().toString(), trained.seqLen(), length, p));
                }
            }
        }
    }

    /** The paper's Table 2: one row per length, one column of bits per byte per model (headed by its trained length). */
    private void printTable() {
        List<String> models = textRows.stream().map(EvalFiles.TextRow::model).distinct().toList();
        List<Integer> ls = textRows.stream().map(EvalFiles.TextRow::length).distinct().sorted().toList();
        StringBuilder head = new StringBuilder(String.format("%n%-22s", "bits/byte at length"));
        for (String m : models) {
            int trainedLength = textRows.stream().filter(r -> r.model().equals(m)).findFirst().orElseThrow().trainedLength();
            head.append(String.format(" %16s", "trained " + EvalFiles.lengthName(Integer.toString(trainedLength))));
        }
        System.out.println(head);
        for (int length : ls) {
            StringBuilder row = new StringBuilder(String.format("%-22s", EvalFiles.lengthName(Integer.toString(length))));
            for (String m : models) {
                row.append(textRows.stream().filter(r -> r.model().equals(m) && r.length() == length).findFirst()
                        .map(r -> String.format(" %16.4f", r.bitsPerByte())).orElse(String.format(" %16s", "-")));
            }
            System.out.println(row);
        }
        System.out.println("models: " + String.join(", ", models));
        if (textRows.stream().anyMatch(r -> r.reading().equals("blockwise"))) {
            System.out.println("lengths beyond a model's trained length are read blockwise (--beyond-trained)");
        }
    }

    private static void report(List<Path> written) {
        System.out.println("wrote " + written.stream().map(Path::toString).reduce((a, b) -> a + " and " + b).orElseThrow()
                + (written.size() == 1 ? " (no chart: this Java runtime has no java.desktop module; draw it elsewhere with --replot)" : ""));
    }
}
