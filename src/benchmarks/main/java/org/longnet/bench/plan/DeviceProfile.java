package org.longnet.bench.plan;

import java.util.Map;

/**
 * What the planner assumes of one device and its links. Rates are in this project's FLOP counts:
 * attention as spec §4 counts it (4·N·d·Σ w/r² per forward, halved when causal; a forward and backward
 * count 3.5 forwards), the rest of the model as 6 × non-embedding parameters per token (2 for a
 * recomputed forward).
 *
 * @param memoryBytes    device memory a rank may fill
 * @param attentionTflops dilated attention, forward and backward together, per the count above
 * @param modelTflops    everything but attention in a training step
 * @param denseTflops    dense (vanilla) causal attention's forward, for the comparison plot
 * @param linkGBps       bytes per second one rank receives from its peers in a collective (the slower of its links)
 * @param latencyMicros  fixed cost of one collective call
 * @param bf16           whether keys and values travel in bf16 (matrix units) rather than fp32
 */
public record DeviceProfile(String name, double memoryBytes, double attentionTflops, double modelTflops, double denseTflops,
                            double linkGBps, double latencyMicros, boolean bf16, String source) {
    /**
     * Profiles measured on this project's machines. h200: one NVIDIA H200 (benchmarks/RESULTS.md: attention at 250 TF/s
     * forward+backward from 1M tokens; the rest of the base model's step at 288 TF/s, which with the attention rate
     * gives the measured 102 ms at 32K and 4.0 s at 1M; dense causal attention of cuDNN at 385 TF/s forward), NVLink
     * between GPUs of a host at 360 GB/s received per rank (NCCL's bus bandwidth on H200 NVLink, assumed) and 15 µs
     * per collective. cpu: one core of this project's 2-core CI machine on PoCL, measured with the tiny model.
     */
    public static final Map<String, DeviceProfile> PRESETS = Map.of(
            "h200", new DeviceProfile("h200", 141e9, 250, 288, 385, 360, 15, true,
                    "H200 rates from benchmarks/RESULTS.md; NVLink 360 GB/s and 15 µs per collective assumed"),
            "h200-ib", new DeviceProfile("h200-ib", 141e9, 250, 288, 385, 50, 30, true,
                    "H200 rates from benchmarks/RESULTS.md; InfiniBand NDR (400 Gb/s = 50 GB/s per GPU) and 30 µs per collective assumed"),
            "cpu", new DeviceProfile("cpu", 20e9, 0.0048, 0.0048, 0.0048, 2.0, 40, false,
                    "one core of the 2-core CI machine on PoCL (calibrated with the tiny model: benchmarks/RESULTS.md); shared memory between ranks"));

    public static DeviceProfile named(String name) {
        DeviceProfile p = PRESETS.get(name);
        if (p == null) {
            throw new IllegalArgumentException("--profile " + name + " is not a device profile; use one of " + PRESETS.keySet().stream().sorted().toList());
        }
        return p;
    }

    public DeviceProfile withLink(double gbps) {
        return new DeviceProfile(name, memoryBytes, attentionTflops, modelTflops, denseTflops, gbps, latencyMicros, bf16, source);
    }

    public DeviceProfile withRates(double attention, double model) {
        return new DeviceProfile(name, memoryBytes, attention, model, denseTflops, linkGBps, latencyMicros, bf16, source);
    }
}
