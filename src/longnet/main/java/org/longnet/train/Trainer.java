package org.longnet.train;

import org.longnet.plot.LineChart;
import org.longnet.data.TrainingData;
import org.longnet.engine.api.IntArray;
import org.longnet.io.AtomicFiles;
import org.longnet.model.LearningRate;
import org.longnet.model.LongNetModel;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The training loop: batches that depend only on (seed, step), the paper's schedule (warm-up then
 * linear decay), AdamW with clipping, validation in bits per byte, atomic checkpoints and a loss
 * plot. Resuming from a checkpoint continues the run bit for bit on the same device.
 * <p>
 * With a model whose sequences are split across ranks, every rank draws the same batches and trains on
 * its chunk of them; rank 0 alone reports progress and writes checkpoints, loss.csv and loss.png.
 */
public final class Trainer {
    /** Where a run ended. */
    public record Result(long step, double trainLoss, double validationBitsPerByte, Path checkpoint) {
    }

    private final LongNetModel model;
    private final TrainingData data;
    private final TrainSettings settings;
    private final Path out;
    private final PrintStream console;
    /** Whole sequences as drawn, and this rank's chunk of them (the same arrays on one rank). */
    private final IntArray inputs, targets, chunkInputs, chunkTargets;
    private final boolean writer;
    private boolean plotWarned;

    public Trainer(LongNetModel model, TrainingData data, TrainSettings settings, Path out, PrintStream console) {
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.out = out;
        data.checkWindow(settings.seqLen());
        this.console = console;
        long tokens = (long) settings.batch() * settings.seqLen();
        this.inputs = new IntArray(tokens);
        this.targets = new IntArray(tokens);
        int ranks = model.group().size();
        this.chunkInputs = ranks == 1 ? inputs : new IntArray(tokens / ranks);
        this.chunkTargets = ranks == 1 ? targets : new IntArray(tokens / ranks);
        this.writer = model.group().rank() == 0;
    }

    /** This rank's chunk of every sequence of the batch drawn into inputs and targets. */
    private void takeChunk() {
        int ranks = model.group().size();
        if (ranks == 1) {
            return;
        }
        int length = settings.seqLen(), chunk = length / ranks, from = model.group().rank() * chunk;
        for (int b = 0; b < settings.batch(); b++) {
            long at = (long) b * length + from;
            chunkInputs.segment().asSlice((long) b * chunk * Integer.BYTES, (long) chunk * Integer.BYTES)
                    .copyFrom(inputs.segment().asSlice(at * Integer.BYTES, (long) chunk * Integer.BYTES));
            chunkTargets.segment().asSlice((long) b * chunk * Integer.BYTES, (long) chunk * Integer.BYTES)
                    .copyFrom(targets.segment().asSlice(at * Integer.BYTES, (long) chunk * Integer.BYTES));
        }
    }

    /** Trains from {@code resumed} (null: from the start) up to {@code settings.steps()}. */
    public Result run(Checkpoint.State resumed) throws IOException {
        return run(resumed, settings.steps());
    }

    /**
     * Trains from {@code resumed} (null: from the start) up to step {@code until} of the run, then
     * saves a checkpoint: stopping early like an interrupted run, for a later resume.
     */
    public Result run(Checkpoint.State resumed, long until) throws IOException {
        if (until < 1 || until > settings.steps()) {
            throw new IllegalArgumentException("can train up to step 1.." + settings.steps() + ", not " + until);
        }
        History history = resumed == null ? new History() : resumed.history();
        long first = resumed == null ? 1 : resumed.step() + 1;
        LearningRate schedule = new LearningRate(settings.lr(), 0, settings.warmup(), settings.steps(), 1);
        Progress progress = new Progress(writer ? console : new PrintStream(OutputStream.nullOutputStream()), first, until);
        double loss = history.train().isEmpty() ? Double.NaN : history.train().getLast().value();
        double bpb = history.validation().isEmpty() ? Double.NaN : history.validation().getLast().value();
        // a run resumed at its last step trains nothing: its checkpoint is the one it resumed from
        Path saved = resumed == null ? null : Checkpoint.stepFolder(out, resumed.step());
        for (long step = first; step <= until; step++) {
            long start = System.nanoTime();
            data.batch(inputs, targets, settings.batch(), settings.seqLen(), step, settings.seed(), false);
            takeChunk();
            LongNetModel.StepResult r = model.trainStep(chunkInputs, chunkTargets, settings.batch(), settings.seqLen(), schedule.at(step), step);
            if (!Double.isFinite(r.loss()) || !Double.isFinite(r.gradNorm())) {
                throw new IllegalStateException(String.format("training diverged at step %d (loss %s, gradient norm %s); "
                        + "lower --lr (was %g) or resume from the last checkpoint", step, r.loss(), r.gradNorm(), settings.lr()));
            }
            loss = r.loss();
            history.addTrain(step, loss);
            progress.step(step, loss, inputs.getSize(), System.nanoTime() - start);
            if (step % settings.evalEvery() == 0 || step == settings.steps()) {
                bpb = validationBitsPerByte();
                history.addValidation(step, bpb);
                progress.note(String.format("step %d: validation %.4f bits/byte", step, bpb));
            }
            if (step % settings.saveEvery() == 0 || step == until) {
                saved = Checkpoint.stepFolder(out, step);
                if (writer) {
                    model.pull();
                    saved = Checkpoint.save(out, model.weights(), new Checkpoint.State(step, settings, history, data.fingerprint()));
                    plot(history);
                }
                progress.note("step " + step + ": checkpoint " + saved);
            }
        }
        return new Result(until, loss, bpb, saved);
    }

    /** Mean validation loss over the fixed validation batches, in bits per byte. */
    public double validationBitsPerByte() {
        double sum = 0;
        for (int b = 0; b < settings.evalBatches(); b++) {
            data.batch(inputs, targets, settings.batch(), settings.seqLen(), b, settings.seed(), true);
            takeChunk();
            sum += model.loss(chunkInputs, chunkTargets, settings.batch(), settings.seqLen());
        }
        return sum / settings.evalBatches() / Math.log(2);
    }

    /** loss.csv and loss.png beside the checkpoints, both in bits per byte. */
    private void plot(History history) throws IOException {
        StringBuilder csv = new StringBuilder("step,train_bits_per_byte,validation_bits_per_byte\n");
        List<History.Point> train = history.train(), val = history.validation();
        int vi = 0;
        for (History.Point p : train) {
            String v = vi < val.size() && val.get(vi).step() == p.step() ? String.valueOf(val.get(vi++).value()) : "";
            csv.append(p.step()).append(',').append(p.value() / Math.log(2)).append(',').append(v).append('\n');
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out.resolve("loss.csv"), c -> c.write(ByteBuffer.wrap(bytes)));
        try {
            LineChart.write(out.resolve("loss.png"), "LongNet training loss", "step", "bits per byte",
                    List.of(series("train", train, Math.log(2)), series("validation", val, 1)), false);
        } catch (LinkageError e) {
            if (!plotWarned) {
                console.println("no loss.png: this Java runtime has no java.desktop module (loss.csv holds the curve)");
                plotWarned = true;
            }
        }
    }

    private static LineChart.Series series(String name, List<History.Point> points, double divide) {
        double[] x = new double[points.size()], y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i).step();
            y[i] = points.get(i).value() / divide;
        }
        return new LineChart.Series(name, x, y);
    }
}
