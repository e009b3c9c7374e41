package org.longnet.cli;

import org.longnet.engine.device.Device;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.model.ModelWeights;
import org.longnet.train.Checkpoint;
import org.longnet.train.MemoryCheck;
import org.longnet.train.TrainSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The {@code --checkpoint} option of the commands that use a trained model, and the model it names. */
final class CheckpointOption {
    @Option(names = "--checkpoint", paramLabel = "DIR", defaultValue = "runs/tiny",
            description = "A training output folder (its newest checkpoint) or a checkpoint folder (default: ${DEFAULT-VALUE}).")
    Path path;

    /** The option as if given {@code --checkpoint path}: for a command that takes several checkpoints. */
    static CheckpointOption of(Path path) {
        CheckpointOption option = new CheckpointOption();
        option.path = path;
        return option;
    }

    /** The model's weights, checked; a note is printed when the file has no checksums to check them by. */
    ModelWeights weights() throws IOException {
        return Checkpoint.loadWeights(path, System.out::println);
    }

    /** The model's config, read and checked before any weight is allocated. */
    ModelConfig config() throws IOException {
        return Checkpoint.config(path);
    }

    /** The settings the model was trained with: its data, sequence length and seed. */
    TrainSettings settings() throws IOException {
        return Checkpoint.settings(path);
    }

    /** The checkpoint folder that {@code --checkpoint} resolves to, for messages. */
    Path folder() throws IOException {
        return Checkpoint.resolve(path);
    }

    /** The checkpoint's state.json, for messages about the values read from it. */
    Path stateFile() throws IOException {
        return folder().resolve("state.json");
    }

    /** The memory check of a model of {@code config}, this checkpoint's, on {@code device} with the options that suit it. */
    MemoryCheck memoryCheck(ModelConfig config, Device device) throws IOException {
        return new MemoryCheck(config, LongNetModel.Options.defaults(device, config), 1, device, folder().resolve("config.json").toString());
    }

    /** A model of {@code weights} on {@code device}, with the options that suit the device. */
    static LongNetModel model(ModelWeights weights, Device device) {
        return new LongNetModel(weights, device, LongNetModel.Options.defaults(device, weights.config()));
    }
}
