package org.longnet.train;

import org.longnet.data.TextFingerprint;
import org.longnet.io.AtomicFiles;
import org.longnet.io.CorruptCheckpointException;
import org.longnet.io.FileErrors;
import org.longnet.io.Json;
import org.longnet.io.SafeTensors;
import org.longnet.io.WriteFailedException;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelMemory;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A training checkpoint: a folder {@code step-NNNNNNN} under the run's output folder holding
 * {@code config.json}, {@code model.safetensors} (what Python's safetensors reads),
 * {@code optimizer.safetensors} (AdamW's moments) and {@code state.json} (step, settings, curves, and
 * the size and hash of the text). The folder is written under a temporary name ({@link #TEMPORARY}) and
 * renamed in one step, then the file {@code latest} is replaced atomically: a crash at any moment leaves
 * the previous checkpoint whole. Loading checks every file before the weights are touched, and refuses
 * tensors that fail their checksums or are not finite.
 */
public final class Checkpoint {
    static final String LATEST = "latest";
    /** Older checkpoints beyond this many are deleted after a save. */
    static final int KEEP = 2;
    /** The name of a checkpoint folder. */
    static final String STEP = "step-\\d{7}";
    /** The name of a checkpoint folder being written: what a killed run leaves behind. */
    static final String TEMPORARY = "\\.step-\\d{7}-\\d+";
    /** Largest state.json this reader takes: the loss curve of about six million steps, parsed within a modest heap. */
    static final long MAX_STATE_BYTES = 128L << 20;
    /** Largest {@code latest} file: one folder name. */
    private static final long MAX_LATEST_BYTES = 64;

    /** What a checkpoint restores besides the weights; {@code text} is null for synthetic data and older checkpoints. */
    public record State(long step, TrainSettings settings, History history, TextFingerprint text) {
        public State(long step, TrainSettings settings, History history) {
            this(step, settings, history, null);
        }
    }

    private Checkpoint() {
    }

    /** The folder of the checkpoint of {@code step} in the run folder {@code out}. */
    public static Path stepFolder(Path out, long step) {
        return out.resolve(String.format("step-%07d", step));
    }

    /**
     * Writes the (host copies of the) weights, moments and state; returns the checkpoint folder. A failure names
     * the checkpoint's file and the reason (no space left on device, permission denied) and leaves no
     * temporary folder behind.
     */
    public static Path save(Path out, ModelWeights weights, State state) throws IOException {
        String name = stepFolder(out, state.step()).getFileName().toString();
        Path target = out.resolve(name);
        Path tmp;
        try {
            Files.createDirectories(out);
            tmp = Files.createTempDirectory(out, "." + name + "-");
        } catch (IOException e) {
            throw new WriteFailedException(target, FileErrors.reason(e), e);
        }
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
            if (state.text() != null) {
                json.put("text", state.text().toJson());
            }
            writeText(tmp.resolve("state.json"), Json.write(json) + "\n");
            if (Files.exists(target)) {
                deleteTree(target); // a re-save of the same step (the run was resumed and saved again)
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + out + " cannot rename atomically; checkpoints cannot be written safely", e);
            }
        } catch (WriteFailedException e) {
            // the file was written under the temporary folder's name: name it where it was going
            throw new WriteFailedException(target.resolve(e.target().getFileName()), e.reason(), e);
        } catch (IOException e) {
            throw new WriteFailedException(target, FileErrors.reason(e), e);
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
     * The checkpoint folder a path names: a checkpoint folder itself, or a run's output folder (the
     * checkpoint its {@code latest} file names, which must be one of its own step folders).
     */
    public static Path resolve(Path path) throws IOException {
        if (Files.isRegularFile(path.resolve("model.safetensors"))) {
            return path;
        }
        Path latest = path.resolve(LATEST);
        if (!Files.isRegularFile(latest)) {
            throw new IOException(path + (Files.exists(path) ? " is neither a checkpoint (no model.safetensors) nor a training output "
                    + "folder (no '" + LATEST + "' file)" : " does not exist"));
        }
        String name;
        try {
            if (Files.size(latest) > MAX_LATEST_BYTES) {
                throw new CorruptCheckpointException(latest + " has " + Files.size(latest) + " bytes; it must hold one step-NNNNNNN name");
            }
            name = Files.readString(latest).strip();
        } catch (CorruptCheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot read " + latest + ": " + FileErrors.reason(e), e);
        }
        if (!name.matches(STEP)) {
            throw new CorruptCheckpointException(latest + " names '" + name + "'; it must name a step-NNNNNNN checkpoint folder of "
                    + path);
        }
        Path dir = path.resolve(name);
        if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
            throw new CorruptCheckpointException(latest + " names " + name + ", which holds no model.safetensors");
        }
        if (!dir.toRealPath().getParent().equals(path.toRealPath())) {
            throw new CorruptCheckpointException(latest + " names " + name + ", which links to " + dir.toRealPath()
                    + ", outside " + path + "; a run's checkpoints must be its own folders");
        }
        return dir;
    }

    /** The model config of the checkpoint {@code path} names, checked. */
    public static ModelConfig config(Path path) throws IOException {
        return ModelConfig.load(resolve(path).resolve("config.json"));
    }

    /** The model of a checkpoint (config and weights), for generation and evaluation; notes go to standard error. */
    public static ModelWeights loadWeights(Path path) throws IOException {
        return loadWeights(path, System.err::println);
    }

    /**
     * The model of a checkpoint, its config checked and its size checked against the memory available
     * before any weight is allocated; a note goes to {@code notes} when the file has no checksums to check.
     */
    public static ModelWeights loadWeights(Path path, Consumer<String> notes) throws IOException {
        return loadWeights(path, config(path), notes);
    }

    /**
     * The weights of a checkpoint in a model of {@code config}, which may differ from the checkpoint's own in what
     * holds no weights (the attention's segments and dilations); refused in one line where a weight's shape would differ.
     */
    public static ModelWeights loadWeights(Path path, ModelConfig config, Consumer<String> notes) throws IOException {
        Path dir = resolve(path);
        Path configFile = dir.resolve("config.json");
        ModelConfig saved = ModelConfig.load(configFile);
        if (saved.layers() != config.layers() || saved.dModel() != config.dModel() || saved.heads() != config.heads()
                || saved.ffn() != config.ffn() || saved.vocab() != config.vocab() || saved.tiedEmbeddings() != config.tiedEmbeddings()) {
            throw new IllegalArgumentException(String.format("the weights of %s (%d layers, %d wide, %d heads, FFN %d, vocab %d%s) do not fit "
                    + "a model of %d layers, %d wide, %d heads, FFN %d, vocab %d%s; only the attention's segments and dilations may change",
                    configFile, saved.layers(), saved.dModel(), saved.heads(), saved.ffn(), saved.vocab(), saved.tiedEmbeddings() ? ", tied" : "",
                    config.layers(), config.dModel(), config.heads(), config.ffn(), config.vocab(), config.tiedEmbeddings() ? ", tied" : ""));
        }
        ModelMemory.checkHost(config, configFile.toString());
        ModelWeights weights = ModelWeights.empty(config);
        noteUnchecked(dir.resolve("model.safetensors"), weights.load(dir.resolve("model.safetensors")), notes);
        return weights;
    }

    /** The settings a checkpoint was trained with (its data and sequence length, for generation and evaluation). */
    public static TrainSettings settings(Path path) throws IOException {
        return state(path).settings();
    }

    /** The state of a checkpoint (step, settings, curves, text), read and checked without its tensors. */
    public static State state(Path path) throws IOException {
        Path statePath = resolve(path).resolve("state.json");
        Object parsed = Json.read(statePath, MAX_STATE_BYTES);
        try {
            if (!(parsed instanceof Map<?, ?> m) || !(m.get("step") instanceof Long step) || step < 0
                    || !(m.get("settings") instanceof Map<?, ?> settings) || !(m.get("history") instanceof Map<?, ?> history)) {
                throw new IllegalArgumentException("it must hold step, settings and history");
            }
            TextFingerprint text = m.get("text") == null ? null : TextFingerprint.fromJson(m.get("text"));
            return new State(step, TrainSettings.fromJson(settings), History.fromJson(history), text);
        } catch (IllegalArgumentException e) {
            throw new CorruptCheckpointException(statePath + " is not a valid training state: " + e.getMessage());
        }
    }

    /** Weights and AdamW moments into {@code weights} (whose config must match), and the state; notes to standard error. */
    public static State loadAll(Path path, ModelWeights weights) throws IOException {
        return loadAll(path, weights, System.err::println);
    }

    /** Weights and AdamW moments into {@code weights} (whose config must match), and the state. */
    public static State loadAll(Path path, ModelWeights weights, Consumer<String> notes) throws IOException {
        Path dir = resolve(path);
        ModelConfig config = ModelConfig.load(dir.resolve("config.json"));
        if (!config.equals(weights.config())) {
            throw new CorruptCheckpointException("checkpoint " + dir + " is of another model shape than the one being trained");
        }
        State state = state(dir);
        noteUnchecked(dir.resolve("model.safetensors"), weights.load(dir.resolve("model.safetensors")), notes);
        Map<String, Function<Parameter, org.longnet.engine.api.FloatArray>> moments = new LinkedHashMap<>();
        moments.put("exp_avg.", Parameter::m);
        moments.put("exp_avg_sq.", Parameter::v);
        Path optimizer = dir.resolve("optimizer.safetensors");
        noteUnchecked(optimizer, weights.readInto(optimizer, moments), notes);
        return state;
    }

    private static void noteUnchecked(Path file, boolean checksummed, Consumer<String> notes) {
        if (!checksummed) {
            notes.accept("note: " + file + " has no checksums (written before checkpoints had them); its tensors were loaded unchecked");
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

    private static void writeText(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, channel -> channel.write(ByteBuffer.wrap(bytes)));
    }

    /** Keeps the checkpoint just written and the {@link #KEEP} - 1 before it; deletes the others. */
    private static void prune(Path out, String newest) throws IOException {
        List<Path> older;
        try (Stream<Path> s = Files.list(out)) {
            older = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches(STEP)
                            && !p.getFileName().toString().equals(newest))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
        }
        for (Path p : older.subList(Math.min(older.size(), KEEP - 1), older.size())) {
            deleteTree(p);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
