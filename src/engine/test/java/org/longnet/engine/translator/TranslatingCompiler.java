package org.longnet.engine.translator;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * javac in this JVM with the kernel translator, as the Maven build runs it (the engine's classes on
 * the class path, the translator as the processor): sources given as text, in the order javac gets
 * them, compiled into a folder where the generated files can be read.
 */
final class TranslatingCompiler {
    /** A source file: its path under the source root ({@code pkg/Name.java}) and its text. */
    record Source(String path, String text) {
    }

    /** What one compilation gave: its errors, and the folder it wrote to. */
    record Result(List<Diagnostic<? extends JavaFileObject>> errors, Path out) {
        /** A generated file, by its path under the output folder. */
        String file(String path) {
            try {
                return Files.readString(out.resolve(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Every error as {@code File.java:line: message}, for assertion messages. */
        String describe() {
            return errors.stream().map(d -> (d.getSource() == null ? "?" : Path.of(d.getSource().getName()).getFileName()) + ":"
                    + d.getLineNumber() + ": " + d.getMessage(null)).collect(Collectors.joining("\n"));
        }
    }

    private TranslatingCompiler() {
    }

    /**
     * A folder of the Maven build (the engine's classes, or the translator's), or where the tests run from jars
     * instead (scripts/gpu), the class path they were given, whose engine jar holds both.
     */
    private static String engine(Path folder) {
        String jars = System.getProperty("longnet.test.classpath");
        return Files.isDirectory(folder) || jars == null ? folder.toAbsolutePath().toString() : jars;
    }

    static Result compile(Source... sources) {
        return compile(List.of(), List.of(), sources);
    }

    /** Compiles with more class path entries (earlier compilations' output) and javac options. */
    static Result compile(List<Path> classPath, List<String> options, Source... sources) {
        try {
            Path out = Files.createTempDirectory("kernel-translator-test");
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
                List<JavaFileObject> units = new ArrayList<>();
                for (Source s : sources) {
                    units.add(new SimpleJavaFileObject(URI.create("string:///" + s.path()), JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return s.text();
                        }
                    });
                }
                List<String> path = new ArrayList<>(List.of(engine(Path.of("target", "classes"))));
                classPath.forEach(p -> path.add(p.toString()));
                List<String> all = new ArrayList<>(List.of("-d", out.toString(), "-proc:full",
                        "-classpath", String.join(java.io.File.pathSeparator, path),
                        "-processorpath", engine(Path.of("target", "translator-classes")),
                        "-processor", "org.longnet.engine.translator.KernelProcessor"));
                all.addAll(options);
                javac.getTask(null, files, diagnostics, all, null, units).call();
            }
            return new Result(diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
