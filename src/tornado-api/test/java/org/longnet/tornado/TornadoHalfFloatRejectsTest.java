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
 * What a kernel cannot do with TornadoVM's HalfFloat fails the build at its line with the reason: {@code ==} (Java compares
 * the objects, a kernel's HalfFloats are values), methods other than the arithmetic and the two reads, and a byte array's
 * {@code getHalfFloat} at an index with side effects (it reads two bytes from the index).
 */
class TornadoHalfFloatRejectsTest {
    /** A kernel whose line 9 is the part given. */
    private static final String KERNEL = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.Parallel;
            import uk.ac.manchester.tornado.api.types.HalfFloat;
            import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
            public class ReductionAddFloats {
                static void copy(HalfFloatArray a, HalfFloatArray b) {
                    for (@Parallel int i = 0; i < a.getSize(); i++) {
                        %s
                    }
                }
                static TaskGraph graph(HalfFloatArray a, HalfFloatArray b) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::copy, a, b);
                }
            }
            """;

    private static List<Diagnostic<? extends JavaFileObject>> errors(Path out, String line) {
        return TornadoRejectsTest.rejections(KERNEL.formatted(line), out);
    }

    @Test
    void halfFloatArithmeticBuilds(@TempDir Path out) {
        assertEquals(List.of(), errors(out, "b.set(i, HalfFloat.mult(a.get(i), new HalfFloat(2f)));").stream().map(d -> d.getMessage(null)).toList());
    }

    @Test
    void comparingHalfFloatObjectsFailsWithTheReason(@TempDir Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = errors(out, "if (a.get(i) == b.get(i)) { b.set(i, new HalfFloat(0f)); }");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(9, errors.get(0).getLineNumber());
        assertTrue(errors.get(0).getMessage(null).contains("== and != on HalfFloats compare objects in Java"), errors.get(0).getMessage(null));
    }

    @Test
    void otherHalfFloatMethodsFailWithWhatIsAllowed(@TempDir Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = errors(out, "a.get(i).toString();");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(9, errors.get(0).getLineNumber());
        assertTrue(errors.get(0).getMessage(null).contains("HalfFloat.toString cannot be called in a kernel; allowed: new HalfFloat(float)"),
                errors.get(0).getMessage(null));
    }

    @Test
    void aByteIndexWithSideEffectsFailsWithTheReason(@TempDir Path out) {
        // a becomes a byte array in both methods
        String source = KERNEL.replace("HalfFloatArray a,", "uk.ac.manchester.tornado.api.types.arrays.ByteArray a,")
                .formatted("int k = 2 * i; b.set(i, a.getHalfFloat(k++));");
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.rejections(source, out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(9, errors.get(0).getLineNumber());
        assertTrue(errors.get(0).getMessage(null).contains("the byte index of getHalfFloat reads two bytes from it, so it must have no side "
                + "effects"), errors.get(0).getMessage(null));
    }
}
