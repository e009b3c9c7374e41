package org.longnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.MpiRun;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mpirun -np P longnet train --sequence-parallel} as a user runs it: on 2 and 4 ranks the run reports the
 * single-rank run's losses and leaves its weights; a rank killed mid-run ends the job within 60 s with mpirun
 * naming the rank, and the newest checkpoint still loads.
 */
@DeviceTest
class SequenceParallelCliTest {
    /** A short run of the tiny preset; two of its three pairs span chunks on 4 ranks at 256 tokens. */
    private static List<String> train(String device, Path data, Path out, int steps) {
        return List.of("--device", device, "train", "--data", data.toString(), "--seq-len", "256", "--batch", "2", "--steps",
                Integer.toString(steps), "--eval-every", "3", "--eval-batches", "1", "--sample-length", "0", "--out", out.toString());
    }

    /**
     * The device these command-line runs use: the last test device (opencl in CI). The library checks of
     * the split (SequenceParallelAttentionTest, SequenceParallelTrainingTest) run on every test device.
     */
    private static final String DEVICE = TestDevices.ids().getLast();

    /** The single-rank run every split run is compared with, made once. */
    private static MpiRun.Result oneRank;
    private static Path oneRankDir;

    private static synchronized MpiRun.Result oneRank(Path data) throws Exception {
        if (oneRank == null) {
            oneRankDir = Files.createTempDirectory("one-rank");
            oneRank = MpiRun.run(1, 300, List.of(), LongNet.class, train(DEVICE, data, oneRankDir, 6).toArray(String[]::new));
            assertEquals(0, oneRank.exitCode(), oneRank.output());
        }
        return oneRank;
    }

    @ParameterizedTest(name = "train on {0} ranks equals one rank")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 4})
    void trainingAcrossRanksEqualsOneRank(int ranks, @TempDir Path dir) throws Exception {
        String device = DEVICE;
        Path data = text(dir);
        MpiRun.Result one = oneRank(data);
        List<String> args = new ArrayList<>(train(device, data, dir.resolve("split"), 6));
        args.add("--sequence-parallel");
        MpiRun.Result split = MpiRun.run(ranks, 300, List.of(), LongNet.class, args.toArray(String[]::new));
        assertEquals(0, split.exitCode(), split.output());
        assertTrue(split.output().contains("sequences split across " + ranks + " ranks"), split.output());
        // fp32 runs agree to the printed digit. With bf16 GEMM operands (cuda) a weight that differs in its last fp32 bit
        // may round to another bf16 value, so the runs drift apart by rounding: a looser bound there.
        boolean bf16 = org.longnet.engine.device.Devices.get(device).matrixUnits();
        double[] a = losses(one.output()), b = losses(split.output());
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - b[i]) <= (bf16 ? 1e-3 : 1e-4) * Math.abs(a[i]) + 5e-5, "the runs must report the same losses:\n"
                    + doneLine(one.output()) + "\n" + doneLine(split.output()));
        }
        ModelWeights x = Checkpoint.loadWeights(oneRankDir), y = Checkpoint.loadWeights(dir.resolve("split"));
        double worst = 0, scale = 0;
        for (int p = 0; p < x.parameters().size(); p++) {
            FloatArray u = x.parameters().get(p).value(), w = y.parameters().get(p).value();
            for (long e = 0; e < u.getSize(); e++) {
                scale = Math.max(scale, Math.abs(u.get(e)));
                worst = Math.max(worst, Math.abs(u.get(e) - w.get(e)));
            }
        }
        assertTrue(worst <= (bf16 ? 1e-2 : 1e-4) * scale, "weights differ by " + worst + " (largest weight " + scale + ")");
    }

    /** The training loss and validation bits per byte of the run's 'done:' line. */
    private static double[] losses(String output) {
        Matcher m = Pattern.compile("training loss ([0-9.]+) nats/byte, validation ([0-9.]+) bits/byte").matcher(doneLine(output));
        assertTrue(m.find(), doneLine(output));
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /** The seed's attention example with a segment across ranks (4,096 tokens, segment 2,048): the same output on 1, 2 and 4 ranks. */
    @Test
    void attentionAcrossRanksEqualsOneRank() throws Exception {
        String[] args = {"--device", DEVICE, "attention", "--seq-len", "4096", "--segment", "2048", "--dilation", "4", "--runs", "1",
                "--sequence-parallel"};
        String one = checksum(MpiRun.run(1, 300, List.of(), LongNet.class, args).output());
        for (int ranks : new int[] {2, 4}) {
            assertEquals(one, checksum(MpiRun.run(ranks, 300, List.of(), LongNet.class, args).output()), "output on " + ranks + " ranks");
        }
    }

    private static String checksum(String output) {
        Matcher m = Pattern.compile("sum (-?[0-9.]+), sum of \\|y\\| ([0-9.]+)").matcher(output);
        assertTrue(m.find(), "no checksum in:\n" + output);
        // fp32 sums over a million values, in another order on each rank count: equal to about 7 digits
        return String.format("%.3e %.5e", Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
    }

    @Test
    void aKilledRankEndsTheJobAndLeavesTheLastCheckpoint(@TempDir Path dir) throws Exception {
        Path data = text(dir), out = dir.resolve("run"), log = dir.resolve("mpirun.log");
        List<String> args = new ArrayList<>(train(DEVICE, data, out, 100_000));
        args.addAll(List.of("--save-every", "2", "--sequence-parallel"));
        Process mpirun = MpiRun.start(2, log, List.of(), LongNet.class, args.toArray(String[]::new));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            // The run keeps its newest checkpoints only: wait for any from step 4 on (a fast device passes step 4 between two looks).
            while (newestStep(out) < 4 && System.nanoTime() < deadline && mpirun.isAlive()) {
                Thread.sleep(200);
            }
            assertTrue(newestStep(out) >= 4, "no checkpoint from step 4 on:\n" + Files.readString(log));
            ProcessHandle rank = mpirun.descendants().filter(h -> h.info().command().orElse("").endsWith("java"))
                    .reduce((first, second) -> second).orElseThrow();
            long killed = System.nanoTime();
            new ProcessBuilder("kill", "-9", Long.toString(rank.pid())).start().waitFor();
            assertTrue(mpirun.waitFor(60, TimeUnit.SECONDS), "the job still ran 60 s after a rank was killed:\n" + Files.readString(log));
            String output = Files.readString(log);
            assertNotEquals(0, mpirun.exitValue(), output);
            assertTrue(output.contains("signal 9"), "mpirun must say which rank was killed:\n" + output);
            assertTrue(System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(60));
            Path last = Checkpoint.resolve(out);
            ModelWeights weights = new ModelWeights(ModelConfig.load(last.resolve("config.json")), 0);
            Checkpoint.State state = Checkpoint.loadAll(last, weights);
            assertTrue(state.step() >= 4 && state.step() % 2 == 0, "newest checkpoint " + last + " at step " + state.step());
        } finally {
            mpirun.descendants().forEach(ProcessHandle::destroyForcibly);
            mpirun.destroyForcibly();
        }
    }

    /** The newest step of a checkpoint folder in {@code out}, 0 before the first. */
    private static long newestStep(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return 0;
        }
        try (var folders = Files.list(out)) {
            return folders.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d{7}"))
                    .mapToLong(n -> Long.parseLong(n.substring(5))).max().orElse(0);
        }
    }

    private static String doneLine(String output) {
        Matcher m = Pattern.compile("(?m)^done: .*$").matcher(output);
        assertTrue(m.find(), "no 'done:' line in:\n" + output);
        return m.group();
    }

    /** About 60 KB of English-like text: enough for 256-byte windows in both the training and validation parts. */
    private static Path text(Path dir) throws IOException {
        StringBuilder s = new StringBuilder();
        String[] words = {"the", "jury", "said", "that", "a", "long", "sequence", "of", "words", "can", "be", "split", "across", "ranks",
                "and", "every", "rank", "holds", "one", "chunk", "while", "keys", "travel"};
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        while (s.length() < 60_000) {
            s.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? ".\n" : " ");
        }
        Path file = dir.resolve("text.txt");
        Files.writeString(file, s);
        return file;
    }
}
