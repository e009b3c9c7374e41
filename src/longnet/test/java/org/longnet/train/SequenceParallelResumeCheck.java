package org.longnet.train;

import org.longnet.data.ByteDataset;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.collective.Communicator;
import org.longnet.engine.collective.Communicators;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.model.Parameter;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One rank of {@link SequenceParallelTrainingTest#aResumedSplitRunContinuesBitForBit}: with each sequence split across
 * the job's ranks, 6 steps straight, and 3 steps, a checkpoint, and 3 more from it in fresh objects, end with the
 * same bits in every weight and moment, as on one device. Arguments: device, a folder shared by the ranks.
 */
public final class SequenceParallelResumeCheck {
    private SequenceParallelResumeCheck() {
    }

    public static void main(String[] args) throws Exception {
        Device device = Devices.get(args[0]);
        Path dir = Path.of(args[1]);
        Communicator job = Communicators.job();
        ModelConfig config = ModelConfig.tiny();
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 40_000; i++) {
            text.append("sequence ").append(i % 97).append(" of words split across ranks; ");
        }
        Path file = dir.resolve("text-" + job.rank() + ".txt"); // one copy per rank: no rank reads a file another is writing
        Files.writeString(file, text);
        ByteDataset data = ByteDataset.load(file, 0.1);
        TrainSettings settings = new TrainSettings(file.toString(), 2, 256, 6, 2e-3, 1, 3, 1, 3, 5, false);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        LongNetModel.Options options = new LongNetModel.Options(false, false, false, false);
        ModelWeights straight = new ModelWeights(config, 1);
        try (LongNetModel model = new LongNetModel(straight, device, options, job)) {
            new Trainer(model, data, settings, dir.resolve("straight"), quiet).run(null);
            model.pull();
        }
        try (LongNetModel model = new LongNetModel(new ModelWeights(config, 1), device, options, job)) {
            new Trainer(model, data, settings, dir.resolve("resumed"), quiet).run(null, 3);
        }
        job.barrier(); // rank 0 has written the checkpoint every rank resumes from
        ModelWeights resumed = new ModelWeights(config, 99); // another seed: everything must come from the checkpoint
        Checkpoint.State state = Checkpoint.loadAll(dir.resolve("resumed"), resumed);
        try (LongNetModel model = new LongNetModel(resumed, device, options, job)) {
            new Trainer(model, data, state.settings(), dir.resolve("resumed"), quiet).run(state);
            model.pull();
        }
        List<Parameter> a = straight.parameters(), b = resumed.parameters();
        String differs = null;
        for (int p = 0; p < a.size() && differs == null; p++) {
            for (FloatArray[] pair : List.of(new FloatArray[] {a.get(p).value(), b.get(p).value()}, new FloatArray[] {a.get(p).v(), b.get(p).v()})) {
                for (long e = 0; e < pair[0].getSize() && differs == null; e++) {
                    if (Float.floatToRawIntBits(pair[0].get(e)) != Float.floatToRawIntBits(pair[1].get(e))) {
                        differs = a.get(p).name() + "[" + e + "]: " + pair[0].get(e) + " straight, " + pair[1].get(e) + " resumed";
                    }
                }
            }
        }
        System.out.println("rank " + job.rank() + " of " + job.size() + ": " + (differs == null ? "ok" : "FAILED at " + differs));
        System.exit(differs == null ? 0 : 1);
    }
}
