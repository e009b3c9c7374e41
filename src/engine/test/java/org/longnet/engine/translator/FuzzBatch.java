package org.longnet.engine.translator;

import org.longnet.engine.translator.FuzzRun.Endless;
import org.longnet.engine.translator.FuzzRun.Failure;
import org.longnet.engine.translator.TranslatingCompiler.Result;
import org.longnet.engine.translator.TranslatingCompiler.Source;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Generated kernels in one class (so javac runs once, and each device builds one program for all),
 * compiled in this JVM with the translator, loaded, and run and compared by {@link FuzzRun}. When a whole
 * batch fails (javac or a device's compiler rejects it, a launch fails), its halves are tried alone until
 * the kernels at fault are found. With a save folder, each class that ran is also kept there
 * ({@link FuzzSaved}) so that a runtime without javac can run it again.
 */
final class FuzzBatch {
    /** Each batch's class gets a name of its own: the engine keeps kernels by class name. */
    private static final AtomicInteger CLASSES = new AtomicInteger();

    private FuzzBatch() {
    }

    static List<Failure> run(List<FuzzKernel> kernels, List<String> deviceIds, Path save) {
        String name = "FuzzBatch" + CLASSES.getAndIncrement();
        FuzzClass source = FuzzClass.of(name, kernels);
        Result compiled = TranslatingCompiler.compile(new Source("fuzz/" + name + ".java", source.text()));
        if (!compiled.errors().isEmpty()) {
            return rejected(kernels, source, compiled, deviceIds, save);
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {compiled.out().toUri().toURL()}, FuzzBatch.class.getClassLoader())) {
            // The CUDA C compiles (nvcc, as GeneratedCudaCompilesTest checks the build's own) even where no GPU runs it.
            GeneratedCudaCompilesTest.nvcc(compiled.out().resolve("fuzz/" + name + ".cu"), "-ptx", "-arch=sm_90", compiled.out().resolve(name + ".ptx"));
            Class<?> cls = Class.forName("fuzz." + name, true, loader);
            List<Failure> failures = FuzzRun.compare(kernels, cls, compiled.out(), deviceIds);
            // Kept only once the batch ran as a whole: a batch that is split is kept as its halves, each kernel once.
            if (save != null) {
                FuzzSaved.save(save, name, kernels, compiled.out());
            }
            return failures;
        } catch (Endless e) {
            throw e;
        } catch (RuntimeException | ReflectiveOperationException | Error e) {
            if (kernels.size() == 1) {
                return List.of(new Failure(kernels.get(0).seed(), "failed to run: " + FuzzRun.trace(e)));
            }
            List<Failure> failures = new ArrayList<>(run(kernels.subList(0, kernels.size() / 2), deviceIds, save));
            failures.addAll(run(kernels.subList(kernels.size() / 2, kernels.size()), deviceIds, save));
            return failures;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** javac's errors, given to the kernels whose lines they are on; the other kernels run on as a batch of their own. */
    private static List<Failure> rejected(List<FuzzKernel> kernels, FuzzClass source, Result compiled, List<String> deviceIds, Path save) {
        Map<FuzzKernel, StringBuilder> errors = new LinkedHashMap<>();
        for (Diagnostic<? extends JavaFileObject> d : compiled.errors()) {
            FuzzKernel k = source.kernelAt(d.getLineNumber());
            if (k == null) {
                throw new AssertionError("the fuzz class does not compile, outside any kernel:\n" + compiled.describe() + "\n" + source.text());
            }
            errors.computeIfAbsent(k, x -> new StringBuilder()).append("  line ").append(d.getLineNumber() - source.firstLine(k) + 1)
                    .append(": ").append(d.getMessage(null)).append('\n');
        }
        List<Failure> failures = new ArrayList<>();
        errors.forEach((k, message) -> failures.add(new Failure(k.seed(), "javac with the translator rejected it:\n" + message)));
        List<FuzzKernel> rest = kernels.stream().filter(k -> !errors.containsKey(k)).toList();
        if (!rest.isEmpty()) {
            failures.addAll(run(rest, deviceIds, save));
        }
        return failures;
    }
}
