package org.longnet.bench;

import org.longnet.attention.AttentionShape;
import org.longnet.attention.DilatedAttentionConfig;
import org.longnet.attention.DilatedAttentionCore;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.device.Devices;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.TaskGraph;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The dilated-attention kernels (forward; forward then backward) per device and length, causal,
 * 12 heads x 64, segment lengths 512..4096 with rates 1, 2, 4, 8. Run with
 * {@code scripts/jmh AttentionBenchmark -p device=cuda -p seqLen=65536}.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class AttentionBenchmark extends DeviceBenchmark {
    @Param({"4096"})
    public int seqLen;

    private ExecutionPlan forward, backward;
    private FloatArray[] arrays;

    @Setup
    public void setUp() {
        AttentionShape shape = new AttentionShape(1, seqLen, 12, 64);
        DilatedAttentionConfig config = DilatedAttentionConfig.of(new int[] {512, 1024, 2048, 4096}, new int[] {1, 2, 4, 8}, true);
        arrays = new FloatArray[10];
        for (int i = 0; i < 8; i++) {
            arrays[i] = new FloatArray(shape.elements());
        }
        arrays[8] = new FloatArray(shape.rows());
        arrays[9] = new FloatArray(shape.rows());
        TaskGraph fill = new TaskGraph("fill");
        for (int i : new int[] {0, 1, 2, 4}) {
            fill.task("fill" + i, EngineKernels::fillRandom, arrays[i], 77L * i);
        }
        DilatedAttentionCore core = new DilatedAttentionCore(shape, config);
        TaskGraph fwd = core.appendForward(new TaskGraph("fwd"), arrays[0], arrays[1], arrays[2], arrays[3], arrays[8]);
        TaskGraph bwd = core.appendBackward(new TaskGraph("bwd"), arrays[0], arrays[1], arrays[2], arrays[3], arrays[8],
                arrays[4], arrays[9], arrays[5], arrays[6], arrays[7]);
        try (ExecutionPlan f = new ExecutionPlan(fill.snapshot()).withDevice(Devices.get(device))) {
            f.execute();
        }
        forward = new ExecutionPlan(fwd.snapshot()).withDevice(Devices.get(device));
        backward = new ExecutionPlan(bwd.snapshot()).withDevice(Devices.get(device));
        forward.execute();
    }

    @Benchmark
    public void forward() {
        forward.execute();
    }

    @Benchmark
    public void forwardBackward() {
        forward.execute();
        backward.execute();
    }

    @TearDown
    public void tearDown() {
        forward.close();
        backward.close();
        for (FloatArray a : arrays) {
            a.close();
        }
    }
}
