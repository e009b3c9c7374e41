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
import uk.ac.manchester.tornado.api.types.arrays.DoubleArray;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * java.lang.Math's double functions that TornadoVM's TestMath calls in kernels (asin, acos, signum) and their
 * kin (sinh, cosh, log10, cbrt, hypot, expm1, log1p), on every test device against Java's own answers:
 * signum bit for bit (Java's -0 and NaN), the others to a few ulp.
 */
@DeviceTest
class JavaMathDoublesTest {
    private static final int N = 777, FUNCTIONS = 11;
    private static final List<DoubleUnaryOperator> JAVA = List.of(Math::asin, Math::acos, Math::signum, Math::sinh, Math::cosh,
            v -> Math.log10(Math.abs(v)), Math::cbrt, v -> Math.hypot(v, 3 - v), Math::expm1, v -> Math.log1p(Math.abs(v)),
            v -> TornadoMath.acos(v / 8));

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void functions(DoubleArray x, DoubleArray out) {
        for (@Parallel int i = 0; i < x.getSize(); i++) {
            double v = x.get(i);
            out.set(FUNCTIONS * i, Math.asin(v));
            out.set(FUNCTIONS * i + 1, Math.acos(v));
            out.set(FUNCTIONS * i + 2, Math.signum(v));
            out.set(FUNCTIONS * i + 3, Math.sinh(v));
            out.set(FUNCTIONS * i + 4, Math.cosh(v));
            out.set(FUNCTIONS * i + 5, Math.log10(Math.abs(v)));
            out.set(FUNCTIONS * i + 6, Math.cbrt(v));
            out.set(FUNCTIONS * i + 7, Math.hypot(v, 3 - v));
            out.set(FUNCTIONS * i + 8, Math.expm1(v));
            out.set(FUNCTIONS * i + 9, Math.log1p(Math.abs(v)));
            out.set(FUNCTIONS * i + 10, TornadoMath.acos(v / 8));
        }
    }

    @ParameterizedTest(name = "java.lang.Math doubles on {0}")
    @MethodSource("devices")
    void matchJava(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        DoubleArray x = new DoubleArray(N), out = new DoubleArray(FUNCTIONS * N);
        for (int i = 0; i < N; i++) {
            // within [-1, 1] for asin and acos on every other element, wider on the rest
            x.set(i, i % 2 == 0 ? r.nextDouble(-1, 1) : r.nextDouble(-8, 8));
        }
        x.set(1, -0.0);
        x.set(3, Double.NaN);
        x.set(5, 0.0);
        out.init(Double.NaN);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(new TaskGraph("m").transferToDevice(DataTransferMode.EVERY_EXECUTION, x)
                .task("f", JavaMathDoublesTest::functions, x, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        for (int i = 0; i < N; i++) {
            double v = x.get(i);
            assertEquals(Double.doubleToLongBits(Math.signum(v)), Double.doubleToLongBits(out.get(FUNCTIONS * i + 2)), "signum of " + v);
            for (int f = 0; f < FUNCTIONS; f++) {
                double want = JAVA.get(f).applyAsDouble(v), got = out.get(FUNCTIONS * i + f);
                if (Double.isNaN(want)) {
                    assertEquals(Double.NaN, got, "function " + f + " of " + v);
                } else {
                    assertEquals(want, got, 1e-13 * Math.max(1, Math.abs(want)), "function " + f + " of " + v);
                }
            }
        }
    }
}
