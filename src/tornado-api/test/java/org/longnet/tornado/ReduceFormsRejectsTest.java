package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code @Reduce} element set to its start value before the {@code @Parallel} loop builds (and runs as one
 * work-group behind a barrier); other uses of the element outside its updates still fail the build at their line,
 * with the reason on one line.
 */
class ReduceFormsRejectsTest {
    /** A reduction with a statement before its loop (line 8) and one after it (line 12). */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.annotations.Reduce;
            import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
            public class ReductionAddFloats {
                public static void reductionAddFloats(FloatArray input, @Reduce FloatArray result) {
                    %s
                    for (@Parallel int i = 0; i < input.getSize(); i++) {
                        result.set(0, result.get(0) + input.get(i));
                    }
                    %s
                }
                static TaskGraph graph(FloatArray input, FloatArray result) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::reductionAddFloats, input, result);
                }
            }
            """;

    private static void assertRejected(Path out, int line, String reason, String before, String after) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(KERNEL.formatted(before, after), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(line, errors.get(0).getLineNumber(), errors.toString());
        String message = errors.get(0).getMessage(null);
        assertTrue(message.contains(reason), message);
        assertTrue(!message.contains("\n"), "one line: " + message);
    }

    @Test
    void aStartValueBeforeTheLoopBuildsAsOneGroupBehindABarrier(@TempDir Path out) throws IOException {
        assertEquals(List.of(), TornadoRejectsTest.rejections(KERNEL.formatted("result.set(0, 0.0f);", ""), out).stream()
                .map(d -> d.getMessage(null)).toList());
        assertTrue(Files.readString(out.resolve("example/ReductionAddFloats.cl")).contains("barrier(CLK_GLOBAL_MEM_FENCE)"));
        assertTrue(Files.readString(out.resolve("example/ReductionAddFloats.kernels")).contains("\treduces\tinitialises"));
    }

    @Test
    void otherUsesOfTheElementStillFailAtTheirLine(@TempDir Path out) {
        assertRejected(out, 8, "@Reduce result may be set before the @Parallel loop only at the element that the loop's updates reduce "
                + "into (0), not at 1", "result.set(1, 0f);", "");
        assertRejected(out, 8, "@Reduce result is set before the @Parallel loop twice", "result.set(0, 0f); result.set(0, 1f);", "");
        assertRejected(out, 8, "@Reduce result may be used only in its updates", "result.set(0, result.get(0) * 2);", "");
        assertRejected(out, 8, "@Reduce result may be used only in its updates", "float acc = result.get(0);", "");
        assertRejected(out, 12, "@Reduce result may be used only in its updates", "", "result.set(0, result.get(0) / input.getSize());");
        assertRejected(out, 12, "@Reduce result may be used only in its updates", "", "result.set(0, 0f);");
    }
}
