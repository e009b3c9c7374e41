package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debug.printf's C, exactly, for OpenCL and CUDA; and the formats and arguments a kernel's build refuses, at their line. */
class TornadoPrintfRejectsTest {
    /** A kernel (a task of a graph) whose line 8 is {@code Debug.printf(%s)}. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.exceptions.Debug;
            import uk.ac.manchester.tornado.api.types.arrays.LongArray;
            public class ReductionAddFloats {
                public static void print(LongArray b, float x) {
                    for (@Parallel int i = 0; i < b.getSize(); i++) {
                        Debug.printf(%s);
                    }
                }
                static uk.ac.manchester.tornado.api.TaskGraph graph(LongArray b, float x) {
                    return new uk.ac.manchester.tornado.api.TaskGraph("s0").task("t0", ReductionAddFloats::print, b, x);
                }
            }
            """;

    @Test
    void translatesToPrintfInBothDialects(@TempDir Path out) throws Exception {
        String call = "\"%d: %d %+.2f %G%n\", i, b.get(i), x, (double) x";
        assertEquals(List.of(), TornadoRejectsTest.rejections(KERNEL.formatted(call), out).stream().map(d -> d.getMessage(null)).toList());
        String cl = Files.readString(out.resolve("example/ReductionAddFloats.cl"));
        String cu = Files.readString(out.resolve("example/ReductionAddFloats.cu"));
        assertTrue(cl.contains("printf(\"%d: %ld %+.2f %#G\\n\", ((int) (i)), ((long) (b[((long) i)])), x, (double) x);"), cl);
        assertTrue(cu.contains("printf(\"%d: %lld %+.2f %#G\\n\", ((int) (i)), ((long long) (b[((long long) i)])), x, (double) x);"), cu);
    }

    @Test
    void rejectsWhatCPrintsOtherwise(@TempDir Path out) {
        assertRejected(out, "\"%s\", \"text\"", "Debug.printf's arguments in a kernel must be int, long, short, byte, float, double, char or "
                + "boolean values; \"text\" is java.lang.String");
        assertRejected(out, "\"%s\", i", "Debug.printf's %s is not allowed in a kernel; allowed: %d, %x, %X (int, long)");
        assertRejected(out, "\"%,d\", i", "Debug.printf's %,d is not allowed in a kernel");
        assertRejected(out, "\"%d\", x", "Debug.printf's format \"%d\" does not fit its arguments: d != java.lang.Float");
        assertRejected(out, "\"%f\", i", "Debug.printf's format \"%f\" does not fit its arguments");
        assertRejected(out, "\"%d %d\", i", "Debug.printf's format \"%d %d\" does not fit its arguments: Format specifier '%d'");
        assertRejected(out, "\"%d\", i, i", "Debug.printf's format \"%d\" has 1 conversions for 2 arguments");
        assertRejected(out, "\"%x\", (short) i", "Debug.printf's %x takes ");
        assertRejected(out, "\"%b\", i", "Debug.printf's %b takes boolean in a kernel; i is int");
        assertRejected(out, "\"a\" + i", "Debug.printf's format must be a string literal in a kernel; \"a\" + i is not");
    }

    private static void assertRejected(Path out, String call, String start) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(KERNEL.formatted(call), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(8, errors.get(0).getLineNumber(), errors.toString());
        String message = errors.get(0).getMessage(null);
        assertTrue(message.startsWith("kernel: ") && message.contains(start), message);
        assertTrue(!message.contains("\n"), "one line: " + message);
    }
}
