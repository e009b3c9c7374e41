package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;
import org.longnet.engine.TestDevices;
import org.longnet.engine.translator.FuzzBatch.Failure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 */
class TranslatorFuzzTest {
    static final int COUNT = 40, BATCH = 64;
    static final long FIRST = 30;

    @Test
    void randomKernelsAgreeWithTheirJavaOnEveryDevice() {
        String chosen = System.getProperty("longnet.fuzz.seed");
        long first = Long.getLong("longnet.fuzz.first", FIRST);
        List<Long> seeds = chosen != null ? Arrays.stream(chosen.split(",")).map(String::trim).map(Long::valueOf).toList()
                : LongStream.range(first, first + Integer.getInteger("longnet.fuzz.count", COUNT)).boxed().toList();
        if (chosen != null) {
            seeds.forEach(seed -> System.out.println(FuzzKernels.generate(seed).source()));
        }
        List<Failure> failures = new ArrayList<>();
        Map<FuzzKernel.Shape, Integer> shapes = new TreeMap<>();
        long start = System.nanoTime();
        int size = Integer.getInteger("longnet.fuzz.batch", BATCH);
        for (int b = 0; b < seeds.size(); b += size) {
            List<FuzzKernel> batch = seeds.subList(b, Math.min(seeds.size(), b + size)).stream().map(FuzzKernels::generate).toList();
            batch.forEach(k -> shapes.merge(k.shape(), 1, Integer::sum));
            failures.addAll(FuzzBatch.run(batch, TestDevices.ids()));
        }
        System.out.printf("translator fuzz: %d kernels %s from seed %d on %s in %.1f s, %d failed%n", seeds.size(), shapes, seeds.get(0), TestDevices.ids(),
                (System.nanoTime() - start) / 1e9, failures.stream().map(Failure::seed).distinct().count());
        if (!failures.isEmpty()) {
            String failed = failures.stream().map(f -> Long.toString(f.seed())).distinct().collect(Collectors.joining(","));
            StringBuilder report = new StringBuilder(failures.size() + " failures; replay them with -Dtest=TranslatorFuzzTest "
                    + "-Dlongnet.fuzz.seed=" + failed + "\n");
            for (Failure f : failures) {
                report.append("\n== seed ").append(f.seed()).append(" (-Dlongnet.fuzz.seed=").append(f.seed()).append("): ")
                        .append(f.message()).append("\nJava:\n").append(FuzzKernels.generate(f.seed()).source());
            }
            fail(report.toString());
        }
    }
}
