package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DDouble;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DFloat;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DInt;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DFloat;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TornadoVM's matrices as kernel arguments on every test device, against references computed on the host: products
 * over a 2D {@code @Parallel} nest whose extents are no multiples of a work-group's, a 3D matrix over a 3D nest, and a
 * matrix passed on to a helper function. Outputs are poisoned beforehand, so an element a kernel misses fails.
 */
@DeviceTest
class TornadoMatricesTest {
    private static final int ROWS = 37, INNER = 53, COLUMNS = 29;

    static List<String> devices() {
        return TestDevices.ids();
    }

    static void multiplyFloats(Matrix2DFloat a, Matrix2DFloat b, Matrix2DFloat c) {
        for (@Parallel int i = 0; i < c.getNumRows(); i++) {
            for (@Parallel int j = 0; j < c.getNumColumns(); j++) {
                float sum = 0;
                for (int k = 0; k < a.getNumColumns(); k++) {
                    sum += a.get(i, k) * b.get(k, j);
                }
                c.set(i, j, sum);
            }
        }
    }

    static void multiplyDoubles(Matrix2DDouble a, Matrix2DDouble b, Matrix2DDouble c) {
        for (@Parallel int i = 0; i < c.getNumRows(); i++) {
            for (@Parallel int j = 0; j < c.getNumColumns(); j++) {
                c.set(i, j, dot(a, b, i, j));
            }
        }
    }

    /** Row i of a times column j of b: a helper that receives matrices, with their extents. */
    private static double dot(Matrix2DDouble a, Matrix2DDouble b, int i, int j) {
        double sum = 0;
        for (int k = 0; k < a.getNumColumns(); k++) {
            sum += a.get(i, k) * b.get(k, j);
        }
        return sum;
    }

    /** c = 3a + b transposed, on ints: exact. */
    static void addTransposed(Matrix2DInt a, Matrix2DInt b, Matrix2DInt c) {
        for (@Parallel int i = 0; i < a.getNumRows(); i++) {
            for (@Parallel int j = 0; j < a.getNumColumns(); j++) {
                c.set(i, j, 3 * a.get(i, j) + b.get(j, i));
            }
        }
    }

    static void shifted(Matrix3DFloat in, Matrix3DFloat out) {
        for (@Parallel int i = 0; i < in.getNumRows(); i++) {
            for (@Parallel int j = 0; j < in.getNumColumns(); j++) {
                for (@Parallel int k = 0; k < in.getNumDepth(); k++) {
                    out.set(i, j, k, 2 * in.get(i, j, k) + in.size() * i - j + k);
                }
            }
        }
    }

    private static void execute(String id, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
    }

    @ParameterizedTest(name = "Matrix2DFloat product on {0}")
    @MethodSource("devices")
    void floatProductOverA2DNest(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        Matrix2DFloat a = new Matrix2DFloat(ROWS, INNER), b = new Matrix2DFloat(INNER, COLUMNS), c = new Matrix2DFloat(ROWS, COLUMNS);
        fill(a, r);
        fill(b, r);
        c.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("mxm", TornadoMatricesTest::multiplyFloats, a, b, c).transferToHost(DataTransferMode.EVERY_EXECUTION, c));
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLUMNS; j++) {
                double want = 0;
                for (int k = 0; k < INNER; k++) {
                    want += (double) a.get(i, k) * b.get(k, j);
                }
                assertEquals(want, c.get(i, j), 1e-4, "c(" + i + ", " + j + ")");
            }
        }
    }

    @ParameterizedTest(name = "Matrix2DDouble product through a helper on {0}")
    @MethodSource("devices")
    void doubleProductThroughAHelper(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(2);
        Matrix2DDouble a = new Matrix2DDouble(ROWS, INNER), b = new Matrix2DDouble(INNER, COLUMNS), c = new Matrix2DDouble(ROWS, COLUMNS);
        for (int k = 0; k < INNER; k++) {
            for (int i = 0; i < ROWS; i++) {
                a.set(i, k, r.nextDouble(-1, 1));
            }
            for (int j = 0; j < COLUMNS; j++) {
                b.set(k, j, r.nextDouble(-1, 1));
            }
        }
        c.fill(Double.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("mxm", TornadoMatricesTest::multiplyDoubles, a, b, c).transferToHost(DataTransferMode.EVERY_EXECUTION, c));
        Matrix2DDouble want = new Matrix2DDouble(ROWS, COLUMNS);
        want.multiply(a, b);
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLUMNS; j++) {
                assertEquals(want.get(i, j), c.get(i, j), 1e-12, "c(" + i + ", " + j + ")");
            }
        }
    }

    @ParameterizedTest(name = "Matrix2DInt with a transposed read on {0}")
    @MethodSource("devices")
    void intMatricesExactly(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        Matrix2DInt a = new Matrix2DInt(ROWS, COLUMNS), b = new Matrix2DInt(COLUMNS, ROWS), c = new Matrix2DInt(ROWS, COLUMNS);
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLUMNS; j++) {
                a.set(i, j, r.nextInt(-1000, 1000));
                b.set(j, i, r.nextInt(-1000, 1000));
            }
        }
        c.fill(Integer.MIN_VALUE);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, a, b)
                .task("add", TornadoMatricesTest::addTransposed, a, b, c).transferToHost(DataTransferMode.EVERY_EXECUTION, c));
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLUMNS; j++) {
                assertEquals(3 * a.get(i, j) + b.get(j, i), c.get(i, j), "c(" + i + ", " + j + ")");
            }
        }
    }

    @ParameterizedTest(name = "Matrix3DFloat over a 3D nest on {0}")
    @MethodSource("devices")
    void threeDimensionalMatrix(String id) throws Exception {
        int rows = 5, columns = 11, depth = 19;
        SplittableRandom r = new SplittableRandom(4);
        Matrix3DFloat in = new Matrix3DFloat(rows, columns, depth), out = new Matrix3DFloat(rows, columns, depth);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                for (int k = 0; k < depth; k++) {
                    in.set(i, j, k, (float) r.nextDouble(-1, 1));
                }
            }
        }
        out.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("shift", TornadoMatricesTest::shifted, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                for (int k = 0; k < depth; k++) {
                    double want = 2.0 * in.get(i, j, k) + (double) rows * columns * depth * i - j + k;
                    assertEquals(want, out.get(i, j, k), 1e-3, "out(" + i + ", " + j + ", " + k + ")");
                }
            }
        }
    }

    private static void fill(Matrix2DFloat m, SplittableRandom r) {
        for (int i = 0; i < m.getNumRows(); i++) {
            for (int j = 0; j < m.getNumColumns(); j++) {
                m.set(i, j, (float) r.nextDouble(-1, 1));
            }
        }
    }
}
