package org.longnet.tornado.libraries;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.device.Device;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.longnet.tornado.libraries.LibraryTests.assertClose;
import static org.longnet.tornado.libraries.LibraryTests.floats;
import static org.longnet.tornado.libraries.LibraryTests.halves;
import static org.longnet.tornado.libraries.LibraryTests.values;

/**
 * The column-major to row-major mapping that sends plain GEMMs to the engine's GEMM (cuBLAS on cuda devices): run here with
 * the engine's own kernels, which take the same shapes, against float64 references.
 */
@DeviceTest
class EngineGemmTest {
    static List<String> devices() {
        return LibraryTests.devices();
    }

    @ParameterizedTest(name = "column-major GEMMs through the engine's GEMM on {0}")
    @MethodSource("devices")
    void matchesTheReference(String id) {
        Device device = TestDevices.open(id);
        SplittableRandom r = new SplittableRandom(11);
        int m = 9, n = 5, k = 7, batch = 2;
        for (int op = 0; op < 4; op++) {
            boolean ta = (op & 1) != 0, tb = (op & 2) != 0;
            int lda = (ta ? k : m) + 1, ldb = (tb ? n : k) + 2, ldc = m + 1;
            long sa = (long) lda * (ta ? m : k), sb = (long) ldb * (tb ? k : n), sc = (long) ldc * n;
            FloatArray a = floats(r, (int) sa * batch), b = floats(r, (int) sb * batch), c = floats(r, (int) sc * batch);
            double[] want = values(c);
            for (int i = 0; i < batch; i++) {
                Reference.gemm(ta, tb, m, n, k, 0.5, values(a), (int) (i * sa), lda, values(b), (int) (i * sb), ldb, -1, want, (int) (i * sc), ldc);
            }
            run(device, new GemmCall("t", ta, tb, m, n, k, 0.5f, a, lda, sa, b, ldb, sb, -1f, c, ldc, sc, batch, null, Activation.IDENTITY, false));
            assertClose(want, c, 1e-5);
        }
        HalfFloatArray ha = halves(r, m * k), hb = halves(r, k * n);
        FloatArray fc = floats(r, m * n);
        double[] want = new double[m * n];
        Reference.gemm(false, false, m, n, k, 1, values(ha), 0, m, values(hb), 0, k, 0, want, 0, m);
        run(device, new GemmCall("h", false, false, m, n, k, 1f, ha, m, 0, hb, k, 0, 0f, fc, m, 0, 1, null, Activation.IDENTITY, false));
        assertClose(want, fc, 1e-5);
    }

    private static void run(Device device, GemmCall call) {
        var gemm = EngineGemm.of(call);
        assertTrue(gemm.isPresent(), "a plain GEMM goes to the engine");
        List<DeviceArray> arrays = List.of(DeviceArrayView.of(call.a()), DeviceArrayView.of(call.b()), DeviceArrayView.of(call.c()));
        arrays.forEach(x -> device.copyToDevice(x, false));
        EngineGemm.run(gemm.get(), device, false);
        device.copyToHost(arrays.get(2), false);
        arrays.forEach(device::free);
    }
}
