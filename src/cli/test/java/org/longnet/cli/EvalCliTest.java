package org.longnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.attention.Positions;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.Checkpoint;
import org.longnet.train.History;
import org.longnet.train.TrainSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.cli.CliTest.expect;
import static org.longnet.cli.CliTest.printedBy;

/**
 * {@code longnet eval}'s files: several text models in one table, eval.csv and eval.png (drawn again from the CSV with
 * --replot), the pass-key model's passkey-eval.csv; and {@code train --init} with attention pairs of its own.
 */
class EvalCliTest {
    @TempDir
    Path dir;

    /** Two models trained at 32 and 64 bytes, measured at three lengths: one table, one CSV of six rows, one chart. */
    @Test
    void severalModelsGoIntoOneTableAndOneChart() throws IOException {
        Path text = RunFolderCliTest.text(dir, "text.txt", 1);
        Path short1 = model("short", 32), long1 = model("long", 64), out = dir.resolve("context");
        String printed = printedBy("eval", "--checkpoint", short1.toString(), "--checkpoint", long1.toString(), "--data", text.toString(),
                "--lengths", "16,32,64", "--batches", "2", "--out", out.toString());
        assertTrue(printed.contains(String.format("%-22s %16s %16s", "bits/byte at length", "trained 32", "trained 64")), printed);
        assertTrue(printed.lines().anyMatch(l -> l.matches("64 +\\d+\\.\\d{4} +\\d+\\.\\d{4}")), "a row of the table per length: " + printed);
        List<String> csv = Files.readAllLines(out.resolve("eval.csv"));
        assertEquals(EvalFiles.TEXT_HEADER, csv.getFirst());
        assertEquals(7, csv.size(), String.join("\n", csv));
        String folder = Checkpoint.resolve(short1).toString();
        assertTrue(csv.get(1).startsWith(folder + ",32,16,"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",8,full") && csv.get(2).endsWith(",4,full"), "every length reads the same 2 x 64 bytes: 8 windows of "
                + "16, 4 of 32, 2 of 64:\n" + String.join("\n", csv));
        assertTrue(csv.get(3).endsWith(",2,blockwise"), "64 bytes are beyond the 32 trained: read blockwise by default\n" + String.join("\n", csv));
        assertTrue(printed.contains("blockwise: windows of 32, half a window apart"), printed);
        String[] cells = csv.get(6).split(",");
        assertEquals(List.of("64", "64", "2", "full"), List.of(cells[1], cells[2], cells[5], cells[6]), csv.get(6));
        double bits = Double.parseDouble(cells[3]);
        assertTrue(bits > 0 && bits < 16, "an untrained byte model has about 8 bits per byte: " + bits);
        assertEquals(Math.pow(2, bits), Double.parseDouble(cells[4]), 1e-3, "perplexity is 2^(bits per byte)");
        Path png = out.resolve("eval.png");
        assertEquals(canDraw(), Files.isRegularFile(png), printed);
        if (canDraw()) {
            Files.delete(png);
            assertTrue(printedBy("eval", "--replot", out.resolve("eval.csv").toString()).contains("wrote " + png));
            assertTrue(Files.size(png) > 1000);
        }
    }

    /** Without --out the files go into the (first) checkpoint's folder; a CSV of another kind is refused for --replot. */
    @Test
    void filesGoBesideTheCheckpointAndOnlyEvalCsvsReplot() throws IOException {
        Path text = RunFolderCliTest.text(dir, "text.txt", 2);
        Path run = model("run", 32);
        printedBy("eval", "--checkpoint", run.toString(), "--data", text.toString(), "--lengths", "32", "--batches", "1");
        assertTrue(Files.readString(run.resolve("eval.csv")).contains(",32,32,"));
        printedBy("eval", "--checkpoint", run.toString(), "--data", text.toString(), "--lengths", "64", "--batches", "1", "--beyond-trained", "full");
        assertTrue(Files.readString(run.resolve("eval.csv")).strip().endsWith(",1,full"), "64 bytes in one whole window when asked for");
        BadInputCliTest.expectLine(2, "--beyond-trained sliding is not a way to read lengths beyond the trained one; use blockwise or full",
                "eval", "--checkpoint", run.toString(), "--beyond-trained", "sliding");
        Path other = Files.writeString(dir.resolve("loss.csv"), "step,loss\n1,2.0\n");
        expect(2, "--replot " + other + ": the first line is 'step,loss', not an eval CSV's header", "eval", "--replot", other.toString());
        expect(2, "--replot " + dir.resolve("none.csv") + " is not a file", "eval", "--replot", dir.resolve("none.csv").toString());
    }

    /** A pass-key model's accuracy per octave goes to passkey-eval.csv, one row per bin, with the model and the length. */
    @Test
    void passKeyModelsWriteTheirAccuracyPerOctave() throws IOException {
        Path from = model("lm", 64), run = dir.resolve("passkey");
        printedBy("train", "--init", from.toString(), "--task", "passkey", "--seq-len", "200", "--batch", "2", "--steps", "1",
                "--passkey-trials", "1", "--sample-length", "0", "--out", run.toString());
        String printed = printedBy("eval", "--checkpoint", run.toString(), "--lengths", "200,256", "--batches", "2");
        assertTrue(printed.contains("sequences of 256 tokens:"), printed);
        List<String> csv = Files.readAllLines(run.resolve("passkey-eval.csv"));
        assertEquals(EvalFiles.PASSKEY_HEADER, csv.getFirst());
        int bins200 = org.longnet.train.PassKeyAccuracy.bins(200).size(), bins256 = org.longnet.train.PassKeyAccuracy.bins(256).size();
        assertEquals(1 + bins200 + bins256, csv.size(), String.join("\n", csv));
        assertTrue(csv.getLast().startsWith(Checkpoint.resolve(run) + ",200,256,"), csv.getLast());
        assertTrue(csv.getLast().matches(".*,[0-2],2,[0-9.]+"), "retrieved of 2 trials: " + csv.getLast());
        assertEquals(canDraw(), Files.isRegularFile(run.resolve("passkey-eval.png")));

        // --near-batches: fewer sequences in every octave but the last two of each length
        printedBy("eval", "--checkpoint", run.toString(), "--lengths", "256", "--batches", "3", "--near-batches", "1");
        List<String> rows = Files.readAllLines(run.resolve("passkey-eval.csv")).subList(1, 1 + bins256);
        for (int i = 0; i < rows.size(); i++) {
            String trials = i >= rows.size() - 2 ? "3" : "1";
            assertTrue(rows.get(i).matches(".*,[0-9]+," + trials + ",[0-9.]+"), "bin " + i + " of " + rows.size() + ": " + rows.get(i));
        }
        BadInputCliTest.expectLine(2, "--near-batches must be", "eval", "--checkpoint", run.toString(), "--near-batches", "0");
    }

    /**
     * --init takes new attention pairs (they hold no weights): a curriculum adds a pair that reaches longer sequences. The
     * weights are the checkpoint's; a model whose weights would not fit is refused in one line.
     */
    @Test
    void initMayReplaceTheAttentionPairs() throws IOException {
        Path text = RunFolderCliTest.text(dir, "text.txt", 3);
        Path from = model("from", 64), to = dir.resolve("to");
        printedBy("train", "--init", from.toString(), "--data", text.toString(), "--segment-lengths", "16,64,256", "--dilation-rates", "1,2,2",
                "--seq-len", "128", "--batch", "1", "--steps", "1", "--lr", "1e-9", "--warmup", "0", "--eval-batches", "1",
                "--sample-length", "0", "--out", to.toString());
        ModelConfig trained = Checkpoint.config(to);
        assertArrayEquals(new int[] {16, 64, 256}, trained.segmentLengths());
        assertArrayEquals(new int[] {1, 2, 2}, trained.dilationRates());
        assertEquals(Checkpoint.config(from).withAttention(trained.segmentLengths(), trained.dilationRates(), Positions.ROTARY, 1e4f), trained);
        expect(2, "--segment-lengths and --dilation-rates go together", "train", "--init", from.toString(), "--segment-lengths", "16,64");
        expect(2, "; drop --positions", "train", "--init", from.toString(), "--positions", "xpos");
        ModelConfig wider = new ModelConfig(1, 32, 2, 32, 256, new int[] {16}, new int[] {1}, Positions.ROTARY, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadWeights(from, wider, s -> { }));
        assertEquals("the weights of " + Checkpoint.resolve(from).resolve("config.json") + " (1 layers, 16 wide, 2 heads, FFN 32, vocab 256, "
                + "tied) do not fit a model of 1 layers, 32 wide, 2 heads, FFN 32, vocab 256, tied; only the attention's segments and "
                + "dilations may change", e.getMessage());
    }

    /** The built-in corpora go by name; a file of such a name is ./NAME. */
    @Test
    void builtInCorporaGoByName() {
        assertEquals("gutenberg", TrainingText.dataName(Path.of("gutenberg")));
        assertEquals("brown", TrainingText.dataName(Path.of("brown")));
        assertEquals(Path.of("gutenberg").toAbsolutePath().normalize().toString(), TrainingText.dataName(Path.of("./gutenberg")));
    }

    /** A freshly initialised one-layer model saved as a run's step-1 checkpoint, trained (so its settings say) at {@code seqLen}. */
    private Path model(String name, int seqLen) throws IOException {
        Path run = dir.resolve(name);
        ModelWeights weights = new ModelWeights(new ModelConfig(1, 16, 2, 32, 256, new int[] {16}, new int[] {1}, Positions.ROTARY, true), 1);
        Checkpoint.save(run, weights, new Checkpoint.State(1, new TrainSettings("text.txt", 1, seqLen, 10, 1e-3, 1, 5, 1, 5, 1, false),
                new History()));
        return run;
    }

    private static boolean canDraw() {
        return ModuleLayer.boot().findModule("java.desktop").isPresent();
    }
}
