package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.translator.FuzzRun.Failure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random well-typed kernels ({@link FuzzKernels}) run on every test device ({@link TestDevices}: jvm and
 * opencl here, cuda where there is one) and agree with the kernel's own Java: bit for bit for integer
 * code and exact float operations, within the devices' documented error for KernelMath's fast
 * functions and float division ({@link FuzzOutputs}). Each kernel comes from its seed alone, and a
 * failure names the seeds to replay:
 * <pre>
 * mvn -pl src/engine test -Dtest=TranslatorFuzzTest -Dlongnet.fuzz.seed=N[,M...]      # these kernels, their Java printed
 * mvn -pl src/engine test -Dtest=TranslatorFuzzTest -Dlongnet.fuzz.count=2000 \
 *     -Dlongnet.fuzz.first=$RANDOM$RANDOM                                          # a longer fuzz from other seeds
 * </pre>
 * CI runs {@value #COUNT} kernels from seed {@value #FIRST} (about half a minute on two cores, most of it
 * PoCL compiling them), in batches of at most {@value #BATCH}. The seeds before it include 29, which
 * PoCL 3.1 miscompiles: a private value set in a loop whose trip count differs between work-items (its
 * bound a select between a load and the global id), read after a barrier, takes the value of the
 * group's last work-item. The C is right, and jvm agrees with the Java.
 * <p>
 * Where there is no javac (the GPU machine's runtime from {@code scripts/gpu/pack} has no jdk.compiler), the kernels
 * are compiled elsewhere: {@code -Dlongnet.fuzz.save=DIR} also keeps each batch's class, generated files and seeds
 * under DIR ({@link FuzzSaved}; the pack writes {@code .device/fuzz} so), and {@code -Dlongnet.fuzz.load=DIR} runs
 * those instead of generating and compiling ({@code scripts/gpu/common} passes it when {@code .device/fuzz} exists).
 * With neither javac nor a saved batch the test fails, saying so: it never skips.
 */
@DeviceTest
class TranslatorFuzzTest {
    static final int COUNT = 40, BATCH = 64;
    static final long FIRST = 30;

    @Test
    void randomKernelsAgreeWithTheirJavaOnEveryDevice() {
        String chosen = System.getProperty("longnet.fuzz.seed"), load = System.getProperty("longnet.fuzz.load");
        Path save = Optional.ofNullable(System.getProperty("longnet.fuzz.save")).map(Path::of).orElse(null);
        if (load == null && ModuleLayer.boot().findModule("jdk.compiler").isEmpty()) {
            fail("the translator fuzz needs javac, and this Java runtime (" + System.getProperty("java.home") + ") has no jdk.compiler: "
                    + "run batches saved with -Dlongnet.fuzz.save=DIR where there is javac, with -Dlongnet.fuzz.load=DIR "
                    + "(scripts/gpu/pack saves them into .device/fuzz)");
        }
        List<Long> only = chosen == null ? null : Arrays.stream(chosen.split(",")).map(String::trim).map(Long::valueOf).toList();
        List<List<FuzzKernel>> batches = new ArrayList<>();
        List<FuzzSaved.Batch> saved = load == null ? List.of() : FuzzSaved.load(Path.of(load), seed -> only == null || only.contains(seed));
        if (load != null) {
            saved.forEach(b -> batches.add(b.kernels()));
            if (saved.isEmpty()) {
                fail("no saved fuzz batches" + (only == null ? "" : " with the seeds " + chosen) + " in " + Path.of(load).toAbsolutePath()
                        + " (-Dlongnet.fuzz.load): save them with -Dlongnet.fuzz.save=DIR where there is javac, as scripts/gpu/pack does");
            }
        } else {
            long first = Long.getLong("longnet.fuzz.first", FIRST);
            List<Long> seeds = only != null ? only
                    : LongStream.range(first, first + Integer.getInteger("longnet.fuzz.count", COUNT)).boxed().toList();
            int size = Integer.getInteger("longnet.fuzz.batch", BATCH);
            for (int b = 0; b < seeds.size(); b += size) {
                batches.add(seeds.subList(b, Math.min(seeds.size(), b + size)).stream().map(FuzzKernels::generate).toList());
            }
            if (save != null) {
                FuzzSaved.clear(save);
            }
        }
        if (only != null) {
            batches.forEach(batch -> batch.forEach(k -> System.out.println(k.source())));
        }
        List<Failure> failures = new ArrayList<>();
        Map<FuzzKernel.Shape, Integer> shapes = new TreeMap<>();
        long start = System.nanoTime();
        for (int b = 0; b < batches.size(); b++) {
            batches.get(b).forEach(k -> shapes.merge(k.shape(), 1, Integer::sum));
            // FuzzBatch (javac) is only touched when compiling: its class needs java.compiler, which the GPU runtime lacks.
            failures.addAll(load != null ? FuzzSaved.run(saved.get(b), TestDevices.ids()) : FuzzBatch.run(batches.get(b), TestDevices.ids(), save));
        }
        System.out.printf("translator fuzz: %d kernels %s from seed %d%s on %s in %.1f s, %d failed%n", shapes.values().stream().mapToInt(i -> i).sum(),
                shapes, batches.get(0).get(0).seed(), load == null ? "" : " (saved in " + load + ")", TestDevices.ids(),
                (System.nanoTime() - start) / 1e9, failures.stream().map(Failure::seed).distinct().count());
        if (!failures.isEmpty()) {
            String failed = failures.stream().map(f -> Long.toString(f.seed())).distinct().collect(Collectors.joining(","));
            StringBuilder report = new StringBuilder(failures.size() + " failures; replay them with -Dtest=TranslatorFuzzTest "
                    + "-Dlongnet.fuzz.seed=" + failed
                    + (load == null ? "" : " where there is javac, or on this machine with -Dlongnet.fuzz.load=" + load + " too") + "\n");
            for (Failure f : failures) {
                report.append("\n== seed ").append(f.seed()).append(" (-Dlongnet.fuzz.seed=").append(f.seed()).append("): ")
                        .append(f.message()).append("\nJava:\n").append(FuzzKernels.generate(f.seed()).source());
            }
            fail(report.toString());
        }
    }
}
