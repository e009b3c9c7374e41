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
 * Task lambdas that cannot run as the lambda does, refused when their class is compiled, at the line, with the reason: a
 * captured local variable, an instance member, a lambda sharing lines with another (the run time could not tell them
 * apart), an argument whose type the source does not tell. The same program with the problem taken away compiles.
 */
class TornadoLambdaRejectsTest {
    /** A class (line 7 on) whose task lambda's loop body is {@code %s}, its extra statement before the graph {@code %s}. */
    private static final String PROGRAM = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
            class Lambdas {
                float scale = 2;
                static TaskGraph graph(FloatArray in, FloatArray out, float k) {
                    %s
                    return new TaskGraph("s0").task("t0", (x, y) -> {
                        for (@Parallel int i = 0; i < x.getSize(); i++) {
                            %s
                        }
                    }, in, %s);
                }
            }
            """;

    private static List<String> errors(Path out, String before, String body, String second) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(PROGRAM.formatted(before, body, second), out);
        return errors.stream().map(d -> d.getLineNumber() + ": " + d.getMessage(null)).toList();
    }

    @Test
    void aLambdaOfParametersCompiles(@TempDir Path out) {
        assertEquals(List.of(), errors(out, "", "y.set(i, x.get(i) * 2);", "out"));
        assertTrue(out.resolve("example/Lambdas_TaskLambdas.cl").toFile().isFile(), "the translator wrote the lambda's kernel");
    }

    @Test
    void capturedLocalIsRefused(@TempDir Path out) {
        assertEquals(List.of("11: kernel: this task lambda uses k, a local variable of the code around it; a task lambda may use only its "
                + "parameters and static members: pass k to the task as an argument"), errors(out, "", "y.set(i, x.get(i) * k);", "out"));
    }

    @Test
    void instanceMemberIsRefused(@TempDir Path out) {
        List<String> errors = errors(out, "", "y.set(i, x.get(i) * scale);", "out");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("11: kernel: this task lambda uses scale, an instance member of Lambdas"), errors.get(0));
    }

    @Test
    void lambdaSharingLinesIsRefused(@TempDir Path out) {
        List<String> errors = errors(out, "", "y.set(i, x.get(i)); Runnable r = () -> { };", "out");
        assertEquals(List.of("9: kernel: another lambda shares lines 9 to 13 with this task lambda, so the task cannot tell them apart at run "
                + "time: give each lambda lines of its own"), errors);
    }

    @Test
    void argumentOfUnknownTypeIsRefused(@TempDir Path out) {
        assertEquals(List.of("13: kernel: cannot tell the type of out.toString().isEmpty() ? out : in (argument 2 of the task lambda) from "
                + "the source; give the lambda's parameters their types, like (FloatArray a, int n) -> { ... }"),
                errors(out, "", "y.set(i, x.get(i));", "out.toString().isEmpty() ? out : in"));
    }
}
