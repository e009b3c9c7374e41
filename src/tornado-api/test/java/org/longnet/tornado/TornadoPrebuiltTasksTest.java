package org.longnet.tornado;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.AccessorParameters;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.common.Access;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.tornado.TornadoApiTest.device;

/**
 * Prebuilt tasks (a hand-written OpenCL C or PTX kernel file) and library tasks, on every test device: the kernel files of
 * tornado-config/examples/generated and one written here run where their language runs, and are refused elsewhere.
 */
@DeviceTest
class TornadoPrebuiltTasksTest {
    /** The engine's own prebuilt kernels, found by TornadoVM's programs under $TORNADOVM_HOME/examples/generated. */
    private static final Path GENERATED = java.util.stream.Stream.of(Path.of("..", "..", "tornado-config"), Path.of("tornado-config"))
            .filter(java.nio.file.Files::isDirectory).findFirst() // from the module's folder (Maven) or the repository's (a console launcher)
            .orElseThrow(() -> new IllegalStateException("tornado-config not found from " + Path.of("").toAbsolutePath()))
            .resolve("examples").resolve("generated");

    static List<String> devices() {
        return TestDevices.ids();
    }

    private static String backend(TornadoDevice device) {
        return device.getId().split(":")[0];
    }

    @ParameterizedTest(name = "the shipped add kernel adds two arrays on {0} (jvm refuses it)")
    @MethodSource("devices")
    void shippedAddKernelRunsWhereItsLanguageRuns(String id) throws Exception {
        TornadoDevice device = device(id);
        String file = GENERATED.resolve(backend(device).equals("cuda") ? "add.ptx" : "add.cl").toString();
        IntArray a = TornadoPlanMemoryTest.random(1024, 1), b = TornadoPlanMemoryTest.random(1024, 2), c = new IntArray(1024);
        AccessorParameters accessors = new AccessorParameters(3);
        accessors.set(0, a, Access.READ_ONLY);
        accessors.set(1, b, Access.READ_ONLY);
        accessors.set(2, c, Access.WRITE_ONLY);
        TaskGraph graph = new TaskGraph("s0").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b).prebuiltTask("t0", "add", file, accessors)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(device).withGridScheduler(new GridScheduler("s0.t0", new WorkerGrid1D(1024)));
            if (backend(device).equals("jvm")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, plan::execute);
                assertTrue(e.getMessage().contains("runs on opencl devices, and the plan runs on jvm"), e.getMessage());
                return;
            }
            for (int run = 0; run < 3; run++) {
                plan.execute();
                for (int i = 0; i < 1024; i++) {
                    assertEquals(a.get(i) + b.get(i), c.get(i), "element " + i + " of run " + run);
                }
                a.set(run, a.get(run) + 7); // copied again next execution
            }
        }
    }

    @ParameterizedTest(name = "a kernel file with a scalar and atomics gets them after its arrays on {0}")
    @MethodSource("devices")
    void scalarsAndAtomicsFollowTheArrays(String id, @TempDir Path dir) throws Exception {
        TornadoDevice device = device(id);
        if (!backend(device).equals("opencl")) {
            return; // written in OpenCL C: jvm's refusal is checked above, and cuda runs the PTX file there
        }
        Path file = dir.resolve("saxpy.cl");
        Files.writeString(file, """
                __kernel void saxpy(__global const float *x, __global float *y, float a, __global int *ticket, __global int *atomics) {
                    size_t i = get_global_id(0);
                    y[i] = a * x[i] + y[i];
                    ticket[i] = atomic_add(&atomics[0], 1);
                }
                """);
        Random r = new Random(3);
        FloatArray x = new FloatArray(512), y = new FloatArray(512), expected = new FloatArray(512);
        for (int i = 0; i < 512; i++) {
            x.set(i, r.nextFloat());
            y.set(i, r.nextFloat());
            expected.set(i, (float) (2.5 * x.get(i) + y.get(i)));
        }
        IntArray tickets = new IntArray(512);
        AccessorParameters accessors = new AccessorParameters(4);
        accessors.set(0, x, Access.READ_ONLY);
        accessors.set(1, y, Access.READ_WRITE);
        accessors.set(2, 2.5f, Access.READ_ONLY);
        accessors.set(3, tickets, Access.WRITE_ONLY);
        TaskGraph graph = new TaskGraph("s0").prebuiltTask("t0", "saxpy", file.toString(), accessors, new int[] {100})
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y, tickets);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(device).withGridScheduler(new GridScheduler("s0.t0", new WorkerGrid1D(512))).execute();
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 512; i++) {
            assertEquals(expected.get(i), y.get(i), 1e-5f, "y[" + i + "]");
            assertTrue(tickets.get(i) >= 100 && tickets.get(i) < 612 && seen.add(tickets.get(i)), "ticket " + tickets.get(i));
        }
    }

    @Test
    void tornadoVmsGeneratedFilesAndOtherLanguagesAreRefused(@TempDir Path dir) throws Exception {
        Path generated = dir.resolve("add.cl");
        Files.writeString(generated, "__kernel void add(__global long *_kernel_context, __global uchar *a) { }");
        AccessorParameters accessors = new AccessorParameters(1);
        accessors.set(0, new IntArray(4), Access.READ_WRITE);
        TornadoRuntimeException e = assertThrows(TornadoRuntimeException.class,
                () -> new TaskGraph("s0").prebuiltTask("t0", "add", generated.toString(), accessors));
        assertTrue(e.getMessage().contains("was generated by TornadoVM"), e.getMessage());
        e = assertThrows(TornadoRuntimeException.class, () -> new TaskGraph("s0").prebuiltTask("t0", "add", dir.resolve("add.spv").toString(), accessors));
        assertTrue(e.getMessage().contains("not a kernel file this engine runs"), e.getMessage());
        e = assertThrows(TornadoRuntimeException.class, () -> new TaskGraph("s0").prebuiltTask("t0", "add", dir.resolve("none.cl").toString(), accessors));
        assertTrue(e.getMessage().contains("cannot read the kernel file"), e.getMessage());
    }

    private static LibraryTaskDescriptor scale(FloatArray x, float alpha) {
        return new LibraryTaskDescriptor().withLibrary("blas").withFunction("sscal").withParameters(new Object[] {x, alpha})
                .withAccess(new Access[] {Access.READ_WRITE, Access.READ_ONLY});
    }

    @ParameterizedTest(name = "a library task builds, and running it names the missing library, on {0}")
    @MethodSource("devices")
    void libraryTaskNamesTheLibraryItLacks(String id) throws Exception {
        FloatArray x = new FloatArray(16);
        TaskGraph graph = new TaskGraph("lib").libraryTask("scal", TornadoPrebuiltTasksTest::scale, x, 2f)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, x);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            TornadoRuntimeException e = assertThrows(TornadoRuntimeException.class, () -> plan.withDevice(device(id)).execute());
            assertEquals("library task lib.scal calls blas.sscal, and no library of the name blas is provided here (no "
                    + "org.longnet.tornado.library.LibraryProvider of that name on the class path)", e.getMessage());
        }
    }
}
