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
 * What the translator refuses of the warp matrix products, at the line, with the reason: an operand fragment's elements
 * (packed registers on a device), a product of the wrong shape, a fragment's maker that is not assigned to a fragment, and
 * a product in a helper (on OpenCL the lanes meet in local memory the kernel declares).
 */
class TornadoWarpMatrixRejectsTest {
    /** A kernel whose line 14 is the part given. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.KernelContext;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.enums.MMAShape;
            import uk.ac.manchester.tornado.api.types.HalfFloat;
            import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
            public class ReductionAddFloats {
                static void gemm(KernelContext ctx, FloatArray c) {
                    int[] a = ctx.allocateIntLocalArray(128);
                    int[] b = ctx.allocateIntLocalArray(64);
                    float[] acc = ctx.mmaFragment(0f);
                    HalfFloat[] fa = ctx.mmaLoadA(a, 16);
                    HalfFloat[] fb = ctx.mmaLoadB(b, 16);
                    %s
                    ctx.mmaStore(acc, c, 0, 0, 8);
                }
                static TaskGraph graph(FloatArray c) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::gemm, new KernelContext(), c);
                }
            }
            """;

    private static Diagnostic<? extends JavaFileObject> onlyError(Path out, String line) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(KERNEL.formatted(line), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(14, errors.get(0).getLineNumber(), errors.get(0).getMessage(null));
        return errors.get(0);
    }

    @Test
    void aProductOfTheRightShapeBuilds(@TempDir Path out) {
        assertEquals(List.of(), TornadoRejectsTest.rejections(KERNEL.formatted("acc = ctx.mma(fa, fb, acc, MMAShape.M16N8K16); acc[0] += 1f;"), out)
                .stream().map(d -> d.getMessage(null)).toList());
    }

    @Test
    void anOperandFragmentsElementsAreRefused(@TempDir Path out) {
        String message = onlyError(out, "acc[0] = fa[0].getFloat32();").getMessage(null);
        assertTrue(message.contains("fa is an MMA operand fragment"), message);
    }

    @Test
    void aProductOfAnotherShapeIsRefused(@TempDir Path out) {
        String message = onlyError(out, "acc = ctx.mma(fa, fb, acc, MMAShape.M16N8K32);").getMessage(null);
        assertTrue(message.contains("its shape must be MMAShape.M16N8K16"), message);
    }

    @Test
    void operandsSwappedAreRefused(@TempDir Path out) {
        String message = onlyError(out, "acc = ctx.mma(fb, fa, acc, MMAShape.M16N8K16);").getMessage(null);
        assertTrue(message.contains("mma's fragment 1 must be a fragment variable of kind A16"), message);
    }
}
