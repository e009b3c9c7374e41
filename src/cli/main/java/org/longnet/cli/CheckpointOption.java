package org.longnet.cli;

import org.longnet.engine.device.Device;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelWeights;
import org.longnet.train.Checkpoint;
import org.longnet.train.TrainSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The {@code --checkpoint} option of the commands that use a trained model, and the model it names. */
final class CheckpointOption {
    @Option(names = "--checkpoint", paramLabel = "DIR", defaultValue = "runs/tiny",
            description = "A training output folder (its newest checkpoint) or a checkpoint folder (default: ${DEFAULT-VALUE}).")
    Path path;

    ModelWeights weights() throws IOException {
        return Checkpoint.loadWeights(path);
    }

    /** The settings the model was trained with: its data, sequence length and seed. */
    TrainSettings settings() throws IOException {
        return Checkpoint.settings(path);
    }

    /** The checkpoint folder that {@code --checkpoint} resolves to, for messages. */
    Path folder() throws IOException {
        return Checkpoint.resolve(path);
    }

    /** A model of {@code weights} on {@code device}, with the options that suit the device. */
    static LongNetModel model(ModelWeights weights, Device device) {
        return new LongNetModel(weights, device, LongNetModel.Options.defaults(device, weights.config()));
    }
}
