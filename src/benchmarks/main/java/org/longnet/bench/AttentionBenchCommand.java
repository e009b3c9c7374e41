package org.longnet.bench;

import org.longnet.plot.LineChart;
import org.longnet.attention.AttentionShape;
import org.longnet.attention.ChunkedBackward;
import org.longnet.attention.DilatedAttentionConfig;
import org.longnet.attention.DilatedAttentionCore;
import org.longnet.attention.DilatedPair;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.commandline.Arguments;
import org.longnet.commandline.BatchOption;
import org.longnet.commandline.ChosenDevice;
import org.longnet.engine.device.Device;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.Profile;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.train.ProgressLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code longnet bench attention}: the attention core (Q, K, V given) against sequence length,
 * dilated (the paper's configuration by default) and dense causal attention, forward and
 * forward+backward.
 */
@Command(name = "attention", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Time causal dilated attention against dense attention, forward and backward, at doubling sequence lengths.",
        "",
        "Times the attention core (Q, K, V given) from --min-len to --max-len, doubling, on the chosen device: forward",
        "and forward+backward time, tokens/s, TFLOP/s (spec section 4's count) and memory. On NVIDIA GPUs (through NVML)",
        "also the mean SM clock while the repeats ran and how often the card was at its power limit: a long run at the",
        "limit (the H200's 700 W) runs a few percent slower than a short one. A progress line says what runs; the table,",
        "the run's CSV and a log-log PNG (in --out) hold the results."},
        footer = {"", "Examples:", "  longnet bench attention                       # lengths and repeats suited to the device",
                "  longnet bench attention --min-len 1024 --max-len 8192 --heads 4 --repeats 5",
                "  longnet --device cuda bench attention --matrix-units --breakdown",
                "  longnet bench attention --replot benchmarks/out/attention-cuda-0-mma-20260105-114203.csv"})
final class AttentionBenchCommand implements Callable<Integer> {
    @Option(names = "--heads", paramLabel = "H", defaultValue = "12", description = "Heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--head-dim", paramLabel = "D", defaultValue = "64", description = "Width of each head (default: ${DEFAULT-VALUE}).")
    int headDim;

    @Mixin
    BatchOption batchOption;

    @Option(names = "--segment-lengths", split = ",", paramLabel = "W", defaultValue = "2048,4096,8192,16384,32768",
            description = "Segment lengths w of the dilated attention (default: the paper's ${DEFAULT-VALUE}).")
    int[] segmentLengths;

    @Option(names = "--dilation-rates", split = ",", paramLabel = "R", defaultValue = "1,2,4,6,12",
            description = "Dilation rates r, one per segment length (default: the paper's ${DEFAULT-VALUE}).")
    int[] dilationRates;

    @Option(names = "--min-len", paramLabel = "N", description = "First sequence length (default: 8192 on GPUs, 1024 elsewhere).")
    Integer minLen;

    @Option(names = "--max-len", paramLabel = "N",
            description = "Last sequence length (default: what fits the device, at most 16M on GPUs, 4096 elsewhere).")
    Integer maxLen;

    @Option(names = "--dense-max-len", paramLabel = "N",
            description = "Longest dense run, whose cost grows with the square of the length (default: 65536 on GPUs, 4096 elsewhere).")
    Integer denseMaxLen;

    @Option(names = "--matrix-units", description = "Store Q, K, V and dO in bf16 and run the matrix-unit kernels (tensor cores on "
            + "cuda; fp32 accumulation, output and gradients; head dimension 64); the backward writes dQ over O: 20 bytes per element.")
    boolean matrixUnits;

    @Option(names = "--in-place", description = "With --matrix-units: the backward in the least memory, dQ over O and dK, dV over "
            + "K, V in bf16, through fp32 dK and dV of one of 8 chunks of the sequence at a time (each whole segments of every pair): "
            + "12 bytes per element and 1 for the chunk (for the paper's pairs from 256K). K and V are filled again before each repeat.")
    boolean inPlace;

    @Option(names = "--deterministic", description = "With --matrix-units: compute dQ in a kernel of its own (bit-reproducible) "
            + "instead of adding it atomically inside the dK/dV kernel (faster).")
    boolean deterministic;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Timed repeats at each length; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--breakdown", description = "Also print each kernel's median device time at every length, with the TF/s of "
            + "the matrix products it runs (a forward pair 2 per score tile, dQ 3, dK/dV 4: the backward's 3.5x counts 2.5), "
            + "and on NVIDIA GPUs the card's lowest clock and mean power while the length ran.")
    boolean breakdown;

    @Mixin
    BenchOutput output;

    /**
     * One length's numbers; {@code smMhz} and {@code cappedShare} are the card's mean SM clock and the share of
     * readings at its power limit while the repeats ran (NaN on devices without sensors).
     */
    private record Result(String kind, int n, double forwardMs, double totalMs, double tokensPerSecond, double forwardTflops,
                          double totalTflops, double memoryMiB, double smMhz, double cappedShare, String breakdown) {
    }

    /** Says what runs; its bar counts each measurement's warm-up and repeats. */
    private ProgressLine progress;
    private long stepsDone, steps;
    private int measurement, measurements, batch;

    @Override
    public Integer call() throws IOException {
        if (output.replot != null) {
            replot();
            return 0;
        }
        batch = batchOption.checked();
        Device device = ChosenDevice.open();
        boolean gpu = device.info().gpu();
        int first = minLen != null ? minLen : gpu ? 8192 : 1024;
        int last = maxLen != null ? maxLen : gpu ? 16 << 20 : 4096;
        int denseLast = denseMaxLen != null ? denseMaxLen : gpu ? 65536 : 4096;
        Arguments.atLeast("--min-len", first, 1);
        if (last < first) {
            throw new IllegalArgumentException("--max-len " + last + " is below --min-len " + first + "; give a --max-len of at least " + first);
        }
        Arguments.atLeast("--repeats", repeats, 1);
        if (inPlace && (!matrixUnits || deterministic)) {
            throw new IllegalArgumentException("--in-place runs the matrix-unit backward that adds dQ atomically: give --matrix-units"
                    + (deterministic ? " and leave out --deterministic" : ""));
        }
        DilatedAttentionConfig dilated = DilatedAttentionConfig.of(segmentLengths, dilationRates, true);
        int planned = 0;
        for (long n = first; n <= last; n *= 2) {
            planned += n <= denseLast ? 2 : 1;
        }
        measurements = planned;
        measurement = 0;
        stepsDone = 0;
        steps = (long) planned * (repeats + 1);
        progress = new ProgressLine(System.out);
        System.out.println("dilated: " + dilated.pairs() + ", causal; dense: one pair (N, 1), causal; " + batch + " x N x "
                + heads + " heads x " + headDim
                + (matrixUnits ? ", bf16 Q, K, V, dO on matrix units (" + DilatedAttentionCore.kernelsOn(device, deterministic)
                        + "), dQ written over O" + (deterministic ? " by its own kernel" : " (added atomically)")
                        + (inPlace ? ", dK and dV over K and V by the TMA-fed backward, " + IN_PLACE_CHUNKS + " chunks a sequence" : "")
                : ", fp32 storage")
                + "; fwd+bwd shows - where only the forward fits");
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
        progress.end();
        write(device, results);
        return 0;
    }

    /**
     * Times one length. Storage: fp32 Q, K, V, O, dO, dQ, dK, dV (32 bytes per element); with
     * --matrix-units bf16 Q, K, V, dO and fp32 dK, dV, with dQ written over O once Delta has read it (20); with
     * --in-place dK and dV over K and V, through fp32 ones of a chunk (12, and 8 over the chunks a sequence). When
     * the backward's buffers do not fit but the forward's do (fp32 16, bf16 10 bytes per element), the forward alone is timed.
     */
    private Result measure(Device device, String kind, int n, DilatedAttentionConfig config) {
        measurement++;
        show(kind, n, "warm-up run (compiles the kernels on first use)");
        AttentionShape shape = new AttentionShape(batch, n, heads, headDim);
        long e = shape.elements(), rows = shape.rows();
        long forwardBytes = (matrixUnits ? 10 : 16) * e + Float.BYTES * rows;
        DilatedAttentionCore core = new DilatedAttentionCore(shape, config, "attn", deterministic).forDevice(device);
        long chunk = inPlace ? ChunkedBackward.chunkElements(shape, config, IN_PLACE_CHUNKS) : 0;
        long totalBytes = (inPlace ? 12 * e + 8 * chunk : (matrixUnits ? 20 : 32) * e) + 2L * Float.BYTES * rows;
        long free = device.freeMemory() * 9 / 10;
        if (forwardBytes > free) {
            progress.note(String.format("%-8s N=%d stops here: the forward needs %.1f GiB, the device has %.1f GiB free", kind, n,
                    forwardBytes / 1073741824.0, free / 1073741824.0 * 10 / 9));
            return null;
        }
        boolean withBackward = totalBytes <= free;
        List<DeviceArray> arrays = new ArrayList<>();
        FloatArray o = keep(arrays, new FloatArray(e)), lse = keep(arrays, new FloatArray(rows));
        TaskGraph fill = new TaskGraph("fill"), forward = new TaskGraph("fwd"), backward = new TaskGraph("bwd");
        FloatArray delta = null, gk = null, gv = null;
        if (withBackward) {
            delta = keep(arrays, new FloatArray(rows));
            gk = keep(arrays, new FloatArray(inPlace ? chunk : e));
            gv = keep(arrays, new FloatArray(inPlace ? chunk : e));
        }
        if (matrixUnits) {
            long operands = core.operandElements(); // with the slack the tensor maps of a dilation that does not divide N reach
            BFloat16Array q = keep(arrays, new BFloat16Array(operands)), k = keep(arrays, new BFloat16Array(operands));
            BFloat16Array v = keep(arrays, new BFloat16Array(operands));
            fill.task("fillQ", EngineKernels::fillRandomBf16, q, 1000L).task("fillK", EngineKernels::fillRandomBf16, k, 2000L)
                    .task("fillV", EngineKernels::fillRandomBf16, v, 3000L);
            core.appendForward(forward, q, k, v, o, lse);
            if (withBackward) {
                BFloat16Array go = keep(arrays, new BFloat16Array(operands));
                fill.task("fillGradOut", EngineKernels::fillRandomBf16, go, 4000L);
                if (inPlace) {
                    core.appendBackwardInPlace(backward, q, k, v, o, lse, go, delta, gk, gv);
                } else {
                    core.appendBackward(backward, q, k, v, o, lse, go, delta, o, gk, gv);
                }
            }
        } else {
            FloatArray q = keep(arrays, new FloatArray(e)), k = keep(arrays, new FloatArray(e)), v = keep(arrays, new FloatArray(e));
            fill.task("fillQ", EngineKernels::fillRandom, q, 1000L).task("fillK", EngineKernels::fillRandom, k, 2000L)
                    .task("fillV", EngineKernels::fillRandom, v, 3000L);
            core.appendForward(forward, q, k, v, o, lse);
            if (withBackward) {
                FloatArray go = keep(arrays, new FloatArray(e)), gq = keep(arrays, new FloatArray(e));
                fill.task("fillGradOut", EngineKernels::fillRandom, go, 4000L);
                core.appendBackward(backward, q, k, v, o, lse, go, delta, gq, gk, gv);
            }
        }
        try (ExecutionPlan f = new ExecutionPlan(fill.snapshot()).withDevice(device);
             ExecutionPlan fw = new ExecutionPlan(forward.snapshot()).withDevice(device).withProfiler(true);
             ExecutionPlan bw = withBackward
                     ? new ExecutionPlan(backward.snapshot()).withDevice(device).withProfiler(true) : null) {
            f.execute();
            fw.execute();
            if (bw != null) {
                bw.execute();
            }
            long[] fwd = new long[repeats], bwd = new long[repeats];
            List<Profile> profiles = new ArrayList<>();
            Optional<SensorSampler> sampler = SensorSampler.start(device);
            for (int r = 0; r < repeats; r++) {
                show(kind, n, "repeat " + (r + 1) + "/" + repeats);
                if (inPlace && r > 0) {
                    f.execute(); // the last backward wrote its gradients over K and V
                }
                Profile pf = fw.execute().profile();
                fwd[r] = kernelNanos(pf);
                profiles.add(pf);
                if (bw != null) {
                    Profile pb = bw.execute().profile();
                    bwd[r] = kernelNanos(pb);
                    profiles.add(pb);
                }
            }
            Optional<SensorSampler.Summary> sensed = sampler.map(SensorSampler::stop);
            double fMs = Stats.median(fwd) / 1e6, tMs = bw == null ? Double.NaN : fMs + Stats.median(bwd) / 1e6;
            double flops = config.flops(n, (long) heads * headDim) * batch;
            return new Result(kind, n, fMs, tMs, batch * (double) n / (fMs / 1e3), flops / (fMs / 1e3) / 1e12,
                    3.5 * flops / (tMs / 1e3) / 1e12, (withBackward ? totalBytes : forwardBytes) / 1048576.0,
                    sensed.map(SensorSampler.Summary::meanSmMhz).orElse(Double.NaN),
                    sensed.map(SensorSampler.Summary::cappedShare).orElse(Double.NaN),
                    breakdown ? breakdown(profiles, config, n) + sensed.map(s -> "    card: " + s.describe() + "\n").orElse("") : "");
        } finally {
            arrays.forEach(DeviceArray::close);
        }
    }

    /** A measured value, or "-" where none was measured (the forward alone fitted). */
    private static String orDash(double v) {
        return Double.isFinite(v) ? String.format("%.3f", v) : "-";
    }

    /** The progress line: which measurement of how many, its kind and length, what it does now, and the time so far. */
    private void show(String kind, int n, String what) {
        progress.show(stepsDone++, steps, String.format("%s N=%d (%d of at most %d): %s  elapsed %s", kind, n, measurement,
                measurements, what, progress.elapsed()), true);
    }

    private static <T extends DeviceArray> T keep(List<DeviceArray> arrays, T array) {
        arrays.add(array);
        return array;
    }

    private boolean header;

    private Result print(Result r) {
        StringBuilder row = new StringBuilder();
        if (!header) {
            row.append(String.format("%-8s %10s %12s %14s %12s %10s %14s %10s %8s %7s%n", "kind", "N", "forward ms", "fwd+bwd ms",
                    "tokens/s", "fwd TF/s", "fwd+bwd TF/s", "MiB", "SM MHz", "capped"));
            header = true;
        }
        row.append(String.format("%-8s %10d %12.3f %14s %12.3g %10.3f %14s %10.0f %8s %7s", r.kind, r.n, r.forwardMs, orDash(r.totalMs),
                r.tokensPerSecond, r.forwardTflops, orDash(r.totalTflops), r.memoryMiB,
                Double.isFinite(r.smMhz) ? String.format("%.0f", r.smMhz) : "-",
                Double.isFinite(r.cappedShare) ? String.format("%.0f%%", 100 * r.cappedShare) : "-"));
        progress.note(r.breakdown.isEmpty() ? row.toString() : row + System.lineSeparator() + r.breakdown.stripTrailing());
        return r;
    }

    private void write(Device device, List<Result> results) throws IOException {
        StringBuilder csv = new StringBuilder(
                "device,kind,n,forward_ms,fwd_bwd_ms,tokens_per_s,fwd_tflops,fwd_bwd_tflops,memory_mib,sm_mhz,power_capped_share\n");
        for (Result r : results) {
            csv.append(String.join(",", device.info().id(), r.kind, String.valueOf(r.n), String.valueOf(r.forwardMs),
                    String.valueOf(r.totalMs), String.valueOf(r.tokensPerSecond), String.valueOf(r.forwardTflops),
                    String.valueOf(r.totalTflops), String.valueOf(r.memoryMiB), String.valueOf(r.smMhz),
                    String.valueOf(r.cappedShare))).append('\n');
        }
        System.out.println("\nTFLOP/s count 4·N·d·Σ w/r² per forward, halved for causal (spec §4); forward+backward counts 3.5x that.");
        String stem = "attention-" + device.info().id().replace(':', '-') + (matrixUnits ? "-mma" : "")
                + (matrixUnits && deterministic ? "-deterministic" : "");
        output.write(stem, csv.toString(),
                results.isEmpty() ? null : png -> chart(png, device.info().id() + ": " + device.info().name(), results));
    }

    private static void chart(Path png, String device, List<Result> results) throws IOException {
        List<LineChart.Series> series = new ArrayList<>();
        for (String kind : new String[] {"dilated", "dense"}) {
            List<Result> rs = results.stream().filter(r -> r.kind.equals(kind)).toList();
            if (!rs.isEmpty()) {
                double[] n = rs.stream().mapToDouble(r -> r.n).toArray();
                series.add(new LineChart.Series(kind + " forward", n, rs.stream().mapToDouble(r -> r.forwardMs).toArray()));
                List<Result> full = rs.stream().filter(r -> Double.isFinite(r.totalMs)).toList();
                if (!full.isEmpty()) {
                    series.add(new LineChart.Series(kind + " fwd+bwd", full.stream().mapToDouble(r -> r.n).toArray(),
                            full.stream().mapToDouble(r -> r.totalMs).toArray()));
                }
            }
        }
        LineChart.write(png, "causal attention on " + device, "sequence length (tokens)", "time (ms)", series);
    }

    private void replot() throws IOException {
        List<Result> results = new ArrayList<>();
        String device = "";
        for (String[] f : output.replotRows()) {
            if (f.length != 9 && f.length != 11) { // 9: CSVs written before the clock columns
                throw output.badRow("11 columns (or 9)", f);
            }
            device = f[0];
            results.add(new Result(f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                    f.length == 11 ? Double.parseDouble(f[9]) : Double.NaN, f.length == 11 ? Double.parseDouble(f[10]) : Double.NaN, ""));
        }
        String title = device;
        output.drawReplot(png -> chart(png, title, results));
    }

    /**
     * Each kernel task's median device time over the repeats (the in-place backward's chunks of a task summed in each), and for
     * the per-pair tasks (named after their pair's index) the rate of the matrix products they run.
     */
    private String breakdown(List<Profile> profiles, DilatedAttentionConfig config, int n) {
        Map<String, List<Long>> nanos = new LinkedHashMap<>();
        for (Profile p : profiles) {
            Map<String, Long> run = new LinkedHashMap<>();
            for (Profile.Event e : p.events()) {
                if (e.kind() == Profile.Kind.KERNEL) {
                    run.merge(CHUNK.matcher(e.name()).replaceFirst(""), e.deviceNanos(), Long::sum);
                }
            }
            run.forEach((task, ns) -> nanos.computeIfAbsent(task, k -> new ArrayList<>()).add(ns));
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<Long>> task : nanos.entrySet()) {
            double ms = Stats.median(task.getValue().stream().mapToLong(Long::longValue).toArray()) / 1e6;
            Matcher m = PAIR_TASK.matcher(task.getKey());
            String rate = "";
            if (m.matches()) {
                DilatedPair pair = config.pairs().get(Integer.parseInt(m.group(2)));
                double products = switch (m.group(1)) {
                    case "Pair" -> 1;
                    case "GradQ" -> 1.5;
                    case "GradKV" -> 2;
                    default -> 3.5; // dQ, dK and dV in one launch
                };
                double flops = products * new DilatedAttentionConfig(List.of(pair), config.causal()).flops(n, (long) heads * headDim) * batch;
                rate = String.format("%8.3f TF/s  %s", flops / (ms / 1e3) / 1e12, pair);
            }
            out.append(String.format("    %-20s %10.3f ms %s%n", task.getKey(), ms, rate));
        }
        return out.toString();
    }

    private static final Pattern PAIR_TASK = Pattern.compile(".*attn(Pair|GradQ|GradKV|Grad)(\\d+)");
    /** The chunk in an in-place backward's task names ({@link ChunkedBackward}). */
    private static final Pattern CHUNK = Pattern.compile("Chunk\\d+");
    /** Chunks a sequence of the in-place backward. */
    private static final int IN_PLACE_CHUNKS = 8;

    private static long kernelNanos(Profile p) {
        return p.events().stream().filter(e -> e.kind() == Profile.Kind.KERNEL).mapToLong(Profile.Event::deviceNanos).sum();
    }
}
