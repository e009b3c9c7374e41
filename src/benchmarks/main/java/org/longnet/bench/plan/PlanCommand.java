package org.longnet.bench.plan;

import org.longnet.model.LongNetModel;
import org.longnet.model.ModelConfig;
import org.longnet.plot.LineChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code longnet plan}: predicts a sequence-parallel training step on P devices, and LongNet's runtime curve up to 1B tokens. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Predict memory, compute, communication and time per training step for one sequence split across P devices.",
        "",
        "For each sequence length and device count it prints one row per rank's share: memory (weights, gradients, AdamW moments",
        "and the chunk's activations), compute time at the device profile's measured rates, the bytes each rank receives per",
        "step (keys and values of the pairs whose segments span ranks, their gradients back, the gradient all-reduce) and their",
        "time over the link, and the step time (compute + communication, not overlapped; the slowest rank sets it).",
        "With --figure it also draws LongNet's runtime curve (the paper's Figure 5): one layer's dilated attention forward from",
        "8K to 1B tokens, each device holding --tokens-per-device, against dense attention on one device. The assumptions are",
        "printed with the numbers; benchmarks/RESULTS.md compares the predictions with measured runs."},
        footer = {"", "Examples:", "  longnet plan --preset base --seq-len 1073741824 --gpus 8,64,512,1024 --recompute",
                "  longnet plan --preset base --seq-len 1073741824 --gpus 1024 --profile h200-ib --figure",
                "  longnet plan --preset tiny --seq-len 4096 --gpus 1,2 --profile cpu --batch 1"})
public final class PlanCommand implements Callable<Integer> {
    @Option(names = "--preset", defaultValue = "base", paramLabel = "NAME", description = "Model: tiny, base or passkey (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--segment-lengths", split = ",", paramLabel = "W", description = "Override the preset's segment lengths.")
    int[] segments;

    @Option(names = "--dilation-rates", split = ",", paramLabel = "R", description = "Override the preset's dilation rates.")
    int[] rates;

    @Option(names = "--seq-len", split = ",", required = true, paramLabel = "N", description = "Tokens per sequence (one or more).")
    long[] seqLens;

    @Option(names = "--gpus", split = ",", defaultValue = "1,8,64,512,1024", paramLabel = "P",
            description = "Device counts (default: ${DEFAULT-VALUE}).")
    int[] gpus;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--recompute", description = "Plan with recomputation (a block's activations rebuilt in its backward).")
    boolean recompute;

    @Option(names = "--profile", defaultValue = "h200", paramLabel = "NAME",
            description = "Device profile: h200 (NVLink), h200-ib (InfiniBand between GPUs) or cpu (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--link-gbps", paramLabel = "GB/S", description = "Override the profile's bandwidth per rank, in GB/s.")
    Double linkGBps;

    @Option(names = "--rates", split = ",", paramLabel = "TF/S", description = "Override the profile's attention and model rates "
            + "(two numbers in TFLOP/s, as this project counts them).")
    double[] tflops;

    @Option(names = "--figure", description = "Also draw the runtime curve to 1B tokens (plan-runtime.csv and .png in --out).")
    boolean figure;

    @Option(names = "--tokens-per-device", defaultValue = "1048576", paramLabel = "L",
            description = "With --figure: tokens each device holds once the sequence outgrows one (default: ${DEFAULT-VALUE}).")
    long tokensPerDevice;

    @Option(names = "--out", defaultValue = "benchmarks/out", paramLabel = "DIR", description = "Where CSVs and plots go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        ModelConfig config = ModelConfig.preset(preset);
        if ((segments == null) != (rates == null)) {
            throw new IllegalArgumentException("--segment-lengths and --dilation-rates go together (one rate per length)");
        }
        if (segments != null) {
            config = config.withAttention(segments, rates, config.positions(), config.rotaryBase());
        }
        DeviceProfile device = DeviceProfile.named(profile);
        if (linkGBps != null) {
            device = device.withLink(linkGBps);
        }
        if (tflops != null) {
            if (tflops.length != 2) {
                throw new IllegalArgumentException("--rates takes two numbers (attention, model) in TFLOP/s, got " + tflops.length);
            }
            device = device.withRates(tflops[0], tflops[1]);
        }
        LongNetModel.Options options = new LongNetModel.Options(recompute, device.bf16(), device.bf16(), false);
        System.out.printf("plan: %s preset (%d x %d, pairs w=%s r=%s), batch %d, %s; profile %s: attention %.4g TF/s, rest %.4g TF/s, "
                        + "%.4g GB/s per rank, %.0f us per collective, %.0f GB per device%n", preset, config.layers(), config.dModel(),
                java.util.Arrays.toString(config.segmentLengths()), java.util.Arrays.toString(config.dilationRates()), batch,
                recompute ? "recomputation" : "activations kept", device.name(), device.attentionTflops(), device.modelTflops(),
                device.linkGBps(), device.latencyMicros(), device.memoryBytes() / 1e9);
        System.out.println("       (" + device.source() + ")");
        System.out.printf("%14s %6s %12s %10s %6s %11s %10s %11s %10s %10s %12s%n", "N", "P", "tokens/rank", "memory", "fits",
                "attention", "rest", "received", "comm", "step", "tokens/s");
        StringBuilder csv = new StringBuilder("seq_len,ranks,tokens_per_rank,memory_bytes,fits,"
                + "attention_s,model_s,received_bytes,comm_s,step_s,tokens_per_s\n");
        for (long n : seqLens) {
            for (int p : gpus) {
                if (n % p != 0) {
                    System.out.printf("%,14d %6d   (the sequence does not split into %d equal chunks)%n", n, p, p);
                    continue;
                }
                StepPlan s = StepPlan.of(config, options, device, n, p, batch);
                boolean fits = s.memoryBytes() <= device.memoryBytes();
                System.out.printf("%,14d %6d %,12d %7.1f GB %6s %9.3f s %8.3f s %8.2f GB %8.3f s %8.3f s %,12.0f%n", n, p, n / p,
                        s.memoryBytes() / 1e9, fits ? "yes" : "no", s.attentionSeconds(), s.modelSeconds(), s.receivedBytes() / 1e9,
                        s.commSeconds(), s.stepSeconds(), s.tokensPerSecond());
                csv.append(String.join(",", List.of(Long.toString(n), Integer.toString(p), Long.toString(n / p), fmt(s.memoryBytes()),
                        Boolean.toString(fits), fmt(s.attentionSeconds()), fmt(s.modelSeconds()), fmt(s.receivedBytes()), fmt(s.commSeconds()),
                        fmt(s.stepSeconds()), fmt(s.tokensPerSecond())))).append('\n');
            }
        }
        Files.createDirectories(out);
        Path table = out.resolve("plan-" + preset + "-" + device.name() + ".csv");
        Files.writeString(table, csv);
        System.out.println("wrote " + table);
        if (figure) {
            runtimeCurve(config, device);
        }
        return 0;
    }

    /**
     * One layer's attention forward against N from 8K to 1B: dilated with the paper's three segment lengths of its
     * runtime experiment (2,048, the tokens per device and the whole sequence, dilated so that each segment selects
     * 2,048 rows), N / L devices once N passes L; dense on one device.
     */
    private void runtimeCurve(ModelConfig config, DeviceProfile device) throws IOException {
        List<Double> ns = new ArrayList<>(), dilated = new ArrayList<>(), dense = new ArrayList<>();
        StringBuilder csv = new StringBuilder("seq_len,devices,dilated_forward_ms,dense_forward_ms\n");
        for (long n = 8192; n <= (1L << 30); n *= 2) {
            int p = (int) Math.max(1, n / tokensPerDevice);
            long chunk = n / p;
            int[] w = chunk > 2048 && n > chunk ? new int[] {2048, (int) chunk, (int) n} : n > 2048 ? new int[] {2048, (int) n} : new int[] {(int) n};
            int[] r = new int[w.length];
            for (int i = 0; i < w.length; i++) {
                r[i] = Math.max(1, w[i] / 2048);
            }
            double ms = 1e3 * StepPlan.attentionForwardSeconds(w, r, config.dModel(), config.heads(), device, n, p);
            double denseMs = 1e3 * StepPlan.denseForwardSeconds(config.dModel(), device, n);
            ns.add((double) n);
            dilated.add(ms);
            dense.add(n <= tokensPerDevice ? denseMs : Double.NaN);
            csv.append(n).append(',').append(p).append(',').append(fmt(ms)).append(',').append(n <= tokensPerDevice ? fmt(denseMs) : "")
                    .append('\n');
            System.out.printf("runtime: N %,13d on %4d device(s): dilated forward %10.3f ms%s%n", n, p, ms,
                    n <= tokensPerDevice ? String.format(", dense %12.3f ms", denseMs) : "");
        }
        Path file = out.resolve("plan-runtime-" + device.name());
        Files.writeString(Path.of(file + ".csv"), csv);
        List<LineChart.Series> series = List.of(series(String.format("dilated attention, a device per %,d tokens", tokensPerDevice), ns, dilated),
                series("dense attention, one device", ns.subList(0, (int) dense.stream().filter(d -> !d.isNaN()).count()),
                        dense.stream().filter(d -> !d.isNaN()).toList()));
        try {
            LineChart.write(Path.of(file + ".png"), "One layer's attention forward, predicted for " + device.name(), "sequence length (tokens)",
                    "time (ms)", series, true);
            System.out.println("wrote " + file + ".csv and .png");
        } catch (LinkageError e) {
            System.out.println("wrote " + file + ".csv (no .png: this Java runtime has no java.desktop module)");
        }
    }

    private static LineChart.Series series(String name, List<Double> x, List<Double> y) {
        return new LineChart.Series(name, x.stream().mapToDouble(Double::doubleValue).toArray(), y.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
