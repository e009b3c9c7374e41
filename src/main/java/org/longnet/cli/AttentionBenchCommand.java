package org.longnet.cli;

import org.longnet.plot.LineChart;
import org.longnet.attention.AttentionShape;
import org.longnet.attention.DilatedAttentionConfig;
import org.longnet.attention.DilatedAttentionCore;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.bench.EngineKernels;
import org.longnet.engine.bench.Stats;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.Devices;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.Profile;
import org.longnet.engine.graph.TaskGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code longnet bench attention}: the attention core (Q, K, V given) against sequence length,
 * dilated (the paper's configuration by default) and dense causal attention, forward and
 * forward+backward.
 */
@Command(name = "attention", mixinStandardHelpOptions = true, description = {
        "Time causal dilated attention and dense attention (the attention core: Q, K, V given) from --min-len to --max-len,",
        "doubling, on the chosen device: forward and forward+backward time, tokens/s, TFLOP/s (spec §4 count) and memory.",
        "Writes a table, a CSV and a log-log PNG to --out."})
final class AttentionBenchCommand implements Runnable {
    @Option(names = "--heads", defaultValue = "12", description = "Heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--head-dim", defaultValue = "64", description = "Head dimension (default: ${DEFAULT-VALUE}).")
    int headDim;

    @Option(names = "--batch", defaultValue = "1", description = "Batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--segment-lengths", split = ",", defaultValue = "2048,4096,8192,16384,32768",
            description = "Segment lengths w (default: the paper's ${DEFAULT-VALUE}).")
    int[] segmentLengths;

    @Option(names = "--dilation-rates", split = ",", defaultValue = "1,2,4,6,12",
            description = "Dilation rates r (default: the paper's ${DEFAULT-VALUE}).")
    int[] dilationRates;

    @Option(names = "--min-len", description = "First sequence length (default: 8192 on GPUs, 1024 elsewhere).")
    Integer minLen;

    @Option(names = "--max-len", description = "Last sequence length (default: what fits the device, at most 16M on GPUs, 4096 elsewhere).")
    Integer maxLen;

    @Option(names = "--dense-max-len", description = "Longest dense run (quadratic; default: 65536 on GPUs, 4096 elsewhere).")
    Integer denseMaxLen;

    @Option(names = "--matrix-units", description = "Forward and backward on tensor cores (KernelContext.mmaBf16: bf16 operands, fp32 accumulation; head dimension 64).")
    boolean matrixUnits;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed repeats; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--out", defaultValue = "benchmarks/out", description = "Folder for CSV and PNG (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--replot", paramLabel = "CSV", description = "Measure nothing: draw the PNG of an earlier run's CSV.")
    Path replot;

    private record Result(String kind, int n, double forwardMs, double totalMs, double tokensPerSecond, double forwardTflops,
                          double totalTflops, double memoryMiB) {
    }

    @Override
    public void run() {
        if (replot != null) {
            replot();
            return;
        }
        Device device = Devices.defaultDevice();
        boolean gpu = device.info().gpu();
        int first = minLen != null ? minLen : gpu ? 8192 : 1024;
        int last = maxLen != null ? maxLen : gpu ? 16 << 20 : 4096;
        int denseLast = denseMaxLen != null ? denseMaxLen : gpu ? 65536 : 4096;
        if (first < 1 || last < first || repeats < 1) {
            throw new IllegalArgumentException("need 1 <= --min-len <= --max-len and --repeats >= 1; were " + first + ", " + last
                    + ", " + repeats);
        }
        DilatedAttentionConfig dilated = DilatedAttentionConfig.of(segmentLengths, dilationRates, true);
        System.out.println("device: " + device.info().id() + " — " + device.info().name());
        System.out.println("dilated: " + dilated.pairs() + ", causal; dense: one pair (N, 1), causal; " + batch + " x N x "
                + heads + " heads x " + headDim + ", fp32 storage" + (matrixUnits ? ", forward on matrix units (bf16 operands)" : ""));
        List<Result> results = new ArrayList<>();
        boolean denseDone = false, dilatedDone = false;
        for (long n = first; n <= last && !(denseDone && dilatedDone); n *= 2) {
            if (!dilatedDone) {
                Result r = measure(device, "dilated", (int) n, dilated);
                dilatedDone = r == null;
                if (r != null) {
                    results.add(print(r));
                }
            }
            if (!denseDone && n <= denseLast) {
                Result r = measure(device, "dense", (int) n, DilatedAttentionConfig.of(new int[] {(int) n}, new int[] {1}, true));
                denseDone = r == null;
                if (r != null) {
                    results.add(print(r));
                }
            } else {
                denseDone = true;
            }
        }
        write(device, results);
    }

    private Result measure(Device device, String kind, int n, DilatedAttentionConfig config) {
        AttentionShape shape = new AttentionShape(batch, n, heads, headDim);
        long bytes = Float.BYTES * (9 * shape.elements() + 3 * shape.rows());
        long free = device.freeMemory();
        if (bytes > free * 9 / 10) {
            System.out.printf("%-8s N=%d stops here: needs %.1f GiB, the device has %.1f GiB free%n", kind, n,
                    bytes / 1073741824.0, free / 1073741824.0);
            return null;
        }
        FloatArray[] a = new FloatArray[9];
        for (int i = 0; i < 9; i++) {
            a[i] = new FloatArray(shape.elements());
        }
        FloatArray lse = new FloatArray(shape.rows()), delta = new FloatArray(shape.rows());
        FloatArray q = a[0], k = a[1], v = a[2], o = a[3], go = a[4], gq = a[5], gk = a[6], gv = a[7];
        DilatedAttentionCore core = new DilatedAttentionCore(shape, config, "attn", matrixUnits);
        TaskGraph fill = new TaskGraph("fill");
        for (int i : new int[] {0, 1, 2, 4}) {
            fill.task("fill" + i, EngineKernels::fillRandom, a[i], 1000L * i);
        }
        TaskGraph forward = core.appendForward(new TaskGraph("fwd"), q, k, v, o, lse);
        TaskGraph backward = core.appendBackward(new TaskGraph("bwd"), q, k, v, o, lse, go, delta, gq, gk, gv);
        try (ExecutionPlan f = new ExecutionPlan(fill.snapshot()).withDevice(device);
             ExecutionPlan fw = core.configure(new ExecutionPlan(forward.snapshot()).withDevice(device).withProfiler(true), "fwd");
             ExecutionPlan bw = core.configure(new ExecutionPlan(backward.snapshot()).withDevice(device).withProfiler(true), "bwd")) {
            f.execute();
            fw.execute();
            bw.execute();
            long[] fwd = new long[repeats], bwd = new long[repeats];
            for (int r = 0; r < repeats; r++) {
                fwd[r] = kernelNanos(fw.execute().profile());
                bwd[r] = kernelNanos(bw.execute().profile());
            }
            double fMs = Stats.median(fwd) / 1e6, tMs = fMs + Stats.median(bwd) / 1e6;
            double flops = config.flops(n, (long) heads * headDim) * batch;
            return new Result(kind, n, fMs, tMs, batch * (double) n / (fMs / 1e3), flops / (fMs / 1e3) / 1e12,
                    3.5 * flops / (tMs / 1e3) / 1e12, bytes / 1048576.0);
        } finally {
            for (FloatArray x : a) {
                x.close();
            }
            lse.close();
            delta.close();
        }
    }

    private boolean header;

    private Result print(Result r) {
        if (!header) {
            System.out.printf("%-8s %10s %12s %14s %12s %10s %14s %10s%n", "kind", "N", "forward ms", "fwd+bwd ms", "tokens/s",
                    "fwd TF/s", "fwd+bwd TF/s", "MiB");
            header = true;
        }
        System.out.printf("%-8s %10d %12.3f %14.3f %12.3g %10.3f %14.3f %10.0f%n", r.kind, r.n, r.forwardMs, r.totalMs,
                r.tokensPerSecond, r.forwardTflops, r.totalTflops, r.memoryMiB);
        return r;
    }

    private void write(Device device, List<Result> results) {
        String name = "attention-" + device.info().id().replace(':', '-') + (matrixUnits ? "-mma" : "");
        StringBuilder csv = new StringBuilder("device,kind,n,forward_ms,fwd_bwd_ms,tokens_per_s,fwd_tflops,fwd_bwd_tflops,memory_mib\n");
        for (Result r : results) {
            csv.append(String.join(",", device.info().id(), r.kind, String.valueOf(r.n), String.valueOf(r.forwardMs),
                    String.valueOf(r.totalMs), String.valueOf(r.tokensPerSecond), String.valueOf(r.forwardTflops),
                    String.valueOf(r.totalTflops), String.valueOf(r.memoryMiB))).append('\n');
        }
        try {
            Files.createDirectories(out);
            Path tmp = Files.createTempFile(out, name, ".csv.tmp");
            Files.writeString(tmp, csv);
            Files.move(tmp, out.resolve(name + ".csv"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("\nTFLOP/s count 4·N·d·Σ w/r² per forward, halved for causal (spec §4); forward+backward counts 3.5x that.");
            if (EngineBenchCommand.canDraw() && !results.isEmpty()) {
                chart(out.resolve(name + ".png"), device.info().id() + ": " + device.info().name(), results);
                System.out.println("wrote " + out.resolve(name + ".csv") + " and " + out.resolve(name + ".png"));
            } else {
                System.out.println("wrote " + out.resolve(name + ".csv"));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write results to " + out, e);
        }
    }

    private static void chart(Path png, String device, List<Result> results) throws IOException {
        List<LineChart.Series> series = new ArrayList<>();
        for (String kind : new String[] {"dilated", "dense"}) {
            List<Result> rs = results.stream().filter(r -> r.kind.equals(kind)).toList();
            if (!rs.isEmpty()) {
                double[] n = rs.stream().mapToDouble(r -> r.n).toArray();
                series.add(new LineChart.Series(kind + " forward", n, rs.stream().mapToDouble(r -> r.forwardMs).toArray()));
                series.add(new LineChart.Series(kind + " fwd+bwd", n, rs.stream().mapToDouble(r -> r.totalMs).toArray()));
            }
        }
        LineChart.write(png, "causal attention on " + device, "sequence length (tokens)", "time (ms)", series);
    }

    private void replot() {
        try {
            List<String> lines = Files.readAllLines(replot);
            List<Result> results = new ArrayList<>();
            String device = "";
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                if (f.length != 9) {
                    throw new IllegalArgumentException("--replot " + replot + ": expected 9 columns, found " + f.length + " in: " + line);
                }
                device = f[0];
                results.add(new Result(f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                        Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8])));
            }
            Path png = Path.of(replot.toString().replaceAll("\\.csv$", "") + ".png");
            chart(png, device, results);
            System.out.println("wrote " + png);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot replot " + replot, e);
        }
    }

    private static long kernelNanos(Profile p) {
        return p.events().stream().filter(e -> e.kind() == Profile.Kind.KERNEL).mapToLong(Profile.Event::deviceNanos).sum();
    }
}
