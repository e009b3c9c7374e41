package org.longnet.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.attention.Positions;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.RecordingDevice;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training with CUDA graphs ({@link LongNetModel.Options#cudaGraph}) gives the losses of training without: new tokens, a new
 * learning rate and a new step count at every step reach the replayed graphs (through the copies before them), so nothing
 * that changes between steps was frozen into a recording. On cuda the steps from the second on replay graphs, where
 * cuBLAS's workspace (and so its algorithm) may differ: there the losses agree to fp32 noise; elsewhere nothing is
 * recorded and they are the same bits.
 */
@DeviceTest
class ModelCudaGraphTest {
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String d : TestDevices.ids()) {
            out.add(Arguments.of(d, false));
            out.add(Arguments.of(d, true));
        }
        return out;
    }

    @ParameterizedTest(name = "CUDA graphs keep the losses on {0}, bf16 GEMMs {1}")
    @MethodSource("cases")
    void trainingStepsGiveTheSameLosses(String device, boolean bf16) {
        LongNetModel.Options plain = new LongNetModel.Options(false, false, bf16, false);
        double[] without = losses(device, plain);
        double[] with = losses(device, plain.withCudaGraph(true));
        if (device.startsWith("cuda")) {
            for (int i = 0; i < with.length; i++) {
                assertEquals(without[i], with[i], 1e-5 * Math.abs(without[i]), "loss " + i + " with CUDA graphs on " + device);
            }
        } else {
            assertArrayEquals(without, with, "losses with CUDA graphs on " + device);
        }
    }

    /**
     * On a device that runs recorded launches only when their graph is launched, as CUDA does, over the JVM device: the same
     * bits as the JVM device without graphs. A launch left out of a graph, run while recording, or a host task recorded
     * instead of run at each step would change the losses from the second step on.
     */
    @org.junit.jupiter.api.Test
    void recordedStepsGiveTheSameBits() {
        for (boolean recompute : new boolean[] {false, true}) {
            for (boolean bf16 : new boolean[] {false, true}) {
                LongNetModel.Options plain = new LongNetModel.Options(recompute, false, bf16, false);
                RecordingDevice recording = new RecordingDevice(TestDevices.open("jvm"));
                double[] with = losses(recording, plain.withCudaGraph(true));
                assertArrayEquals(losses(TestDevices.open("jvm"), plain), with, "losses with recorded graphs, bf16 GEMMs " + bf16
                        + ", recompute " + recompute);
                assertTrue(recording.recorded > 0, "no graph was recorded");
            }
        }
    }

    private static double[] losses(String device, LongNetModel.Options options) {
        return losses(TestDevices.open(device), options);
    }

    /** Five training steps on new tokens at a learning rate that changes every step, then the loss of held-out tokens. */
    private static double[] losses(Device device, LongNetModel.Options options) {
        int batch = 2, seqLen = 10;
        ModelWeights weights = new ModelWeights(LongNetModelTest.small(Positions.ROTARY, true), 11);
        double[] out = new double[6];
        try (LongNetModel model = new LongNetModel(weights, device, options)) {
            for (int step = 1; step <= 5; step++) {
                IntArray inputs = Check.randomInts((long) batch * seqLen, 60 + step, 0, 256);
                IntArray targets = Check.randomInts((long) batch * seqLen, 70 + step, 0, 256);
                out[step - 1] = model.trainStep(inputs, targets, batch, seqLen, 1e-2 / step, step).loss();
            }
            IntArray inputs = Check.randomInts((long) batch * seqLen, 80, 0, 256), targets = Check.randomInts((long) batch * seqLen, 81, 0, 256);
            out[5] = model.loss(inputs, targets, batch, seqLen);
        }
        return out;
    }
}
