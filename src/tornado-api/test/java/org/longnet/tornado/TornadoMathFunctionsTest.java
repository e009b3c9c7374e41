package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TornadoMath's sinpi, cospi, asinh, acosh and signum in a kernel on every test device, against float64 references;
 * signum exactly, with Java's answers at -0, +0 and NaN.
 */
@DeviceTest
class TornadoMathFunctionsTest {
    private static final int N = 1003, FUNCTIONS = 5;

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void functions(FloatArray x, FloatArray out) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            float v = x.get(i);
            out.set(FUNCTIONS * i, TornadoMath.sinpi(v));
            out.set(FUNCTIONS * i + 1, TornadoMath.cospi(v));
            out.set(FUNCTIONS * i + 2, TornadoMath.asinh(v));
            out.set(FUNCTIONS * i + 3, TornadoMath.acosh(TornadoMath.abs(v) + 1));
            out.set(FUNCTIONS * i + 4, TornadoMath.signum(v));
        }
    }

    @ParameterizedTest(name = "TornadoMath functions on {0}")
    @MethodSource("devices")
    void matchJava(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        FloatArray x = new FloatArray(N), out = new FloatArray(FUNCTIONS * N);
        for (int i = 0; i < N; i++) {
            x.set(i, i % 4 == 0 ? (i / 4 % 9 - 4) * 0.5f : (float) r.nextDouble(-6, 6));
        }
        x.set(1, -0.0f);
        x.set(2, Float.NaN);
        out.init(Float.NaN);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(new TaskGraph("m").transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("f", TornadoMathFunctionsTest::functions, x, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        for (int i = 0; i < N; i++) {
            double v = x.get(i);
            String at = " of " + v;
            assertEquals(Float.floatToIntBits(Math.signum(x.get(i))), Float.floatToIntBits(out.get(FUNCTIONS * i + 4)), "signum" + at);
            if (Double.isNaN(v)) {
                continue;
            }
            assertEquals(Math.sin(Math.PI * v), out.get(FUNCTIONS * i), 2e-6, "sinpi" + at);
            assertEquals(Math.cos(Math.PI * v), out.get(FUNCTIONS * i + 1), 2e-6, "cospi" + at);
            double asinh = Math.copySign(Math.log(Math.abs(v) + Math.sqrt(v * v + 1)), v);
            assertEquals(asinh, out.get(FUNCTIONS * i + 2), 2e-6 * Math.max(1, Math.abs(asinh)), "asinh" + at);
            double w = Math.abs(x.get(i)) + 1f;
            double acosh = Math.log(w + Math.sqrt(w * w - 1));
            assertEquals(acosh, out.get(FUNCTIONS * i + 3), 2e-6 * Math.max(1, acosh), "acosh" + at);
        }
    }
}
