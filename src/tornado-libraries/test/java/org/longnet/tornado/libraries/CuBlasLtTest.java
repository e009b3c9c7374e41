package org.longnet.tornado.libraries;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.FP8;
import uk.ac.manchester.tornado.api.types.arrays.ByteArray;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.HalfFloatArray;
import uk.ac.manchester.tornado.cublas.CuBlasLt;

import java.util.List;
import java.util.SplittableRandom;

import static org.longnet.tornado.libraries.LibraryTests.assertClose;
import static org.longnet.tornado.libraries.LibraryTests.floats;
import static org.longnet.tornado.libraries.LibraryTests.halves;
import static org.longnet.tornado.libraries.LibraryTests.poisoned;
import static org.longnet.tornado.libraries.LibraryTests.poisonedHalves;
import static org.longnet.tornado.libraries.LibraryTests.run;
import static org.longnet.tornado.libraries.LibraryTests.values;

/** cuBLASLt's matmuls and epilogues through libraryTask on every test device, against float64 references. */
@DeviceTest
class CuBlasLtTest {
    private static final int EVERY = DataTransferMode.EVERY_EXECUTION;

    static List<String> devices() {
        return LibraryTests.devices();
    }

    @ParameterizedTest(name = "fp32 (A transposed), fp16, FP8 E4M3, bias, GELU with bias and beta, on {0}")
    @MethodSource("devices")
    void matmuls(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(21);
        int m = 12, n = 10, k = 16;
        FloatArray fa = floats(r, k * m), fb = floats(r, k * n), fc = poisoned(m * n);
        HalfFloatArray ha = halves(r, m * k), hb = halves(r, k * n), hc = poisonedHalves(m * n), bias = halves(r, m);
        HalfFloatArray biased = poisonedHalves(m * n), gelu = halves(r, m * n);
        ByteArray qa = new ByteArray(k * m), qb = new ByteArray(k * n);
        for (int i = 0; i < k * m; i++) {
            qa.set(i, FP8.e4m3FromFloat((float) r.nextDouble(-3, 3)));
        }
        for (int i = 0; i < k * n; i++) {
            qb.set(i, FP8.e4m3FromFloat((float) r.nextDouble(-3, 3)));
        }
        HalfFloatArray qc = poisonedHalves(m * n);
        double[] wantGelu = values(gelu);
        run(id, new TaskGraph("g").transferToDevice(EVERY, fa, fb, ha, hb, bias, qa, qb, gelu)
                .libraryTask("f32", CuBlasLt::ltMatmulFP32, 1, 0, m, n, k, 2f, fa, k, fb, k, 0f, fc, m)
                .libraryTask("f16", CuBlasLt::ltMatmulFP16, 0, 0, m, n, k, 1f, ha, m, hb, k, 0f, hc, m)
                .libraryTask("fp8", CuBlasLt::ltMatmulFP8, 1, 0, m, n, k, 1f, qa, k, qb, k, 0f, qc, m)
                .libraryTask("bias", CuBlasLt::ltMatmulBiasFP16, 0, 0, m, n, k, 1f, ha, m, hb, k, 0f, biased, m, bias)
                .libraryTask("gelu", CuBlasLt::ltMatmulGeluBiasFP16, 0, 0, m, n, k, 1f, ha, m, hb, k, 0.5f, gelu, m, bias)
                .transferToHost(EVERY, fc, hc, qc, biased, gelu), 1);
        double[] f32 = new double[m * n], f16 = new double[m * n], fp8 = new double[m * n];
        Reference.gemm(true, false, m, n, k, 2, values(fa), 0, k, values(fb), 0, k, 0, f32, 0, m);
        Reference.gemm(false, false, m, n, k, 1, values(ha), 0, m, values(hb), 0, k, 0, f16, 0, m);
        Reference.gemm(true, false, m, n, k, 1, values(qa), 0, k, values(qb), 0, k, 0, fp8, 0, m);
        double[] b = values(bias), withBias = new double[m * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                int at = i + j * m;
                withBias[at] = f16[at] + b[i];
                double x = f16[at] + 0.5 * wantGelu[at] + b[i];
                wantGelu[at] = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            }
        }
        assertClose(f32, fc, 1e-5);
        assertClose(f16, hc, 1e-3);
        assertClose(fp8, qc, 1e-3);
        assertClose(withBias, biased, 1e-3);
        assertClose(wantGelu, gelu, 1e-3);
    }
}
