package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.annotations.Reduce;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Java's own arrays as task arguments, as TornadoVM's programs pass them: copied to the device by transferToDevice (or
 * before the first execution where no transfer names them) and back by transferToHost, on every device.
 */
@DeviceTest
class TornadoJavaArraysTest {
    private static final int N = 1001;

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void addChars(char[] a, char[] b, char[] c) {
        for (@Parallel int i = 0; i < a.length; i++) {
            c[i] = (char) (a[i] + b[i]);
        }
    }

    static void sum(float[] x, @Reduce float[] total) {
        for (@Parallel int i = 0; i < x.length; i++) {
            total[0] += x[i];
        }
    }

    @ParameterizedTest(name = "char[] and float[] through a TornadoVM graph on {0}")
    @MethodSource("devices")
    void javaArraysTravelAsTornadoVmsDo(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        char[] a = new char[N], b = new char[N], c = new char[N];
        float[] x = new float[N], total = {0f};
        double ref = 0;
        for (int i = 0; i < N; i++) {
            a[i] = (char) r.nextInt();
            b[i] = (char) r.nextInt();
            c[i] = 'x';
            x[i] = i % 5 - 2;
            ref += x[i];
        }
        TaskGraph graph = new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("add", TornadoJavaArraysTest::addChars, a, b, c)
                .task("sum", TornadoJavaArraysTest::sum, x, total)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c, total);
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
        char[] expected = new char[N];
        for (int i = 0; i < N; i++) {
            expected[i] = (char) (a[i] + b[i]);
        }
        assertArrayEquals(expected, c);
        assertEquals(ref, total[0], 0, "the sum of small integers, exact in float");
    }
}
