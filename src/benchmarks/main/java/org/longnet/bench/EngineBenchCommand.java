package org.longnet.bench;

import org.longnet.plot.BarChart;
import org.longnet.engine.api.BFloat16Array;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.FloatArray;
import org.longnet.commandline.Arguments;
import org.longnet.commandline.ChosenDevice;
import org.longnet.engine.device.Device;
import org.longnet.engine.device.KernelInfo;
import org.longnet.engine.device.Launch;
import org.longnet.engine.graph.DataTransferMode;
import org.longnet.engine.graph.ExecutionPlan;
import org.longnet.engine.graph.Profile;
import org.longnet.engine.graph.TaskGraph;
import org.longnet.engine.library.Gemm;
import org.longnet.engine.library.GemmKernels;
import org.longnet.engine.library.GemmShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code longnet bench engine}: the engine's four numbers on one device — copy-kernel bandwidth
 * against the driver's own copy, GEMM TFLOP/s (portable kernel, and cuBLAS on CUDA), the host
 * cost of one small task-graph execution against a raw driver launch, and cold/warm build time.
 */
@Command(name = "engine", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Measure the engine on the chosen device: copy bandwidth, GEMM speed, launch overhead and compile time.",
        "",
        "The copy kernel's bandwidth is compared with the driver's own device-to-device copy, the portable GEMM kernel",
        "with cuBLAS (on cuda), and a small task graph's execution with a raw driver launch. Prints a table and",
        "writes the run's CSV and PNG to --out."},
        footer = {"", "Examples:", "  longnet bench engine                          # default device, sizes for it",
                "  longnet --device cuda bench engine --gemm-size 8192",
                "  longnet bench engine --replot benchmarks/out/engine-cuda-0-20260105-114203.csv"})
final class EngineBenchCommand implements Callable<Integer> {
    @Option(names = "--copy-mib", paramLabel = "MIB", description = "Size of each copy array in MiB (default: 1024 on GPUs, 256 elsewhere).")
    Integer copyMib;

    @Option(names = "--gemm-size", paramLabel = "N", description = "m = n = k of the GEMM (default: 4096 on GPUs, 512 elsewhere).")
    Integer gemmSize;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "10",
            description = "Timed repeats of each measurement; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--launches", paramLabel = "N", defaultValue = "2000",
            description = "Executions timed for the launch overhead (default: ${DEFAULT-VALUE}).")
    int launches;

    @Mixin
    BenchOutput output;

    private record Row(String measurement, double value, String unit, double limit, String against) {
    }

    private final List<Row> rows = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (output.replot != null) {
            replot();
            return 0;
        }
        Arguments.atLeast("--repeats", repeats, 1);
        Arguments.atLeast("--launches", launches, 1);
        Device device = ChosenDevice.open();
        System.out.println("driver: " + device.info().driver());
        boolean gpu = device.info().gpu();
        long mib = copyMib != null ? copyMib : gpu ? 1024 : 256;
        int size = gemmSize != null ? gemmSize : gpu ? 4096 : 512;
        Arguments.atLeast("--copy-mib", mib, 1);
        Arguments.atLeast("--gemm-size", size, 1);
        step(1, 5, "copy bandwidth, 2 x " + mib + " MiB");
        copy(device, mib * (1L << 20) / Float.BYTES);
        step(2, 5, "GEMM " + size + "^3");
        gemm(device, size);
        step(3, 5, "launch overhead, " + launches + " executions");
        overhead(device);
        step(4, 5, "build time, cold and warm");
        build(device);
        step(5, 5, "writing results");
        report(device);
        return 0;
    }

    private static void step(int i, int n, String what) {
        System.out.printf("[%d/%d] %s%n", i, n, what);
    }

    private void copy(Device device, long n) {
        FloatArray in = new FloatArray(n), outArray = new FloatArray(n);
        for (long i = 0; i < n; i += 1024) {
            in.set(i, i);
        }
        long[] peak = new long[repeats];
        device.copyOnDevice(in, outArray, true);
        for (int r = 0; r < repeats; r++) {
            peak[r] = device.copyOnDevice(in, outArray, true);
        }
        TaskGraph g = new TaskGraph("bw").transferToDevice(DataTransferMode.FIRST_EXECUTION, in)
                .task("copy", EngineKernels::copy, in, outArray);
        long[] kernel = new long[repeats];
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device).withProfiler(true)) {
            plan.execute();
            for (int r = 0; r < repeats; r++) {
                kernel[r] = kernelNanos(plan.execute().profile());
            }
        }
        double bytes = 2.0 * n * Float.BYTES;
        double peakGBs = bytes / Stats.median(peak);
        rows.add(new Row("driver copy (device to device)", peakGBs, "GB/s", Double.NaN, "the device's copy peak"));
        rows.add(new Row("copy kernel", bytes / Stats.median(kernel), "GB/s", peakGBs, "driver copy"));
        in.close();
        outArray.close();
    }

    private void gemm(Device device, int size) {
        GemmShape shape = GemmShape.of(size, size, size);
        FloatArray a = random((long) size * size, 1), b = random((long) size * size, 2), c = new FloatArray((long) size * size);
        Gemm.Implementation portable = device.info().gpu() ? Gemm.Implementation.TILED : Gemm.Implementation.ROWS;
        double portableTflops = tflops(device, Gemm.of(shape, a, b, c).using(portable));
        String name = "GEMM portable kernel (" + portable.name().toLowerCase() + ") fp32";
        rows.add(new Row(name, portableTflops, "TFLOP/s", Double.NaN, ""));
        if (Gemm.Implementation.CUBLAS.runsOn(device)) {
            double cublas = tflops(device, Gemm.of(shape, a, b, c).using(Gemm.Implementation.CUBLAS));
            rows.set(rows.size() - 1, new Row(name, portableTflops, "TFLOP/s", cublas, "cuBLAS fp32"));
            rows.add(new Row("GEMM cuBLAS fp32", cublas, "TFLOP/s", Double.NaN, ""));
            BFloat16Array a16 = new BFloat16Array((long) size * size), b16 = new BFloat16Array((long) size * size);
            for (long i = 0; i < a16.getSize(); i++) {
                a16.set(i, a.get(i));
                b16.set(i, b.get(i));
            }
            rows.add(new Row("GEMM cuBLAS bf16 in fp32 accumulate", tflops(device, Gemm.of(shape, a16, b16, c)), "TFLOP/s", Double.NaN, ""));
        }
    }

    /** TFLOP/s of one GEMM from the median device time of a few executions, after one warm-up. */
    private double tflops(Device device, Gemm gemm) {
        long[] ns = new long[Math.min(repeats, 5)];
        DeviceArray[] in = gemm.arrays().toArray(DeviceArray[]::new);
        TaskGraph g = new TaskGraph("mm").transferToDevice(DataTransferMode.FIRST_EXECUTION, in).library("gemm", gemm);
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device).withProfiler(true)) {
            plan.execute();
            for (int r = 0; r < ns.length; r++) {
                ns[r] = plan.execute().profile().events().stream().filter(e -> e.kind() == Profile.Kind.LIBRARY)
                        .mapToLong(Profile.Event::deviceNanos).sum();
            }
        }
        return gemm.shape().flops() / Stats.median(ns) / 1e3;
    }

    private void overhead(Device device) {
        FloatArray x = new FloatArray(256);
        TaskGraph g = new TaskGraph("small").transferToDevice(DataTransferMode.FIRST_EXECUTION, x).task("inc", EngineKernels::increment, x);
        long[] graph = new long[launches];
        long[] raw = new long[launches];
        try (ExecutionPlan plan = new ExecutionPlan(g.snapshot()).withDevice(device)) {
            for (int r = 0; r < launches / 4 + 1; r++) {
                plan.execute();
            }
            for (int r = 0; r < launches; r++) {
                long t = System.nanoTime();
                plan.execute();
                graph[r] = System.nanoTime() - t;
            }
            // The baseline: the driver's launch call with its argument block built in advance, then a wait.
            try (Device.Prepared launch = device.prepare(KernelInfo.of(EngineKernels.class, "increment"), new Object[] {x},
                    new Launch(new long[] {256}, new long[] {256}))) {
                for (int r = 0; r < launches / 4 + 1; r++) {
                    launch.launch(false);
                    device.synchronize();
                }
                for (int r = 0; r < launches; r++) {
                    long t = System.nanoTime();
                    launch.launch(false);
                    device.synchronize();
                    raw[r] = System.nanoTime() - t;
                }
            }
        }
        double rawUs = Stats.median(raw) / 1e3, graphUs = Stats.median(graph) / 1e3;
        rows.add(new Row("raw driver launch + sync", rawUs, "us", Double.NaN, ""));
        rows.add(new Row("small task-graph execution", graphUs, "us", Double.NaN, ""));
        rows.add(new Row("task-graph overhead over raw launch", graphUs - rawUs, "us", 10, "target <= 10 us"));
    }

    private void build(Device device) {
        long cold = device.timeBuild(GemmKernels.class, false);
        long warm = device.timeBuild(GemmKernels.class, true);
        rows.add(new Row("build GemmKernels cold (driver compiler)", cold / 1e6, "ms", Double.NaN, ""));
        rows.add(new Row("build GemmKernels warm (disk cache)", warm / 1e6, "ms", Double.NaN, ""));
    }

    private void report(Device device) throws IOException {
        System.out.println();
        System.out.printf("%-42s %12s %-8s %s%n", "measurement", "value", "unit", "against");
        StringBuilder csv = new StringBuilder("device,measurement,value,unit,limit,against\n");
        for (Row r : rows) {
            String against = Double.isNaN(r.limit) ? "" : String.format("%.3g (%s) = %.0f%%", r.limit, r.against, 100 * r.value / r.limit);
            if (r.unit.equals("us") && !Double.isNaN(r.limit)) {
                against = r.against;
            }
            System.out.printf("%-42s %12.3f %-8s %s%n", r.measurement, r.value, r.unit, against);
            csv.append(String.join(",", device.info().id(), r.measurement, String.valueOf(r.value), r.unit,
                    Double.isNaN(r.limit) ? "" : String.valueOf(r.limit), r.against)).append('\n');
        }
        System.out.println();
        output.write("engine-" + device.info().id().replace(':', '-'), csv.toString(),
                png -> chart(png, "longnet bench engine on " + device.info().id() + ": " + device.info().name()));
    }

    private void chart(Path png, String title) throws IOException {
        List<BarChart.Bar> bars = new ArrayList<>();
        for (Row r : rows) {
            if (!r.unit.equals("ms")) {
                bars.add(new BarChart.Bar(r.measurement, r.value, r.limit, r.unit));
            }
        }
        BarChart.write(png, title, bars);
    }

    private void replot() throws IOException {
        String device = "";
        for (String[] f : output.replotRows()) {
            if (f.length != 6) {
                throw output.badRow("6 columns", f);
            }
            device = f[0];
            rows.add(new Row(f[1], Double.parseDouble(f[2]), f[3], f[4].isEmpty() ? Double.NaN : Double.parseDouble(f[4]), f[5]));
        }
        String title = "longnet bench engine on " + device;
        output.drawReplot(png -> chart(png, title));
    }

    private static long kernelNanos(Profile p) {
        return p.events().stream().filter(e -> e.kind() == Profile.Kind.KERNEL).mapToLong(Profile.Event::deviceNanos).sum();
    }

    private static FloatArray random(long n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatArray a = new FloatArray(n);
        for (long i = 0; i < n; i++) {
            a.set(i, (float) r.nextDouble(-1, 1));
        }
        return a;
    }
}
