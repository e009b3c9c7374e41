package org.longnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.attention.Positions;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.Checkpoint;
import org.longnet.train.History;
import org.longnet.train.TrainSettings;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad arguments and broken checkpoints get one clear line naming the parameter or file, and exit codes 2 and 1. */
class CliTest {
    /** A command's exit code, what it printed as errors, and what it printed to standard output (help included). */
    record Outcome(int code, String err, String out) {
    }

    static Outcome run(String... args) {
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        StringWriter err = new StringWriter(), help = new StringWriter();
        System.setOut(new java.io.PrintStream(printed, true));
        int code;
        try {
            // made after System.out is replaced: picocli's default handler keeps the System.out of its making
            CommandLine cli = LongNet.commandLine();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(help, true));
            code = cli.execute(args);
        } finally {
            System.setOut(stdout);
        }
        return new Outcome(code, err.toString(), help + printed.toString());
    }

    static void expect(int code, String message, String... args) {
        Outcome o = run(args);
        assertEquals(code, o.code(), "exit code of longnet " + String.join(" ", args) + "; said: " + o.err());
        assertTrue(o.err().contains(message), "longnet " + String.join(" ", args) + " should say '" + message + "', said: " + o.err());
    }

    @Test
    void badTrainingArguments(@TempDir Path dir) throws IOException {
        expect(2, "--batch must be >= 1, was 0", "train", "--batch", "0", "--out", dir.toString());
        expect(2, "--steps must be >= 1, was -5", "train", "--steps", "-5", "--out", dir.toString());
        expect(2, "--preset huge is not a preset; use tiny, base or passkey", "train", "--preset", "huge");
        expect(2, "--task story is not a task; use lm or passkey", "train", "--task", "story");
        expect(2, "--task passkey makes its own sequences; drop --data", "train", "--task", "passkey", "--data", "x.txt");
        expect(2, "--seq-len 60 is too short for the pass-key task", "train", "--task", "passkey", "--preset", "tiny", "--seq-len", "60",
                "--out", dir.toString());
        expect(2, "--passkey-trials must be >= 1, was 0", "train", "--task", "passkey", "--passkey-trials", "0");
        expect(2, "--passkey-spacing wide is not a spacing; use even, octaves or far", "train", "--task", "passkey", "--passkey-spacing", "wide");
        expect(2, "--segment-lengths and --dilation-rates go together", "train", "--segment-lengths", "64,128");
        expect(2, "--rotary-base must be a finite number > 1, was 0.5", "train", "--rotary-base", "0.5");
        expect(2, "--recompute-attention says what --recompute recomputes; add --recompute or drop it", "train", "--recompute-attention",
                "--out", dir.toString());
        expect(2, "--init takes the model from " + dir + "; drop --rotary-base", "train", "--init", dir.toString(), "--rotary-base", "1e6");
        expect(2, "--init takes the model from " + dir + "; drop --preset", "train", "--init", dir.toString(), "--preset", "base");
        expect(2, "segment lengths must strictly increase, but 64 follows 128", "train", "--segment-lengths", "128,64",
                "--dilation-rates", "1,2");
        expect(2, "--lr must be in (0, 1), was 3.0", "train", "--lr", "3", "--out", dir.toString());
        expect(2, "--warmup must be between 0 and --steps (10), was 20", "train", "--steps", "10", "--warmup", "20");
        expect(2, "--data " + dir.resolve("missing.txt") + " does not exist", "train", "--data", dir.resolve("missing.txt").toString(),
                "--out", dir.toString());
        Path small = Files.writeString(dir.resolve("small.txt"), "too short");
        expect(2, "holds 9 bytes; training needs at least 1024", "train", "--data", small.toString(), "--out", dir.toString());
        Path text = Files.writeString(dir.resolve("text.txt"), "Some English words. ".repeat(100));
        expect(2, String.format("--seq-len 4000 needs at least %,d bytes of text for training and validation (the last 5%% validates "
                + "and must hold a window of 4,001 bytes); --data %s has 2,000: give a larger text file, or --seq-len 99 or less",
                TrainingText.bytesNeeded(4000), text), "train", "--data", text.toString(), "--seq-len", "4000", "--out", dir.toString());
        expect(2, "drop --batch", "train", "--resume", "--batch", "4", "--out", dir.toString());
        expect(1, "neither a checkpoint", "train", "--resume", "--out", dir.toString());
        expect(2, "Unknown option: '--bogus'", "train", "--bogus");
    }

    /** The README's 1M-token example on the Brown corpus: refused at once, saying how much text it needs. */
    @Test
    void aCorpusTooShortForTheSequenceLengthIsRefusedBeforeAnyModelIsMade(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("brown.txt"), "The jury said. ".repeat(400)); // 6,000 bytes as the cached Brown corpus
        String cache = System.getProperty("longnet.dataCache");
        System.setProperty("longnet.dataCache", dir.toString());
        try {
            String[] args = {"train", "--preset", "base", "--seq-len", "1048576", "--recompute", "--positions", "rotary", "--steps", "2",
                    "--out", dir.resolve("run").toString()};
            Outcome o = run(args);
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().contains(String.format("--seq-len 1048576 needs at least %,d bytes of text for training and validation "
                    + "(the last 5%% validates and must hold a window of 1,048,577 bytes); the Brown corpus has 6,000: give --data with a "
                    + "larger text file, or --seq-len 299 or less", TrainingText.bytesNeeded(1048576))), o.err());
            assertTrue(!o.out().contains("device:"), "refused before the device and the model: " + o.out());
        } finally {
            if (cache == null) {
                System.clearProperty("longnet.dataCache");
            } else {
                System.setProperty("longnet.dataCache", cache);
            }
        }
    }

    /** The fewest bytes that --seq-len needs hold a window in both parts of the text; one byte fewer does not. */
    @Test
    void bytesNeededIsTheLeastThatHoldsAWindowInBothParts(@TempDir Path dir) throws IOException {
        for (int seqLen : new int[] {1023, 4000, 65536}) {
            long needed = TrainingText.bytesNeeded(seqLen);
            Path enough = Files.write(dir.resolve("enough.txt"), new byte[(int) needed]);
            TrainingText.checkWindow(TrainingText.load(enough.toString()), enough.toString(), seqLen);
            Path short1 = Files.write(dir.resolve("short.txt"), new byte[(int) needed - 1]);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> TrainingText.checkWindow(TrainingText.load(short1.toString()), short1.toString(), seqLen));
        }
    }

    @Test
    void badGenerationArguments(@TempDir Path dir) throws IOException {
        Path run = checkpoint(dir);
        expect(2, "--top-k must be between 1 and 256, was 0", "generate", "--checkpoint", run.toString(), "--top-k", "0");
        expect(2, "--temperature must be between 0 and 100, was -1.0", "generate", "--checkpoint", run.toString(), "--temperature", "-1");
        expect(2, "--batches must be >= 1, was 0", "eval", "--checkpoint", run.toString(), "--batches", "0");
    }

    /**
     * --init starts a new run (its own settings, step 1 onwards) from a checkpoint's weights and
     * shape; eval of a pass-key run (here with octave spacing) measures retrieval, not text.
     */
    @Test
    void initStartsANewRunFromACheckpoint(@TempDir Path dir) throws IOException {
        Path from = checkpoint(dir), to = dir.resolve("longer");
        Outcome o = run("train", "--init", from.toString(), "--task", "passkey", "--seq-len", "200", "--batch", "2", "--steps", "2",
                "--passkey-trials", "1", "--passkey-spacing", "octaves", "--out", to.toString());
        assertEquals(0, o.code(), o.err());
        Path step = Checkpoint.resolve(to);
        assertEquals(ModelConfig.load(from.resolve("step-0000001/config.json")), ModelConfig.load(step.resolve("config.json")));
        assertEquals(200, Checkpoint.settings(to).seqLen());
        assertEquals("passkey-octaves", Checkpoint.settings(to).data(), "the run keeps its spacing for --resume and eval");
        assertTrue(Files.readString(to.resolve("passkey.csv")).startsWith("distance_from,distance_to,retrieved,trials,accuracy\n"
                        + org.longnet.data.PassKeyTask.minDistance() + "," + org.longnet.data.PassKeyTask.maxDistance(200) + ","),
                Files.readString(to.resolve("passkey.csv")));
        String printed = printedBy("eval", "--checkpoint", to.toString(), "--batches", "2");
        assertTrue(printed.contains("distance " + " ".repeat(5) + org.longnet.data.PassKeyTask.minDistance() + " to "
                + " ".repeat(4) + org.longnet.data.PassKeyTask.maxDistance(200) + ":"), printed);
        assertTrue(printed.contains(" of 2 retrieved"), printed);
    }

    @Test
    void benchAttentionBreaksTheTimeDownByKernel(@TempDir Path dir) throws IOException {
        String printed = printedBy("bench", "attention", "--min-len", "300", "--max-len", "300", "--heads", "2", "--segment-lengths",
                "64,128", "--dilation-rates", "1,2", "--dense-max-len", "0", "--repeats", "1", "--breakdown", "--out", dir.toString());
        for (String task : new String[] {"fwd.attnPair0", "fwd.attnPair1", "bwd.attnGradQ1", "bwd.attnGradKV0"}) {
            assertTrue(printed.lines().anyMatch(l -> l.trim().startsWith(task + " ") && l.contains(" ms ") && l.contains(" TF/s ")),
                    task + " in: " + printed);
        }
        assertTrue(printed.contains("(w=128, r=2)"), printed);
        assertTrue(printed.contains("dilated N=300 (1 of at most 1): repeat 1/1  elapsed "), "a progress line says what runs: " + printed);
        try (var csv = Files.list(dir)) { // named after the default device, which is a GPU where there is one
            Path written = csv.filter(f -> f.getFileName().toString().matches("attention-.*\\.csv")).findFirst().orElseThrow();
            assertTrue(Files.readString(written).contains(",dilated,300,"), Files.readString(written));
        }
    }

    /** --in-place: the pairs' backward summed over the chunks (four of 128 positions here), the rounding pass, less memory. */
    @Test
    void benchAttentionRunsTheInPlaceBackward(@TempDir Path dir) throws IOException {
        String[] run = {"bench", "attention", "--matrix-units", "--min-len", "512", "--max-len", "512", "--heads", "4", "--segment-lengths",
                "64,128", "--dilation-rates", "1,2", "--dense-max-len", "0", "--repeats", "1", "--breakdown", "--out", dir.toString()};
        String standard = printedBy(run);
        String[] inPlaceRun = java.util.Arrays.copyOf(run, run.length + 1);
        inPlaceRun[run.length] = "--in-place";
        String inPlace = printedBy(inPlaceRun);
        for (String task : new String[] {"bwd.attnGrad0", "bwd.attnGrad1"}) {
            assertEquals(1, inPlace.lines().filter(l -> l.trim().startsWith(task + " ") && l.contains(" TF/s ")).count(), task + " once in: " + inPlace);
        }
        assertTrue(inPlace.lines().anyMatch(l -> l.trim().startsWith("bwd.attnRound ")), inPlace);
        assertTrue(inPlace.contains("dK and dV over K and V by the TMA-fed backward, 8 chunks a sequence"), inPlace);
        assertTrue(memoryMiB(inPlace) < memoryMiB(standard), "14 bytes per element against 20: " + memoryMiB(inPlace) + " MiB, "
                + memoryMiB(standard));
    }

    /** The MiB column of a bench's "dilated" row. */
    private static double memoryMiB(String printed) {
        String row = printed.lines().filter(l -> l.matches("dilated +\\d+ .*")).findFirst().orElseThrow(() -> new AssertionError(printed));
        return Double.parseDouble(row.trim().split("\\s+")[7]);
    }

    /** Runs of a benchmark never overwrite each other: each writes its own CSV and PNG and says where; --replot draws a given CSV. */
    @Test
    void eachBenchmarkRunWritesFilesOfItsOwn(@TempDir Path dir) throws IOException {
        String[] attention = {"bench", "attention", "--min-len", "128", "--max-len", "128", "--heads", "1", "--head-dim", "16",
                "--segment-lengths", "64", "--dilation-rates", "1", "--dense-max-len", "0", "--repeats", "1", "--out", dir.toString()};
        String[] engine = {"bench", "engine", "--copy-mib", "1", "--gemm-size", "32", "--repeats", "1", "--launches", "2",
                "--out", dir.toString()};
        java.util.Set<Path> written = new java.util.HashSet<>();
        for (String[] run : List.of(attention, attention, engine)) {
            String printed = printedBy(run);
            String line = printed.lines().filter(l -> l.startsWith("wrote ")).findFirst().orElseThrow(() -> new AssertionError(printed));
            Path csv = Path.of(line.substring("wrote ".length()).split(" and |; ")[0]);
            assertTrue(csv.getFileName().toString().matches("(attention|engine)-[a-z0-9-]+-\\d{8}-\\d{6}(-\\d+)?\\.csv"), line);
            assertTrue(Files.size(csv) > 0 && written.add(csv), "a new, non-empty CSV: " + line);
            assertEquals(canDraw(), line.contains(" and "), line);
        }
        Path first = written.stream().filter(f -> f.getFileName().toString().startsWith("attention")).findFirst().orElseThrow();
        Path png = dir.resolve(first.getFileName().toString().replace(".csv", ".png"));
        Files.deleteIfExists(png);
        if (canDraw()) {
            assertTrue(printedBy("bench", "attention", "--replot", first.toString()).contains("wrote " + png), "replot draws beside the CSV");
            assertTrue(Files.isRegularFile(png));
        }
    }

    /** Charts need java.desktop, which the runtime sent to the GPU machine leaves out. */
    private static boolean canDraw() {
        return ModuleLayer.boot().findModule("java.desktop").isPresent();
    }

    @Test
    void attentionShowsWhichPassRuns() {
        String printed = printedBy("attention", "--seq-len", "128", "--d-model", "32", "--heads", "2", "--segment", "32", "--runs", "2");
        for (String step : new String[] {"forward of 1 x 128 tokens: warm-up pass (compiles the kernels)  elapsed ", "timed pass 1/2  elapsed ",
                "timed pass 2/2  elapsed ", "forward of 1 x 128 tokens: done  elapsed "}) {
            assertTrue(printed.contains(step), step + " in: " + printed);
        }
        assertTrue(printed.contains("output (batch, seqLen, dModel) = (1, 128, 32)"), printed);
    }

    /** Each precision runs the seed's layer shape; the checksum is the output copied back, and the copies are timed apart. */
    @Test
    void attentionRunsInEachPrecision() {
        for (String precision : new String[] {"fp16", "bf16", "fp32"}) {
            String printed = printedBy("attention", "--seq-len", "200", "--d-model", "128", "--heads", "2", "--runs", "1",
                    "--precision", precision);
            assertTrue(printed.contains("precision " + precision + "; attention kernels: small blocks ("
                    + precision + " Q, K, V, O; fp32 math)"), printed);
            assertTrue(printed.matches("(?s).*sum -?\\d+\\.\\d+, sum of \\|y\\| \\d+\\.\\d+.*"), printed);
            assertTrue(printed.contains("input on the device, output left there"), printed);
            assertTrue(printed.matches("(?s).*copies \\(pageable host memory, \\d+\\.\\d MiB each way\\): host to device \\d+\\.\\d+ ms, "
                    + "device to host \\d+\\.\\d+ ms.*"), printed);
        }
        String tf32 = printedBy("attention", "--seq-len", "200", "--d-model", "128", "--heads", "2", "--runs", "1", "--fp32-products", "tf32");
        assertTrue(tf32.contains("precision fp32 (TF32 products)"), tf32);
    }

    /** What a command prints to standard output (the bench and eval tables go there); fails on a non-zero exit. */
    static String printedBy(String... args) {
        Outcome o = run(args);
        assertEquals(0, o.code(), "exit code of longnet " + String.join(" ", args) + "; said: " + o.err());
        return o.out();
    }

    @Test
    void brokenCheckpoints(@TempDir Path dir) throws IOException {
        Path run = checkpoint(dir);
        Path step = Checkpoint.resolve(run);
        Path weights = step.resolve("model.safetensors");
        long size = Files.size(weights);
        try (FileChannel ch = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            ch.truncate(size - 100);
        }
        expect(1, weights + " is not a valid safetensors file", "generate", "--checkpoint", run.toString());

        Files.writeString(step.resolve("config.json"), "{\"architecture\": \"longnet-decoder\", \"layers\": \"two\"}");
        expect(1, "layers must be an integer", "generate", "--checkpoint", run.toString());

        Files.writeString(run.resolve("latest"), "step-0000999\n");
        expect(1, "names step-0000999, which holds no model.safetensors", "generate", "--checkpoint", run.toString());
    }

    /** A freshly initialised model saved as a run's step-1 checkpoint. */
    static Path checkpoint(Path dir) throws IOException {
        Path run = dir.resolve("run");
        ModelWeights weights = new ModelWeights(new ModelConfig(1, 16, 2, 32, 256, new int[] {16}, new int[] {1}, Positions.ROTARY, true), 1);
        Checkpoint.save(run, weights, new Checkpoint.State(1, new TrainSettings("text.txt", 1, 32, 10, 1e-3, 1, 5, 1, 5, 1, false),
                new History()));
        return run;
    }
}
