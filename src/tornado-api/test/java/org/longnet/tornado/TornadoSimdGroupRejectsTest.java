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
 * A SIMD-group operation belongs in the kernel itself: in a helper it fails the build at its line with the reason (on
 * OpenCL its lanes meet in local memory that only the kernel can declare).
 */
class TornadoSimdGroupRejectsTest {
    /** A kernel whose helper's line 8 is the part given. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.KernelContext;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
            public class ReductionAddFloats {
                static float reduce(KernelContext context, float v) {
                    float s = v;
                    %s
                    return s;
                }
                static void sum(KernelContext context, FloatArray a, FloatArray b) {
                    b.set(context.globalIdx, reduce(context, a.get(context.globalIdx)) + context.simdSum(1f));
                }
                static TaskGraph graph(FloatArray a, FloatArray b) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::sum, new KernelContext(), a, b);
                }
            }
            """;

    private static List<Diagnostic<? extends JavaFileObject>> errors(Path out, String line) {
        return TornadoRejectsTest.rejections(KERNEL.formatted(line), out);
    }

    @Test
    void aKernelCallsThemItself(@TempDir Path out) {
        assertEquals(List.of(), errors(out, "s += 1f;").stream().map(d -> d.getMessage(null)).toList());
    }

    @Test
    void aHelperCallingOneFailsWithTheReason(@TempDir Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = errors(out, "s = context.simdShuffleDown(s, 1);");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(8, errors.get(0).getLineNumber());
        assertTrue(errors.get(0).getMessage(null).contains("simdShuffleDown must be called in the kernel method itself, not in helper reduce"),
                errors.get(0).getMessage(null));
    }
}
