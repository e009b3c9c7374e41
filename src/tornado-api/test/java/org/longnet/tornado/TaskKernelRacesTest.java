package org.longnet.tornado;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Task kernels (methods handed to {@code task(...)}, as TornadoVM writes them) whose @Parallel iterations would write one
 * element differently fail the build at the write, as a race, never left to the bailout; those whose every work-item makes
 * the same writes (TornadoVM's TestLoops.forEach) build; a value assigned in the loop and read after it, and a break out
 * of the loop, and a write at an index the build cannot prove distinct per iteration, build with the bailout's warning (the
 * method runs as Java on the host).
 */
class TaskKernelRacesTest {
    /** Kernel k, with {@code body} from line 8 on, handed to a task. */
    private static final String SOURCE = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            public class ReductionAddFloats {
                static void k(int[] a, int[] c, int size) {
                    int idx = 0;
                    for (@Parallel int i = 0; i < size; i++) {
            %s
                    }
                }
                static TaskGraph graph(int[] a, int[] c) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::k, a, c, a.length);
                }
            }
            """;

    /** {@code body} in the loop; the rejection's {@code line} and what its message holds, or line 0 for none. */
    record Case(String what, String body, int line, String message, boolean error) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static Case race(String what, String body, int line, String message) {
        return new Case(what, body, line, message, true);
    }

    static List<Case> cases() {
        return List.of(
                race("one element from every iteration", "c[0] = a[i];", 8,
                        "in k, every iteration of the @Parallel loop over i writes c[0] (its index does not depend on i), a data race"),
                race("a sum without @Reduce", "c[0] += a[i];", 8, "writes c[0] (its index does not depend on i), a data race: mark c @Reduce"),
                race("the index at a fixed local, the value from the loop", "c[idx] = i;", 8,
                        "every iteration of the @Parallel loop over i writes c[idx]"),
                race("counted writes whose value comes from the loop through a local", "int v = a[i];\nint n = 0;\nfor (int j : a) {\n"
                        + "c[n] = j + v;\nn++; }", 11, "every iteration of the @Parallel loop over i writes c[n]"),
                race("counted writes whose counter restarts", "for (int r = 0; r < 2; r++) {\nint n = 0;\nfor (int j : a) {\n"
                        + "c[n] = j + r;\nn++; } }", 11, "every iteration of the @Parallel loop over i writes c[n]"),
                new Case("TornadoVM's TestLoops.forEach", "int n = 0;\nfor (int j : a) {\nc[n] = j + 1;\nn++; }", 0, "", false),
                new Case("a local assigned in the loop and read after it", "idx = a[i]; }\nc[0] = idx; {", 9,
                        "idx is assigned in the @Parallel loop over i and read after it", false),
                new Case("a break out of the loop", "if (a[i] == 2) { c[i] = 10; break; }", 8, "break out of a @Parallel loop", false),
                new Case("an index that does not tell the iterations apart (issue 24)", "for (int j = 0; j < i; j++) { c[j] = i; }", 8,
                        "in k, the index of c[j] depends on i but is not provably another element in each iteration", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedAsTheCaseSays(Case c, @TempDir Path out) {
        List<Diagnostic<? extends JavaFileObject>> found = TornadoRejectsTest.rejections(SOURCE.formatted(c.body()), out);
        if (c.line() == 0) {
            assertEquals(List.of(), found.stream().map(d -> d.getMessage(null)).toList());
            return;
        }
        assertEquals(1, found.size(), found.toString());
        Diagnostic<? extends JavaFileObject> d = found.getFirst();
        assertEquals(c.line(), d.getLineNumber(), d.toString());
        assertTrue(d.getMessage(null).contains(c.message()), d.getMessage(null));
        assertEquals(c.error() ? Diagnostic.Kind.ERROR : Diagnostic.Kind.WARNING, d.getKind(), "a race fails the build; the others run as Java: " + d);
    }
}
