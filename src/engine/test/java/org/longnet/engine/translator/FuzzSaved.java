package org.longnet.engine.translator;

import org.longnet.engine.translator.FuzzRun.Endless;
import org.longnet.engine.translator.FuzzRun.Failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

/**
 * Fuzz batches compiled in one JVM and run in another that has no javac: the GPU machine's runtime
 * ({@code scripts/gpu/pack}) leaves jdk.compiler out to fit the transfer. A batch is a folder
 * {@code FuzzBatchN} holding what javac and the translator wrote for its class ({@code fuzz/FuzzBatchN.class},
 * its {@code .cl}, {@code .cu} and other generated files) and {@code seeds.txt}, one seed a line: the kernels'
 * inputs and their Java reference come from the seeds alone ({@link FuzzKernels#generate} needs no javac).
 */
final class FuzzSaved {
    private static final String SEEDS = "seeds.txt";

    /** A saved batch: its class's name, its kernels, and the folder to load the class (and its generated files) from. */
    record Batch(String name, List<FuzzKernel> kernels, Path classes) {
    }

    private FuzzSaved() {
    }

    /** Removes the batches an earlier run saved into the folder (nothing else), so that it holds this run's alone. */
    static void clear(Path dir) {
        for (Path batch : batches(dir)) {
            try (Stream<Path> walk = Files.walk(batch)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Keeps a batch that ran: the class's files from javac's output folder {@code out}, and the kernels' seeds. */
    static void save(Path dir, String name, List<FuzzKernel> kernels, Path out) throws IOException {
        Path to = dir.resolve(name);
        Path from = out.resolve("fuzz");
        try (Stream<Path> walk = Files.walk(from)) {
            // Not the translator's generated JVM launcher source: its class is there, and the transfer is limited.
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".java")).toList()) {
                Path target = to.resolve("fuzz").resolve(from.relativize(p).toString());
                Files.createDirectories(target.getParent());
                Files.copy(p, target);
            }
        }
        Files.write(to.resolve(SEEDS), kernels.stream().map(k -> Long.toString(k.seed())).toList());
    }

    /** The saved batches, in the order they were saved, with only the kernels whose seeds are wanted (batches left empty dropped). */
    static List<Batch> load(Path dir, LongPredicate wanted) {
        List<Batch> loaded = new ArrayList<>();
        for (Path batch : batches(dir)) {
            try {
                List<FuzzKernel> kernels = Files.readAllLines(batch.resolve(SEEDS)).stream().map(String::trim).filter(s -> !s.isEmpty())
                        .mapToLong(Long::parseLong).filter(wanted).mapToObj(FuzzKernels::generate).toList();
                if (!kernels.isEmpty()) {
                    loaded.add(new Batch(batch.getFileName().toString(), kernels, batch));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return loaded;
    }

    /** Loads the batch's class and runs its kernels on the devices, as {@link FuzzBatch} does after compiling them. */
    static List<Failure> run(Batch batch, List<String> deviceIds) {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {batch.classes().toUri().toURL()}, FuzzSaved.class.getClassLoader())) {
            Class<?> cls = Class.forName("fuzz." + batch.name(), true, loader);
            return run(batch.kernels(), cls, batch.classes(), deviceIds);
        } catch (ReflectiveOperationException | LinkageError e) {
            return batch.kernels().stream().map(k -> new Failure(k.seed(), "the saved class " + batch.name() + " does not load: "
                    + FuzzRun.trace(e))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As {@link FuzzBatch} does, a batch that fails as a whole is tried in halves until the kernels at fault are found; here
     * the halves keep the one class (there is no javac to compile them apart), which finds a failing launch, though not a
     * device compiler rejecting the class's program: then every kernel of the batch reports it.
     */
    private static List<Failure> run(List<FuzzKernel> kernels, Class<?> cls, Path classes, List<String> deviceIds) {
        try {
            return FuzzRun.compare(kernels, cls, classes, deviceIds);
        } catch (Endless e) {
            throw e;
        } catch (RuntimeException | ReflectiveOperationException | Error e) {
            if (kernels.size() == 1) {
                return List.of(new Failure(kernels.get(0).seed(), "failed to run: " + FuzzRun.trace(e)));
            }
            List<Failure> failures = new ArrayList<>(run(kernels.subList(0, kernels.size() / 2), cls, classes, deviceIds));
            failures.addAll(run(kernels.subList(kernels.size() / 2, kernels.size()), cls, classes, deviceIds));
            return failures;
        }
    }

    /** The folders {@code FuzzBatchN} with a seeds file, by N. */
    private static List<Path> batches(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().matches("FuzzBatch\\d+") && Files.isRegularFile(p.resolve(SEEDS)))
                    .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring("FuzzBatch".length()))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
