package org.longnet.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.attention.Positions;
import org.longnet.data.TextFingerprint;
import org.longnet.io.CorruptCheckpointException;
import org.longnet.io.Json;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.model.Parameter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints that are damaged, hostile or old: each is refused in one line naming the file and what is wrong,
 * or (an old checkpoint without checksums) loads with a note; identical saves are identical bytes.
 */
class CheckpointSafetyTest {
    @TempDir
    Path dir;

    static final ModelConfig CONFIG = new ModelConfig(1, 16, 2, 32, 256, new int[] {16}, new int[] {1}, Positions.ROTARY, true);
    static final TrainSettings SETTINGS = new TrainSettings("/data/text.txt", 1, 32, 10, 1e-3, 1, 5, 1, 5, 1, false);

    private Path save(String run, ModelWeights weights) throws IOException {
        TextFingerprint text = new TextFingerprint(2000, "ab".repeat(32));
        return Checkpoint.save(dir.resolve(run), weights, new Checkpoint.State(1, SETTINGS, new History(), text));
    }

    @Test
    void nonFiniteWeightsAndMomentsAreRefused() throws IOException {
        ModelWeights weights = new ModelWeights(CONFIG, 1);
        Parameter q = weights.parameters().get(3);
        q.value().set(5, Float.NaN);
        Path step = save("nan", weights);
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.loadWeights(dir.resolve("nan")));
        assertEquals(step.resolve("model.safetensors") + ": tensor " + q.name() + " holds NaN at element 5; weights and optimizer "
                + "moments must be finite numbers", e.getMessage());

        ModelWeights moments = new ModelWeights(CONFIG, 1);
        moments.parameters().get(0).v().set(2, Float.POSITIVE_INFINITY);
        save("inf", moments);
        e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.loadAll(dir.resolve("inf"), new ModelWeights(CONFIG, 0)));
        assertTrue(e.getMessage().contains("optimizer.safetensors: tensor exp_avg_sq.embedding.weight holds Infinity at element 2"),
                e.getMessage());
    }

    /** Two tensors of one shape with their data_offsets swapped: every range is valid, the checksums catch it. */
    @Test
    void swappedTensorsAreRefused() throws IOException {
        Path model = save("run", new ModelWeights(CONFIG, 1)).resolve("model.safetensors");
        rewriteHeader(model, header -> {
            Map<String, Object> q = entry(header, "layers.0.attn.q.weight"), k = entry(header, "layers.0.attn.k.weight");
            Object offsets = q.get("data_offsets");
            q.put("data_offsets", k.get("data_offsets"));
            k.put("data_offsets", offsets);
        });
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.loadWeights(dir.resolve("run")));
        assertTrue(e.getMessage().contains(model + " is not a valid safetensors file: tensor 'layers.0.attn.q.weight' does not match "
                + "its checksum"), e.getMessage());
    }

    /** A checkpoint written before checksums loads as before, with a note that it was not checked. */
    @Test
    void checkpointsWithoutChecksumsLoadWithANote() throws IOException {
        ModelWeights weights = new ModelWeights(CONFIG, 3);
        Path step = save("old", weights);
        for (String file : List.of("model.safetensors", "optimizer.safetensors")) {
            rewriteHeader(step.resolve(file), header -> ((Map<?, ?>) header.get("__metadata__")).keySet()
                    .removeIf(k -> k.toString().startsWith("crc32c:")));
        }
        List<String> notes = new ArrayList<>();
        ModelWeights loaded = Checkpoint.loadWeights(dir.resolve("old"), notes::add);
        assertEquals(List.of("note: " + step.resolve("model.safetensors") + " has no checksums (written before checkpoints had them); "
                + "its tensors were loaded unchecked"), notes);
        for (int i = 0; i < weights.parameters().size(); i++) {
            assertArrayEquals(TrainingTest.floats(weights.parameters().get(i).value()), TrainingTest.floats(loaded.parameters().get(i).value()));
        }
        notes.clear();
        Checkpoint.loadAll(dir.resolve("old"), new ModelWeights(CONFIG, 0), notes::add);
        assertEquals(2, notes.size(), notes.toString());
    }

    @Test
    void latestMustNameAStepFolderOfItsOwnRun() throws IOException {
        save("run", new ModelWeights(CONFIG, 1));
        Path other = save("other", new ModelWeights(CONFIG, 2));
        Path run = dir.resolve("run"), latest = run.resolve("latest");
        for (String name : List.of("../other/step-0000001", "/etc", "step-1", "")) {
            Files.writeString(latest, name + "\n");
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.resolve(run));
            assertEquals(latest + " names '" + name + "'; it must name a step-NNNNNNN checkpoint folder of " + run, e.getMessage());
        }
        Files.createSymbolicLink(run.resolve("step-0000007"), other);
        Files.writeString(latest, "step-0000007\n");
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.loadWeights(run));
        assertTrue(e.getMessage().contains("outside " + run), e.getMessage());
        Files.writeString(latest, "x".repeat(100));
        e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.resolve(run));
        assertTrue(e.getMessage().contains(latest + " has 100 bytes; it must hold one step-NNNNNNN name"), e.getMessage());
        Files.writeString(latest, "step-0000001\n");
        assertEquals(run.resolve("step-0000001"), Checkpoint.resolve(run), "the run's own step folder");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        Path step = save("run", new ModelWeights(CONFIG, 1));
        Files.delete(step.resolve("optimizer.safetensors"));
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                () -> Checkpoint.loadAll(dir.resolve("run"), new ModelWeights(CONFIG, 0)));
        assertEquals(step.resolve("optimizer.safetensors") + " is missing", e.getMessage());
        Files.delete(step.resolve("state.json"));
        e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.settings(dir.resolve("run")));
        assertEquals(step.resolve("state.json") + " is missing", e.getMessage());
        Files.delete(step.resolve("config.json"));
        e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.loadWeights(dir.resolve("run")));
        assertEquals(step.resolve("config.json") + " is missing", e.getMessage());
    }

    /** A checkpoint file that is a pipe would block its reader for ever: refused by its type, not opened. */
    @Test
    void pipesAreRefusedNotWaitedOn() throws Exception {
        Path step = save("run", new ModelWeights(CONFIG, 1));
        for (String file : List.of("config.json", "optimizer.safetensors")) {
            Files.move(step.resolve(file), step.resolve(file + ".moved"));
            assertEquals(0, new ProcessBuilder("mkfifo", step.resolve(file).toString()).start().waitFor(), "mkfifo");
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class,
                    () -> Checkpoint.loadAll(dir.resolve("run"), new ModelWeights(CONFIG, 0)));
            assertEquals(step.resolve(file) + " is not a regular file", e.getMessage());
            Files.delete(step.resolve(file));
            Files.move(step.resolve(file + ".moved"), step.resolve(file));
        }
    }

    /** Sizes in config.json and state.json that no machine holds, or that do not fit their type, are refused before any allocation. */
    @Test
    void hugeOrBrokenSizesAreRefused() throws IOException {
        Path step = save("run", new ModelWeights(CONFIG, 1));
        Path state = step.resolve("state.json");
        Files.writeString(state, Files.readString(state).replace("\"seq_len\":32", "\"seq_len\":2147483648"));
        CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.state(dir.resolve("run")));
        assertEquals(state + " is not a valid training state: seq_len must be an integer from 1 to 2147483647, was 2147483648",
                e.getMessage());

        Path config = step.resolve("config.json");
        String json = Files.readString(config);
        Files.writeString(config, json.replace("\"layers\":1", "\"layers\":2147483647").replace("\"d_model\":16", "\"d_model\":2147483646")
                .replace("\"heads\":2", "\"heads\":1"));
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadWeights(dir.resolve("run")));
        assertTrue(huge.getMessage().startsWith(config + ": a model of 2147483647 layers, d_model 2147483646, ffn 32 and vocab 256 has "
                + "more parameters than can be counted"), huge.getMessage());
        Files.writeString(config, json.replace("\"layers\":1", "\"layers\":1000").replace("\"d_model\":16", "\"d_model\":65536"));
        huge = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadWeights(dir.resolve("run")));
        assertTrue(huge.getMessage().startsWith(config + ": a model of ") && huge.getMessage().contains(" parameters needs ")
                && huge.getMessage().contains("available"), huge.getMessage());
        Files.writeString(config, json.replace("\"layers\":1", "\"layers\":4294967296"));
        e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.loadWeights(dir.resolve("run")));
        assertEquals("config " + config + ": layers must be at most 2147483647, was 4294967296", e.getMessage());
        Files.writeString(config, "{\"architecture\":" + "[".repeat(50_000) + "]".repeat(50_000) + "}");
        e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.loadWeights(dir.resolve("run")));
        assertEquals(config + " is not valid JSON: JSON: nested deeper than 64 levels at offset 79", e.getMessage());
    }

    /** The same weights and state saved twice are the same bytes, file for file. */
    @Test
    void identicalSavesAreIdenticalBytes() throws IOException {
        Path a = save("a", new ModelWeights(CONFIG, 5)), b = save("b", new ModelWeights(CONFIG, 5));
        for (String file : List.of("config.json", "model.safetensors", "optimizer.safetensors", "state.json")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)), file);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> header, String name) {
        return (Map<String, Object>) header.get(name);
    }

    /** Rewrites a safetensors file's JSON header through {@code edit}, keeping its data bytes. */
    @SuppressWarnings("unchecked")
    static void rewriteHeader(Path file, java.util.function.Consumer<Map<String, Object>> edit) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Map<String, Object> header = new LinkedHashMap<>((Map<String, Object>) Json.parse(
                new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8)));
        header.replaceAll((k, v) -> v instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : v);
        edit.accept(header);
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + bytes.length - 8 - (int) headerLength).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        out.put(Arrays.copyOfRange(bytes, 8 + (int) headerLength, bytes.length));
        Files.write(file, out.array());
    }
}
