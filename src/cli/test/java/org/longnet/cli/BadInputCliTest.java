package org.longnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.attention.Positions;
import org.longnet.io.Json;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.Checkpoint;
import org.longnet.train.History;
import org.longnet.train.TrainSettings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile user types and leaves on disk: sizes no machine holds, damaged checkpoints, small mistakes.
 * Each gets one line that names the parameter or file, the value and what is allowed, before any work, with
 * exit code 2 for bad input and 1 for a damaged file.
 */
class BadInputCliTest {
    /** One line on standard error, with {@code code}, that starts with "longnet: " + {@code start}. */
    static CliTest.Outcome expectLine(int code, String start, String... args) {
        CliTest.Outcome o = CliTest.run(args);
        assertEquals(code, o.code(), "exit code of longnet " + String.join(" ", args) + "; said: " + o.err());
        assertTrue(o.err().startsWith("longnet: " + start) && o.err().indexOf('\n') == o.err().length() - 1,
                "longnet " + String.join(" ", args) + " should say in one line '" + start + "...', said: " + o.err());
        return o;
    }

    @Test
    void sizesNoMachineHoldsAreRefusedBeforeAnyWork(@TempDir Path dir) throws IOException {
        Path text = RunFolderCliTest.text(dir, "text.txt", 1);
        CliTest.Outcome o = expectLine(2, "--batch 1000000000 x --seq-len 256 is 256,000,000,000 tokens per step; the model takes at "
                + "most 8,388,607", "train", "--data", text.toString(), "--batch", "1000000000", "--out", dir.resolve("big").toString());
        assertTrue(!o.out().contains("model:"), "refused before the model is made: " + o.out());
        expectLine(2, "--data /dev/zero is not a regular file", "train", "--data", "/dev/zero", "--out", dir.resolve("zero").toString());

        Path run = CliTest.checkpoint(dir);
        Path step = Checkpoint.resolve(run), state = step.resolve("state.json"), config = step.resolve("config.json");
        expectLine(2, "--window 2,000,000,000 is more tokens than the model takes in one pass: at most 8,388,607", "generate",
                "--checkpoint", run.toString(), "--window", "2000000000");
        String saved = Files.readString(state);
        Files.writeString(state, saved.replace("\"seq_len\":32", "\"seq_len\":2147483647"));
        expectLine(2, "the default --window (seq_len in " + state + ") 2,147,483,647 is more tokens than the model takes in one pass",
                "generate", "--checkpoint", run.toString());
        expectLine(2, "the default --lengths (up to 4 x seq_len 2,147,483,647 of " + state + ") pass 2^31 - 1 tokens; give --lengths",
                "eval", "--checkpoint", run.toString(), "--data", text.toString());
        Files.writeString(state, saved.replace("\"batch\":1", "\"batch\":1000000000"));
        expectLine(2, "batch in " + state + " 1000000000 x seq_len 32 is 32,000,000,000 tokens per step", "train", "--resume", "--data",
                text.toString(), "--out", run.toString());
        Files.writeString(state, saved);
        String json = Files.readString(config);
        Files.writeString(config, json.replace("\"layers\":1", "\"layers\":1000").replace("\"d_model\":16", "\"d_model\":65536"));
        expectLine(2, config + ": a model of ", "generate", "--checkpoint", run.toString());
    }

    /** The attention command's precision options: one line naming the option, the value and the allowed ones. */
    @Test
    void attentionPrecisionsOutsideTheChoicesAreRefused() {
        expectLine(2, "--precision must be one of fp32, fp16, bf16; was 'fp8'", "attention", "--seq-len", "64", "--precision", "fp8");
        expectLine(2, "--precision must be one of fp32, fp16, bf16; was 'FP16 '", "attention", "--seq-len", "64", "--precision", "FP16 ");
        expectLine(2, "--fp32-products must be one of fp32, tf32; was 'tf16'", "attention", "--seq-len", "64", "--fp32-products", "tf16");
        expectLine(2, "--fp32-products tf32 applies to --precision fp32 only; was --precision bf16", "attention", "--seq-len", "64",
                "--precision", "bf16", "--fp32-products", "tf32");
    }

    /** The attention benchmark's in-place backward is the matrix units' with dQ added atomically: asked for otherwise, one line. */
    @Test
    void anInPlaceBackwardOffMatrixUnitsIsRefused() {
        expectLine(2, "--in-place runs the matrix-unit backward that adds dQ atomically: give --matrix-units\n", "bench", "attention",
                "--in-place", "--max-len", "1024");
        expectLine(2, "--in-place runs the matrix-unit backward that adds dQ atomically: give --matrix-units and leave out --deterministic\n",
                "bench", "attention", "--in-place", "--matrix-units", "--deterministic", "--max-len", "1024");
    }

    /** Each damage to a checkpoint is named in one line, exit code 1. */
    @Test
    void damagedCheckpointsAreRefusedInOneLine(@TempDir Path dir) throws IOException {
        Path text = RunFolderCliTest.text(dir, "text.txt", 1);
        record Damage(String what, String message, java.util.function.Function<Path, String> damage) {
        }
        List<Damage> damages = List.of(
                new Damage("config.json deleted", "config.json is missing", step -> delete(step.resolve("config.json"))),
                new Damage("state.json deleted", "state.json is missing", step -> delete(step.resolve("state.json"))),
                new Damage("latest outside", "it must name a step-NNNNNNN checkpoint folder", step -> write(step.resolveSibling("latest"),
                        "../elsewhere/step-0000001")),
                new Damage("config.json nested", "nested deeper than 64 levels", step -> write(step.resolve("config.json"),
                        "[".repeat(10_000) + "]".repeat(10_000))),
                new Damage("tensors swapped", "does not match its checksum", step -> swapTensors(step.resolve("model.safetensors"),
                        "layers.0.attn.q.weight", "layers.0.attn.k.weight")));
        for (int i = 0; i < damages.size(); i++) {
            Damage d = damages.get(i);
            Path run = CliTest.checkpoint(Files.createDirectories(dir.resolve("d" + i)));
            String file = d.damage().apply(Checkpoint.resolve(run));
            CliTest.Outcome o = CliTest.run("generate", "--checkpoint", run.toString(), "--length", "1");
            assertEquals(1, o.code(), d.what() + ": " + o.err());
            assertTrue(o.err().startsWith("longnet: ") && o.err().contains(file) && o.err().contains(d.message())
                    && o.err().indexOf('\n') == o.err().length() - 1, d.what() + ": " + o.err());
        }
        Path run = CliTest.checkpoint(Files.createDirectories(dir.resolve("optimizer")));
        Path optimizer = Checkpoint.resolve(run).resolve("optimizer.safetensors");
        Files.delete(optimizer);
        expectLine(1, optimizer + " is missing", "train", "--resume", "--data", text.toString(), "--out", run.toString());

        Path nan = dir.resolve("nan").resolve("run");
        ModelWeights weights = new ModelWeights(new ModelConfig(1, 16, 2, 32, 256, new int[] {16}, new int[] {1}, Positions.ROTARY, true), 1);
        weights.parameters().get(1).value().set(3, Float.NaN);
        Checkpoint.save(nan, weights, new Checkpoint.State(1, new TrainSettings(text.toString(), 1, 32, 10, 1e-3, 1, 5, 1, 5, 1, false),
                new History()));
        expectLine(1, Checkpoint.resolve(nan).resolve("model.safetensors") + ": tensor layers.0.attn_norm.weight holds NaN at element 3",
                "generate", "--checkpoint", nan.toString());
        expectLine(1, Checkpoint.resolve(nan).resolve("model.safetensors") + ": tensor layers.0.attn_norm.weight holds NaN at element 3",
                "eval", "--checkpoint", nan.toString());
    }

    @Test
    void smallMistakesGetOneLine(@TempDir Path dir) throws IOException {
        Path text = RunFolderCliTest.text(dir, "text.txt", 1), out = dir.resolve("run");
        expectLine(2, "--sample-length must be >= 0, was -5", "train", "--data", text.toString(), "--sample-length", "-5", "--out",
                out.toString());
        CliTest.Outcome device = expectLine(2, "--device '' names no device; use auto, jvm, opencl, opencl:P:D, cuda or cuda:D",
                "--device", "", "devices");
        assertTrue(device.err().endsWith(" ('longnet devices' lists them)\n"), device.err());
        CliTest.Outcome o = expectLine(2, "Invalid value for option '--batch': 'x' is not an int", "train", "--batch", "x");
        assertTrue(o.err().endsWith(" ('longnet train --help' lists the options)\n"), o.err());
        Path run = CliTest.checkpoint(dir);
        expectLine(2, "--prompt is not valid text: character 3 arrived as U+FFFD", "generate", "--checkpoint", run.toString(),
                "--prompt", "caf\uFFFD");
        String help = CliTest.printedBy("eval", "--help");
        assertTrue(help.contains("(its last 5%)"), "eval's description shows its 5%: " + help);
    }

    /** Resuming a run that reached its last step trains nothing and names the checkpoint it has. */
    @Test
    void resumingAFinishedRunNamesItsCheckpoint(@TempDir Path dir) throws IOException {
        Path text = RunFolderCliTest.text(dir, "text.txt", 1), out = dir.resolve("run");
        assertEquals(0, CliTest.run(RunFolderCliTest.train(text, out)).code());
        String printed = CliTest.printedBy("train", "--resume", "--out", out.toString(), "--sample-length", "0");
        assertTrue(printed.contains("the run has reached its last step already: nothing to train (--resume --steps N extends it)"), printed);
        assertTrue(printed.contains("; checkpoint " + Checkpoint.stepFolder(out, 2) + "\n") && !printed.contains("null"), printed);
    }

    private static String delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file.toString();
    }

    private static String write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file.toString();
    }

    /** Swaps the data of two tensors of one shape: every range stays valid, only the checksums can tell. */
    private static String swapTensors(Path file, String a, String b) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int headerLength = (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            Map<?, ?> header = (Map<?, ?>) Json.parse(new String(bytes, 8, headerLength, StandardCharsets.UTF_8));
            List<?> ra = (List<?>) ((Map<?, ?>) header.get(a)).get("data_offsets"), rb = (List<?>) ((Map<?, ?>) header.get(b)).get("data_offsets");
            int start = 8 + headerLength, from = start + ((Long) ra.get(0)).intValue(), to = start + ((Long) rb.get(0)).intValue();
            int n = ((Long) ra.get(1)).intValue() - ((Long) ra.get(0)).intValue();
            byte[] copy = java.util.Arrays.copyOfRange(bytes, from, from + n);
            System.arraycopy(bytes, to, bytes, from, n);
            System.arraycopy(copy, 0, bytes, to, n);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file.toString();
    }
}
