package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Image kernels the translator must refuse, at the line: host methods of an image, a race on one pixel, an image that is no parameter. */
class TornadoImageRejectsTest {
    /** A 2D nest over y and x whose line 10 is the statement under test. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.types.images.ImageFloat4;
            import uk.ac.manchester.tornado.api.types.vectors.Float4;
            public class ReductionAddFloats {
                static void kernel(ImageFloat4 a, ImageFloat4 c) {
                    for (@Parallel int y = 0; y < c.Y(); y++) {
                        for (@Parallel int x = 0; x < c.X(); x++) {
                            %s
                        }
                    }
                }
                static TaskGraph graph(ImageFloat4 a, ImageFloat4 c) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::kernel, a, c);
                }
            }
            """;

    private static String onlyError(String statement, Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(KERNEL.formatted(statement), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(10, errors.get(0).getLineNumber(), errors.toString());
        return errors.get(0).getMessage(null);
    }

    @Test
    void pointsIndexedByBothLoopsBuild(@TempDir Path out) {
        assertEquals(List.of(), TornadoRejectsTest.rejections(KERNEL.formatted("c.set(x, y, Float4.add(a.get(x, y), a.get(0, y)));"), out).stream()
                .map(d -> d.getMessage(null)).toList());
    }

    @Test
    void hostMethodsOfAnImageAreNamedWithWhatKernelsMayCall(@TempDir Path out) {
        String message = onlyError("c.fill(a.get(x, y).getX());", out);
        assertTrue(message.contains("only get, set, X(), Y() and size can be called on a TornadoVM image in a kernel; fill cannot"), message);
    }

    @Test
    void aPixelWrittenByEveryIterationOfTheInnerLoopIsARace(@TempDir Path out) {
        String message = onlyError("c.set(0, y, a.get(x, y));", out);
        assertTrue(message.contains("every iteration of the @Parallel loop over x writes c[0, y]"), message);
    }
}
