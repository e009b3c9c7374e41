package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Matrix kernels the translator must refuse, at the line: a write that every iteration of one loop of a 2D nest makes
 * to the same element (a matrix's element index is its row and its column together), a fill in such a nest (every work-item
 * would write every element), and host-side matrix methods.
 */
class TornadoMatrixRejectsTest {
    /** A 2D nest over i and j whose line 9 is the statement under test. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.types.matrix.Matrix2DFloat;
            public class ReductionAddFloats {
                static void kernel(Matrix2DFloat a, Matrix2DFloat c) {
                    for (@Parallel int i = 0; i < c.getNumRows(); i++) {
                        for (@Parallel int j = 0; j < c.getNumColumns(); j++) {
                            %s
                        }
                    }
                }
                static TaskGraph graph(Matrix2DFloat a, Matrix2DFloat c) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::kernel, a, c);
                }
            }
            """;

    private static String onlyError(String statement, Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(KERNEL.formatted(statement), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(9, errors.get(0).getLineNumber(), errors.toString());
        return errors.get(0).getMessage(null);
    }

    @Test
    void writesIndexedByBothLoopsBuild(@TempDir Path out) {
        assertEquals(List.of(), TornadoRejectsTest.rejections(KERNEL.formatted("c.set(j, i, a.get(i, j));"), out).stream()
                .map(d -> d.getMessage(null)).toList());
    }

    @Test
    void aColumnWrittenByEveryIterationOfTheInnerLoopIsARace(@TempDir Path out) {
        String message = onlyError("c.set(i, 0, a.get(i, j));", out);
        assertTrue(message.contains("in kernel, every iteration of the @Parallel loop over j writes c[i, 0] (its index does not depend on j), "
                + "a data race"), message);
    }

    @Test
    void aFourByFourMatrixsHostMethodsAreNamedWithWhatKernelsMayCall(@TempDir Path out) {
        String source = KERNEL.replace("Matrix2DFloat", "Matrix4x4Float").formatted("c.identity();");
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(source, out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(9, errors.get(0).getLineNumber(), errors.toString());
        assertTrue(errors.get(0).getMessage(null).contains("on a 2-dimensional matrix in a kernel; identity cannot (row, column and diag can "
                + "too where they give a vector, as Matrix4x4Float's do)"), errors.toString());
    }

    @Test
    void hostMethodsOfAMatrixAreNamedWithWhatKernelsMayCall(@TempDir Path out) {
        String message = onlyError("c.getArray();", out);
        assertTrue(message.contains("only get, set, getNumRows, getNumColumns, size and fill (as a statement) can be called on a 2-dimensional "
                + "matrix in a kernel; getArray cannot"), message);
    }

    @Test
    void aFillInAKernelWithParallelLoopsIsARace(@TempDir Path out) {
        String message = onlyError("c.fill(a.get(i, j));", out);
        assertTrue(message.contains("a matrix's fill in a kernel with @Parallel loops is a data race: every work-item would write every element"),
                message);
    }
}
