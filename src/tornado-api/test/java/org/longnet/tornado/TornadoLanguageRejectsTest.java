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
 * Where the forms of {@link TornadoLanguageKernels} would lose Java's meaning in C, the build fails at the line with
 * the reason: a switch on a String, a local declared under one case label and used under another, a private array
 * given one that lives in an inner block (C's storage would end first) or one of another length, and an array
 * initializer whose elements assign (C does not order them), a helper's local array whose length the launch cannot
 * compute.
 */
class TornadoLanguageRejectsTest {
    /** A kernel class whose loop body, line 7 on, is {@code body}. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.types.arrays.IntArray;
            public class ReductionAddFloats {
                static void k(IntArray a) {
                    for (@Parallel int i = 0; i < a.getSize(); i++) {
                        %s
                    }
                }
                static void graph(IntArray a) {
                    new uk.ac.manchester.tornado.api.TaskGraph("s0").task("t0", ReductionAddFloats::k, a);
                }
            }
            """;

    private static void assertRejected(Path out, int line, String reason, String body) {
        assertSourceRejected(out, line, reason, KERNEL.formatted(body));
    }

    /** Compiling {@code source} fails once, at {@code line}, for {@code reason}. */
    private static void assertSourceRejected(Path out, int line, String reason, String source) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(source, out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(line, errors.get(0).getLineNumber(), errors.toString());
        assertTrue(errors.get(0).getMessage(null).contains(reason), errors.get(0).getMessage(null));
    }

    @Test
    void theAcceptedFormsBuild(@TempDir Path out) {
        assertEquals(List.of(), TornadoRejectsTest.rejections(KERNEL.formatted("""
                int[] p = {1, 2}; int[] q = new int[2]; q = p;
                switch (a.get(i)) { case 1: int x = 2; a.set(i, x); break; default: a.set(i, q[1]); }"""), out)
                .stream().map(d -> d.getMessage(null)).toList());
    }

    @Test
    void switchesThatCKeepsNoMeaningOfFail(@TempDir Path out) {
        assertRejected(out, 7, "a switch in a kernel must be on an int, short, byte or char, not java.lang.String",
                "switch (\"a\" + i) { case \"a0\": a.set(i, 1); break; }");
        assertRejected(out, 8, "x is declared under one case label of a switch and used under a later one: declare it before the switch",
                "switch (a.get(i)) { case 1: int x; break;\n case 2: x = 3; a.set(i, x); }");
    }

    @Test
    void arrayAssignmentsThatCKeepsNoMeaningOfFail(@TempDir Path out) {
        assertRejected(out, 7, "p is declared in an inner block of q's, so its storage would end before q does",
                "int[] q = new int[2]; if (i > 0) { int[] p = new int[2]; q = p; } a.set(i, q[0]);");
        assertRejected(out, 7, "q (3 elements) and p (2) must be private arrays of one constant length",
                "int[] p = new int[2]; int[] q = new int[3]; q = p; a.set(i, q[0]);");
        assertRejected(out, 7, "an array initializer's elements must not assign variables in a kernel",
                "int k = 0; int[] p = {k++, k++}; a.set(i, p[0]);");
    }

    @Test
    void aHelperLocalArrayOfNoLaunchLengthFails(@TempDir Path out) {
        String source = """
                package example;
                import uk.ac.manchester.tornado.api.KernelContext;
                import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
                public class ReductionAddFloats {
                    static float first(KernelContext context, int n) {
                        float[] local = context.allocateFloatLocalArray(n);
                        return local[0];
                    }
                    static void k(KernelContext context, FloatArray a) {
                        a.set(0, first(context, a.getSize()));
                    }
                    static void graph(FloatArray a) {
                        new uk.ac.manchester.tornado.api.TaskGraph("s0").task("t0", ReductionAddFloats::k, new KernelContext(), a);
                    }
                }
                """;
        assertSourceRejected(out, 10, "the length of first's local array local (n) must come to a positive constant times int parameters "
                + "of the kernel", source);
    }
}
