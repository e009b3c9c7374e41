package org.longnet.train;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.longnet.data.ByteDataset;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.device.Device;
import org.longnet.model.CrossEntropyKernels;
import org.longnet.model.LongNetModel;
import org.longnet.model.ModelWeights;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eval}'s loss at one context length: whole windows, and blockwise past the trained length, against window-by-window runs. */
class ContextLossTest {
    private static final int TRAINED = 32;

    /**
     * Two stretches of 128 bytes at 64 bytes of context for a model of 32: each 64 bytes are read through windows at 0, 16
     * and 32 (the last two scoring their second halves), six windows a stretch in runs of four (the second run padded).
     */
    @ParameterizedTest
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void blockwiseIsTheMeanOverOverlappingWindows(String device, @TempDir Path dir) throws IOException {
        ByteDataset data = TrainingTest.data(dir);
        try (LongNetModel model = model(device, 3)) {
            ContextLoss blockwise = new ContextLoss(model, data, 64, 128, TRAINED, ContextLoss.Reading.BLOCKWISE);
            assertTrue(blockwise.blockwise());
            assertEquals(6, blockwise.windowsPerStretch());
            int[][] windows = {{0, 0}, {16, 16}, {32, 16}, {64, 0}, {80, 16}, {96, 16}}; // start in the stretch, first byte scored
            for (long offset : new long[] {0, 128}) {
                double nats = 0;
                for (int[] w : windows) {
                    nats += window(model, data, offset + w[0], w[1]) * (TRAINED - w[1]);
                }
                assertEquals(nats / 128, blockwise.stretch(offset), 1e-5, "the stretch at " + offset + " on " + device);
            }
        }
    }

    /** Up to the trained length, and past it with --beyond-trained full, a stretch is cut into whole windows of the length. */
    @ParameterizedTest
    @MethodSource("org.longnet.engine.TestDevices#ids")
    void wholeWindowsUpToTheTrainedLengthOrWhenAskedFor(String device, @TempDir Path dir) throws IOException {
        ByteDataset data = TrainingTest.data(dir);
        try (LongNetModel model = model(device, 4)) {
            for (int length : new int[] {16, 32, 64}) {
                ContextLoss loss = new ContextLoss(model, data, length, 128, TRAINED, length > TRAINED ? ContextLoss.Reading.FULL
                        : ContextLoss.Reading.BLOCKWISE);
                assertFalse(loss.blockwise());
                assertEquals(128 / length, loss.windowsPerStretch());
                IntArray inputs = new IntArray(128), targets = new IntArray(128);
                data.validationWindows(inputs, targets, 128 / length, length, 128);
                assertEquals(model.loss(inputs, targets, 128 / length, length), loss.stretch(128), 1e-6, "length " + length + " on " + device);
            }
        }
    }

    /** An untrained model of {@link TrainingTest#config()} with the weights of {@code seed}, on {@code device}. */
    private static LongNetModel model(String device, long seed) {
        Device d = TestDevices.open(device);
        return new LongNetModel(new ModelWeights(TrainingTest.config(), seed), d, LongNetModel.Options.defaults(d, TrainingTest.config()));
    }

    /** The mean loss of one window of the trained length from {@code offset}, over its bytes from {@code from} on. */
    private static double window(LongNetModel model, ByteDataset data, long offset, int from) {
        IntArray inputs = new IntArray(TRAINED), targets = new IntArray(TRAINED);
        data.validationWindow(inputs, targets, 0, TRAINED, offset);
        for (int t = 0; t < from; t++) {
            targets.set(t, CrossEntropyKernels.IGNORED);
        }
        return model.loss(inputs, targets, 1, TRAINED);
    }
}
