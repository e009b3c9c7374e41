package org.longnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.train.Checkpoint;
import org.longnet.train.RunFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's folder as users abuse it: two runs into one folder, the same command run twice, a run killed with
 * kill -9 and resumed, a run resumed from another folder with its text moved, and two identical runs in two
 * processes. Nothing is lost or mixed, and every refusal is one line that says what to do.
 */
class RunFolderCliTest {
    /** A short run of the tiny preset on {@code text} into {@code out}, with {@code more} options. */
    static String[] train(Path text, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", text.toString(), "--seq-len", "64", "--batch", "2",
                "--eval-batches", "1", "--sample-length", "0", "--out", out.toString()));
        args.addAll(List.of(more));
        if (!args.contains("--steps")) {
            args.addAll(List.of("--steps", "2"));
        }
        return args.toArray(String[]::new);
    }

    /** About 20 KB of English-like words. */
    static Path text(Path dir, String name, long seed) throws IOException {
        String[] words = {"the", "jury", "said", "that", "a", "long", "sequence", "of", "words", "can", "be", "split", "into", "bytes"};
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        StringBuilder s = new StringBuilder();
        while (s.length() < 20_000) {
            s.append(words[r.nextInt(words.length)]).append(r.nextInt(12) == 0 ? ".\n" : " ");
        }
        return Files.writeString(dir.resolve(name), s);
    }

    /**
     * A second run into a folder that a running run holds is refused naming the holder's PID; after the holder is
     * killed with kill -9 the folder is free, the temporary checkpoint a kill leaves is removed, and the run resumes.
     */
    @Test
    void aSecondRunIntoAHeldFolderIsRefusedAndAKilledRunResumes(@TempDir Path dir) throws Exception {
        Path text = text(dir, "text.txt", 1), out = dir.resolve("run"), log = dir.resolve("first.log");
        Process first = LongNetProcess.start(dir, log, train(text, out, "--steps", "1000000", "--warmup", "0", "--save-every", "2",
                "--eval-every", "1000000"));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(Checkpoint.stepFolder(out, 2)) && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(Checkpoint.stepFolder(out, 2)), "the first run made no checkpoint:\n"
                    + Files.readString(log, StandardCharsets.ISO_8859_1));
            assertEquals(first.pid() + "\n", Files.readString(out.resolve(RunFolder.LOCK)));
            String held = "--out " + out + " is in use by another run (PID " + first.pid() + "); wait for it to end, or give another --out";
            CliTest.Outcome second = CliTest.run(train(text, out, "--overwrite"));
            assertEquals(1, second.code(), second.err());
            assertEquals("longnet: " + held + "\n", second.err());
            CliTest.Outcome resumed = CliTest.run("train", "--resume", "--out", out.toString());
            assertEquals("longnet: " + held + "\n", resumed.err());
        } finally {
            first.destroyForcibly(); // kill -9
            first.waitFor(30, TimeUnit.SECONDS);
        }
        Path stray = Files.createDirectories(out.resolve(".step-0000099-4711"));
        Files.writeString(stray.resolve("model.safetensors"), "half a checkpoint");
        long step = Checkpoint.state(out).step();
        CliTest.Outcome o = CliTest.run("train", "--resume", "--out", out.toString(), "--steps", Long.toString(step + 1), "--sample-length", "0");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("removed what an interrupted run left in " + out + ": ") && o.out().contains(".step-0000099-4711"),
                o.out());
        assertTrue(!Files.exists(stray), "the temporary folder is gone");
        assertEquals(step + 1, Checkpoint.state(out).step());
    }

    /** Running the same command twice refuses the second (the first run is untouched); --overwrite deletes it and says so. */
    @Test
    void aNewRunIntoAFolderThatHoldsOneIsRefused(@TempDir Path dir) throws IOException {
        Path text = text(dir, "text.txt", 1), out = dir.resolve("run");
        assertEquals(0, CliTest.run(train(text, out)).code());
        Path step = Checkpoint.stepFolder(out, 2);
        byte[] weights = Files.readAllBytes(step.resolve("model.safetensors")), curve = Files.readAllBytes(out.resolve("loss.csv"));
        CliTest.Outcome again = CliTest.run(train(text, out, "--seed", "7"));
        assertEquals(2, again.code(), again.err());
        assertTrue(again.err().startsWith("longnet: --out " + out + " holds a run already (latest, loss.csv, ") && again.err().endsWith(
                "step-0000001, step-0000002); continue it with --resume, give another --out, or add --overwrite to delete it and start "
                        + "over\n"), again.err());
        assertTrue(!again.out().contains("device:"), "refused before any work: " + again.out());
        assertArrayEquals(weights, Files.readAllBytes(step.resolve("model.safetensors")), "the first run's checkpoint is untouched");
        assertArrayEquals(curve, Files.readAllBytes(out.resolve("loss.csv")));

        Files.writeString(out.resolve("notes.txt"), "mine");
        CliTest.Outcome overwritten = CliTest.run(train(text, out, "--seed", "7", "--overwrite"));
        assertEquals(0, overwritten.code(), overwritten.err());
        assertTrue(overwritten.out().contains("--overwrite: deleted the run " + out + " held: latest, loss.csv, "), overwritten.out());
        assertTrue(!java.util.Arrays.equals(weights, Files.readAllBytes(step.resolve("model.safetensors"))), "a new run, seed 7");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")), "files of the user's own stay");
    }

    /**
     * --profile writes where the step's device time went beside the checkpoints: profile.csv with every task the table printed
     * (the total last, whose milliseconds are the tasks' sum) and profile.png; --overwrite deletes them with the run.
     */
    @Test
    void aProfiledRunWritesItsProfileAndOverwriteDeletesIt(@TempDir Path dir) throws IOException {
        Path text = text(dir, "text.txt", 1), out = dir.resolve("run");
        CliTest.Outcome o = CliTest.run(train(text, out, "--steps", "3", "--profile"));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("profile: " + out.resolve("profile.csv") + " and profile.png"), o.out());
        List<String> lines = Files.readAllLines(out.resolve("profile.csv"));
        assertEquals("task,ms_per_step,share", lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("total,"), lines.toString());
        double sum = 0;
        for (String line : lines.subList(1, lines.size() - 1)) {
            String[] cells = line.split(",");
            assertTrue(o.out().contains(cells[0]), "a task the table printed: " + cells[0]);
            sum += Double.parseDouble(cells[1]);
        }
        double total = Double.parseDouble(lines.get(lines.size() - 1).split(",")[1]);
        assertTrue(lines.size() > 3 && total > 0 && Math.abs(sum - total) <= 1e-9 * total, "the rows add up to the total: " + lines);
        assertTrue(Files.size(out.resolve("profile.png")) > 0);
        CliTest.Outcome overwritten = CliTest.run(train(text, out, "--overwrite"));
        assertEquals(0, overwritten.code(), overwritten.err());
        assertTrue(overwritten.out().contains("profile.csv, profile.png"), overwritten.out());
        assertTrue(!Files.exists(out.resolve("profile.csv")) && !Files.exists(out.resolve("profile.png")), "deleted with the run");
    }

    /** --out must be a folder that can be written; a file, or a path through a file, is refused before any work. */
    @Test
    void outMustBeAWritableFolder(@TempDir Path dir) throws IOException {
        Path text = text(dir, "text.txt", 1), file = Files.writeString(dir.resolve("file"), "x");
        CliTest.Outcome o = CliTest.run(train(text, file));
        assertEquals(2, o.code(), o.err());
        assertEquals("longnet: --out " + file + " is a file, not a folder; give a folder for the run's checkpoints\n", o.err());
        o = CliTest.run(train(text, file.resolve("run")));
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().startsWith("longnet: --out " + file.resolve("run") + ": cannot create the folder: "), o.err());
        assertTrue(!o.out().contains("device:"), "refused before any work: " + o.out());
    }

    /**
     * A run started with relative paths resumes from any folder (its text's path is kept absolute); a text that
     * moved is named by --resume --data, and only the same text (size and SHA-256) is taken.
     */
    @Test
    void aRunResumesFromAnotherFolderAndFindsItsMovedText(@TempDir Path dir) throws Exception {
        Path start = Files.createDirectories(dir.resolve("start"));
        Path text = text(start, "text.txt", 1);
        LongNetProcess.run(start, 300, train(Path.of("text.txt"), Path.of("run")));
        Path run = start.resolve("run");
        assertEquals(text.toString(), Checkpoint.settings(run).data(), "the text's path is absolute");

        CliTest.Outcome o = CliTest.run("train", "--resume", "--out", run.toString(), "--steps", "3", "--sample-length", "0");
        assertEquals(0, o.code(), o.err());
        Path moved = Files.move(text, dir.resolve("moved.txt"));
        o = CliTest.run("train", "--resume", "--out", run.toString(), "--steps", "4", "--sample-length", "0");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().startsWith("longnet: the run's text " + text + " is missing; say where it is now with --resume --data FILE "
                + "(the same text: 20,"), o.err());
        Path other = text(dir, "other.txt", 2);
        o = CliTest.run("train", "--resume", "--data", other.toString(), "--out", run.toString(), "--steps", "4", "--sample-length", "0");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().startsWith("longnet: --data " + other + " is not the text the run was trained on: it has "), o.err());
        o = CliTest.run("train", "--resume", "--data", moved.toString(), "--out", run.toString(), "--steps", "4", "--sample-length", "0");
        assertEquals(0, o.code(), o.err());
        assertEquals(moved.toString(), Checkpoint.settings(run).data(), "the checkpoint keeps the text's new place");
        assertEquals(4, Checkpoint.state(run).step());
    }

    /** Two identical runs in two processes write the same bytes: checkpoints, curves and sample. */
    @Test
    void identicalRunsWriteIdenticalFiles(@TempDir Path dir) throws Exception {
        Path text = text(dir, "text.txt", 1), here = dir.resolve("here"), there = dir.resolve("there");
        CliTest.Outcome o = CliTest.run(withSample(train(text, here)));
        assertEquals(0, o.code(), o.err());
        LongNetProcess.run(dir, 300, withSample(train(text, there)));
        List<String> files = relativeFiles(here);
        assertEquals(files, relativeFiles(there));
        assertTrue(files.contains("step-0000002/model.safetensors") && files.contains("sample.txt"), files.toString());
        for (String f : files) {
            if (!f.equals(RunFolder.LOCK) && !f.equals("loss.png")) { // the lock holds the PID; the PNG is not the model's
                assertArrayEquals(Files.readAllBytes(here.resolve(f)), Files.readAllBytes(there.resolve(f)), f);
            }
        }
    }

    private static String[] withSample(String[] args) {
        List<String> out = new ArrayList<>(List.of(args));
        int at = out.indexOf("--sample-length");
        out.set(at + 1, "20");
        return out.toArray(String[]::new);
    }

    private static List<String> relativeFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
