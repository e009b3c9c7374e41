package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tasks on objects that cannot run as a kernel of the objects' fields, refused when their class is compiled, at the line,
 * with the reason: a method that two classes compiled with it implement differently, called through their superclass, an
 * object used as a value, an array field assigned, a field of a type no kernel takes. The same program with the problem
 * taken away compiles and gets its generated kernel; so does one calling its receiver's methods.
 */
class TornadoObjectRejectsTest {
    /** A class whose instance method {@code run}'s loop body (line 20) is {@code %s}. */
    private static final String PROGRAM = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
            class Objects {
                static class Inner {
                    FloatArray data;
                    float scale() { return 2; }
                }
                static class Wider extends Inner {
                    float scale() { return 3; }
                }
                FloatArray out;
                Inner inner;
                short small;
                float factor() { return 2; }
                static float twice(Inner i) { return 2; }
                void run() {
                    for (@Parallel int i = 0; i < out.getSize(); i++) {
                        %s
                    }
                }
                TaskGraph graph() {
                    return new TaskGraph("s0").task("t0", this::run);
                }
            }
            """;

    private static List<String> errors(Path out, String body) {
        return TornadoRejectsTest.rejections(PROGRAM.formatted(body), out).stream().map(d -> d.getLineNumber() + ": " + d.getMessage(null)).toList();
    }

    @Test
    void fieldsOfTheReceiverAndItsObjectsCompile(@TempDir Path out) {
        assertEquals(List.of(), errors(out, "out.set(i, inner.data.get(i) * this.inner.data.get(i));"));
        assertTrue(out.resolve("example/Objects_TaskObjects.cl").toFile().isFile(), "the translator wrote the method's kernel");
    }

    @Test
    void methodsOfTheReceiverCompile(@TempDir Path out) {
        assertEquals(List.of(), errors(out, "out.set(i, factor() * this.factor());"));
    }

    @Test
    void methodThatTwoClassesImplementIsRefused(@TempDir Path out) {
        assertEquals(List.of("20: kernel: calls scale on this.inner, a Inner: 2 classes compiled with it implement it differently (Inner, "
                + "Wider), and a kernel runs one method chosen when it is built"), errors(out, "out.set(i, inner.scale());"));
    }

    @Test
    void objectAsAValueIsRefused(@TempDir Path out) {
        List<String> errors = errors(out, "out.set(i, twice(inner));");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("20: kernel: this.inner is an object, used here as a value; a kernel takes the fields of an "
                + "object that are arrays or numbers"), errors.get(0));
    }

    @Test
    void assignedArrayFieldIsRefused(@TempDir Path out) {
        assertEquals(List.of("20: kernel: assigns this.out, which the task passes to the kernel when it is added: a kernel may write the "
                + "elements of an array field, not the field"), errors(out, "out = inner.data;"));
    }

    @Test
    void shortFieldIsRefused(@TempDir Path out) {
        assertEquals(List.of("20: kernel: this.small is a short; a kernel takes the number fields of objects that are int, long, float or "
                + "double"), errors(out, "out.set(i, small);"));
    }
}
