package org.longnet.train;

import org.longnet.engine.Slow;
import org.longnet.engine.DeviceTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.attention.Positions;
import org.longnet.data.ByteDataset;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.device.Device;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.model.Parameter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training end to end on every device: the loss falls, checkpoints reload exactly, and a resumed run equals an uninterrupted one. */
@DeviceTest
class TrainingTest {
    static final String TEXT = """
            The old lighthouse keeper climbed the spiral stairs every evening at dusk. He trimmed the wick, polished \
            the great lens, and watched the ships pass beyond the rocks. In winter the storms came in from the north, \
            and the waves broke white against the cliffs. In summer the sea was calm and blue, and children played on \
            the sand below. He kept a journal of every ship he saw, its name and its flag and the hour it passed.
            """;

    static ModelConfig config() {
        return new ModelConfig(2, 32, 2, 64, 256, new int[] {16, 32}, new int[] {1, 2}, Positions.ROTARY, true);
    }

    static ByteDataset data(Path dir) throws IOException {
        Path file = dir.resolve("text.txt");
        Files.writeString(file, TEXT.repeat(10));
        return ByteDataset.load(file, 0.1);
    }

    static TrainSettings settings(long steps) {
        return new TrainSettings("text.txt", 4, 32, steps, 3e-3, Math.min(10, steps / 4), Math.min(50, steps / 2), 2, 50, 3, false);
    }

    static double[] values(List<History.Point> points) {
        return points.stream().mapToDouble(History.Point::value).toArray();
    }

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @Slow
    @ParameterizedTest(name = "loss falls over 200 steps on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void lossFalls(String device, @TempDir Path dir) throws IOException {
        Device d = TestDevices.open(device);
        try (LongNetModel model = new LongNetModel(new ModelWeights(config(), 1), d, LongNetModel.Options.defaults(d, config()))) {
            new Trainer(model, data(dir), settings(200), dir.resolve("run"), QUIET).run(null);
            Checkpoint.State state = Checkpoint.loadAll(dir.resolve("run"), new ModelWeights(config(), 0));
            double[] loss = values(state.history().train());
            double first = (loss[0] + loss[1] + loss[2]) / 3, last = 0;
            for (int i = loss.length - 10; i < loss.length; i++) {
                last += loss[i] / 10;
            }
            assertTrue(first > 5 && last < 2.0 && last < 0.4 * first,
                    String.format("loss should fall from about ln 256 = 5.55 to below 2 nats: first steps %.3f, last ten %.3f", first, last));
            double[] validation = values(state.history().validation());
            assertTrue(validation[validation.length - 1] < validation[0], "validation bits per byte should fall: "
                    + java.util.Arrays.toString(validation));
            assertTrue(Files.isRegularFile(dir.resolve("run/loss.csv")), "loss.csv beside the checkpoints");
            boolean canDraw = ModuleLayer.boot().findModule("java.desktop").isPresent(); // the GPU machine's runtime has no AWT
            assertEquals(canDraw, Files.isRegularFile(dir.resolve("run/loss.png")), "loss.png exactly when java.desktop is there");
        }
    }

    @ParameterizedTest(name = "train 2N steps = train N, save, resume, train N, on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void resumeIsExact(String device, @TempDir Path dir) throws IOException {
        Device d = TestDevices.open(device);
        ByteDataset data = data(dir);
        ModelWeights straight = new ModelWeights(config(), 2);
        try (LongNetModel model = new LongNetModel(straight, d, LongNetModel.Options.defaults(d, config()))) {
            new Trainer(model, data, settings(8), dir.resolve("a"), QUIET).run(null);
        }
        try (LongNetModel model = new LongNetModel(new ModelWeights(config(), 2), d, LongNetModel.Options.defaults(d, config()))) {
            new Trainer(model, data, settings(8), dir.resolve("b"), QUIET).run(null, 4);
        }
        ModelWeights resumedWeights = new ModelWeights(config(), 99); // different seed: everything must come from the checkpoint
        Checkpoint.State state = Checkpoint.loadAll(dir.resolve("b"), resumedWeights);
        assertEquals(4, state.step());
        try (LongNetModel model = new LongNetModel(resumedWeights, d, LongNetModel.Options.defaults(d, config()))) {
            new Trainer(model, data, state.settings(), dir.resolve("b"), QUIET).run(state);
        }
        Checkpoint.State a = Checkpoint.loadAll(dir.resolve("a"), new ModelWeights(config(), 0));
        Checkpoint.State b = Checkpoint.loadAll(dir.resolve("b"), new ModelWeights(config(), 0));
        assertArrayEquals(values(a.history().train()), values(b.history().train()), 0.0, "losses of the resumed run");
        assertArrayEquals(values(a.history().validation()), values(b.history().validation()), 0.0, "validation of the resumed run");
        List<Parameter> pa = straight.parameters(), pb = resumedWeights.parameters();
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(floats(pa.get(i).value()), floats(pb.get(i).value()), 0f, pa.get(i).name() + " after 8 steps");
            assertArrayEquals(floats(pa.get(i).v()), floats(pb.get(i).v()), 0f, pa.get(i).name() + " second moment after 8 steps");
        }
    }

    @ParameterizedTest(name = "save then load gives bit-identical logits on {0}")
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void saveLoadIsExact(String device, @TempDir Path dir) throws IOException {
        Device d = TestDevices.open(device);
        IntArray tokens = new IntArray(2 * 24);
        for (int i = 0; i < tokens.getSize(); i++) {
            tokens.set(i, TEXT.charAt(i));
        }
        float[] before;
        ModelWeights weights = new ModelWeights(config(), 4);
        try (LongNetModel model = new LongNetModel(weights, d, LongNetModel.Options.defaults(d, config()))) {
            new Trainer(model, data(dir), settings(3), dir.resolve("run"), QUIET).run(null);
            before = floats(model.logits(tokens, 2, 24));
        }
        ModelWeights loaded = Checkpoint.loadWeights(dir.resolve("run"));
        assertEquals(config(), loaded.config());
        try (LongNetModel model = new LongNetModel(loaded, d, LongNetModel.Options.defaults(d, config()))) {
            assertArrayEquals(before, floats(model.logits(tokens, 2, 24)), 0f, "logits after save and load");
        }
    }

    static float[] floats(FloatArray a) {
        float[] out = new float[(int) a.getSize()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i);
        }
        return out;
    }
}
