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

/**
 * What TornadoVM's atomics may not do here, each with its reason: an AtomicInteger method other than TornadoVM's five fails
 * the build at its line; a @Parallel kernel reading its KernelContext's ids fails the build (the context of a @Parallel
 * kernel serves atomicAdd alone); a kernel making its own AtomicInteger builds with a warning, and its task is refused.
 */
class TornadoAtomicsRejectsTest {
    /** A kernel whose line 10 is the part given. */
    private static final String KERNEL = """
            package example;
            import java.util.concurrent.atomic.AtomicInteger;
            import uk.ac.manchester.tornado.api.KernelContext;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.types.arrays.IntArray;
            public class ReductionAddFloats {
                static void count(KernelContext context, IntArray a, AtomicInteger counter) {
                    for (@Parallel int i = 0; i < a.getSize(); i++) {
                        %s
                    }
                }
                static TaskGraph graph(IntArray a, AtomicInteger counter) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::count, new KernelContext(), a, counter);
                }
            }
            """;

    private static List<Diagnostic<? extends JavaFileObject>> errors(Path out, String line) {
        return TornadoRejectsTest.errors(KERNEL.formatted(line), out);
    }

    /** A rejection at the line: a build error, or the bailout's warning where the kernel may run as Java (the reason reads the same). */
    private static void assertRejected(Path out, String line, String reason) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(KERNEL.formatted(line), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(10, errors.get(0).getLineNumber(), errors.toString());
        assertTrue(errors.get(0).getMessage(null).contains(reason), errors.get(0).getMessage(null));
    }

    @Test
    void theAllowedFormsBuild(@TempDir Path out) {
        assertEquals(List.of(), errors(out, "a.set(i, counter.incrementAndGet() + counter.get()); context.atomicAdd(a, 0, 1);").stream()
                .map(d -> d.getMessage(null)).toList());
    }

    @Test
    void otherAtomicIntegerMethodsFailWithTheReason(@TempDir Path out) {
        assertRejected(out, "a.set(i, counter.addAndGet(2));", "AtomicInteger.addAndGet cannot be called in a kernel; TornadoVM's kernels may "
                + "call incrementAndGet, decrementAndGet, getAndIncrement, getAndDecrement and get");
    }

    @Test
    void aParallelKernelReadingItsContextFailsWithTheReason(@TempDir Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(KERNEL.formatted("a.set(i, context.globalIdx);"), out);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).getMessage(null).contains("a @Parallel kernel may take a KernelContext only to call its atomicAdd"),
                errors.get(0).getMessage(null));
    }

    @Test
    void aKernelMakingItsOwnCounterBuildsAndRunsAsJavaOnTheHost(@TempDir Path out) throws Exception {
        assertEquals(List.of(), errors(out, "AtomicInteger own = new AtomicInteger(200); a.set(i, own.incrementAndGet());").stream()
                .map(d -> d.getMessage(null)).toList());
        String kernels = Files.readString(out.resolve("example/ReductionAddFloats.kernels"));
        assertTrue(kernels.startsWith("count\tbailout\t") && kernels.contains("bailout=count makes its own AtomicInteger (new AtomicInteger(...) "
                + "in its body), a counter that every work-item would share, which kernels here cannot hold"), kernels);
    }
}
