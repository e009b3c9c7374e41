package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tasks on objects that cannot run as a kernel of the objects' fields, refused when their class is compiled, at the line,
 * with the reason: a method called on an object or on the receiver, an object used as a value, an array field assigned, a
 * field of a type no kernel takes. The same program with the problem taken away compiles and gets its generated kernel.
 */
class TornadoObjectRejectsTest {
    /** A class whose instance method {@code run}'s loop body (line 17) is {@code %s}. */
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
        return TornadoRejectsTest.errors(PROGRAM.formatted(body), out).stream().map(d -> d.getLineNumber() + ": " + d.getMessage(null)).toList();
    }

    @Test
    void fieldsOfTheReceiverAndItsObjectsCompile(@TempDir Path out) {
        assertEquals(List.of(), errors(out, "out.set(i, inner.data.get(i) * this.inner.data.get(i));"));
        assertTrue(out.resolve("example/Objects_TaskObjects.cl").toFile().isFile(), "the translator wrote the method's kernel");
    }

    @Test
    void methodOfAnObjectIsRefused(@TempDir Path out) {
        assertEquals(List.of("17: kernel: this.inner is an object: a kernel cannot call its methods (scale); it takes the object's fields "
                + "that are arrays or numbers"), errors(out, "out.set(i, inner.scale());"));
    }

    @Test
    void instanceMethodOfTheReceiverIsRefused(@TempDir Path out) {
        assertEquals(List.of("17: kernel: calls factor, an instance method of Objects; a task's method runs as a static kernel, which may "
                + "call static methods only"), errors(out, "out.set(i, factor());"));
    }

    @Test
    void objectAsAValueIsRefused(@TempDir Path out) {
        List<String> errors = errors(out, "out.set(i, twice(inner));");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("17: kernel: this.inner is an object, used here as a value; a kernel takes the fields of an "
                + "object that are arrays or numbers"), errors.get(0));
    }

    @Test
    void assignedArrayFieldIsRefused(@TempDir Path out) {
        assertEquals(List.of("17: kernel: assigns this.out, which the task passes to the kernel when it is added: a kernel may write the "
                + "elements of an array field, not the field"), errors(out, "out = inner.data;"));
    }

    @Test
    void shortFieldIsRefused(@TempDir Path out) {
        assertEquals(List.of("17: kernel: this.small is a short; a kernel takes the number fields of objects that are int, long, float or "
                + "double"), errors(out, "out.set(i, small);"));
    }
}
