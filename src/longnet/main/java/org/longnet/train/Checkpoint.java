package org.longnet.train;

import org.longnet.engine.api.FloatArray;
import org.longnet.io.AtomicFiles;
import org.longnet.io.CorruptCheckpointException;
import org.longnet.io.Json;
import org.longnet.io.SafeTensors;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.model.Parameter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A training checkpoint: a folder {@code step-NNNNNNN} under the run's output folder holding
 * {@code config.json}, {@code model.safetensors} (what Python's safetensors reads),
 * {@code optimizer.safetensors} (AdamW's moments) and {@code state.json} (step, settings, curves).
 * The folder is written under a temporary name and renamed in one step, then the file
 * {@code latest} is replaced atomically: a crash at any moment leaves the previous checkpoint whole.
 */
public final class Checkpoint {
    static final String LATEST = "latest";
    /** Older checkpoints beyond this many are deleted after a save. */
    static final int KEEP = 2;

    /** What a checkpoint restores besides the weights. */
    public record State(long step, TrainSettings settings, History history) {
    }

    private Checkpoint() {
    }

    /** The folder of the checkpoint of {@code step} in the run folder {@code out}. */
    public static Path stepFolder(Path out, long step) {
        return out.resolve(String.format("step-%07d", step));
    }

    /** Writes the (host copies of the) weights, moments and state; returns the checkpoint folder. */
    public static Path save(Path out, ModelWeights weights, State state) throws IOException {
        Files.createDirectories(out);
        String name = stepFolder(out, state.step()).getFileName().toString();
        Path target = out.resolve(name);
        Path tmp = Files.createTempDirectory(out, "." + name + "-");
        try {
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // temporary folders are private; the finished checkpoint is an ordinary one (rwxr-xr-x)
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            weights.config().save(tmp.resolve("config.json"));
            weights.save(tmp.resolve("model.safetensors"));
            SafeTensors.write(tmp.resolve("optimizer.safetensors"), moments(weights), Map.of("optimizer", "adamw"));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("step", state.step());
            json.put("settings", state.settings().toJson());
            json.put("history", state.history().toJson());
            writeText(tmp.resolve("state.json"), Json.write(json) + "\n");
            if (Files.exists(target)) {
                deleteTree(target); // a re-save of the same step (the run was resumed and saved again)
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + out + " cannot rename atomically; checkpoints cannot be written safely", e);
            }
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
        writeText(out.resolve(LATEST), name + "\n");
        prune(out, name);
        return target;
    }

    /**
     * The checkpoint folder a path names: a checkpoint folder itself, or a run's output folder
     * (its {@code latest} checkpoint).
     */
    public static Path resolve(Path path) throws IOException {
        if (Files.isRegularFile(path.resolve("model.safetensors"))) {
            return path;
        }
        Path latest = path.resolve(LATEST);
        if (!Files.isRegularFile(latest)) {
            throw new IOException(path + " is neither a checkpoint (no model.safetensors) nor a training output folder (no '"
                    + LATEST + "' file)");
        }
        Path dir = path.resolve(Files.readString(latest).strip());
        if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
            throw new CorruptCheckpointException(latest + " names " + dir.getFileName() + ", which holds no model.safetensors");
        }
        return dir;
    }

    /** The model of a checkpoint (config and weights), for generation and evaluation. */
    public static ModelWeights loadWeights(Path path) throws IOException {
        Path dir = resolve(path);
        ModelWeights weights = new ModelWeights(ModelConfig.load(dir.resolve("config.json")), 0);
        weights.load(dir.resolve("model.safetensors"));
        return weights;
    }

    /** The settings a checkpoint was trained with (its data and sequence length, for generation and evaluation). */
    public static TrainSettings settings(Path path) throws IOException {
        Path statePath = resolve(path).resolve("state.json");
        try {
            if (!(Json.parse(Files.readString(statePath)) instanceof Map<?, ?> m) || !(m.get("settings") instanceof Map<?, ?> settings)) {
                throw new IllegalArgumentException("it must hold settings");
            }
            return TrainSettings.fromJson(settings);
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException(statePath + " is not a valid training state: " + e.getMessage());
        }
    }

    /** Weights and AdamW moments into {@code weights} (whose config must match), and the state. */
    public static State loadAll(Path path, ModelWeights weights) throws IOException {
        Path dir = resolve(path);
        ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
        if (!config.equals(weights.config())) {
            throw new IOException("checkpoint " + dir + " is of another model shape than the one being trained");
        }
        weights.load(dir.resolve("model.safetensors"));
        Path optimizer = dir.resolve("optimizer.safetensors");
        SafeTensors.Contents moments = SafeTensors.read(optimizer);
        for (Parameter p : weights.parameters()) {
            copy(optimizer, moments, "exp_avg." + p.name(), p.m());
            copy(optimizer, moments, "exp_avg_sq." + p.name(), p.v());
        }
        Path statePath = dir.resolve("state.json");
        try {
            if (!(Json.parse(Files.readString(statePath)) instanceof Map<?, ?> m) || !(m.get("step") instanceof Long step)
                    || !(m.get("settings") instanceof Map<?, ?> settings) || !(m.get("history") instanceof Map<?, ?> history)) {
                throw new IllegalArgumentException("it must hold step, settings and history");
            }
            return new State(step, TrainSettings.fromJson(settings), History.fromJson(history));
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException(statePath + " is not a valid training state: " + e.getMessage());
        }
    }

    private static Map<String, SafeTensors.Tensor> moments(ModelWeights weights) {
        Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
        for (Parameter p : weights.parameters()) {
            out.put("exp_avg." + p.name(), new SafeTensors.Tensor(p.shape(), p.m()));
            out.put("exp_avg_sq." + p.name(), new SafeTensors.Tensor(p.shape(), p.v()));
        }
        return out;
    }

    private static void copy(Path file, SafeTensors.Contents contents, String name, FloatArray into) throws IOException {
        SafeTensors.Tensor t = contents.tensors().get(name);
        if (t == null || !(t.data() instanceof FloatArray data) || data.getSize() != into.getSize()) {
            throw new CorruptCheckpointException(file + ": tensor " + name + " is missing or of the wrong size or type");
        }
        into.segment().copyFrom(data.segment());
    }

    private static void writeText(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, channel -> channel.write(ByteBuffer.wrap(bytes)));
    }

    /** Keeps the checkpoint just written and the {@link #KEEP} - 1 before it; deletes the others. */
    private static void prune(Path out, String newest) throws IOException {
        List<Path> older;
        try (Stream<Path> s = Files.list(out)) {
            older = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("step-\\d{7}")
                            && !p.getFileName().toString().equals(newest))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
        }
        for (Path p : older.subList(Math.min(older.size(), KEEP - 1), older.size())) {
            deleteTree(p);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
