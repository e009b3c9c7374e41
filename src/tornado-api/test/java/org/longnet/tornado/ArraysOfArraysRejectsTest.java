package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a kernel may not do with Java arrays of arrays fails the build at its line, with the reason, on one line. */
class ArraysOfArraysRejectsTest {
    /** A kernel taking {@code a} of the given type (line 5), whose loop body (line 7) is given. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            public class ReductionAddFloats {
                static void k(%s a) {
                    for (@Parallel int i = 0; i < a.length; i++) {
                        %s
                    }
                }
                static TaskGraph graph(%s a) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::k, a);
                }
            }
            """;

    private static String rejected(Path out, int line, String type, String body) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(KERNEL.formatted(type, body, type), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(line, errors.get(0).getLineNumber(), errors.toString());
        String message = errors.get(0).getMessage(null);
        assertTrue(!message.contains("\n"), "one line: " + message);
        // a construct the translator lacks leaves the kernel to TornadoVM's bailout, a race fails the build: the reason reads the same
        return message.replaceFirst("; so k \\(line \\d+\\) runs as sequential Java on the host \\(TornadoVM's bailout\\)$", "");
    }

    @Test
    void twoDimensionsBuild(@TempDir Path out) {
        assertEquals(List.of(), TornadoRejectsTest.errors(KERNEL.formatted("int[][]", "a[i][0] = a[i].length;", "int[][]"), out).stream()
                .map(d -> d.getMessage(null)).toList());
    }

    @Test
    void threeDimensionsFailNamingTheParameter(@TempDir Path out) {
        String message = rejected(out, 5, "int[][][]", "a[i][0][0] = 1;");
        assertEquals("kernel: parameter a is a int[][][]: a kernel takes Java arrays of one or two dimensions (int[] or int[][]); flatten "
                + "it into int[][] or int[]", message);
    }

    @Test
    void aRowHeldInAVariableFails(@TempDir Path out) {
        String message = rejected(out, 7, "float[][]", "float[] row = a[i]; row[0] = 1f;");
        assertTrue(message.contains("a row a[i] of a kernel's array of arrays can be indexed (a[i][j]), measured (a[i].length) or filled "
                + "(Arrays.fill(a[i], v)), but not held in a variable or passed on"), message);
    }

    @Test
    void everyIterationWritingOneElementOfAnArrayOfArraysIsARace(@TempDir Path out) {
        String message = rejected(out, 7, "float[][]", "a[0][1] = i;");
        assertTrue(message.startsWith("kernel: in k, every iteration of the @Parallel loop over i writes a[0, 1] (its index does not depend "
                + "on i), a data race"), message);
    }
}
