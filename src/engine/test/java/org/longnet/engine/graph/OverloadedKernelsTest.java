package org.longnet.engine.graph;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.Check;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.FloatArray;
import org.longnet.engine.api.IntArray;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.device.KernelInfo;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernels of one name in a class (Java overloads, as TornadoVM allows): each task runs the overload its method
 * reference names, on every test device, at sizes that are no multiple of a work-group; a kernel whose name is not
 * overloaded keeps its C name.
 */
@DeviceTest
class OverloadedKernelsTest {
    /** Not a multiple of any work-group size, and past one group of 1024. */
    private static final int N = 1237;

    static List<String> devices() {
        return TestDevices.ids();
    }

    @ParameterizedTest(name = "three overloads of add, and negate, on {0}")
    @MethodSource("devices")
    void eachTaskRunsTheOverloadItNames(String id) {
        IntArray ia = Check.randomInts(N, 1, -1000, 1000), ib = Check.randomInts(N, 2, -1000, 1000), ic = Check.poisonedInts(N);
        FloatArray fa = Check.random(N, 3, -1, 1), fb = Check.random(N, 4, -1, 1);
        FloatArray sum = Check.poisoned(N), scaled = Check.poisoned(N), negated = Check.poisoned(N);
        TaskGraph g = new TaskGraph("overloads")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, ia, ib, fa, fb)
                .task("ints", OverloadedKernels::add, ia, ib, ic)
                .task("floats", OverloadedKernels::add, fa, fb, sum)
                .task("axpy", OverloadedKernels::add, fa, fb, scaled, 2.5f)
                .task("negate", OverloadedKernels::negate, fa, negated)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, ic, sum, scaled, negated);
        TestDevices.run(id, g);
        int[] intRef = new int[N];
        double[] sumRef = new double[N], scaledRef = new double[N], negatedRef = new double[N];
        for (int i = 0; i < N; i++) {
            intRef[i] = ia.get(i) + ib.get(i);
            sumRef[i] = fa.get(i) + fb.get(i);
            scaledRef[i] = fa.get(i) + 2.5 * fb.get(i);
            negatedRef[i] = -fa.get(i);
        }
        Check.equal("add(IntArray, IntArray, IntArray)", intRef, ic);
        Check.close("add(FloatArray, FloatArray, FloatArray)", sumRef, sum, 1e-6, 1e-6);
        Check.close("add(FloatArray, FloatArray, FloatArray, float)", scaledRef, scaled, 1e-6, 1e-6);
        Check.close("negate", negatedRef, negated, 0, 0);
    }

    @ParameterizedTest(name = "KernelContext overloads on {0}")
    @MethodSource("devices")
    void kernelContextOverloads(String id) {
        IntArray x = Check.randomInts(N, 5, -1000, 1000), shifted = Check.poisonedInts(N);
        FloatArray y = Check.random(N, 6, -1, 1), lowered = Check.poisoned(N);
        KernelContext ctx = new KernelContext();
        TaskGraph g = new TaskGraph("contexts")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, x, y)
                .task("ints", OverloadedKernels::shift, ctx, x, shifted, N)
                .task("floats", OverloadedKernels::shift, ctx, y, lowered, N)
                .withGrid("ints", WorkerGrid.of(N, 64))
                .withGrid("floats", WorkerGrid.of(N, 128))
                .transferToHost(DataTransferMode.EVERY_EXECUTION, shifted, lowered);
        TestDevices.run(id, g);
        int[] intRef = new int[N];
        double[] floatRef = new double[N];
        for (int i = 0; i < N; i++) {
            intRef[i] = x.get(i) + 7;
            floatRef[i] = y.get(i) - 0.5f;
        }
        Check.equal("shift(KernelContext, IntArray, ...)", intRef, shifted);
        Check.close("shift(KernelContext, FloatArray, ...)", floatRef, lowered, 0, 0);
    }

    @Test
    void onlyOverloadedNamesChangeInC() {
        String cl = KernelInfo.source(OverloadedKernels.class, "cl");
        KernelInfo negate = KernelInfo.of(OverloadedKernels.class, "negate");
        assertEquals("negate", negate.cName());
        assertTrue(cl.contains("__kernel void negate("), cl);
        KernelInfo ints = KernelInfo.of(OverloadedKernels.class, "add", "(Lorg/longnet/engine/api/IntArray;"
                + "Lorg/longnet/engine/api/IntArray;Lorg/longnet/engine/api/IntArray;)V");
        KernelInfo floats = KernelInfo.of(OverloadedKernels.class, "add", "(Lorg/longnet/engine/api/FloatArray;"
                + "Lorg/longnet/engine/api/FloatArray;Lorg/longnet/engine/api/FloatArray;)V");
        assertTrue(ints.cName().matches("add_[0-9a-f]{8}"), ints.cName());
        assertNotEquals(ints.cName(), floats.cName());
        assertTrue(cl.contains("__kernel void " + ints.cName() + "("), cl);
        assertEquals(IntArray.class, ints.method().getParameterTypes()[0]);
        assertEquals(FloatArray.class, floats.method().getParameterTypes()[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelInfo.of(OverloadedKernels.class, "add"));
        assertTrue(e.getMessage().contains("is overloaded"), e.getMessage());
    }
}
