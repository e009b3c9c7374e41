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
 * A Half2 local array's element in a local variable is, in Java, that element itself: changing the variable in place would
 * change the element, which a kernel's copy cannot, so the build refuses it at its line with the reason; reading it, or
 * changing a copy, builds.
 */
class HalfVectorRejectsTest {
    /** A kernel whose line 12 is the part given. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.KernelContext;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.types.HalfFloat;
            import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
            import uk.ac.manchester.tornado.api.types.vectors.Half2;
            public class ReductionAddFloats {
                static void tile(KernelContext context, HalfFloatArray a) {
                    Half2[] tile = context.allocateHalf2LocalArray(64);
                    tile[context.localIdx] = a.getHalf2(2 * context.globalIdx);
                    context.localBarrier();
                    %s
                    a.setHalf2(2 * context.globalIdx, p);
                }
                static TaskGraph graph(HalfFloatArray a) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::tile, new KernelContext(), a);
                }
            }
            """;

    private static List<Diagnostic<? extends JavaFileObject>> errors(Path out, String line) {
        return TornadoRejectsTest.rejections(KERNEL.formatted(line), out);
    }

    @Test
    void readingAndChangingACopyBuild(@TempDir Path out) {
        assertEquals(List.of(), errors(out, "Half2 p = tile[(context.localIdx + 1) % 64].duplicate(); p.setX(new HalfFloat(1f));").stream()
                .map(d -> d.getMessage(null)).toList());
    }

    @Test
    void changingAnElementInPlaceFailsWithTheReason(@TempDir Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = errors(out, "Half2 p = tile[0]; p.setX(new HalfFloat(1f));");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(12, errors.get(0).getLineNumber());
        assertTrue(errors.get(0).getMessage(null).contains("which holds an element of a local array of vectors"), errors.get(0).getMessage(null));
    }
}
