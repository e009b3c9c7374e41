package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoBailoutRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DFloat;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TornadoVM's bailout: a task method that uses what the translator does not support builds with a warning (this class's own
 * kernels below do, as its sources are compiled by the translator like a user's) and runs as the Java method on the host, with
 * Java's result, between device tasks that see what it wrote; with {@code -Dtornado.recover.bailout=false} running it throws
 * {@link TornadoBailoutRuntimeException} with the translator's reason, and a KernelContext task always does. A race is still a
 * build error, and so is anything refused in an engine {@code @Kernel}.
 */
@DeviceTest
class TornadoBailoutTest {
    private static final String OPTION = "tornado.recover.bailout";

    static List<String> devices() {
        return TestDevices.ids();
    }

    /**
     * Two @Parallel loops one after the other (the translator takes one per level): the second reads elements that other
     * iterations of the first wrote, which only Java's order gives.
     */
    private static void mapThenReverse(IntArray a, IntArray b, IntArray sum, IntArray reversed) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            sum.set(i, a.get(i) + b.get(i));
        }
        for (@Parallel int i = 0; i < sum.getSize(); i++) {
            reversed.set(i, 2 * sum.get(sum.getSize() - 1 - i));
        }
    }

    /** A translated kernel that reads what the bailout task wrote. */
    private static void plusOne(IntArray in, IntArray out) {
        for (@Parallel int i = 0; i < in.getSize(); i++) {
            out.set(i, in.get(i) + 1);
        }
    }

    /** An object made in a kernel, as TornadoVM's CodeFail does. */
    private static void throughMatrix(FloatArray a, FloatArray out) {
        Matrix2DFloat m = new Matrix2DFloat(1, a.getSize());
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            m.set(0, i, a.get(i) * 3f);
            out.set(i, m.get(0, i) - 1f);
        }
    }

    /** A KernelContext kernel that makes an object: it has no sequential meaning to fall back to. */
    private static void contextThroughMatrix(KernelContext context, FloatArray a) {
        Matrix2DFloat m = new Matrix2DFloat(1, 1);
        a.set(context.globalIdx, m.get(0, 0));
    }

    @ParameterizedTest(name = "a task the translator could not make a kernel of runs as Java between device tasks on {0}")
    @MethodSource("devices")
    void unsupportedKernelRunsAsJavaOnTheHost(String id) throws Exception {
        int n = 1000;
        SplittableRandom r = new SplittableRandom(5);
        IntArray a = new IntArray(n), b = new IntArray(n), sum = new IntArray(n), reversed = new IntArray(n), out = new IntArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, r.nextInt(-1000, 1000));
            b.set(i, r.nextInt(-1000, 1000));
        }
        IntArray expectedSum = new IntArray(n), expectedReversed = new IntArray(n);
        mapThenReverse(a, b, expectedSum, expectedReversed);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("map", TornadoBailoutTest::mapThenReverse, a, b, sum, reversed)
                .task("plus", TornadoBailoutTest::plusOne, reversed, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, sum, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id));
            for (int run = 0; run < 2; run++) {
                a.set(run, a.get(run) + 7);
                mapThenReverse(a, b, expectedSum, expectedReversed);
                plan.execute();
                for (int i = 0; i < n; i++) {
                    assertEquals(expectedSum.get(i), sum.get(i), "sum " + i + ", run " + run);
                    assertEquals(expectedReversed.get(i) + 1, out.get(i), "out " + i + ", run " + run);
                }
            }
        }
    }

    @ParameterizedTest(name = "an object made in a kernel runs as Java on {0}")
    @MethodSource("devices")
    void objectAllocationRunsAsJava(String id) throws Exception {
        int n = 333;
        SplittableRandom r = new SplittableRandom(8);
        FloatArray a = new FloatArray(n), out = new FloatArray(n), expected = new FloatArray(n);
        for (int i = 0; i < n; i++) {
            a.set(i, (float) r.nextDouble(-10, 10));
        }
        throughMatrix(a, expected);
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.FIRST_EXECUTION, a)
                .task("t", TornadoBailoutTest::throughMatrix, a, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        for (int i = 0; i < n; i++) {
            assertEquals(expected.get(i), out.get(i), "element " + i);
        }
    }

    @ParameterizedTest(name = "with -Dtornado.recover.bailout=false the task throws the bailout exception on {0}")
    @MethodSource("devices")
    void withoutRecoveryTheTaskThrows(String id) throws Exception {
        FloatArray a = new FloatArray(16), out = new FloatArray(16);
        TaskGraph graph = new TaskGraph("s").task("t", TornadoBailoutTest::throughMatrix, a, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        String before = System.getProperty(OPTION);
        System.setProperty(OPTION, "False");
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            TornadoBailoutRuntimeException e = assertThrows(TornadoBailoutRuntimeException.class,
                    () -> plan.withDevice(TornadoApiTest.device(id)).execute());
            assertTrue(e.getMessage().startsWith("task s.t has no kernel: TornadoBailoutTest.throughMatrix (line 69): "), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(OPTION);
            } else {
                System.setProperty(OPTION, before);
            }
        }
    }

    @ParameterizedTest(name = "a KernelContext task the translator could not make a kernel of throws on {0}")
    @MethodSource("devices")
    void aKernelContextTaskCannotRunAsJava(String id) throws Exception {
        FloatArray a = new FloatArray(64);
        TaskGraph graph = new TaskGraph("s").task("t", TornadoBailoutTest::contextThroughMatrix, new KernelContext(), a)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, a);
        GridScheduler grid = new GridScheduler("s.t", new WorkerGrid1D(64));
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            TornadoBailoutRuntimeException e = assertThrows(TornadoBailoutRuntimeException.class,
                    () -> plan.withDevice(TornadoApiTest.device(id)).withGridScheduler(grid).execute());
            assertTrue(e.getMessage().contains("it takes a KernelContext, so it cannot run as sequential Java"), e.getMessage());
        }
    }

    /** A task-graph kernel (line 6) with {@code %s} as its annotation and {@code %s} as its loop's body (line 8). */
    private static final String PROGRAM = """
            package example;
            import uk.ac.manchester.tornado.api.TaskGraph;
            import uk.ac.manchester.tornado.api.annotations.*;
            import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
            public class ReductionAddFloats {
                %s static void k(FloatArray a, @Reduce FloatArray r, @Reduce FloatArray s) {
                    for (@Parallel int i = 0; i < a.getSize(); i++) {
                        %s
                    }
                }
                static TaskGraph graph(FloatArray a, FloatArray r) {
                    return new TaskGraph("s0").task("t0", ReductionAddFloats::k, a, r, r);
                }
            }
            """;

    @Test
    void anUnsupportedTaskKernelBuildsWithOneWarningLine(@TempDir Path out) throws Exception {
        List<Diagnostic<? extends JavaFileObject>> all = TornadoRejectsTest.diagnostics(PROGRAM.formatted("",
                "r.set(0, r.get(0) + a.get(i)); a.set(i, new FloatArray(1).get(0));"), out);
        assertEquals(List.of(), all.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList());
        List<Diagnostic<? extends JavaFileObject>> warnings = TornadoRejectsTest.rejections(PROGRAM.formatted("",
                "r.set(0, r.get(0) + a.get(i)); a.set(i, new FloatArray(1).get(0));"), out);
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals(Diagnostic.Kind.WARNING, warnings.get(0).getKind());
        assertEquals(8, warnings.get(0).getLineNumber());
        String message = warnings.get(0).getMessage(null);
        assertTrue(message.startsWith("kernel: array methods must be called on a parameter")
                && message.endsWith("; so k (line 8) runs as sequential Java on the host (TornadoVM's bailout)"), message);
        String kernels = Files.readString(out.resolve("example/ReductionAddFloats.kernels"));
        assertTrue(kernels.startsWith("k\tbailout\t") && kernels.contains("bailout=k (line 8): "), kernels);
    }

    @Test
    void inAnEngineKernelTheSameIsAnError(@TempDir Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.errors(PROGRAM.formatted("@org.longnet.engine.api.Kernel",
                "r.set(0, r.get(0) + a.get(i)); a.set(i, new FloatArray(1).get(0));"), out);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(8, errors.get(0).getLineNumber());
    }

    @Test
    void aRaceIsStillABuildError(@TempDir Path out) {
        List<Diagnostic<? extends JavaFileObject>> errors = TornadoRejectsTest.errors(PROGRAM.formatted("",
                "r.set(0, r.get(0) + a.get(i)); a.set(0, a.get(i));"), out);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).getMessage(null).contains("a data race"), errors.get(0).getMessage(null));
    }
}
