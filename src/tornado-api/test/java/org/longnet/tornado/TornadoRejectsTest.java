package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TornadoVM code compiled with javac and the kernel translator, as a TornadoVM user's build compiles it. The
 * ReductionAddFloats example builds with {@code @Reduce}; with {@code @Reduce} taken away, its loop would race on
 * result[0], and the build fails at that line, naming the kernel and the element. Vectors in a kernel build as values, and a
 * kernel's vector parameter as the caller's lanes; where C cannot keep Java's meaning (every iteration writing a vector
 * parameter, rebinding one, two names for one vector, arrays of vectors, a collection made in a @Parallel kernel) the build
 * says why: a race fails it, and a kernel that uses what the translator does not support builds with a warning and runs as
 * Java on the host ({@link #rejections}, {@link TornadoBailoutTest}).
 */
class TornadoRejectsTest {
    private static final String EXAMPLE = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.annotations.Reduce;
            import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
            public class ReductionAddFloats {
                public static void reductionAddFloats(FloatArray input, %s FloatArray result) {
                    for (@Parallel int i = 0; i < input.getSize(); i++) {
                        result.set(0, result.get(0) + input.get(i));
                    }
                }
                static TaskGraph graph(FloatArray input, FloatArray result) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::reductionAddFloats, input, result);
                }
            }
            """;

    /** The errors of compiling {@code source} (as example/ReductionAddFloats.java) with the translator into {@code out}. */
    static List<Diagnostic<? extends JavaFileObject>> errors(String source, Path out) {
        return diagnostics(source, out).stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
    }

    /**
     * The translator's rejections of {@code source}: the build's errors, and the warnings at task methods that it leaves to run as
     * sequential Java on the host (TornadoVM's bailout), whose reasons read as errors do.
     */
    static List<Diagnostic<? extends JavaFileObject>> rejections(String source, Path out) {
        return diagnostics(source, out).stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR
                || d.getKind() == Diagnostic.Kind.WARNING && d.getMessage(null).contains("runs as sequential Java on the host")).toList();
    }

    /** Everything javac says compiling {@code source} (as example/ReductionAddFloats.java) with the translator into {@code out}. */
    static List<Diagnostic<? extends JavaFileObject>> diagnostics(String source, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///example/ReductionAddFloats.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of("-d", out.toString(), "-proc:full", "-classpath", System.getProperty("java.class.path"));
        javac.getTask(null, null, diagnostics, options, null, List.of(file)).call();
        return diagnostics.getDiagnostics();
    }

    @Test
    void reductionBuildsWithReduce(@TempDir Path out) {
        assertEquals(List.of(), rejections(EXAMPLE.formatted("@Reduce"), out).stream().map(d -> d.getMessage(null)).toList());
        assertTrue(out.resolve("example/ReductionAddFloats.cl").toFile().isFile(), "the translator ran and wrote the kernel's OpenCL C");
    }

    @Test
    void reductionWithoutReduceFailsAtTheRacingWrite(@TempDir Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = errors(EXAMPLE.formatted(""), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(9, errors.get(0).getLineNumber());
        String message = errors.get(0).getMessage(null);
        assertTrue(message.startsWith("kernel: in reductionAddFloats, every iteration of the @Parallel loop over i writes result[0] (its index "
                + "does not depend on i), a data race: mark result @Reduce"), message);
        assertTrue(!message.contains("\n"), "one line: " + message);
    }

    /** A kernel that may take a Float4 (line 7), and holds vectors on line 9, in ways C may or may not keep Java's meaning. */
    private static final String VECTOR_KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
            import uk.ac.manchester.tornado.api.types.vectors.Float4;
            public class ReductionAddFloats {
                static void scale(FloatArray a%s) {
                    for (@Parallel int i = 0; i < a.getSize(); i++) {
                        %s
                        a.set(i, a.get(i) * by.getX());
                    }
                }
                static TaskGraph graph(FloatArray a) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::scale, a%s);
                }
            }
            """;

    /** The one error of compiling VECTOR_KERNEL with these parts, at {@code line}, its message holding {@code reason}. */
    private static void assertRejected(Path out, int line, String reason, String... parts) {
        List<Diagnostic<? extends JavaFileObject>> errors = rejections(VECTOR_KERNEL.formatted((Object[]) parts), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(line, errors.get(0).getLineNumber(), errors.toString());
        assertTrue(errors.get(0).getMessage(null).contains(reason), errors.get(0).getMessage(null));
    }

    @Test
    void vectorLocalsBuild(@TempDir Path out) {
        assertEquals(List.of(), rejections(VECTOR_KERNEL.formatted("", "Float4 by = new Float4(1f, 2f, 3f, 4f);", ""), out).stream()
                .map(d -> d.getMessage(null)).toList());
    }

    @Test
    void arraysOfObjectsBuildAndTheirTasksAreRefusedWithTheReason(@TempDir Path out) throws Exception {
        String source = VECTOR_KERNEL.formatted(", Float4[] all", "Float4 by = all[0];", ", new Float4[1]");
        assertEquals(List.of(), rejections(source, out).stream().map(d -> d.getMessage(null)).toList());
        String kernels = java.nio.file.Files.readString(out.resolve("example/ReductionAddFloats.kernels"));
        assertTrue(kernels.startsWith("scale\trefused\t") && kernels.contains("scale takes all as uk.ac.manchester.tornado.api.types.vectors.Float4[], "
                + "an array of objects, which no device holds: it cannot be a task (as in TornadoVM)"), kernels);
    }

    @Test
    void vectorParametersBuildWhereTheyAreRead(@TempDir Path out) {
        assertEquals(List.of(), rejections(VECTOR_KERNEL.formatted(", Float4 by", "", ", new Float4()"), out).stream()
                .map(d -> d.getMessage(null)).toList());
    }

    @Test
    void vectorsThatCannotBeValuesFailWithTheReason(@TempDir Path out) {
        assertRejected(out, 9, "setX would write the vector parameter by in every iteration of the @Parallel loop, a data race on one vector",
                ", Float4 by", "by.setX(2f);", ", new Float4()");
        assertEquals(1, errors(VECTOR_KERNEL.formatted(", Float4 by", "by.setX(2f);", ", new Float4()"), out).size(), "a race fails the build");
        assertRejected(out, 9, "a kernel cannot assign its vector parameter by: in Java that rebinds the name and leaves the caller's vector",
                ", Float4 by", "by = new Float4();", ", new Float4()");
        assertRejected(out, 9, "a kernel may make a collection (VectorFloat4) only at the top level "
                + "of its body, and only without @Parallel loops", "", "uk.ac.manchester.tornado.api.types.collections.VectorFloat4 own = "
                + "new uk.ac.manchester.tornado.api.types.collections.VectorFloat4(4); Float4 by = own.get(0);", "");
        assertRejected(out, 9, "a vector variable cannot take another's vector (first) in a kernel: in Java both would then name one vector, "
                + "in C each holds a copy; copy it with first.duplicate()", "", "Float4 first = new Float4(); Float4 by = first;", "");
        assertRejected(out, 9, "keep many of them in a collection parameter (VectorFloat4, ...)", "",
                "Float4[] all = new Float4[2]; Float4 by = new Float4();", "");
        assertRejected(out, 9, "getArray of a TornadoVM vector cannot be called in a kernel", "",
                "Float4 by = new Float4(); by.getArray();", "");
    }
}
