package org.longnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.attention.Positions;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.device.Devices;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.Checkpoint;
import org.longnet.train.History;
import org.longnet.train.TrainSettings;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a pass-key curriculum across GPU calls relies on: scripts/gpu/parts moves a checkpoint as checked parts
 * of at most 15 MiB, and a last pair stretched from (w, r) to (2w, r) leaves the model's function unchanged on
 * sequences of up to w tokens (one segment either way), so a 256K phase starts where the 128K one ended.
 */
class CheckpointPartsTest {
    private static final Path ROOT = Path.of(System.getProperty("longnet.root", "../.."));

    @TempDir
    Path dir;

    @Test
    void partsJoinIntoTheSameCheckpointAndABrokenPartIsRefused() throws IOException, InterruptedException {
        // 1 x 1024 wide with an FFN of 2048: 35 MB of weights, so three parts (the passkey preset's 42 MB are three too)
        ModelWeights weights = new ModelWeights(new ModelConfig(1, 1024, 16, 2048, 256, new int[] {16}, new int[] {1}, Positions.ROTARY,
                true), 1);
        Path run = dir.resolve("run");
        Checkpoint.save(run, weights, new Checkpoint.State(1, new TrainSettings("text.txt", 1, 32, 10, 1e-3, 1, 5, 1, 5, 1, false),
                new History()));
        String split = script(0, "split", run.toString(), dir.resolve("out").toString(), "pk");
        assertTrue(split.contains("as 3 parts of at most 15 MiB"), split);
        assertEquals(List.of("pk.part00", "pk.part01", "pk.part02", "pk.sha256"), names(dir.resolve("out")));
        assertEquals(15 * 1024 * 1024, Files.size(dir.resolve("out/pk.part00")));
        script(0, "join", dir.resolve("out").toString(), "pk", dir.resolve("back").toString());
        Path step = Checkpoint.resolve(run);
        for (String f : List.of("config.json", "model.safetensors", "state.json")) {
            assertArrayEquals(Files.readAllBytes(step.resolve(f)), Files.readAllBytes(dir.resolve("back").resolve(f)), f);
        }
        assertEquals(Checkpoint.config(run), Checkpoint.config(dir.resolve("back")), "the joined folder is a checkpoint");
        try (FileChannel c = FileChannel.open(dir.resolve("out/pk.part01"), StandardOpenOption.WRITE)) {
            c.write(java.nio.ByteBuffer.wrap(new byte[] {42}), 1000);
        }
        String refused = script(2, "join", dir.resolve("out").toString(), "pk", dir.resolve("again").toString());
        assertTrue(refused.contains("a part of pk in " + dir.resolve("out") + " does not match"), refused);
        assertTrue(!Files.exists(dir.resolve("again")), "nothing is unpacked from a broken part");
    }

    @Test
    void stretchingTheLastSegmentKeepsTheLossOnShorterSequences() throws IOException {
        ModelConfig trained = new ModelConfig(2, 32, 4, 64, 256, new int[] {16, 64}, new int[] {1, 4}, Positions.ROTARY, true);
        ModelConfig stretched = trained.withAttention(new int[] {16, 128}, new int[] {1, 4}, Positions.ROTARY, trained.rotaryBase());
        ModelWeights weights = new ModelWeights(trained, 7);
        Path run = dir.resolve("run");
        Checkpoint.save(run, weights, new Checkpoint.State(1, new TrainSettings("text.txt", 1, 64, 10, 1e-3, 1, 5, 1, 5, 1, false),
                new History()));
        int n = 64;
        IntArray inputs = new IntArray(n), targets = new IntArray(n);
        for (int i = 0; i < n; i++) {
            inputs.set(i, "the jury said that a long sequence of words".charAt(i % 43));
            targets.set(i, "he jury said that a long sequence of words ".charAt(i % 43));
        }
        var device = Devices.defaultDevice();
        double before, after, longer;
        try (LongNetModel model = CheckpointOption.model(weights, device)) {
            before = model.loss(inputs, targets, 1, n);
        }
        try (LongNetModel model = CheckpointOption.model(Checkpoint.loadWeights(run, stretched, s -> { }), device)) {
            after = model.loss(inputs, targets, 1, n);
            IntArray in2 = new IntArray(2 * n), t2 = new IntArray(2 * n);
            for (int i = 0; i < 2 * n; i++) {
                in2.set(i, inputs.get(i % n));
                t2.set(i, targets.get(i % n));
            }
            longer = model.loss(in2, t2, 1, 2 * n);
        }
        assertEquals(before, after, 1e-6, "one segment of 64 or of 128 over 64 tokens: the same attention");
        assertTrue(Double.isFinite(longer), "and the stretched model runs on 128 tokens: " + longer);
    }

    /** Runs scripts/gpu/parts with {@code args}, expecting exit code {@code code}; returns what it printed. */
    private static String script(int code, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", ROOT.resolve("scripts/gpu/parts").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "scripts/gpu/parts finished");
        assertEquals(code, p.exitValue(), printed);
        return printed;
    }

    private static List<String> names(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
