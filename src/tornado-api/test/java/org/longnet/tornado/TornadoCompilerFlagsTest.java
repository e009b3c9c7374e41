package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.tornado.TornadoApiTest.device;

/** withCompilerFlags reaches the device's compiler (OpenCL's build, NVRTC), and kernels are built again when the flags change. */
@DeviceTest
class TornadoCompilerFlagsTest {
    static List<String> devices() {
        return TestDevices.ids();
    }

    private static void cube(FloatArray a, FloatArray out) {
        for (@Parallel int i = 0; i < a.getSize(); i++) {
            out.set(i, a.get(i) * a.get(i) * a.get(i));
        }
    }

    @ParameterizedTest(name = "compiler flags reach the compiler of {0}, and a change rebuilds the kernels")
    @MethodSource("devices")
    void flagsReachTheCompilerAndRebuild(String id) throws Exception {
        TornadoDevice device = device(id);
        Random r = new Random(9);
        FloatArray a = new FloatArray(777), out = new FloatArray(777);
        for (int i = 0; i < 777; i++) {
            a.set(i, r.nextFloat() * 4 - 2);
        }
        TaskGraph graph = new TaskGraph("g").transferToDevice(DataTransferMode.FIRST_EXECUTION, a).task("t", TornadoCompilerFlagsTest::cube, a, out)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out);
        TornadoVMBackendType backend = device.getTornadoVMBackend();
        String invalid = backend == TornadoVMBackendType.CUDA ? "--no-such-nvrtc-option" : "-cl-no-such-option";
        String valid = backend == TornadoVMBackendType.CUDA ? "--use_fast_math" : "-cl-opt-disable";
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(device).withCompilerFlags(backend, invalid);
            if (backend == TornadoVMBackendType.JAVA) {
                plan.execute(); // the JVM device compiles nothing at run time: no compiler reads the flags
            } else {
                RuntimeException e = assertThrows(RuntimeException.class, plan::execute);
                assertTrue(String.valueOf(e.getMessage()).contains(invalid), e.getMessage());
                plan.withCompilerFlags(backend, valid).execute();
            }
            // flags of a backend the engine has not reach no device
            plan.withCompilerFlags(TornadoVMBackendType.SPIRV, "-ze-opt-level 1").execute();
        }
        for (int i = 0; i < 777; i++) {
            float x = a.get(i);
            assertEquals(x * x * x, out.get(i), 1e-5f, "element " + i);
        }
    }
}
