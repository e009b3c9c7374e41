package org.longnet.tornado;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.longnet.engine.DeviceTest;
import org.longnet.engine.TestDevices;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.matrix.Matrix2DFloat4;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DDouble;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DFloat4;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DInt;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DLong;
import uk.ac.manchester.tornado.api.types.matrix.Matrix3DShort;
import uk.ac.manchester.tornado.api.types.vectors.Float4;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Matrices of Float4 points and the 3D matrices of int, double, long and short as kernel arguments on every test device,
 * against references computed on the host in plain Java: extents that are no multiples of a work-group's, reads at other
 * points than the one written (a transposed point, a neighbour in depth) so that indices cannot trade places unseen, and
 * integer arithmetic that wraps as Java's does. Outputs are poisoned beforehand, so a point a kernel misses fails.
 */
@DeviceTest
class TornadoVectorMatricesTest {
    private static final int ROWS = 37, COLUMNS = 23;
    private static final int R = 5, C = 11, D = 19;

    static List<String> devices() {
        return TestDevices.ids();
    }

    /** Each point: the transposed input point times its lane w, plus (i, j, rows, columns). */
    static void transposedScaled(Matrix2DFloat4 in, Matrix2DFloat4 out) {
        for (@Parallel int i = 0; i < out.getNumRows(); i++) {
            for (@Parallel int j = 0; j < out.getNumColumns(); j++) {
                Float4 p = in.get(j, i);
                out.set(i, j, Float4.add(Float4.mult(p, p.getW()), new Float4(i, j, in.getNumRows(), out.size())));
            }
        }
    }

    /** Each point: the sum of itself and its neighbour one deeper (the last wraps to the first). */
    static void depthNeighbours(Matrix3DFloat4 in, Matrix3DFloat4 out) {
        for (@Parallel int i = 0; i < in.getNumRows(); i++) {
            for (@Parallel int j = 0; j < in.getNumColumns(); j++) {
                for (@Parallel int k = 0; k < in.getNumDepth(); k++) {
                    out.set(i, j, k, Float4.add(in.get(i, j, k), in.get(i, j, (k + 1) % in.getNumDepth())));
                }
            }
        }
    }

    static void ints(Matrix3DInt in, Matrix3DInt out) {
        for (@Parallel int i = 0; i < in.getNumRows(); i++) {
            for (@Parallel int j = 0; j < in.getNumColumns(); j++) {
                for (@Parallel int k = 0; k < in.getNumDepth(); k++) {
                    out.set(i, j, k, in.get(i, j, k) * 65599 + in.get(in.getNumRows() - 1 - i, j, k));
                }
            }
        }
    }

    static void doubles(Matrix3DDouble in, Matrix3DDouble out) {
        for (@Parallel int i = 0; i < in.getNumRows(); i++) {
            for (@Parallel int j = 0; j < in.getNumColumns(); j++) {
                for (@Parallel int k = 0; k < in.getNumDepth(); k++) {
                    out.set(i, j, k, in.get(i, j, k) / 3.0 - in.get(i, in.getNumColumns() - 1 - j, k));
                }
            }
        }
    }

    static void longs(Matrix3DLong in, Matrix3DLong out) {
        for (@Parallel int i = 0; i < in.getNumRows(); i++) {
            for (@Parallel int j = 0; j < in.getNumColumns(); j++) {
                for (@Parallel int k = 0; k < in.getNumDepth(); k++) {
                    out.set(i, j, k, in.get(i, j, k) * 3 + in.get(i, j, in.getNumDepth() - 1 - k));
                }
            }
        }
    }

    static void shorts(Matrix3DShort in, Matrix3DShort out) {
        for (@Parallel int i = 0; i < in.getNumRows(); i++) {
            for (@Parallel int j = 0; j < in.getNumColumns(); j++) {
                for (@Parallel int k = 0; k < in.getNumDepth(); k++) {
                    out.set(i, j, k, (short) (in.get(i, j, k) + in.get(i, j, k) + i));
                }
            }
        }
    }

    private static void execute(String id, TaskGraph graph) throws Exception {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            plan.withDevice(TornadoApiTest.device(id)).execute();
        }
    }

    private static Float4 random4(SplittableRandom r) {
        return new Float4((float) r.nextDouble(-2, 2), (float) r.nextDouble(-2, 2), (float) r.nextDouble(-2, 2), (float) r.nextDouble(-2, 2));
    }

    private static void assertLanes(float[] want, Float4 got, String where) {
        for (int l = 0; l < 4; l++) {
            assertEquals(want[l], got.get(l), 1e-5f, where + " lane " + l);
        }
    }

    @ParameterizedTest(name = "Matrix2DFloat4 read transposed on {0}")
    @MethodSource("devices")
    void float4PointsOverA2DNest(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        Matrix2DFloat4 in = new Matrix2DFloat4(COLUMNS, ROWS), out = new Matrix2DFloat4(ROWS, COLUMNS);
        for (int i = 0; i < COLUMNS; i++) {
            for (int j = 0; j < ROWS; j++) {
                in.set(i, j, random4(r));
            }
        }
        out.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t", TornadoVectorMatricesTest::transposedScaled, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        float[] lanes = in.getArray().toHeapArray();
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLUMNS; j++) {
                int at = (j * ROWS + i) * 4;
                float w = lanes[at + 3];
                float[] want = {lanes[at] * w + i, lanes[at + 1] * w + j, lanes[at + 2] * w + COLUMNS, w * w + ROWS * COLUMNS * 4};
                assertLanes(want, out.get(i, j), "out(" + i + ", " + j + ")");
            }
        }
    }

    @ParameterizedTest(name = "Matrix3DFloat4 over a 3D nest on {0}")
    @MethodSource("devices")
    void float4PointsOverA3DNest(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(12);
        Matrix3DFloat4 in = new Matrix3DFloat4(R, C, D), out = new Matrix3DFloat4(R, C, D);
        for (int i = 0; i < in.size(); i++) {
            in.getArray().set(i, (float) r.nextDouble(-2, 2));
        }
        out.fill(Float.NaN);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t", TornadoVectorMatricesTest::depthNeighbours, in, out).transferToHost(DataTransferMode.EVERY_EXECUTION, out));
        float[] lanes = in.getArray().toHeapArray();
        for (int i = 0; i < R; i++) {
            for (int j = 0; j < C; j++) {
                for (int k = 0; k < D; k++) {
                    int at = ((i * C + j) * D + k) * 4;
                    int next = ((i * C + j) * D + (k + 1) % D) * 4;
                    float[] want = new float[4];
                    for (int l = 0; l < 4; l++) {
                        want[l] = lanes[at + l] + lanes[next + l];
                    }
                    assertLanes(want, out.get(i, j, k), "out(" + i + ", " + j + ", " + k + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "Matrix3DInt, Matrix3DDouble, Matrix3DLong and Matrix3DShort on {0}")
    @MethodSource("devices")
    void threeDimensionalMatricesOfEachElementType(String id) throws Exception {
        SplittableRandom r = new SplittableRandom(13);
        Matrix3DInt intsIn = new Matrix3DInt(R, C, D), intsOut = new Matrix3DInt(R, C, D);
        Matrix3DDouble doublesIn = new Matrix3DDouble(R, C, D), doublesOut = new Matrix3DDouble(R, C, D);
        Matrix3DLong longsIn = new Matrix3DLong(R, C, D), longsOut = new Matrix3DLong(R, C, D);
        Matrix3DShort shortsIn = new Matrix3DShort(R, C, D), shortsOut = new Matrix3DShort(R, C, D);
        for (int i = 0; i < R; i++) {
            for (int j = 0; j < C; j++) {
                for (int k = 0; k < D; k++) {
                    intsIn.set(i, j, k, r.nextInt());
                    doublesIn.set(i, j, k, r.nextDouble(-1e6, 1e6));
                    longsIn.set(i, j, k, r.nextLong());
                    shortsIn.set(i, j, k, (short) r.nextInt(Short.MIN_VALUE, Short.MAX_VALUE + 1));
                }
            }
        }
        intsOut.fill(Integer.MIN_VALUE);
        doublesOut.fill(Double.NaN);
        longsOut.fill(Long.MIN_VALUE);
        shortsOut.fill(Short.MIN_VALUE);
        execute(id, new TaskGraph("s").transferToDevice(DataTransferMode.EVERY_EXECUTION, intsIn, doublesIn, longsIn, shortsIn)
                .task("i", TornadoVectorMatricesTest::ints, intsIn, intsOut).task("d", TornadoVectorMatricesTest::doubles, doublesIn, doublesOut)
                .task("l", TornadoVectorMatricesTest::longs, longsIn, longsOut).task("h", TornadoVectorMatricesTest::shorts, shortsIn, shortsOut)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, intsOut, doublesOut, longsOut, shortsOut));
        for (int i = 0; i < R; i++) {
            for (int j = 0; j < C; j++) {
                for (int k = 0; k < D; k++) {
                    String at = "(" + i + ", " + j + ", " + k + ")";
                    assertEquals(intsIn.get(i, j, k) * 65599 + intsIn.get(R - 1 - i, j, k), intsOut.get(i, j, k), "ints" + at);
                    assertEquals(doublesIn.get(i, j, k) / 3.0 - doublesIn.get(i, C - 1 - j, k), doublesOut.get(i, j, k), 1e-9, "doubles" + at);
                    assertEquals(longsIn.get(i, j, k) * 3 + longsIn.get(i, j, D - 1 - k), longsOut.get(i, j, k), "longs" + at);
                    assertEquals((short) (2 * shortsIn.get(i, j, k) + i), shortsOut.get(i, j, k), "shorts" + at);
                }
            }
        }
    }
}
