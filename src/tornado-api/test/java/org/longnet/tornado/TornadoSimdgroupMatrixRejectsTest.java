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
 * A kernel's Matrix8x8Float tiles are values that no kernel changes: a change to one, or a read of its storage, fails the
 * build at its line with the reason; reading one with get and keeping another name for it build.
 */
class TornadoSimdgroupMatrixRejectsTest {
    /** A kernel whose line 9 is the part given. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.KernelContext;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
            import uk.ac.manchester.tornado.api.types.matrix.Matrix8x8Float;
            public class ReductionAddFloats {
                static void tile(KernelContext context, FloatArray a, FloatArray b) {
                    Matrix8x8Float m = context.simdgroupMatrixLoad(a, context.globalIdx, 8);
                    %s
                    context.simdgroupMatrixStore(m, b, context.globalIdx, 8);
                }
                static TaskGraph graph(FloatArray a, FloatArray b) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::tile, new KernelContext(), a, b);
                }
            }
            """;

    private static List<Diagnostic<? extends JavaFileObject>> errors(Path out, String line) {
        return TornadoRejectsTest.rejections(KERNEL.formatted(line), out);
    }

    private static void assertRejectedAtLine9(List<Diagnostic<? extends JavaFileObject>> errors, String reason) {
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(9, errors.get(0).getLineNumber());
        assertTrue(errors.get(0).getMessage(null).contains(reason), errors.get(0).getMessage(null));
    }

    @Test
    void readsAndSecondNamesBuild(@TempDir Path out) {
        assertEquals(List.of(), errors(out, "Matrix8x8Float n = m; b.set(0, n.get(1, 2)); m = context.simdgroupMatrixZero();").stream()
                .map(d -> d.getMessage(null)).toList());
    }

    @Test
    void setFailsWithTheReason(@TempDir Path out) {
        assertRejectedAtLine9(errors(out, "m.set(0, 0, 1f);"), "a kernel may only read a Matrix8x8Float (get(row, col)), not call its set");
    }

    @Test
    void itsStorageFailsWithTheReason(@TempDir Path out) {
        assertRejectedAtLine9(errors(out, "b.set(0, m.values[3]);"), "a kernel reads a Matrix8x8Float with get(row, col), not through its values");
    }

    @Test
    void comparingTilesFailsWithTheReason(@TempDir Path out) {
        assertRejectedAtLine9(errors(out, "if (m == context.simdgroupMatrixZero()) { b.set(0, 1f); }"), "== and != on vectors and tiles compare objects");
    }
}
